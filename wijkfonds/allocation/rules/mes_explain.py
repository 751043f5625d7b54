"""Explanations of Equal Shares outcomes, in English and Dutch.

Money in explanations is rounded to whole money units (euros, or cents when the round has
cents) for reading only; every decision was made on exact amounts (see :mod:`.mes_core`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from wijkfonds.allocation.explain import BOUND_PLACES, make_outcome, register_reasons
from wijkfonds.allocation.model import Instance, ProjectOutcome

from .common import BoundTracker, currency_of, greedy_order, project_label
from .mes_core import RunResult
from .mes_district import District

__all__ = ["district_outcomes"]

_REASONS: dict[str, dict[str, str]] = {
    "mes.funded": {
        "en": "funded (Equal Shares): its {supporters} supporters each put {share:money} of their share of the "
        "budget into it",
        "nl": "gefinancierd (Equal Shares): de {supporters} voorstanders zetten elk {share:money} van hun deel van "
        "het budget in",
    },
    "mes.funded_some_all_in": {
        "en": "funded (Equal Shares): of its {supporters} supporters, {rich} each put {share:money} of their share "
        "of the budget into it and {poor} put in all that was left of theirs",
        "nl": "gefinancierd (Equal Shares): van de {supporters} voorstanders zetten er {rich} elk {share:money} van "
        "hun deel van het budget in en {poor} alles wat nog over was van hun deel",
    },
    "mes.funded_points": {
        "en": "funded (Equal Shares): its {supporters} supporters covered the cost of {cost:money} together from "
        "their shares of the budget, in proportion to their points",
        "nl": "gefinancierd (Equal Shares): de {supporters} voorstanders droegen de kosten van {cost:money} samen "
        "uit hun delen van het budget, naar verhouding van hun punten",
    },
    "mes.funded_free": {
        "en": "funded (Equal Shares): it costs nothing and {supporters} voters support it",
        "nl": "gefinancierd (Equal Shares): het kost niets en {supporters} stemmers steunen het",
    },
    "mes.insufficient_support": {
        "en": "not funded (Equal Shares): its {supporters} supporters had {left:money} left of their shares of the "
        "budget together, it costs {cost:money}",
        "nl": "niet gefinancierd (Equal Shares): de {supporters} voorstanders hadden van hun delen van het budget "
        "samen nog {left:money} over, het kost {cost:money}",
    },
    "mes.no_support": {
        "en": "not funded (Equal Shares): no voter supported it",
        "nl": "niet gefinancierd (Equal Shares): geen enkele stemmer steunde het",
    },
    "mes.excluded": {
        "en": "not funded (Equal Shares): it cannot be carried out together with {other_label}, which was funded",
        "nl": "niet gefinancierd (Equal Shares): het kan niet samen met {other_label} worden uitgevoerd, dat werd "
        "gefinancierd",
    },
    "mes.completion_greedy_funded": {
        "en": "funded (completion by votes): after Equal Shares {left:money} was left in "
        "{district}, and at rank {rank} by votes it fit",
        "nl": "gefinancierd (aanvulling op stemmen): na Equal Shares was er nog {left:money} over "
        "in {district}, en op plaats {rank} op stemmen paste het",
    },
    # Not an outcome: the sentence on the share each voter of a district gets (params of any outcome there).
    "mes.voter_share": {
        "en": "With Equal Shares every voter in {district} gets an equal share of the budget: {voter_share:money} "
        "({district_budget:money} divided by {voters} voters).",
        "nl": "Bij Equal Shares krijgt elke stemmer in {district} een gelijk deel van het budget: "
        "{voter_share:money} ({district_budget:money} gedeeld door {voters} stemmers).",
    },
    "mes.voter_share_raised": {
        "en": "With Equal Shares every voter in {district} gets an equal share of the budget: {voter_share:money} "
        "({district_budget:money} divided by {voters} voters); because money was left, that share was raised "
        "step by step to {voter_share_used:money} while the funded plans still fit the budget.",
        "nl": "Bij Equal Shares krijgt elke stemmer in {district} een gelijk deel van het budget: "
        "{voter_share:money} ({district_budget:money} gedeeld door {voters} stemmers); omdat er geld over bleef, "
        "is dat deel stap voor stap verhoogd tot {voter_share_used:money}, zolang de plannen met geld samen in "
        "het budget pasten.",
    },
}
for _kind, (_en, _nl) in BOUND_PLACES.items():
    _REASONS[f"mes.bound_skipped.{_kind}"] = {
        "en": "not funded (Equal Shares): the shares of its supporters were enough, but it costs "
        f"{{cost:money}} and only {{left:money}} was left {_en}",
        "nl": "niet gefinancierd (Equal Shares): de delen van de voorstanders waren genoeg, maar het kost "
        f"{{cost:money}} en er was nog maar {{left:money}} over {_nl}",
    }
    _REASONS[f"mes.completion_no_room.{_kind}"] = {
        "en": "not funded: under Equal Shares its {supporters} supporters had {supporters_left:money} "
        "left of their shares (it costs {cost:money}); in the completion by votes (rank {rank}) only "
        f"{{left:money}} was left {_en}",
        "nl": "niet gefinancierd: bij Equal Shares hadden de {supporters} voorstanders van hun delen nog "
        "{supporters_left:money} over (het kost {cost:money}); bij de aanvulling op stemmen "
        f"(plaats {{rank}}) was er nog maar {{left:money}} over {_nl}",
    }
register_reasons(_REASONS)


def district_outcomes(
    instance: Instance,
    scores: Any,
    run: District,
    *,
    res: RunResult | None,
    chosen: list[int],
    extra: list[int],
    tracker: BoundTracker,
    increments: int = 0,
) -> dict[str, ProjectOutcome]:
    """The outcome and explanation of every project of one district.

    Every outcome's params also carry the district's ``voters``, ``district_budget`` and the
    equal share of it per voter (``voter_share``; ``voter_share_used`` after ``increments``
    steps of add1), rounded to money units for reading, for the sentence ``mes.voter_share``.
    """
    data = run.data
    currency = currency_of(instance)
    budgets = res.budgets if res is not None else np.zeros(run.num_voters)
    paid = {j: (t, res.rhos[t], res.poor[t]) for t, j in enumerate(res.selected)} if res is not None else {}
    rank_of = _district_ranks(instance, scores, run.name)
    extra_set = set(extra)
    mes_cost = run.chosen_cost(chosen)
    shares = _shares(run, increments)
    out: dict[str, ProjectOutcome] = {}
    for j, g in enumerate(run.projects):
        p = instance.projects[g]
        lo, hi = int(data.sup_ptr[j]), int(data.sup_ptr[j + 1])
        supporters = hi - lo
        left = run.money(int(np.floor(budgets[data.sup_voter[lo:hi]].sum()))) if supporters else 0
        base = {"cost": p.cost, "supporters": supporters, "district": run.name, "currency": currency, **shares}
        common: dict[str, Any] = {"rank": rank_of[g], "support": int(scores[g])}
        if j in chosen:
            code, params = _funded(run, j, paid.get(j), base)
            out[p.id] = make_outcome(p.id, True, code, params, **common)
        elif g in extra_set:
            params = dict(base, left=run.budget - mes_cost, rank=rank_of[g])
            out[p.id] = make_outcome(p.id, True, "mes.completion_greedy_funded", params, **common)
        elif j in run.vetoes.excluded:
            other = run.vetoes.excluded[j]
            params = dict(base, other=instance.projects[other].id, other_label=project_label(instance, other))
            out[p.id] = make_outcome(p.id, False, "mes.excluded", params, **common)
        elif j in run.vetoes.bounds:
            bound, room = run.vetoes.bounds[j]
            params = dict(base, left=room, name=bound.name)
            out[p.id] = make_outcome(p.id, False, f"mes.bound_skipped.{bound.kind}", params, **common)
        elif supporters == 0:
            out[p.id] = make_outcome(p.id, False, "mes.no_support", base, **common)
        elif (excluder := tracker.excluded_by(g)) is not None:
            params = dict(base, other=instance.projects[excluder].id, other_label=project_label(instance, excluder))
            out[p.id] = make_outcome(p.id, False, "mes.excluded", params, **common)
        elif extra:
            block = tracker.blocking(g)
            kind, name, room = (block[0].kind, block[0].name, block[1]) if block else ("district", run.name, 0)
            params = dict(base, supporters_left=left, left=room, rank=rank_of[g], name=name)
            out[p.id] = make_outcome(p.id, False, f"mes.completion_no_room.{kind}", params, **common)
        else:
            params = dict(base, left=left)
            out[p.id] = make_outcome(p.id, False, "mes.insufficient_support", params, **common)
    return out


def _shares(run: District, increments: int) -> dict[str, Any]:
    """The district's voters, budget and equal share per voter (before and after add1), for reading."""
    if run.num_voters == 0:
        return {"voters": 0, "district_budget": run.budget, "voter_share": 0, "voter_share_used": 0}
    b0 = run.b0()  # money units
    return {
        "voters": run.num_voters,
        "district_budget": run.budget,
        "voter_share": run.money(round(b0)),
        "voter_share_used": run.money(round(b0 + increments * run.scale)),
    }


def _funded(
    run: District, j: int, pay: tuple[int, Any, int] | None, base: dict[str, Any]
) -> tuple[str, dict[str, Any]]:
    """Reason and params for a project funded by Equal Shares."""
    if run.costs[j] == 0:
        return "mes.funded_free", base
    data = run.data
    lo, hi = int(data.sup_ptr[j]), int(data.sup_ptr[j + 1])
    w = data.sup_w[lo:hi]
    _, rho, poor = pay if pay is not None else (0, 0, 0)
    if not (w == run.costs[j]).all():
        return "mes.funded_points", base
    share = run.money(round(float(rho) * int(run.costs[j])))
    if poor == 0:
        return "mes.funded", dict(base, share=share)
    return "mes.funded_some_all_in", dict(base, share=share, poor=poor, rich=base["supporters"] - poor)


def _district_ranks(instance: Instance, scores: Any, district: str) -> dict[int, int]:
    """Rank by votes within the district (1 = most votes), in greedy's order."""
    order = [g for g in greedy_order(instance, scores) if instance.projects[g].district == district]
    return {g: r + 1 for r, g in enumerate(order)}
