"""Integrity records kept next to the audit log: published anchors of its head, and the
Merkle commitment to each round's ballots at close."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import Model


class PublishedAnchor(Model):
    """A signed anchor of the audit chain's head, as published on the public anchors page.

    ``document`` is the signed JSON exactly as handed out; the other columns repeat what it
    says so that pages and checks need not parse it. ``due_key`` names the occasion the
    platform published it for (a phase, a result, a day of voting), so that an occasion is
    anchored once; anchors published by hand have none.
    """

    __tablename__ = "audit_anchor"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column()
    head_hash: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(200))  # as signed in the document
    # No foreign key, like audit_event.round_id: an anchor outlives whatever it names.
    round_id: Mapped[int | None] = mapped_column(index=True)
    due_key: Mapped[str | None] = mapped_column(String(160), unique=True)
    published_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    document: Mapped[str] = mapped_column(Text)


class BallotCommitment(Model):
    """The Merkle root over a round's counted ballots, fixed once voting has closed."""

    __tablename__ = "ballot_commitment"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), unique=True)
    root: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column()
    committed_at: Mapped[datetime] = mapped_column(default=utcnow)
    audit_seq: Mapped[int] = mapped_column()  # the audit event that records the root
