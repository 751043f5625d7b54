"""Initiatives, their support (likes) and their revision history."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import Model

if TYPE_CHECKING:
    from wijkfonds.models.catalog import BuildingBlock, Theme
    from wijkfonds.models.place import District
    from wijkfonds.models.round import Round
    from wijkfonds.models.user import User


class Status(str, enum.Enum):  # noqa: UP042  # StrEnum would change what str() and f-strings give for a member
    """Life cycle of an initiative."""

    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    FEASIBLE = "feasible"  # on the ballot
    NOT_FEASIBLE = "not_feasible"
    WITHDRAWN = "withdrawn"
    FUNDED = "funded"
    NOT_FUNDED = "not_funded"


class Initiative(Model):
    """A resident's plan, submitted under a theme, a building block and a district."""

    __tablename__ = "initiative"
    __table_args__ = (Index("ix_initiative_round_status", "round_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"))
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id"))
    block_id: Mapped[int | None] = mapped_column(ForeignKey("building_block.id"))
    title: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    location: Mapped[str] = mapped_column(String(200), default="")  # the place's name, always shown as text
    # The place on the map (WGS 84 degrees), both or neither; inside the district's outline.
    latitude: Mapped[float | None] = mapped_column()
    longitude: Mapped[float | None] = mapped_column()
    requested_cost: Mapped[int] = mapped_column()  # whole euros
    estimated_cost: Mapped[int | None] = mapped_column()  # staff's final estimate
    status: Mapped[str] = mapped_column(String(16), default=Status.SUBMITTED.value)
    infeasible_reason: Mapped[str] = mapped_column(Text, default="")
    support_count: Mapped[int] = mapped_column(default=0)
    edited_by_staff: Mapped[bool] = mapped_column(default=False)
    # Identifier in an imported pabulib file (project_id), kept for replaying elections.
    external_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    round: Mapped[Round] = relationship("Round")
    author: Mapped[User | None] = relationship("User")
    district: Mapped[District] = relationship("District")
    theme: Mapped[Theme | None] = relationship("Theme")
    block: Mapped[BuildingBlock | None] = relationship("BuildingBlock")

    @property
    def cost(self) -> int:
        """The cost that counts: staff's estimate once set, else the requested cost."""
        return self.estimated_cost if self.estimated_cost is not None else self.requested_cost


class Support(Model):
    """One resident's support (like) during the submission phase."""

    __tablename__ = "support"
    __table_args__ = (UniqueConstraint("initiative_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiative.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Revision(Model):
    """A snapshot of an initiative's text before it was changed (by author or staff)."""

    __tablename__ = "revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiative.id", ondelete="CASCADE"))
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    by_staff: Mapped[bool] = mapped_column(default=False)
    title: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    editor: Mapped[User | None] = relationship("User")
