"""Needs and stories: what residents need, marked "herkenbaar" by neighbours, answered by plans.

A need belongs to a district all year, not to a round. A plan says which needs it answers
(``initiative_need``); staff respond publicly (``need_response``). Hidden needs and replies
keep their row (with the moderator's reason), as comments do.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import Model

if TYPE_CHECKING:
    from wijkfonds.models.catalog import BuildingBlock, Theme
    from wijkfonds.models.place import District
    from wijkfonds.models.user import User

# Who wrote a need: the resident themself, or staff on their behalf from a conversation or
# a paper form (shown with the need, so that nobody takes it for the staff member's own).
SOURCE_SELF, SOURCE_CONVERSATION, SOURCE_PAPER = "self", "conversation", "paper"
SOURCES = (SOURCE_SELF, SOURCE_CONVERSATION, SOURCE_PAPER)

# Staff's public answers to a need.
RESPONSE_PICKED_UP, RESPONSE_REFERRED, RESPONSE_THEME = "picked_up", "referred", "theme"
RESPONSE_KINDS = (RESPONSE_PICKED_UP, RESPONSE_REFERRED, RESPONSE_THEME)

initiative_need = Table(
    "initiative_need",
    Model.metadata,
    Column("initiative_id", ForeignKey("initiative.id", ondelete="CASCADE"), primary_key=True),
    Column("need_id", ForeignKey("need.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_initiative_need_need", "need_id"),
)


class Need(Model):
    """A need or a short story of a resident in a district."""

    __tablename__ = "need"
    __table_args__ = (Index("ix_need_district_created", "district_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"))
    block_id: Mapped[int | None] = mapped_column(ForeignKey("building_block.id"))  # None: "weet ik niet"
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id"))  # one of the five functions, optional
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))  # who typed it (staff, when on behalf)
    source: Mapped[str] = mapped_column(String(16), default=SOURCE_SELF)
    anonymous: Mapped[bool] = mapped_column(default=False)  # the name hidden from other residents
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    hidden_at: Mapped[datetime | None] = mapped_column()
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    hidden_reason: Mapped[str] = mapped_column(String(300), default="")

    district: Mapped[District] = relationship("District")
    block: Mapped[BuildingBlock | None] = relationship("BuildingBlock")
    theme: Mapped[Theme | None] = relationship("Theme")
    author: Mapped[User] = relationship("User", foreign_keys=[author_id])

    @property
    def on_behalf(self) -> bool:
        """True when staff posted it for a resident."""
        return self.source != SOURCE_SELF


class NeedRecognition(Model):
    """One account marked a need "herkenbaar" (at most once: the unique constraint)."""

    __tablename__ = "need_recognition"
    __table_args__ = (UniqueConstraint("need_id", "user_id", name="uq_need_recognition_need_id_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("need.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class NeedReply(Model):
    """A neighbour's reply to a need."""

    __tablename__ = "need_reply"
    __table_args__ = (Index("ix_need_reply_need", "need_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("need.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    hidden_at: Mapped[datetime | None] = mapped_column()
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    hidden_reason: Mapped[str] = mapped_column(String(300), default="")

    author: Mapped[User] = relationship("User", foreign_keys=[author_id])


class NeedResponse(Model):
    """Staff's public answer: picked up, referred to someone, or taken into a round's theme."""

    __tablename__ = "need_response"
    __table_args__ = (Index("ix_need_response_need", "need_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("need.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(String(300), default="")  # to whom (referred) or a short note
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id"))
    round_id: Mapped[int | None] = mapped_column(ForeignKey("round.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User] = relationship("User", foreign_keys=[author_id])
    theme: Mapped[Theme | None] = relationship("Theme")


class NeedReport(Model):
    """A resident flagged a need or a reply for the moderators."""

    __tablename__ = "need_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("need.id", ondelete="CASCADE"))
    reply_id: Mapped[int | None] = mapped_column(ForeignKey("need_reply.id", ondelete="CASCADE"))
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reason: Mapped[str] = mapped_column(String(300), default="")
    resolved: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
