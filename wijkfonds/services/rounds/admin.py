"""Writing rounds (staff): create, edit, lock once voting starts, move to the next phase."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import select

from wijkfonds.common.timeutil import utcnow
from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.models import BlockQuota, DistrictBudget, Phase, Round, Theme, User
from wijkfonds.services.audit import anchors
from wijkfonds.services.audit import log as audit
from wijkfonds.services.errors import DomainError
from wijkfonds.services.rounds.checks import DATE_FIELDS, DATE_LABELS, RoundData, validate

PHASE_FIELD = {
    Phase.NOMINATION: "nomination_start",
    Phase.SUBMISSION: "submission_start",
    Phase.REVIEW: "review_start",
    Phase.VOTING: "voting_start",
    Phase.RESULTS: "results_start",
}
# Everything that decides how votes are counted; frozen from the start of voting.
LOCKED_FIELDS = (
    "total_budget",
    "budgets",
    "floors",
    "theme_ids",
    "quotas",
    "support_threshold",
    "ballot_kind",
    "voter_access",
    "approval_min",
    "approval_max",
    "knapsack_min_spend",
    "points_total",
    "points_min_plans",
    "points_max_per_plan",
    "ranked_max",
    "ilp_goal",
)


def lock_message(rnd: Round, now: datetime | None = None) -> str:
    """Why budgets and rules cannot change any more: voting is open, or it has closed."""
    if rnd.phase(now) == Phase.RESULTS:
        return _(
            "Het stemmen is gesloten. Budgetten, regels, thema's, aandelen per bouwsteen en de manier van "
            "stemmen liggen vast: de uitslag wordt berekend met de regels waaronder gestemd is."
        )
    return _(
        "Het stemmen is begonnen. Budgetten, regels, thema's, aandelen per bouwsteen en de manier van "
        "stemmen liggen nu vast, zodat alle stemmers onder dezelfde regels stemmen."
    )


def is_locked(rnd: Round, now: datetime | None = None) -> bool:
    """True once voting has started."""
    return rnd.voting_start is not None and (now or utcnow()) >= rnd.voting_start


def slugify(text: str) -> str:
    """ASCII slug for URLs, e.g. 'West Begroot 2027' -> 'west-begroot-2027'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "ronde"


def _unique_slug(name: str) -> str:
    base = slugify(name)
    taken = set(db.session.scalars(select(Round.slug).where(Round.slug.like(f"{base}%"))))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _apply(rnd: Round, d: RoundData) -> None:
    """Copy validated data onto the round, syncing budget and quota rows in place."""
    rnd.name, rnd.description = d.name.strip(), d.description.strip()
    # validate() refused None for these two and for the amounts below.
    rnd.total_budget = d.total_budget  # type: ignore[assignment]
    rnd.support_threshold = d.support_threshold  # type: ignore[assignment]
    rnd.ballot_kind = d.ballot_kind
    rnd.voter_access = d.voter_access
    rnd.approval_min = d.approval_min or 0
    rnd.approval_max = d.approval_max
    rnd.knapsack_min_spend = d.knapsack_min_spend or 0
    # Settings of another ballot kind keep their (validated or stored) values.
    rnd.points_total = d.points_total or rnd.points_total or 10
    rnd.points_min_plans = d.points_min_plans or rnd.points_min_plans or 1
    rnd.points_max_per_plan = d.points_max_per_plan
    rnd.ranked_max = d.ranked_max or rnd.ranked_max or 3
    rnd.ilp_goal = d.ilp_goal
    for f in DATE_FIELDS:
        setattr(rnd, f, getattr(d, f))
    rnd.themes = list(db.session.scalars(select(Theme).where(Theme.id.in_(d.theme_ids)).order_by(Theme.id)))
    rows = {b.district_id: b for b in rnd.district_budgets}
    for did, amount in d.budgets.items():
        row = rows.pop(did, None) or DistrictBudget(district_id=did)
        row.amount, row.floor = amount, d.floors.get(did, 0)  # type: ignore[assignment]
        if row not in rnd.district_budgets:
            rnd.district_budgets.append(row)
    for row in rows.values():
        rnd.district_budgets.remove(row)
    quotas = {q.block_id: q for q in rnd.block_quotas}
    for bid, (lo, hi) in d.quotas.items():
        quota = quotas.pop(bid, None) or BlockQuota(block_id=bid)
        quota.min_bp, quota.max_bp = lo, hi
        if quota not in rnd.block_quotas:
            rnd.block_quotas.append(quota)
    for quota in quotas.values():
        rnd.block_quotas.remove(quota)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in sorted(value.items())}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value.isoformat() if isinstance(value, datetime) else value


def create_round(d: RoundData, *, actor: User) -> Round:
    """Create a round from validated input; audit 'round.created'."""
    validate(d)
    rnd = Round(slug=_unique_slug(d.name), name="", total_budget=0)
    _apply(rnd, d)
    db.session.add(rnd)
    db.session.flush()
    audit.record("round.created", actor=actor, round_id=rnd.id, **_jsonable(asdict(d) | {"name": rnd.name}))
    return rnd


def update_round(rnd: Round, d: RoundData, *, actor: User, now: datetime | None = None) -> dict[str, Any]:
    """Edit a round; once voting started only name, description and later dates (else 409)."""
    now = now or utcnow()
    old = RoundData.of(rnd)
    if is_locked(rnd, now):
        if any(_jsonable(getattr(d, f)) != _jsonable(getattr(old, f)) for f in LOCKED_FIELDS):
            raise DomainError(lock_message(rnd, now), 409)
        for f in DATE_FIELDS:
            before, after = getattr(old, f), getattr(d, f)
            if after != before and ((before is not None and before <= now) or (after is not None and after <= now)):
                closed = rnd.phase(now) == Phase.RESULTS
                raise DomainError(
                    (
                        _("„%(field)s” ligt al in het verleden en kan niet meer veranderen: het stemmen is gesloten.")
                        if closed
                        else _(
                            "„%(field)s” ligt al in het verleden en kan niet meer veranderen: het stemmen is begonnen."
                        )
                    )
                    % {"field": DATE_LABELS[f]},
                    409,
                )
    validate(d, rnd)
    d.name, d.description = d.name.strip(), d.description.strip()
    changed = {
        f: {"old": _jsonable(getattr(old, f)), "new": _jsonable(getattr(d, f))}
        for f in asdict(d)
        if _jsonable(getattr(d, f)) != _jsonable(getattr(old, f))
    }
    if changed:
        _apply(rnd, d)
        db.session.flush()
        audit.record("round.updated", actor=actor, round_id=rnd.id, changed=changed)
    return changed


def next_phase(rnd: Round, now: datetime | None = None) -> Phase | None:
    """The phase that follows the current one (None after the results)."""
    order = ([Phase.NOMINATION] if rnd.nomination_start is not None else []) + [
        Phase.SUBMISSION,
        Phase.REVIEW,
        Phase.VOTING,
        Phase.RESULTS,
    ]
    current = rnd.phase(now)
    if current == Phase.UPCOMING:
        return order[0]
    i = order.index(current)
    return order[i + 1] if i + 1 < len(order) else None


def check_advance(rnd: Round, target: Phase, now: datetime) -> None:
    """DomainError (409) unless ``target`` is the phase that comes next."""
    if target != next_phase(rnd, now):
        from wijkfonds.services.labels import PHASES

        raise DomainError(
            _("Deze ronde is nu in de fase „%(phase)s”; deze stap kan nu niet. Laad de pagina opnieuw.")
            % {"phase": PHASES[rnd.phase(now).value]},
            409,
        )


def advance_phase(rnd: Round, target: Phase, *, actor: User, now: datetime | None = None) -> None:
    """Start ``target`` now; it must be the next phase (later dates already lie after now)."""
    now = now or utcnow()
    current = rnd.phase(now)
    check_advance(rnd, target, now)
    setattr(rnd, PHASE_FIELD[target], now)
    db.session.flush()
    audit.record(
        "round.phase_changed", actor=actor, round_id=rnd.id, old=current.value, new=target.value, at=now.isoformat()
    )
    anchors.ensure_current(now)  # the new phase is anchored (and a closed round's ballots committed)
