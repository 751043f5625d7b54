"""Checking round input (staff forms): every rule with a clear Dutch message."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from wijkfonds.common.money import euro, too_high
from wijkfonds.common.numbers import MAX_EUROS, MAX_INT
from wijkfonds.common.translation import gettext as _
from wijkfonds.common.translation import lazy_gettext as _l
from wijkfonds.extensions import db
from wijkfonds.models import BallotKind, IlpGoal, Initiative, Round, Theme
from wijkfonds.services.errors import ValidationFailed

FULL = 10_000  # 100 % in basis points
MAX_PLANS = 1000  # the most plans a ballot rule may ask for (as approval_min)
DATE_FIELDS = ("nomination_start", "submission_start", "review_start", "voting_start", "results_start")
DATE_LABELS = {
    "nomination_start": _l("Start thema's voorstellen"),
    "submission_start": _l("Start indienen van plannen"),
    "review_start": _l("Start beoordeling"),
    "voting_start": _l("Start stemmen"),
    "results_start": _l("Einde stemmen en uitslag"),
}


@dataclass
class RoundData:
    """Plain input for a round; None means 'not filled in'. Dates are naive UTC."""

    name: str = ""
    description: str = ""
    total_budget: int | None = None
    budgets: dict[int, int | None] = field(default_factory=dict)  # district id -> euros
    floors: dict[int, int | None] = field(default_factory=dict)  # district id -> euros
    theme_ids: list[int] = field(default_factory=list)
    quotas: dict[int, tuple[int, int | None]] = field(default_factory=dict)  # block id -> (min_bp, max_bp)
    support_threshold: int | None = 50
    ballot_kind: str = BallotKind.KNAPSACK.value
    voter_access: str = "code"
    approval_min: int | None = 0
    approval_max: int | None = None
    knapsack_min_spend: int | None = 0
    points_total: int | None = 10
    points_min_plans: int | None = 1
    points_max_per_plan: int | None = None
    ranked_max: int | None = 3
    ilp_goal: str = IlpGoal.COST_APPROVAL.value
    nomination_start: datetime | None = None
    submission_start: datetime | None = None
    review_start: datetime | None = None
    voting_start: datetime | None = None
    results_start: datetime | None = None

    @classmethod
    def of(cls, rnd: Round) -> RoundData:
        """The current values of a stored round."""
        return cls(
            name=rnd.name,
            description=rnd.description or "",
            total_budget=rnd.total_budget,
            budgets={b.district_id: b.amount for b in rnd.district_budgets},
            floors={b.district_id: b.floor for b in rnd.district_budgets},
            theme_ids=sorted(t.id for t in rnd.themes),
            quotas={q.block_id: (q.min_bp, q.max_bp) for q in rnd.block_quotas},
            support_threshold=rnd.support_threshold,
            ballot_kind=rnd.ballot_kind,
            voter_access=rnd.voter_access,
            approval_min=rnd.approval_min,
            approval_max=rnd.approval_max,
            knapsack_min_spend=rnd.knapsack_min_spend,
            points_total=rnd.points_total,
            points_min_plans=rnd.points_min_plans,
            points_max_per_plan=rnd.points_max_per_plan,
            ranked_max=rnd.ranked_max,
            ilp_goal=rnd.ilp_goal,
            **{f: getattr(rnd, f) for f in DATE_FIELDS},
        )


def _money(errors: list[tuple[str | None, str]], key: str, value: int | None, missing: str) -> None:
    if value is None:
        errors.append((key, missing))
    elif value < 0:
        errors.append((key, _("Het bedrag mag niet negatief zijn.")))
    elif value > MAX_EUROS:
        errors.append((key, too_high()))


def _check_budgets(d: RoundData, errors: list[tuple[str | None, str]]) -> None:
    _money(errors, "total_budget", d.total_budget, _("Vul het totale budget in."))
    if d.total_budget == 0:
        errors.append(("total_budget", _("Het totale budget moet meer dan € 0 zijn.")))
    if not d.budgets:
        errors.append(("budgets", _("Er is geen gebied met een budget.")))
    for did, amount in d.budgets.items():
        _money(errors, f"budget_{did}", amount, _("Vul een bedrag in (0 mag ook)."))
        floor = d.floors.get(did, 0)
        _money(errors, f"floor_{did}", floor, _("Vul een bedrag in (0 mag ook)."))
        if amount is not None and floor is not None and floor > amount:
            errors.append((f"floor_{did}", _("De ondergrens mag niet hoger zijn dan het budget van dit gebied.")))
    if d.total_budget and all(a is not None and 0 <= a <= MAX_EUROS for a in d.budgets.values()):
        total = sum(a for a in d.budgets.values() if a is not None)
        diff = total - d.total_budget
        if diff:
            msg = (
                _("De budgetten per gebied tellen op tot %(sum)s; dat is %(diff)s te veel.")
                if diff > 0
                else _("De budgetten per gebied tellen op tot %(sum)s; dat is %(diff)s te weinig.")
            )
            errors.append(("budgets", msg % {"sum": euro(total), "diff": euro(abs(diff))}))


def _check_rules(d: RoundData, errors: list[tuple[str | None, str]], known_themes: set[int]) -> None:
    if any(t not in known_themes for t in d.theme_ids):
        errors.append(("themes", _("Kies alleen thema's uit de lijst.")))
    if not d.theme_ids and d.nomination_start is None:
        errors.append(("themes", _("Kies minstens één thema (of plan een periode om thema's voor te stellen).")))
    _check_quotas(d, errors)
    if d.support_threshold is None or d.support_threshold < 0 or d.support_threshold > 1_000_000:
        errors.append(("support_threshold", _("Vul een aantal in van 0 tot en met 1.000.000.")))
    _check_ballot(d, errors)


def _check_quotas(d: RoundData, errors: list[tuple[str | None, str]]) -> None:
    total_min = 0
    for bid, (lo, hi) in d.quotas.items():
        if not 0 <= lo <= FULL:
            errors.append((f"min_{bid}", _("Kies een percentage van 0 tot en met 100.")))
        if hi is not None and not 0 <= hi <= FULL:
            errors.append((f"max_{bid}", _("Kies een percentage van 0 tot en met 100.")))
        elif hi is not None and lo > hi:
            errors.append((f"max_{bid}", _("Het maximum mag niet lager zijn dan het minimum.")))
        total_min += lo
    if total_min > FULL:
        errors.append(
            (
                "quotas",
                _("De minimale aandelen tellen op tot %(pct)s %%; dat mag hoogstens 100 %% zijn.")
                % {"pct": f"{total_min / 100:g}".replace(".", ",")},
            )
        )


def _check_ballot(d: RoundData, errors: list[tuple[str | None, str]]) -> None:
    if d.ilp_goal not in {g.value for g in IlpGoal}:
        errors.append(("ilp_goal", _("Kies wat de exacte methode zo groot mogelijk maakt.")))
    if d.voter_access not in ("code", "account"):
        errors.append(("voter_access", _("Kies wie er online mag stemmen.")))
    if d.ballot_kind not in {k.value for k in BallotKind}:
        errors.append(("ballot_kind", _("Kies een manier van stemmen.")))
    elif d.ballot_kind == BallotKind.KNAPSACK.value:
        _money(errors, "knapsack_min_spend", d.knapsack_min_spend, _("Vul een bedrag in (0 mag ook)."))
        amounts = [a for a in d.budgets.values() if a]
        if d.knapsack_min_spend and amounts and d.knapsack_min_spend > min(amounts):
            errors.append(
                (
                    "knapsack_min_spend",
                    _("De minimale besteding mag niet hoger zijn dan het kleinste budget van een gebied (%(amount)s).")
                    % {"amount": euro(min(amounts))},
                )
            )
    elif d.ballot_kind == BallotKind.POINTS.value:
        _check_points(d, errors)
    elif d.ballot_kind == BallotKind.RANKED.value:
        if d.ranked_max is None or not 1 <= d.ranked_max <= MAX_PLANS:
            errors.append(("ranked_max", _("Vul een aantal in van 1 tot en met %(n)s.") % {"n": MAX_PLANS}))
    else:
        if d.approval_min is None or d.approval_min < 0 or d.approval_min > 1000:
            errors.append(("approval_min", _("Vul een aantal in van 0 tot en met 1000.")))
        if d.approval_max is not None and not 1 <= d.approval_max <= 1000:
            errors.append(("approval_max", _("Vul een aantal in van 1 tot en met 1000, of laat het leeg.")))
        elif d.approval_max is not None and d.approval_min is not None and d.approval_min > d.approval_max:
            errors.append(("approval_max", _("Het maximum aantal mag niet lager zijn dan het minimum aantal.")))


def _check_points(d: RoundData, errors: list[tuple[str | None, str]]) -> None:
    """N points over at least k plans: N >= k >= 1, and one plan's maximum (if any) from 1 to N."""
    n, k, m = d.points_total, d.points_min_plans, d.points_max_per_plan
    if n is None or not 1 <= n <= MAX_INT:
        errors.append(("points_total", _("Vul een aantal punten in van 1 tot en met %(n)s.") % {"n": MAX_INT}))
    if k is None or not 1 <= k <= MAX_PLANS:
        errors.append(("points_min_plans", _("Vul een aantal plannen in van 1 tot en met %(n)s.") % {"n": MAX_PLANS}))
    elif n is not None and 1 <= n <= MAX_INT and k > n:
        errors.append(
            (
                "points_min_plans",
                _("Met %(n)s punten kan een stemmer hoogstens %(n)s plannen punten geven.") % {"n": n},
            )
        )
    if m is not None and (m < 1 or (n is not None and m > n)):
        errors.append(
            ("points_max_per_plan", _("Vul een aantal in van 1 tot en met het aantal punten, of laat het leeg."))
        )


def _check_dates(d: RoundData, errors: list[tuple[str | None, str]]) -> None:
    prev: str | None = None
    for f in DATE_FIELDS:
        value = getattr(d, f)
        if value is None:
            if f != "nomination_start":
                errors.append((f, _("Vul een datum en tijd in.")))
            continue
        if prev is not None and value <= getattr(d, prev):
            errors.append((f, _("Dit moment moet na „%(prev)s” liggen.") % {"prev": DATE_LABELS[prev]}))
        prev = f


def validate(d: RoundData, rnd: Round | None = None) -> None:
    """Raise ValidationFailed with every problem of ``d`` (for a new round or ``rnd``)."""
    errors: list[tuple[str | None, str]] = []
    name = d.name.strip()
    if not name:
        errors.append(("name", _("Vul een naam in.")))
    elif len(name) > 120:
        errors.append(("name", _("De naam mag hoogstens 120 tekens hebben.")))
    if len(d.description) > 5000:
        errors.append(("description", _("De beschrijving mag hoogstens 5000 tekens hebben.")))
    _check_budgets(d, errors)
    _check_rules(d, errors, set(db.session.scalars(select(Theme.id))))
    _check_dates(d, errors)
    if rnd is not None:
        dropped = {t.id for t in rnd.themes} - set(d.theme_ids)
        for theme in (t for t in rnd.themes if t.id in dropped):
            used = db.session.scalar(
                select(func.count(Initiative.id)).where(Initiative.round_id == rnd.id, Initiative.theme_id == theme.id)
            )
            if used:
                errors.append(
                    (
                        "themes",
                        _("Het thema „%(name)s” hoort bij %(n)d plan(nen) en kan niet weg.")
                        % {"name": theme.name_nl, "n": used},
                    )
                )
    if errors:
        raise ValidationFailed(errors)
