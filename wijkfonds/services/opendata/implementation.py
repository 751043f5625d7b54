"""What funded plans did with the money, as open data: the year report's figures as plain dicts.

Built on ``services.report.year`` (and so on ``implementation.overview.summary``): the same
amounts as the public page, the PDF and the spreadsheet. Only for a round whose result is
published (404 otherwise, as the result itself). No personal data: no initiator's name, no
account text, no staff's reasons, no payment details; a stopped plan's public reason is
shown, as on its page.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from wijkfonds.common.reference_names import BLOCK, THEME, every_language
from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.models import BuildingBlock, Initiative, Round, Status
from wijkfonds.services.catalog import data as catalog
from wijkfonds.services.errors import DomainError
from wijkfonds.services.implementation import records
from wijkfonds.services.implementation.overview import PlanProgress, progress_of
from wijkfonds.services.opendata.catalog import languages
from wijkfonds.services.opendata.rounds import stamp
from wijkfonds.services.report import year

NO_BLOCK = {"nl": "Geen bouwsteen", "en": "No building block"}
NO_FUNCTION = {"nl": "Geen van de vijf functies", "en": "None of the five functions"}


def _plan(p: PlanProgress) -> dict[str, Any]:
    return {
        "plan_id": p.initiative_id,
        "title": p.title,
        "district_id": p.district_id,
        "district": p.district,
        "status": p.status,
        "stop_reason": p.stop_reason or None,
        "granted": p.granted,
        "paid": p.paid,
        "spent": p.spent,
        "returned": p.returned,
        "account_approved": p.account_status == "approved",
        "milestones_done": p.milestones_done,
        "milestones_total": p.milestones_total,
        "updates": p.updates,
        "last_update_at": stamp(p.last_update_at),
        "started_at": stamp(p.started_at),
        "completed_at": stamp(p.completed_at),
    }


def _share(s: year.Share, names: dict[str | None, dict[str, str]], none: dict[str, str]) -> dict[str, Any]:
    return {
        "slug": s.slug,
        "name": names.get(s.slug, none),
        "plans": s.plans,
        "granted": s.granted,
        "paid": s.paid,
        "spent": s.spent,
    }


def round_implementation(rnd: Round) -> dict[str, Any]:
    """A published round's totals, plans funded/finished/stopped, every plan's progress, money per block and function."""
    try:
        report = year.build(rnd)
    except DomainError as err:
        raise DomainError(_("De uitslag van deze ronde is nog niet gepubliceerd."), err.status) from None
    codes = languages()
    blocks: dict[str | None, dict[str, str]] = {
        b.slug: every_language(BLOCK, b.name_nl, b.name_en, codes) for b in db.session.scalars(select(BuildingBlock))
    }
    functions: dict[str | None, dict[str, str]] = {
        t.slug: every_language(THEME, t.name_nl, t.name_en, codes) for t in catalog.THEMES
    }
    s = report.summary
    return {
        "round_id": rnd.id,
        "published_at": stamp(report.published_at),
        "totals": {"granted": s.granted, "paid": s.paid, "spent": s.spent, "returned": s.returned},
        "plans_count": {"funded": report.funded, "completed": report.finished, "stopped": report.stopped},
        "by_status": dict(s.by_status),
        "plans": [_plan(p) for p in report.plans],
        "building_blocks": [_share(b, blocks, NO_BLOCK) for b in report.blocks],
        "functions": [_share(f, functions, NO_FUNCTION) for f in report.functions],
        "attribution": {
            "nl": "Elk plan telt één keer: bij de bouwsteen en het thema (de functie) die de indiener koos; "
            "geld wordt niet over functies verdeeld.",
            "en": "Each plan counts once: under the building block and the theme (the function) its initiator "
            "chose; money is not split over functions.",
        },
    }


def plan_implementation(ini: Initiative) -> dict[str, Any]:
    """A funded plan's progress and money with its milestones; 404 for a plan not funded in a published result."""
    impl = records.for_initiative(ini)
    rnd = db.session.get(Round, ini.round_id)
    if impl is None or rnd is None or ini.status != Status.FUNDED.value:
        raise DomainError(_("Dit plan is niet gefinancierd: alleen gefinancierde plannen hebben een uitvoering."), 404)
    year.require_published(rnd)
    return {
        **_plan(progress_of(impl)),
        "round_id": ini.round_id,
        "milestones": [
            {
                "title": m.title,
                "target_on": m.target_on.isoformat(),
                "done_on": m.done_on.isoformat() if m.done_on is not None else None,
            }
            for m in impl.milestones
        ],
    }
