"""One implementation record per funded plan of a published result; reading them; who may write."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from wijkfonds.common.translation import gettext as _
from wijkfonds.common.translation import lazy_gettext as _l
from wijkfonds.extensions import db
from wijkfonds.models import (
    AllocationRun,
    Implementation,
    ImplementationStatus,
    ImplementationUpdate,
    Initiative,
    Role,
    Round,
    Status,
    User,
)
from wijkfonds.services.audit import log as audit
from wijkfonds.services.errors import DomainError, NotAllowed

S = ImplementationStatus
STATUSES = {
    S.GRANTED.value: _l("Toegekend"),
    S.STARTED.value: _l("Gestart"),
    S.IN_PROGRESS.value: _l("In uitvoering"),
    S.COMPLETED.value: _l("Afgerond"),
    S.STOPPED.value: _l("Gestopt"),
}
STATUS_BADGE = {S.COMPLETED.value: "ok", S.STOPPED.value: "bad", S.IN_PROGRESS.value: "warn"}
ORDER = [s.value for s in S]


def status_label(status: str) -> str:
    """The status as people read it (toegekend, gestart, ...)."""
    return str(STATUSES.get(status, status))


def _granted_amounts(run: AllocationRun) -> dict[int, int]:
    """initiative id -> the amount the run funds it with, for the funded plans of ``run``."""
    outcomes: dict[str, Any] = (run.result or {}).get("outcomes", {})
    return {int(o["initiative_id"]): int(o.get("cost", 0)) for o in outcomes.values() if o.get("funded")}


def _untouched(impl: Implementation) -> bool:
    """True while nothing was written on the record but its creation (it can go without a trace)."""
    return (
        impl.status == S.GRANTED.value and not impl.updates and not impl.milestones and not impl.payments
    ) and impl.account is None


def ensure_for_run(run: AllocationRun, actor: User | None) -> list[Implementation]:
    """Make the records of the funded plans of a just-published ``run`` (idempotent; audited).

    A plan that an earlier publication funded and this one does not loses its record when
    nothing was written on it yet; one with payments or updates keeps it (the money went
    out), and the audit event names it so staff can settle it.
    """
    rnd: Round = run.round
    if rnd.imported:
        return []  # a replayed historical election has no money to follow
    funded = _granted_amounts(run)
    existing = {
        i.initiative_id: i for i in db.session.scalars(select(Implementation).where(Implementation.round_id == rnd.id))
    }
    made: list[Implementation] = []
    for iid, amount in sorted(funded.items()):
        impl = existing.get(iid)
        if impl is None:
            impl = Implementation(initiative_id=iid, round_id=rnd.id, run_id=run.id, granted=amount, stop_reason="")
            db.session.add(impl)
            made.append(impl)
        elif _untouched(impl):
            impl.granted, impl.run_id = amount, run.id
    dropped, kept = [], []
    for iid, impl in existing.items():
        if iid in funded:
            continue
        if _untouched(impl):
            db.session.delete(impl)
            dropped.append(iid)
        else:
            kept.append(iid)
    db.session.flush()
    if made or dropped or kept:
        audit.record(
            "implementation.records_made",
            actor=actor,
            round_id=rnd.id,
            run_id=run.id,
            initiative_ids=[i.initiative_id for i in made],
            granted=sum(i.granted for i in made),
            dropped=sorted(dropped),
            no_longer_funded_with_history=sorted(kept),
        )
    return made


def for_initiative(ini: Initiative) -> Implementation | None:
    """The plan's implementation record (None: not funded in a published result)."""
    return db.session.scalars(select(Implementation).where(Implementation.initiative_id == ini.id)).first()


def require(ini: Initiative) -> Implementation:
    """The record of a funded plan; DomainError (409) for a plan that was not funded."""
    impl = for_initiative(ini)
    if impl is None or ini.status != Status.FUNDED.value:
        raise DomainError(_("Dit plan is niet gefinancierd: alleen gefinancierde plannen hebben een uitvoering."), 409)
    return impl


def is_staff(user: User | None) -> bool:
    """True for staff (and admins)."""
    return user is not None and getattr(user, "is_authenticated", False) and user.has_role(Role.STAFF)


def is_initiator(impl: Implementation, user: User | None) -> bool:
    """True for the plan's own initiator."""
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and impl.initiative.author_id is not None
        and impl.initiative.author_id == user.id
    )


def require_writer(impl: Implementation, user: User) -> None:
    """NotAllowed unless ``user`` is the plan's initiator or staff."""
    if not (is_initiator(impl, user) or is_staff(user)):
        raise NotAllowed(_("Alleen de indiener en het stadsdeel kunnen over de uitvoering van dit plan schrijven."))


def require_staff(user: User) -> None:
    """NotAllowed unless ``user`` is staff."""
    if not is_staff(user):
        raise NotAllowed(_("Alleen het stadsdeel kan dit doen."))


def loaded(stmt: Any) -> Any:
    """``stmt`` (a select of Implementation) with everything a page or a summary shows, loaded at once."""
    return stmt.options(
        selectinload(Implementation.initiative).selectinload(Initiative.district),
        selectinload(Implementation.initiative).selectinload(Initiative.author),
        selectinload(Implementation.updates).selectinload(ImplementationUpdate.author),
        selectinload(Implementation.milestones),
        selectinload(Implementation.payments),
        selectinload(Implementation.account),
    )


def for_round(round_id: int, district_id: int | None = None) -> list[Implementation]:
    """The records of a round (of one district when given), by district and plan title."""
    stmt = (
        select(Implementation)
        .join(Initiative, Initiative.id == Implementation.initiative_id)
        .where(Implementation.round_id == round_id)
    )
    if district_id is not None:
        stmt = stmt.where(Initiative.district_id == district_id)
    rows = list(db.session.scalars(loaded(stmt)))
    rows.sort(key=lambda i: (i.initiative.district.name, i.initiative.title, i.id))
    return rows


def for_author(user: User) -> list[Implementation]:
    """The records of the plans ``user`` submitted, newest round first."""
    stmt = (
        select(Implementation)
        .join(Initiative, Initiative.id == Implementation.initiative_id)
        .where(Initiative.author_id == user.id)
        .order_by(Implementation.round_id.desc(), Implementation.id)
    )
    return list(db.session.scalars(stmt))


def rounds() -> list[Round]:
    """Rounds that have implementation records, newest first."""
    ids = select(Implementation.round_id).group_by(Implementation.round_id)
    return list(db.session.scalars(select(Round).where(Round.id.in_(ids)).order_by(Round.results_start.desc())))


def count_all() -> int:
    """How many records exist (all rounds)."""
    return db.session.scalar(select(func.count(Implementation.id))) or 0
