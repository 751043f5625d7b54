"""The Method of Equal Shares (equalshares.net), run per district, with completions.

* Each district's voters share that district's budget equally (``budget / voters``).
* Utilities: approval and choose-1 ballots use cost utilities (a voter's utility for a
  project is its cost, pabutools' ``Cost_Sat``); cumulative, scoring and ordinal ballots
  use the ``values`` of the profile (points, or the Borda-like score of ordinal ballots),
  which is pabutools' additive cardinal satisfaction.
* Ties: the smallest project id compared as strings (pabutools' lexicographic default).
* ``completion="add1"``: pabutools' ``voter_budget_increment=1``. The per-voter budget is
  raised by one currency unit at a time; the first outcome that spends more than the
  district budget ends the loop and the previous outcome is kept, and an outcome to
  which no supported project can be added within the budget is kept as it is.
* ``completion="add1-greedy"``: add1, then the money left in the district goes to the
  remaining projects by votes, as greedy does.
* Bounds: a project that MES chooses but that would break a neighbourhood cap, a
  category cap, a category maximum share (or a total budget smaller than the sum of the
  district budgets) is skipped, and its supporters keep their money. Districts are run
  in the instance's order, so such shared bounds fill up in that order.
* Exclusive groups: once a member of a group is funded, MES skips the others when it
  would choose them (their supporters keep their money), and so does add1-greedy.

Outcomes equal pabutools' ``method_of_equal_shares`` on every pabulib file we test; see
:mod:`.mes_core` for how the numbers stay exact.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from wijkfonds.allocation.model import Allocation, AllocationError, Instance, Profile, ProjectOutcome

from .common import BoundTracker, build_allocation, greedy_order, project_scores
from .feasibility import Feasibility
from .mes_district import District, Entries
from .mes_explain import district_outcomes

__all__ = ["COMPLETIONS", "DistrictsRun", "equal_shares", "run_districts"]

COMPLETIONS = ("none", "add1", "add1-greedy")


def equal_shares(instance: Instance, profile: Profile, *, completion: str = "none") -> Allocation:
    """Run the Method of Equal Shares on every district of ``instance``; see the module docstring."""
    start = time.perf_counter()
    done = run_districts(instance, profile, completion)
    return build_allocation(
        rule="mes",
        completion=completion,
        instance=instance,
        scores=done.scores,
        selected=done.selected,
        outcomes=done.outcomes,
        optimal=None,
        status="ok",
        seconds=time.perf_counter() - start,
        details={"mes": done.details},
    )


@dataclass
class DistrictsRun:
    """What Equal Shares did in every district: funded projects (global indices, in order), outcomes, state."""

    scores: Any
    tracker: BoundTracker
    selected: list[int]
    outcomes: dict[str, ProjectOutcome]
    details: dict[str, Any]
    vetoed: list[int] = field(default_factory=list)


def run_districts(
    instance: Instance,
    profile: Profile,
    completion: str,
    feasibility: Feasibility | None = None,
    *,
    explain: bool = True,
    until: str | None = None,
) -> DistrictsRun:
    """Equal Shares (with its completion) district by district, in the instance's order.

    With ``feasibility`` (the constrained Equal Shares of :mod:`.mes_bounds`), a winner
    is refused when the projects funded so far plus the winner could no longer be
    completed to a plan that meets every lower bound; the add1-greedy completion asks the
    same. Without it this is plain Equal Shares. ``explain=False`` leaves ``outcomes``
    empty (for margins, which only ask what is funded); ``until`` stops after that district
    (districts run in order, so a later one never changes an earlier one's outcome).
    """
    if completion not in COMPLETIONS:
        raise AllocationError(f"unknown completion {completion!r}; choose one of {', '.join(COMPLETIONS)}")
    scores = project_scores(instance, profile)
    tracker = BoundTracker(instance)
    entries = Entries(instance, profile)
    shared_total = instance.budget < sum(instance.district_budgets.values())
    selected: list[int] = []
    outcomes: dict[str, ProjectOutcome] = {}
    details: dict[str, Any] = {}
    vetoed: list[int] = []
    for district in instance.districts:
        run = District(instance, entries, district, tracker, shared_total)
        check = None
        if feasibility is not None:
            check = _lower_check(instance, run, selected, feasibility, shared_total)
            run.lower_check = check
        chosen, k, res = run.solve(completion)
        extra = (
            _complete_greedily(instance, scores, run, chosen, tracker, check=check)
            if completion == "add1-greedy"
            else []
        )
        for j in chosen:
            tracker.add(run.projects[j])
        order = [run.projects[j] for j in chosen] + extra
        selected.extend(order)
        if explain:
            outcomes.update(
                district_outcomes(
                    instance, scores, run, res=res, chosen=chosen, extra=extra, tracker=tracker, increments=k
                )
            )
        details[district] = run.details(res, k, chosen)
        vetoed.extend(run.projects[j] for j in sorted(run.vetoes.lower))
        if district == until:
            break
    return DistrictsRun(scores, tracker, selected, outcomes, details, vetoed)


def _lower_check(
    instance: Instance, run: District, before: list[int], feasibility: Feasibility, shared_total: bool
) -> Callable[[list[int]], bool]:
    """The constrained Equal Shares' question for one district (see :func:`run_districts`).

    An outcome that spends more than the district (or the shared total) budget is let
    through: add1 discards such an outcome anyway, and it must see it to stop.
    """
    fixed = list(before)
    fixed_cost = sum((instance.projects[g].cost for g in before), Fraction(0))
    total_room = instance.budget - fixed_cost

    def check(funded: list[int]) -> bool:
        cost = sum((instance.projects[g].cost for g in funded), Fraction(0))
        if cost > run.budget or (shared_total and cost > total_room):
            return True
        return feasibility.completable([*fixed, *funded])

    return check


def _complete_greedily(
    instance: Instance,
    scores: Any,
    run: District,
    chosen: list[int],
    tracker: BoundTracker,
    *,
    check: Callable[[list[int]], bool] | None = None,
) -> list[int]:
    """add1-greedy: after MES, fund the district's other projects by votes while they fit (and, constrained, stay completable)."""
    taken = {run.projects[j] for j in chosen}
    trial = tracker.copy()
    for g in taken:
        trial.add(g)
    extra: list[int] = []
    funded = [run.projects[j] for j in chosen]
    for g in greedy_order(instance, scores):
        if instance.projects[g].district != run.name or g in taken:
            continue
        if trial.fits(g) and (check is None or check([*funded, *extra, g])):
            trial.add(g)
            extra.append(g)
    for g in extra:
        tracker.add(g)
    return extra
