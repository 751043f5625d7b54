"""After the vote: the implementation of a funded plan, its updates, milestones, payments and account.

A published result gives every funded plan one ``Implementation`` (its status, the granted
amount in whole euros); staff and the initiator write its story on it: dated updates (with
photos, moderated like comments), milestones with target dates, payments in tranches that
staff record, and at the end the initiator's financial account that staff approve or send
back. The rules live in ``services/implementation``.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import Model

if TYPE_CHECKING:
    from wijkfonds.models.initiative import Initiative
    from wijkfonds.models.user import User


class ImplementationStatus(str, enum.Enum):  # noqa: UP042  # StrEnum would change what str() gives for a member
    """Where a funded plan stands (toegekend, gestart, in uitvoering, afgerond, gestopt)."""

    GRANTED = "granted"
    STARTED = "started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    STOPPED = "stopped"


class AccountStatus(str, enum.Enum):  # noqa: UP042  # StrEnum would change what str() gives for a member
    """Staff's verdict on an initiator's financial account."""

    SUBMITTED = "submitted"
    APPROVED = "approved"
    SENT_BACK = "sent_back"


class Implementation(Model):
    """One funded plan of a published result, from the grant to its account."""

    __tablename__ = "implementation"
    __table_args__ = (Index("ix_implementation_round", "round_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiative.id", ondelete="CASCADE"), unique=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("allocation_run.id", ondelete="SET NULL"))
    granted: Mapped[int] = mapped_column()  # whole euros
    status: Mapped[str] = mapped_column(String(16), default=ImplementationStatus.GRANTED.value)
    stop_reason: Mapped[str] = mapped_column(String(300), default="")
    started_at: Mapped[datetime | None] = mapped_column()
    completed_at: Mapped[datetime | None] = mapped_column()  # afgerond or gestopt
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    reminded_at: Mapped[datetime | None] = mapped_column()  # the last reminder to the initiator
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    initiative: Mapped[Initiative] = relationship("Initiative")
    updates: Mapped[list[ImplementationUpdate]] = relationship(
        order_by="ImplementationUpdate.created_at, ImplementationUpdate.id", back_populates="implementation"
    )
    milestones: Mapped[list[Milestone]] = relationship(order_by="Milestone.target_on, Milestone.id")
    payments: Mapped[list[Payment]] = relationship(order_by="Payment.paid_on, Payment.id")
    account: Mapped[FinancialAccount | None] = relationship(uselist=False)

    @property
    def paid(self) -> int:
        """What staff paid out so far, in whole euros."""
        return sum(p.amount for p in self.payments)


class ImplementationUpdate(Model):
    """A dated report on the plan's progress by its initiator or by staff; staff may hide it."""

    __tablename__ = "implementation_update"
    __table_args__ = (Index("ix_implementation_update_implementation", "implementation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    implementation_id: Mapped[int] = mapped_column(ForeignKey("implementation.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    by_staff: Mapped[bool] = mapped_column(default=False)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    hidden_at: Mapped[datetime | None] = mapped_column()
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    hidden_reason: Mapped[str] = mapped_column(String(300), default="")

    implementation: Mapped[Implementation] = relationship(back_populates="updates")
    author: Mapped[User | None] = relationship("User", foreign_keys=[author_id])


class Milestone(Model):
    """A step of the plan with a target date, and the date it was done."""

    __tablename__ = "implementation_milestone"
    __table_args__ = (Index("ix_implementation_milestone_implementation", "implementation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    implementation_id: Mapped[int] = mapped_column(ForeignKey("implementation.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    target_on: Mapped[date] = mapped_column()
    done_on: Mapped[date | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Payment(Model):
    """One tranche paid to the initiator, recorded by staff."""

    __tablename__ = "implementation_payment"
    __table_args__ = (Index("ix_implementation_payment_implementation", "implementation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    implementation_id: Mapped[int] = mapped_column(ForeignKey("implementation.id", ondelete="CASCADE"))
    paid_on: Mapped[date] = mapped_column()
    amount: Mapped[int] = mapped_column()  # whole euros, > 0
    purpose: Mapped[str] = mapped_column(String(300))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FinancialAccount(Model):
    """The initiator's short account at the end: spent, returned, a text; staff's verdict."""

    __tablename__ = "implementation_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    implementation_id: Mapped[int] = mapped_column(ForeignKey("implementation.id", ondelete="CASCADE"), unique=True)
    spent: Mapped[int] = mapped_column()  # whole euros
    returned: Mapped[int] = mapped_column()  # whole euros
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=AccountStatus.SUBMITTED.value)
    staff_reason: Mapped[str] = mapped_column(String(300), default="")
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
