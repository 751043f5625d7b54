"""Explanations of Equal Shares outcomes, in English and Dutch.

Money in explanations is rounded to whole money units (euros, or cents when the round has
cents) for reading only; every decision was made on exact amounts (see :mod:`.mes_core`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from wijkfonds.allocation.explain import make_outcome
from wijkfonds.allocation.model import Instance, ProjectOutcome

from .common import BoundTracker, currency_of, greedy_order, project_label
from .mes_core import RunResult
from .mes_district import District
from .mes_reasons import funded_reason, reading_floor, reading_round, voter_shares

__all__ = ["district_outcomes"]


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
        left = run.money(reading_floor(float(budgets[data.sup_voter[lo:hi]].sum()))) if supporters else 0
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
    return voter_shares(run.num_voters, run.budget, run.budget_units, run.scale, increments)


def _funded(
    run: District, j: int, pay: tuple[int, Any, int] | None, base: dict[str, Any]
) -> tuple[str, dict[str, Any]]:
    """Reason and params for a project funded by Equal Shares (see :func:`.mes_reasons.funded_reason`)."""
    if run.costs[j] == 0:
        return funded_reason(base, free=True, points=False, share=0, poor=0)
    data = run.data
    lo, hi = int(data.sup_ptr[j]), int(data.sup_ptr[j + 1])
    _, rho, poor = pay if pay is not None else (0, 0, 0)
    points = not (data.sup_w[lo:hi] == run.costs[j]).all()
    share = run.money(reading_round(float(rho) * int(run.costs[j])))
    return funded_reason(base, free=False, points=points, share=share, poor=poor)


def _district_ranks(instance: Instance, scores: Any, district: str) -> dict[int, int]:
    """Rank by votes within the district (1 = most votes), in greedy's order."""
    order = [g for g in greedy_order(instance, scores) if instance.projects[g].district == district]
    return {g: r + 1 for r, g in enumerate(order)}
