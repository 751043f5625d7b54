"""Voting: codes, voters, ballots and receipts."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import Model

if TYPE_CHECKING:
    from wijkfonds.models.place import District


class CodeBatch(Model):
    """A batch of voting codes generated for one district (downloadable once)."""

    __tablename__ = "code_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"))
    size: Mapped[int] = mapped_column()
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    downloaded_at: Mapped[datetime | None] = mapped_column()

    district: Mapped[District] = relationship("District")


class VotingCode(Model):
    """A voting code from a letter; only its hash is stored.

    ``used_at`` is set when a ballot is first stored with the code (entering it spends
    nothing); until voting closes the code keeps opening that ballot to change it.
    """

    __tablename__ = "voting_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("code_batch.id"))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime | None] = mapped_column()


class Voter(Model):
    """Someone eligible to vote in a round: an account, or a pseudonymous code holder."""

    __tablename__ = "voter"
    __table_args__ = (
        UniqueConstraint("round_id", "user_id"),
        UniqueConstraint("code_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    code_id: Mapped[int | None] = mapped_column(ForeignKey("voting_code.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A code holder's sessions carry this number; "Klaar" raises it, which ends every
    # session opened with the code so far (a new entry of the code opens a new one).
    access_version: Mapped[int] = mapped_column(server_default="1")  # no Python default: HotStatement inserts voters


class Ballot(Model):
    """The one ballot of a voter in a round (changing it replaces its items)."""

    __tablename__ = "ballot"
    __table_args__ = (UniqueConstraint("voter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    voter_id: Mapped[int] = mapped_column(ForeignKey("voter.id"))
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"))
    paper: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(default=1)
    first_cast_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    items: Mapped[list[BallotItem]] = relationship(cascade="all, delete-orphan", order_by="BallotItem.position")


class BallotItem(Model):
    """One initiative chosen on a ballot."""

    __tablename__ = "ballot_item"
    __table_args__ = (UniqueConstraint("ballot_id", "initiative_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballot.id", ondelete="CASCADE"))
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiative.id"))
    position: Mapped[int] = mapped_column(default=0)
    points: Mapped[int] = mapped_column(default=1)


class Receipt(Model):
    """Hash of a receipt code handed to a voter; shows that a ballot was counted."""

    __tablename__ = "receipt"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    # Indexed: changing a ballot marks its earlier receipts superseded, a lookup by ballot.
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballot.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    superseded_at: Mapped[datetime | None] = mapped_column()
