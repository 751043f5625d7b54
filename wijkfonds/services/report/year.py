"""The year report's data: a published round's (or one district's) money, progress and turnout.

Everything adds up from ``overview.summary`` (granted, paid, spent, returned per plan), so
the public page, the PDF, the spreadsheet and the API cannot differ.

How money is attributed: each funded plan has one building block and one theme, both chosen
by its initiator. A round's themes are the five functions of social infrastructure (the
reference data in ``services/catalog/data.py``); a building block may serve several
functions, but the platform does not know in which proportion, so no amount is split or
counted twice: a plan's money counts once, under its own building block and under the
function its theme is. A plan whose theme is not one of the five functions (a round may
have its own themes) or that has no theme counts under "no function", so each table adds
up to the total.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from wijkfonds.common.reference_names import THEME, in_language
from wijkfonds.common.timeutil import utcnow
from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.models import District, Initiative, Round
from wijkfonds.services.catalog import data as catalog
from wijkfonds.services.errors import DomainError
from wijkfonds.services.figures import reach as reach_service
from wijkfonds.services.implementation.overview import PlanProgress, Summary, summary
from wijkfonds.services.implementation.progress import FINISHED
from wijkfonds.services.needs.matrix import YearFigures, year_figures
from wijkfonds.services.results.publication import published_run

FUNCTION_SLUGS = tuple(t.slug for t in catalog.THEMES)
NONE = "~none"  # the key of the row of plans without a building block or function (sorts last)


@dataclass(frozen=True)
class Share:
    """The money of the plans under one label (a building block or a function)."""

    key: str  # sorts the rows
    slug: str | None  # the block's or function's slug; None for "no building block" / "no function"
    label: str
    plans: int
    granted: int
    paid: int
    spent: int


@dataclass(frozen=True)
class Turnout:
    """Ballots per district of the round (public once voting closed), no choices."""

    name: str
    ballots: int
    eligible: int | None


@dataclass(frozen=True)
class YearReport:
    """A published round's report, for the whole round or one district."""

    round_id: int
    round_name: str
    district_id: int | None
    district_name: str | None
    published_at: datetime
    budget: int  # the round's (or the district's) budget, whole euros
    summary: Summary
    funded: int
    finished: int  # afgerond
    stopped: int  # gestopt
    blocks: list[Share]
    functions: list[Share]
    turnout: list[Turnout]
    districts: list[tuple[int, str]]  # every district with funded plans, for links
    needs: YearFigures  # needs and stories posted since the round began, and how many a plan answers

    @property
    def plans(self) -> list[PlanProgress]:
        """The funded plans with their progress."""
        return self.summary.plans

    @property
    def ballots(self) -> int:
        """Ballots cast in the report's districts."""
        return sum(t.ballots for t in self.turnout)


def require_published(rnd: Round) -> datetime:
    """When the round's result was published; DomainError 404 before that (and for imported rounds)."""
    run = published_run(rnd.id)
    if run is None or run.published_at is None or rnd.imported:
        raise DomainError(_("Het jaarverslag van deze ronde verschijnt als de uitslag is gepubliceerd."), 404)
    return run.published_at


def _shares(
    plans: list[PlanProgress], key_of: Callable[[PlanProgress], tuple[str, str]], order: list[tuple[str, str]]
) -> list[Share]:
    groups: dict[str, list[PlanProgress]] = {}
    labels = dict(order)
    for p in plans:
        key, label = key_of(p)
        groups.setdefault(key, []).append(p)
        labels.setdefault(key, label)
    keys = [k for k, _label in order] + sorted(k for k in groups if k not in dict(order))
    return [
        Share(
            key=k,
            slug=None if k == NONE else k.split("-", 1)[1] if k[:3].isdigit() else k,
            label=labels[k],
            plans=len(groups.get(k, [])),
            granted=sum(p.granted for p in groups.get(k, [])),
            paid=sum(p.paid for p in groups.get(k, [])),
            spent=sum(p.spent for p in groups.get(k, [])),
        )
        for k in keys
        if k in groups or k in FUNCTION_SLUGS
    ]


def _initiatives(plans: list[PlanProgress]) -> dict[int, Initiative]:
    ids = [p.initiative_id for p in plans]
    if not ids:
        return {}
    return {i.id: i for i in db.session.scalars(select(Initiative).where(Initiative.id.in_(ids)))}


def _blocks(plans: list[PlanProgress], inis: dict[int, Initiative], lang: str) -> list[Share]:
    def key_of(p: PlanProgress) -> tuple[str, str]:
        block = inis[p.initiative_id].block
        if block is None:
            return NONE, _("Geen bouwsteen")
        return f"{block.number:03d}-{block.slug}", block.name(lang)

    shares = _shares(plans, key_of, [])
    return sorted(shares, key=lambda s: (s.key == NONE, s.key))


def _functions(plans: list[PlanProgress], inis: dict[int, Initiative], lang: str) -> list[Share]:
    order = [(t.slug, in_language(THEME, lang, t.name_nl, t.name_en)) for t in catalog.THEMES]

    def key_of(p: PlanProgress) -> tuple[str, str]:
        theme = inis[p.initiative_id].theme
        if theme is not None and theme.slug in FUNCTION_SLUGS:
            return theme.slug, theme.name(lang)
        return NONE, _("Geen van de vijf functies")

    return _shares(plans, key_of, order)


def _turnout(rnd: Round, district_id: int | None) -> list[Turnout]:
    if not reach_service.is_public(rnd):
        return []
    r = reach_service.reach(rnd)
    return [
        Turnout(d.name, d.ballots, d.eligible)
        for d in r.districts
        if district_id is None or d.district_id == district_id
    ]


def _budget(rnd: Round, district_id: int | None) -> int:
    if district_id is None:
        return rnd.total_budget
    return sum(b.amount for b in rnd.district_budgets if b.district_id == district_id)


def build(rnd: Round, district_id: int | None = None, *, lang: str = "nl", now: datetime | None = None) -> YearReport:
    """The report of a published round (or of one of its districts); DomainError 404 otherwise."""
    published_at = require_published(rnd)
    district: District | None = None
    if district_id is not None:
        district = db.session.get(District, district_id)
        if district is None:
            raise DomainError(_("Dit gebied bestaat niet."), 404)
    whole = summary(rnd.id, now=now)
    districts = sorted({(p.district_id, p.district) for p in whole.plans}, key=lambda d: d[1])
    in_round = {d for d, _name in districts} | {b.district_id for b in rnd.district_budgets}
    if district_id is not None and district_id not in in_round:
        raise DomainError(_("Dit gebied hoort niet bij deze ronde."), 404)
    part = whole if district_id is None else summary(rnd.id, district_id, now=now)
    inis = _initiatives(part.plans)
    return YearReport(
        round_id=rnd.id,
        round_name=rnd.name,
        district_id=district_id,
        district_name=district.name if district is not None else None,
        published_at=published_at,
        budget=_budget(rnd, district_id),
        summary=part,
        funded=len(part.plans),
        finished=sum(1 for p in part.plans if p.status == FINISHED[0]),
        stopped=sum(1 for p in part.plans if p.status == FINISHED[1]),
        blocks=_blocks(part.plans, inis, lang),
        functions=_functions(part.plans, inis, lang),
        turnout=_turnout(rnd, district_id),
        districts=districts,
        needs=year_figures(rnd.nomination_start or rnd.submission_start, now or utcnow(), district_id),
    )


def published_rounds() -> list[Round]:
    """Rounds with a published result (newest first), for the report's index."""
    rounds = db.session.scalars(select(Round).where(Round.imported.is_(False)).order_by(Round.results_start.desc()))
    return [r for r in rounds if published_run(r.id) is not None]
