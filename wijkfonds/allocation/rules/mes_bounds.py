"""Equal Shares that honours district floors and category (building-block) minimum shares.

The rule ``mes-bounds`` runs in three steps; every step keeps one invariant: *the projects
funded so far can still be completed to a plan that meets every bound* (upper bounds,
exclusive groups, district floors, category minimum shares). :class:`.Feasibility`
answers that question exactly (SCIP, with every "yes" re-checked in integer arithmetic).

1. **Check.** If the empty plan cannot be completed, no plan meets the bounds: the rule
   stops with :meth:`.Feasibility.diagnosis`, which names the bounds that fail on their
   own, or else an irreducible set of minimums that conflict together.
2. **Equal Shares with a look-ahead.** Plain Equal Shares (:mod:`.mes`, per district,
   with the chosen completion), except that a winner is refused when, after funding it,
   the plan could no longer be completed ("Vetoes.lower"); its supporters keep their
   money and the round goes on, exactly as for a winner that breaks a cap. (Outcomes that
   spend more than the district budget are let through: add1 discards them anyway.)
3. **Meeting the minimums.** Projects that count toward a minimum not met yet are taken
   in greedy order (support, then id), and each is funded when the plan stays completable.
   One pass meets every minimum: if a minimum ``L`` were still unmet at the end, a
   completion ``T`` of the final plan exists (invariant) and may be taken to hold only
   projects that count toward an unmet minimum (dropping the others keeps it valid); a
   project ``t`` of ``T`` counting toward ``L`` was passed with a subset of the final plan
   and ``L`` unmet, and was completable then (``T`` shows it), so it was funded, a
   contradiction. (Should the solver ever miss a "yes", the last completion found is used,
   so the minimums are met whenever the check of step 1 passed.)

Without floors or minimum shares the rule *is* plain Equal Shares: no check is ever asked
and the outcome is the same, project for project and sentence for sentence. When plain
Equal Shares happens to meet every minimum (without add1), nothing is refused either.

Sources. Equal Shares per district as on equalshares.net ("How to deal with city
districts?") and in pabutools; lower and upper bounds per project type in participatory
budgeting as in Chen, Lackner and Maly, "Participatory Budgeting with Donations and
Diversity Constraints" (AAAI 2022). The look-ahead (refuse a step after which the
constraints can no longer be met) is the standard way to keep a greedy rule feasible
under constraints; the exact completability test by an integer program and the final
pass in greedy order are this engine's own choices, not taken from a paper, and the
result is not claimed to keep the proportionality guarantees of plain Equal Shares.
"""

from __future__ import annotations

import dataclasses
import time
from typing import Any

from wijkfonds.allocation.explain import make_outcome, register_reasons
from wijkfonds.allocation.model import Allocation, AllocationError, Instance, Profile

from .common import build_allocation, currency_of, greedy_order
from .feasibility import Feasibility
from .mes import equal_shares, run_districts

__all__ = ["bounded_selection", "equal_shares_bounded"]

_REASONS: dict[str, dict[str, str]] = {
    "mes_bounds.funded_for_minimum": {
        "en": "funded to meet the minimum amounts: after Equal Shares the minimum for {minimums} was not met yet, "
        "and at rank {rank} by votes this project helped to meet it",
        "nl": "gefinancierd om de minimumbedragen te halen: na Equal Shares was het minimum voor {minimums} "
        "nog niet gehaald, en op plaats {rank} op stemmen hielp dit project om het te halen",
    },
    "mes_bounds.lower_veto": {
        "en": "not funded (Equal Shares): its supporters could pay for it, but after funding it the minimum "
        "amounts ({minimums}) could no longer all be met",
        "nl": "niet gefinancierd (Equal Shares): de voorstanders konden het betalen, maar daarna waren de "
        "minimumbedragen ({minimums}) niet meer allemaal te halen",
    },
}
register_reasons(_REASONS)


def equal_shares_bounded(instance: Instance, profile: Profile, *, completion: str = "none") -> Allocation:
    """Equal Shares that meets every district floor and category minimum share; see the module docstring."""
    started = time.perf_counter()
    feasibility = Feasibility(instance)
    if not feasibility.has_lower_bounds:
        plain = equal_shares(instance, profile, completion=completion)
        return dataclasses.replace(plain, rule="mes-bounds", seconds=time.perf_counter() - started)
    if not feasibility.completable([]):
        raise AllocationError(feasibility.diagnosis())
    done = run_districts(instance, profile, completion, feasibility)
    scores = done.scores
    selected = list(done.selected)
    outcomes = dict(done.outcomes)
    names = ", ".join(dict.fromkeys(b.name for b in feasibility.lowers))
    currency = currency_of(instance)
    funded_before = set(selected)
    for g in done.vetoed:
        if g in funded_before:
            continue  # refused by Equal Shares, funded by the add1-greedy completion
        p = instance.projects[g]
        old = outcomes[p.id]
        vetoed = dict(old.params, minimums=names)
        outcomes[p.id] = make_outcome(p.id, False, "mes_bounds.lower_veto", vetoed, rank=old.rank, support=old.support)
    added = _meet_minimums(instance, feasibility, scores, selected)
    ranks = _district_ranks(instance, scores)
    for g, unmet in added:
        p = instance.projects[g]
        params: dict[str, Any] = {
            "cost": p.cost,
            "district": p.district,
            "currency": currency,
            "rank": ranks[g],
            "minimums": ", ".join(unmet),
        }
        outcomes[p.id] = make_outcome(
            p.id, True, "mes_bounds.funded_for_minimum", params, rank=ranks[g], support=int(scores[g])
        )
    selected.extend(g for g, _ in added)
    if feasibility.violations(selected):  # pragma: no cover - excluded by the proof in the module docstring
        raise AllocationError("Equal Shares with bounds ended with a bound unmet; please report this instance")
    return build_allocation(
        rule="mes-bounds",
        completion=completion,
        instance=instance,
        scores=scores,
        selected=selected,
        outcomes={p.id: outcomes[p.id] for p in instance.projects},
        optimal=None,
        status="ok",
        seconds=time.perf_counter() - started,
        details={
            "mes": done.details,
            "bounds": {
                "minimums": [feasibility.describe(b) for b in feasibility.lowers],
                "refused": [instance.projects[g].id for g in done.vetoed],
                "funded_for_minimums": [instance.projects[g].id for g, _ in added],
                "solver_calls": feasibility.solver_calls,
            },
        },
    )


def bounded_selection(instance: Instance, profile: Profile, completion: str = "none") -> list[int]:
    """The projects (indices, in order) ``mes-bounds`` funds, without explanations (for margins)."""
    feasibility = Feasibility(instance)
    if not feasibility.has_lower_bounds:
        return run_districts(instance, profile, completion, explain=False).selected
    if not feasibility.completable([]):
        raise AllocationError(feasibility.diagnosis())
    done = run_districts(instance, profile, completion, feasibility, explain=False)
    return done.selected + [g for g, _ in _meet_minimums(instance, feasibility, done.scores, list(done.selected))]


def _meet_minimums(
    instance: Instance, feasibility: Feasibility, scores: Any, selected: list[int]
) -> list[tuple[int, list[str]]]:
    """Step 3: projects funded to meet the minimums, in greedy order, with the minimums each helped."""
    plan = list(selected)
    added: list[tuple[int, list[str]]] = []
    taken = set(plan)
    for g in greedy_order(instance, scores):
        unmet = feasibility.unmet(plan)
        if not unmet:
            break
        if g in taken:
            continue
        helps = [b.name for b in unmet if g in b.members]
        if helps and feasibility.completable([*plan, g]):
            plan.append(g)
            taken.add(g)
            added.append((g, helps))
    unmet = feasibility.unmet(plan)
    if unmet:  # pragma: no cover - only if the solver missed a plan that exists
        witness = feasibility.witness(plan)
        if witness is None:
            raise AllocationError("Equal Shares with bounds lost track of a completion; please report this instance")
        for g in greedy_order(instance, scores):
            if g in witness and g not in taken:
                helps = [b.name for b in unmet if g in b.members]
                if helps:
                    plan.append(g)
                    taken.add(g)
                    added.append((g, helps))
    return added


def _district_ranks(instance: Instance, scores: Any) -> dict[int, int]:
    seen: dict[str, int] = {}
    ranks: dict[int, int] = {}
    for g in greedy_order(instance, scores):
        d = instance.projects[g].district
        seen[d] = seen.get(d, 0) + 1
        ranks[g] = seen[d]
    return ranks
