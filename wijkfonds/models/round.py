"""Rounds (begrotingsrondes), their budgets, themes, quotas and phases."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import Model, db

if TYPE_CHECKING:
    from wijkfonds.models.catalog import BuildingBlock, Theme
    from wijkfonds.models.place import District
    from wijkfonds.models.user import User


class Phase(str, enum.Enum):  # noqa: UP042  # StrEnum would change what str() and f-strings give for a member
    """Phases of a round, in order; the current one follows from the dates."""

    UPCOMING = "upcoming"
    NOMINATION = "nomination"
    SUBMISSION = "submission"
    REVIEW = "review"
    VOTING = "voting"
    RESULTS = "results"


class BallotKind(str, enum.Enum):  # noqa: UP042  # StrEnum would change what str() and f-strings give for a member
    """How residents vote."""

    KNAPSACK = "knapsack"
    APPROVAL = "approval"
    POINTS = "points"  # "verdeel N punten over minstens k plannen" (Aarau 2023: 10 points, at least 3)
    RANKED = "ranked"  # "zet maximaal k plannen op volgorde"; rank r scores k - r + 1 (Kraków's 3-2-1)


class IlpGoal(str, enum.Enum):  # noqa: UP042  # StrEnum would change what str() and f-strings give for a member
    """What the exact rule (ILP) maximises."""

    COST_APPROVAL = "cost-approval"  # money to supported plans: sum of cost x support
    APPROVAL = "approval"  # supporters reached: sum of the support of funded plans


class PhaseDates(Protocol):
    """Anything with a round's phase dates: the model, or a light (frozen) snapshot of it."""

    @property
    def nomination_start(self) -> datetime | None: ...
    @property
    def submission_start(self) -> datetime: ...
    @property
    def review_start(self) -> datetime: ...
    @property
    def voting_start(self) -> datetime: ...
    @property
    def results_start(self) -> datetime: ...


def phase_at(dates: PhaseDates, now: datetime) -> Phase:
    """The phase that the dates put ``now`` in."""
    if now >= dates.results_start:
        return Phase.RESULTS
    if now >= dates.voting_start:
        return Phase.VOTING
    if now >= dates.review_start:
        return Phase.REVIEW
    if now >= dates.submission_start:
        return Phase.SUBMISSION
    if dates.nomination_start is not None and now >= dates.nomination_start:
        return Phase.NOMINATION
    return Phase.UPCOMING


round_theme = Table(
    "round_theme",
    db.metadata,
    Column("round_id", ForeignKey("round.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("theme.id"), primary_key=True),
)


class Round(Model):
    """One yearly round of the fund."""

    __tablename__ = "round"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    total_budget: Mapped[int] = mapped_column()  # whole euros
    support_threshold: Mapped[int] = mapped_column(default=50)
    ballot_kind: Mapped[str] = mapped_column(String(16), default=BallotKind.KNAPSACK.value)
    approval_min: Mapped[int] = mapped_column(default=0)
    approval_max: Mapped[int | None] = mapped_column()
    knapsack_min_spend: Mapped[int] = mapped_column(default=0)  # whole euros
    # Points ballots: N points over at least k plans, at most max_per_plan on one plan (None: N).
    points_total: Mapped[int] = mapped_column(default=10, server_default="10")
    points_min_plans: Mapped[int] = mapped_column(default=1, server_default="1")
    points_max_per_plan: Mapped[int | None] = mapped_column()
    # Ranked ballots: at most k plans in order.
    ranked_max: Mapped[int] = mapped_column(default=3, server_default="3")
    # The exact rule's goal (IlpGoal).
    ilp_goal: Mapped[str] = mapped_column(String(16), default="cost-approval", server_default="cost-approval")
    # Who may vote online: "code" (the letter's code, which an account may bind once) or
    # "account" (accounts with a confirmed e-mail address, no letters: weaker, said so).
    voter_access: Mapped[str] = mapped_column(String(16), default="code", server_default="code")
    # Phase dates (naive UTC). nomination_start is optional.
    nomination_start: Mapped[datetime | None] = mapped_column()
    submission_start: Mapped[datetime] = mapped_column()
    review_start: Mapped[datetime] = mapped_column()
    voting_start: Mapped[datetime] = mapped_column()
    results_start: Mapped[datetime] = mapped_column()
    imported: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    themes: Mapped[list[Theme]] = relationship("Theme", secondary=round_theme, order_by="Theme.id")
    district_budgets: Mapped[list[DistrictBudget]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="DistrictBudget.id"
    )
    block_quotas: Mapped[list[BlockQuota]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="BlockQuota.id"
    )

    def phase(self, now: datetime | None = None) -> Phase:
        """The current phase, derived from the dates."""
        return phase_at(self, now or utcnow())

    def timeline(self) -> list[tuple[Phase, datetime | None, datetime]]:
        """(phase, start, end) for each phase, for the timeline display."""
        rows: list[tuple[Phase, datetime | None, datetime]] = []
        if self.nomination_start is not None:
            rows.append((Phase.NOMINATION, self.nomination_start, self.submission_start))
        rows += [
            (Phase.SUBMISSION, self.submission_start, self.review_start),
            (Phase.REVIEW, self.review_start, self.voting_start),
            (Phase.VOTING, self.voting_start, self.results_start),
        ]
        return rows

    def budget_for(self, district_id: int) -> int:
        """The budget of one district in this round (0 when it has none)."""
        for b in self.district_budgets:
            if b.district_id == district_id:
                return b.amount
        return 0


class DistrictBudget(Model):
    """The share of a round's budget for one district, with an optional floor."""

    __tablename__ = "district_budget"
    __table_args__ = (UniqueConstraint("round_id", "district_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"))
    amount: Mapped[int] = mapped_column()
    floor: Mapped[int] = mapped_column(default=0)

    round: Mapped[Round] = relationship(back_populates="district_budgets")
    district: Mapped[District] = relationship("District")


class BlockQuota(Model):
    """Minimum / maximum share of the round budget for one building block, in basis points."""

    __tablename__ = "block_quota"
    __table_args__ = (UniqueConstraint("round_id", "block_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    block_id: Mapped[int] = mapped_column(ForeignKey("building_block.id"))
    min_bp: Mapped[int] = mapped_column(default=0)  # 1000 = 10 %
    max_bp: Mapped[int | None] = mapped_column()

    round: Mapped[Round] = relationship(back_populates="block_quotas")
    block: Mapped[BuildingBlock] = relationship("BuildingBlock")


class ThemeNomination(Model):
    """A theme proposed by a resident before submission opens."""

    __tablename__ = "theme_nomination"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    chosen_theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User] = relationship("User")
    chosen_theme: Mapped[Theme | None] = relationship("Theme")


class NominationSupport(Model):
    """One resident's support for a theme nomination."""

    __tablename__ = "nomination_support"
    __table_args__ = (UniqueConstraint("nomination_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("theme_nomination.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class NominationComment(Model):
    """A comment on a theme nomination."""

    __tablename__ = "nomination_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("theme_nomination.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User] = relationship("User")
