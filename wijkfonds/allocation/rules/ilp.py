"""The exact rule: an integer program solved with SCIP (pyscipopt).

Objective: maximise the utility of :mod:`.common`, ``sum(cost * support)`` over funded
projects (pabutools' ``Cost_Sat`` welfare for approval ballots, so the optimum equals
``max_additive_utilitarian_welfare``). Constraints: the total budget; each district's
budget and optional floor; neighbourhood and category caps; category minimum and
maximum shares (fractions of ``instance.budget``, rounded up resp. down to whole euros,
or to cents when the round's amounts have cents; a project with several categories counts
toward each); at most one project of each exclusive group. With cents, every amount
enters the model in cents (``money_scale`` units), so that the coefficients stay whole
numbers.

Tie-break among optimal plans (deterministic): a second solve keeps the utility at its
optimum and maximises ``sum(n - rank)`` over funded projects, where ``rank`` is the
greedy order (support descending, then project id), so plans with higher-ranked projects
win; any tie left is settled by SCIP's deterministic search (single thread, fixed seed).
Every plan is re-checked in exact integer arithmetic; a second-phase plan that is not
exactly as good is discarded in favour of the first.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from wijkfonds.allocation.explain import BOUND_PLACES, make_outcome, register_reasons
from wijkfonds.allocation.model import Allocation, AllocationError, Instance, Profile, ProjectOutcome
from wijkfonds.allocation.money import Money, to_units

from .common import (
    BoundTracker,
    Scores,
    build_allocation,
    currency_of,
    greedy_order,
    project_label,
    project_scores,
    share_ceil,
    share_floor,
    violated_bounds,
)
from .ilp_checks import infeasibility_message, precheck

if TYPE_CHECKING:  # pragma: no cover
    from pyscipopt import Expr, Model, Variable

__all__ = ["build_model", "ilp", "new_model"]

_REASONS: dict[str, dict[str, str]] = {
    "ilp.funded": {
        "en": "funded: part of the optimal plan (rank {rank} by votes)",
        "nl": "gefinancierd: onderdeel van het beste plan (plaats {rank} op stemmen)",
    },
    "ilp.funded_best_found": {
        "en": "funded: part of the best plan found in the time available (rank {rank} by votes)",
        "nl": "gefinancierd: onderdeel van het beste plan dat binnen de tijd is gevonden (plaats {rank} op stemmen)",
    },
    "ilp.excluded": {
        "en": "not funded: the optimal plan funds {other_label}, which cannot be carried out together with it "
        "(rank {rank} by votes)",
        "nl": "niet gefinancierd: het beste plan financiert {other_label}, dat niet samen met dit project kan "
        "worden uitgevoerd (plaats {rank} op stemmen)",
    },
    "ilp.not_chosen": {
        "en": "not funded: the plan with the most total support does without it "
        "(rank {rank} by votes, it costs {cost:money})",
        "nl": "niet gefinancierd: het plan met de meeste steun in totaal gaat zonder dit project "
        "(plaats {rank} op stemmen, het kost {cost:money})",
    },
}
for _kind, (_en, _nl) in BOUND_PLACES.items():
    _REASONS[f"ilp.no_room.{_kind}"] = {
        "en": "not funded: next to the projects of the optimal plan only {left:money} is left "
        f"{_en}, and it costs {{cost:money}} (rank {{rank}} by votes)",
        "nl": "niet gefinancierd: naast de projecten van het beste plan is er nog maar "
        f"{{left:money}} over {_nl}, en het kost {{cost:money}} (plaats {{rank}} op stemmen)",
    }
register_reasons(_REASONS)


def new_model(feastol: float) -> Model:
    """A SCIP model with the engine's settings: exact gap, ``feastol``, fixed seed, no output."""
    try:
        from pyscipopt import Model
    except ImportError as exc:  # pragma: no cover - pyscipopt is a dependency
        raise AllocationError(f"the ilp rule needs pyscipopt (SCIP): {exc}") from exc
    model = Model("wijkfonds")
    model.hideOutput()
    # Exact optimum: no relative or absolute gap is accepted.
    model.setParam("limits/gap", 0.0)
    model.setParam("limits/absgap", 0.0)
    # Money sums reach 10**8 and more; a tighter tolerance keeps a plan from exceeding a
    # budget by a few euros "within tolerance" (plans are re-checked exactly anyway).
    model.setParam("numerics/feastol", feastol)
    model.setParam("randomization/randomseedshift", 0)
    # The knapsack handler's dual presolving solves a lone budget row by dynamic
    # programming over the budget (10**7 zloty: seconds); branch and bound needs milliseconds.
    model.setParam("constraints/knapsack/dualpresolving", False)
    # Knapsack cover cuts cost more than they gain on these rows (measured on generated
    # rounds with 1,000 projects and 21 share bounds: half the solving time without them).
    model.setParam("constraints/knapsack/sepafreq", -1)
    return model


def build_model(model: Model, instance: Instance, var_names: Sequence[str]) -> list[Variable]:
    """Add one binary per project and every bound of ``instance`` to ``model``; returns the binaries."""
    from pyscipopt import quicksum

    projects = instance.projects
    scale = instance.money_scale
    x = [model.addVar(name, vtype="B") for name in var_names]
    cost = [to_units(p.cost, scale) for p in projects]

    def units(amount: Money) -> int:
        return to_units(amount, scale)

    def spend(idx: Sequence[int]) -> Expr:
        total: Expr = quicksum(cost[i] * x[i] for i in idx)
        return total

    model.addCons(spend(range(len(projects))) <= units(instance.budget), name="total")
    by_district: dict[str, list[int]] = {d: [] for d in instance.districts}
    by_neighbourhood: dict[str, list[int]] = {}
    by_category: dict[str, list[int]] = {}
    for i, p in enumerate(projects):
        by_district[p.district].append(i)
        if p.neighbourhood is not None:
            by_neighbourhood.setdefault(p.neighbourhood, []).append(i)
        for c in dict.fromkeys(p.categories):
            by_category.setdefault(c, []).append(i)
    for d, idx in by_district.items():
        model.addCons(spend(idx) <= units(instance.district_budgets[d]), name=f"district:{d}")
        floor = instance.district_floors.get(d, 0)
        if floor > 0:
            model.addCons(spend(idx) >= units(floor), name=f"floor:{d}")
    for nb, cap in instance.neighbourhood_caps.items():
        if by_neighbourhood.get(nb):
            model.addCons(spend(by_neighbourhood[nb]) <= units(cap), name=f"neighbourhood:{nb}")
    _category_rows(model, instance, by_category, spend, units)
    index = instance.index_of()
    for g, group in enumerate(instance.exclusive_groups):
        model.addCons(quicksum(x[index[pid]] for pid in group) <= 1, name=f"exclusive:{g}")
    return x


def _category_rows(
    model: Model,
    instance: Instance,
    by_category: dict[str, list[int]],
    spend: Callable[[Sequence[int]], Expr],
    units: Callable[[Money], int],
) -> None:
    """Category caps and minimum/maximum shares."""
    scale = instance.money_scale
    for c, idx in by_category.items():
        if c in instance.category_caps:
            model.addCons(spend(idx) <= units(instance.category_caps[c]), name=f"category_cap:{c}")
        if c in instance.category_max_share:
            limit = share_floor(instance.category_max_share[c], instance.budget, scale)
            model.addCons(spend(idx) <= units(limit), name=f"category_max:{c}")
        if c in instance.category_min_share:
            need = share_ceil(instance.category_min_share[c], instance.budget, scale)
            if need > 0:
                model.addCons(spend(idx) >= units(need), name=f"category_min:{c}")


def _solution(model: Model, x: Sequence[Variable]) -> list[int] | None:
    if model.getNSols() == 0:
        return None
    sol = model.getBestSol()
    return [i for i, v in enumerate(x) if model.getSolVal(sol, v) > 0.5]


def _solve(
    instance: Instance,
    objective: Sequence[int],
    time_limit: float | None,
    *,
    floor_utility: tuple[Sequence[int], int] | None = None,
    start: Sequence[int] | None = None,
) -> tuple[str, list[int] | None, float]:
    """One SCIP solve maximising ``objective``; returns (status, selection, gap)."""
    from pyscipopt import quicksum

    # The tie-break solve uses 1e-7: with 1e-9 SoPlex (without GMP) prints warnings about
    # tolerances it cannot reach; its plan is re-checked exactly, so nothing is lost.
    model = new_model(1e-9 if floor_utility is None else 1e-7)
    if time_limit is not None:
        model.setParam("limits/time", max(time_limit, 0.01))
    x = build_model(model, instance, [f"x{i}" for i in range(len(instance.projects))])
    if floor_utility is not None:
        utilities, optimum = floor_utility
        model.addCons(
            quicksum(u * x[i] for i, u in enumerate(utilities) if u) >= optimum,
            name="optimum",
            separate=False,  # cuts from a row with coefficients of 10**9 only cost time
        )
    model.setObjective(quicksum(w * x[i] for i, w in enumerate(objective) if w), sense="maximize")
    if start is not None:
        sol = model.createSol()
        chosen = set(start)
        for i, v in enumerate(x):
            model.setSolVal(sol, v, 1.0 if i in chosen else 0.0)
        model.addSol(sol, free=True)
    model.optimize()
    status = model.getStatus()
    selection = _solution(model, x)
    gap = model.getGap() if selection is not None else math.inf
    return status, selection, gap


def ilp(instance: Instance, profile: Profile, *, time_limit: float | None = None) -> Allocation:
    """Maximise total utility under every bound; see the module docstring for the tie-break."""
    started = time.perf_counter()
    precheck(instance)
    scores = project_scores(instance, profile)
    projects = instance.projects
    # Utilities in money units (cents when amounts have cents): whole numbers for SCIP.
    utilities = [to_units(p.cost, instance.money_scale) * int(s) for p, s in zip(projects, scores, strict=True)]
    order = greedy_order(instance, scores)
    n = len(projects)
    weights = [0] * n
    for rank, i in enumerate(order):
        weights[i] = n - rank

    status, chosen, gap = _solve(instance, utilities, time_limit)
    if status == "infeasible":
        raise AllocationError(infeasibility_message(instance))
    if chosen is None:
        if status in ("timelimit", "userinterrupt", "memlimit"):
            raise AllocationError(
                f"the solver found no plan within the time limit of {time_limit} s; "
                "allow more time or relax the minimum shares and floors"
            )
        raise AllocationError(f"the solver stopped without a plan (status {status!r})")
    _check_exact(instance, chosen)
    optimal = status == "optimal"
    best = sum(utilities[i] for i in chosen)
    phase1 = time.perf_counter() - started
    tie_break = "not applied"
    if optimal:
        remaining = None if time_limit is None else time_limit - phase1
        if remaining is None or remaining > 0:
            status2, chosen2, _ = _solve(instance, weights, remaining, floor_utility=(utilities, best), start=chosen)
            if (
                chosen2 is not None
                and sum(utilities[i] for i in chosen2) == best
                and not violated_bounds(instance, chosen2)
            ):
                chosen = chosen2
                tie_break = "applied" if status2 == "optimal" else "best found in time"
            elif chosen2 is not None:
                # SCIP accepted a plan a rounding error below the optimum: keep the first plan
                tie_break = "not applied: the second solve missed the optimum by rounding"
    chosen = sorted(chosen, key=order.index)
    if optimal:
        status_text = "optimal"
    else:
        status_text = f"{status}: best plan found, not proven optimal" + (
            f" (gap {gap:.2%})" if math.isfinite(gap) else ""
        )
    outcomes = _explain(instance, scores, order, chosen, optimal)
    return build_allocation(
        rule="ilp",
        completion="none",
        instance=instance,
        scores=scores,
        selected=chosen,
        outcomes=outcomes,
        optimal=optimal,
        status=status_text,
        seconds=time.perf_counter() - started,
        details={
            "solver": "SCIP",
            "solver_status": status,
            "gap": gap if math.isfinite(gap) else None,
            "tie_break": tie_break,
            "first_phase_seconds": round(phase1, 4),
        },
    )


def _check_exact(instance: Instance, chosen: Sequence[int]) -> None:
    problems = violated_bounds(instance, chosen)
    if problems:
        raise AllocationError(
            "the solver returned a plan that breaks a bound by a rounding error ("
            + "; ".join(problems)
            + "); please report this instance"
        )


def _explain(
    instance: Instance,
    scores: Scores,
    order: Sequence[int],
    chosen: Sequence[int],
    optimal: bool,
) -> dict[str, ProjectOutcome]:
    ranks: dict[int, int] = {}
    seen: dict[str, int] = {}
    for i in order:
        d = instance.projects[i].district
        seen[d] = seen.get(d, 0) + 1
        ranks[i] = seen[d]
    tracker = BoundTracker(instance)
    for i in chosen:
        tracker.add(i)
    currency = currency_of(instance)
    selected = set(chosen)
    outcomes: dict[str, ProjectOutcome] = {}
    for i, p in enumerate(instance.projects):
        params: dict[str, object] = {
            "rank": ranks[i],
            "support": int(scores[i]),
            "cost": p.cost,
            "currency": currency,
            "district": p.district,
        }
        if i in selected:
            code = "ilp.funded" if optimal else "ilp.funded_best_found"
            outcomes[p.id] = make_outcome(p.id, True, code, params, rank=ranks[i], support=int(scores[i]))
            continue
        other = tracker.excluded_by(i)
        block = tracker.blocking(i)
        if other is not None:
            params.update(other=instance.projects[other].id, other_label=project_label(instance, other))
            code = "ilp.excluded"
        elif block is not None:
            bound, left = block
            params.update(left=left, name=bound.name, bound=bound.kind)
            code = f"ilp.no_room.{bound.kind}"
        else:
            code = "ilp.not_chosen"
        outcomes[p.id] = make_outcome(p.id, False, code, params, rank=ranks[i], support=int(scores[i]))
    return outcomes
