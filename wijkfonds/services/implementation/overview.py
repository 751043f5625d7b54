"""What is overdue, and ``summary``: the one sum of a round's money and progress.

``summary(round_id, district_id=None)`` is what every later reader builds on (the staff
overview, the public "Wat is er met uw stem gebeurd?" page, the year report, the
spreadsheet and the API): the same figures everywhere. Spent and returned count approved
accounts only; paid counts every recorded payment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app

from wijkfonds.common.timeutil import utcnow
from wijkfonds.models import AccountStatus, Implementation, ImplementationStatus, Milestone, Status
from wijkfonds.services.implementation.progress import FINISHED, RUNNING, last_update_at, local_today, visible_updates
from wijkfonds.services.implementation.records import for_round

S = ImplementationStatus


@dataclass(frozen=True)
class Overdue:
    """What a plan owes: an update, milestones past their date, its financial account."""

    update: bool = False
    milestones: tuple[int, ...] = ()  # ids of milestones past their target date and not done
    account: bool = False

    @property
    def any(self) -> bool:
        """True when anything is overdue."""
        return self.update or bool(self.milestones) or self.account

    @property
    def reminds_initiator(self) -> bool:
        """True when the initiator owes something (an update or the account)."""
        return self.update or self.account


def _days(name: str) -> timedelta:
    return timedelta(days=int(current_app.config[name]))


def _late_milestones(impl: Implementation, today: date) -> tuple[int, ...]:
    if impl.status in FINISHED:
        return ()
    return tuple(m.id for m in impl.milestones if m.done_on is None and m.target_on < today)


def overdue(impl: Implementation, now: datetime | None = None) -> Overdue:
    """What is overdue for one plan at ``now`` (IMPLEMENTATION_UPDATE_DAYS, IMPLEMENTATION_ACCOUNT_DAYS)."""
    now = now or utcnow()
    update = False
    if impl.status in RUNNING:
        since = max(filter(None, (last_update_at(impl), impl.started_at, impl.status_changed_at)))
        update = now - since > _days("IMPLEMENTATION_UPDATE_DAYS")
    account = False
    if impl.status in FINISHED and (impl.paid > 0 or impl.status == S.COMPLETED.value):
        acc = impl.account
        if acc is None:
            account = impl.completed_at is not None and now - impl.completed_at > _days("IMPLEMENTATION_ACCOUNT_DAYS")
        elif acc.status == AccountStatus.SENT_BACK.value and acc.decided_at is not None:
            account = now - acc.decided_at > _days("IMPLEMENTATION_ACCOUNT_DAYS")
    return Overdue(update, _late_milestones(impl, local_today(now)), account)


@dataclass(frozen=True)
class PlanProgress:
    """One funded plan in a summary: plain values, no ORM objects to lazy-load later."""

    implementation_id: int
    initiative_id: int
    title: str
    district_id: int
    district: str
    initiator: str
    status: str
    stop_reason: str
    granted: int
    paid: int
    spent: int  # approved account only
    returned: int  # approved account only
    account_status: str | None  # None: no account yet
    milestones_done: int
    milestones_total: int
    updates: int  # visible ones
    last_update_at: datetime | None
    started_at: datetime | None
    completed_at: datetime | None
    overdue: Overdue


@dataclass(frozen=True)
class Summary:
    """A round's (or one district's) funded plans and their totals."""

    round_id: int
    district_id: int | None
    plans: list[PlanProgress]
    granted: int
    paid: int
    spent: int
    returned: int
    by_status: dict[str, int] = field(default_factory=dict)
    overdue: int = 0  # plans with anything overdue

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (for the API and exports)."""

        def plan(p: PlanProgress) -> dict[str, Any]:
            out = {k: v for k, v in p.__dict__.items() if k != "overdue"}
            for key in ("last_update_at", "started_at", "completed_at"):
                out[key] = out[key].isoformat(timespec="seconds") + "Z" if out[key] else None
            out["overdue"] = {
                "update": p.overdue.update,
                "milestones": list(p.overdue.milestones),
                "account": p.overdue.account,
            }
            return out

        return {
            "round_id": self.round_id,
            "district_id": self.district_id,
            "granted": self.granted,
            "paid": self.paid,
            "spent": self.spent,
            "returned": self.returned,
            "by_status": dict(self.by_status),
            "overdue": self.overdue,
            "plans": [plan(p) for p in self.plans],
        }


def progress_of(impl: Implementation, now: datetime | None = None) -> PlanProgress:
    """One record as a PlanProgress."""
    acc = impl.account
    approved = acc is not None and acc.status == AccountStatus.APPROVED.value
    ini = impl.initiative
    done = [m for m in impl.milestones if m.done_on is not None]
    return PlanProgress(
        implementation_id=impl.id,
        initiative_id=ini.id,
        title=ini.title,
        district_id=ini.district_id,
        district=ini.district.name,
        initiator=ini.author.display_name if ini.author is not None else "",
        status=impl.status,
        stop_reason=impl.stop_reason,
        granted=impl.granted,
        paid=impl.paid,
        spent=acc.spent if approved and acc is not None else 0,
        returned=acc.returned if approved and acc is not None else 0,
        account_status=acc.status if acc is not None else None,
        milestones_done=len(done),
        milestones_total=len(impl.milestones),
        updates=len(visible_updates(impl)),
        last_update_at=last_update_at(impl),
        started_at=impl.started_at,
        completed_at=impl.completed_at,
        overdue=overdue(impl, now),
    )


def summary(round_id: int, district_id: int | None = None, *, now: datetime | None = None) -> Summary:
    """Totals (granted, paid, spent, returned) and per-plan progress of a round's funded plans."""
    funded = [i for i in for_round(round_id, district_id) if i.initiative.status == Status.FUNDED.value]
    plans = [progress_of(i, now) for i in funded]
    by_status = {s.value: 0 for s in S}
    for p in plans:
        by_status[p.status] = by_status.get(p.status, 0) + 1
    return Summary(
        round_id=round_id,
        district_id=district_id,
        plans=plans,
        granted=sum(p.granted for p in plans),
        paid=sum(p.paid for p in plans),
        spent=sum(p.spent for p in plans),
        returned=sum(p.returned for p in plans),
        by_status=by_status,
        overdue=sum(1 for p in plans if p.overdue.any),
    )


def milestone_late(milestone: Milestone, now: datetime | None = None) -> bool:
    """True for a milestone past its target date and not done."""
    return milestone.done_on is None and milestone.target_on < local_today(now)
