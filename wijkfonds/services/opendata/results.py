"""A round's published result as open data: the rule in plain words, budgets, selection, votes, reasons.

Only the published run is shown, and only once it is published: before that this module
answers 404 and gives no figure at all (no votes, no ballots, no voters).
"""

from __future__ import annotations

import contextlib
from typing import Any

from sqlalchemy import select

from wijkfonds.allocation import AllocationError
from wijkfonds.allocation.explain import render_reason
from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.models import AllocationRun, Initiative, Round
from wijkfonds.services.errors import DomainError
from wijkfonds.services.opendata.rounds import stamp
from wijkfonds.services.results.publication import published_run

# Each rule in plain words, in both languages (data for outsiders, like a theme's names).
RULES: dict[str, dict[str, dict[str, str]]] = {
    "greedy": {
        "name": {"nl": "Meeste stemmen eerst", "en": "Most votes first"},
        "description": {
            "nl": "Per gebied krijgen de plannen met de meeste stemmen als eerste geld. Een plan dat niet meer "
            "in het budget past, wordt overgeslagen; het volgende plan komt aan de beurt.",
            "en": "In each district the plans with the most votes are funded first. A plan that no longer fits "
            "the budget is skipped and the next plan is considered.",
        },
    },
    "greedy-stop": {
        "name": {"nl": "Meeste stemmen eerst, met stop", "en": "Most votes first, with a stop"},
        "description": {
            "nl": "Per gebied krijgen de plannen met de meeste stemmen als eerste geld. Bij het eerste plan dat "
            "niet meer in het budget past, stopt de verdeling in dat gebied.",
            "en": "In each district the plans with the most votes are funded first. At the first plan that no "
            "longer fits the budget, that district's count stops.",
        },
    },
    "ilp": {
        "name": {"nl": "Exacte methode", "en": "Exact method"},
        "description": {
            "nl": "De combinatie van plannen met samen de meeste stemmen die binnen de budgetten en de "
            "grenzen per gebied en bouwsteen past, exact uitgerekend.",
            "en": "The combination of plans with the most votes together that fits the budgets and the bounds "
            "per district and building block, computed exactly.",
        },
    },
    "mes": {
        "name": {"nl": "Equal Shares-methode", "en": "Method of Equal Shares"},
        "description": {
            "nl": "Elke stemmer krijgt een gelijk deel van het budget van zijn gebied. Een plan krijgt geld als "
            "de stemmers die het kozen het samen kunnen betalen; zo kan een meerderheid niet alles nemen.",
            "en": "Every voter gets an equal share of their district's budget. A plan is funded when the voters "
            "who chose it can pay for it together, so a majority cannot take everything.",
        },
    },
}
COMPLETIONS: dict[str, dict[str, str]] = {
    "none": {"nl": "", "en": ""},
    "add1": {
        "nl": "Het deel per stemmer is stap voor stap verhoogd zolang het budget van het gebied niet werd overschreden.",
        "en": "The share per voter was raised step by step as long as the district's budget was not exceeded.",
    },
    "add1-greedy": {
        "nl": "Het deel per stemmer is stap voor stap verhoogd; wat daarna over was, ging naar de plannen met de "
        "meeste stemmen die nog pasten.",
        "en": "The share per voter was raised step by step; what was left then went to the plans with the most "
        "votes that still fitted.",
    },
}


def not_published() -> DomainError:
    """The refusal before publication (404: there is no result to show yet)."""
    return DomainError(_("De uitslag van deze ronde is nog niet gepubliceerd."), 404)


def published(rnd: Round) -> AllocationRun:
    """The round's published run with its result; the 404 DomainError of :func:`not_published` otherwise."""
    run = published_run(rnd.id)
    if run is None or not run.result:
        raise not_published()
    return run


def rule_dict(run: AllocationRun) -> dict[str, Any]:
    """The run's rule: its code, completion, and name and description in both languages."""
    text = RULES.get(run.rule, {"name": {"nl": run.rule, "en": run.rule}, "description": {"nl": "", "en": ""}})
    completion = COMPLETIONS.get(run.completion, {"nl": run.completion, "en": run.completion})
    return {
        "code": run.rule,
        "completion": run.completion,
        "name": dict(text["name"]),
        "description": {
            lang: " ".join(part for part in (text["description"][lang], completion[lang]) if part)
            for lang in ("nl", "en")
        },
    }


def explanation(outcome: dict[str, Any]) -> dict[str, str]:
    """An outcome's reason in both languages (the stored English sentence when the code is unknown)."""
    stored = str(outcome.get("explanation", ""))
    texts = {"nl": stored, "en": stored}
    if outcome.get("reason"):
        for lang in texts:
            with contextlib.suppress(AllocationError):
                texts[lang] = render_reason(outcome["reason"], outcome.get("params", {}), lang)
    return texts


def result(rnd: Round) -> dict[str, Any]:
    """The published result of ``rnd``: rule, budget and spend per district, selection, every plan's votes and reason."""
    run = published(rnd)
    r = run.result or {}
    outcomes: dict[str, dict[str, Any]] = r["outcomes"]
    ids = [o["initiative_id"] for o in outcomes.values()]
    rows = db.session.execute(select(Initiative.id, Initiative.title).where(Initiative.id.in_(ids)))
    titles = {row.id: row.title for row in rows}
    plans = [
        {
            "plan_id": o["initiative_id"],
            "project_id": pid,
            "title": titles.get(o["initiative_id"], ""),
            "district": o["district"],
            "cost": o["cost"],
            "votes": o["support"],
            "funded": bool(o["funded"]),
            "rank": o.get("rank"),
            "explanation": explanation(o),
        }
        for pid, o in sorted(outcomes.items(), key=lambda kv: (kv[1]["district"], -kv[1]["support"], kv[0]))
    ]
    return {
        "round_id": rnd.id,
        "run_id": run.id,
        "published_at": stamp(run.published_at),
        "rule": rule_dict(run),
        "input_digest": run.input_digest,
        "budget": r["budget"],
        "cost": r["cost"],
        "voters": r["voters"],
        "voters_with_funded": r["voters_with_funded"],
        "votes_total": r["votes_total"],
        "districts": [
            {"district": d, "budget": int(r["district_budgets"].get(d, 0)), "spent": int(spent)}
            for d, spent in r["district_spend"].items()
        ],
        "selected": [outcomes[pid]["initiative_id"] for pid in r["selected"]],
        "plans": plans,
    }


def plan_outcome(ini: Initiative) -> dict[str, Any] | None:
    """A plan's votes and outcome in its round's published result; None before publication (or when not on the ballot)."""
    run = published_run(ini.round_id)
    if run is None or not run.result:
        return None
    found = next(
        ((pid, o) for pid, o in run.result["outcomes"].items() if o["initiative_id"] == ini.id),
        None,
    )
    if found is None:
        return None
    _pid, o = found
    return {"run_id": run.id, "votes": o["support"], "funded": bool(o["funded"]), "explanation": explanation(o)}
