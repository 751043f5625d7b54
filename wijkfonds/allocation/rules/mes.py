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
from typing import Any

from wijkfonds.allocation.model import Allocation, AllocationError, Instance, Profile, ProjectOutcome

from .common import BoundTracker, build_allocation, greedy_order, project_scores
from .mes_district import District, Entries
from .mes_explain import district_outcomes

__all__ = ["COMPLETIONS", "equal_shares"]

COMPLETIONS = ("none", "add1", "add1-greedy")


def equal_shares(instance: Instance, profile: Profile, *, completion: str = "none") -> Allocation:
    """Run the Method of Equal Shares on every district of ``instance``; see the module docstring."""
    if completion not in COMPLETIONS:
        raise AllocationError(f"unknown completion {completion!r}; choose one of {', '.join(COMPLETIONS)}")
    start = time.perf_counter()
    scores = project_scores(instance, profile)
    tracker = BoundTracker(instance)
    entries = Entries(instance, profile)
    shared_total = instance.budget < sum(instance.district_budgets.values())
    selected: list[int] = []
    outcomes: dict[str, ProjectOutcome] = {}
    details: dict[str, Any] = {}
    for district in instance.districts:
        run = District(instance, entries, district, tracker, shared_total)
        chosen, k, res = run.solve(completion)
        extra = _complete_greedily(instance, scores, run, chosen, tracker) if completion == "add1-greedy" else []
        for j in chosen:
            tracker.add(run.projects[j])
        order = [run.projects[j] for j in chosen] + extra
        selected.extend(order)
        outcomes.update(
            district_outcomes(instance, scores, run, res=res, chosen=chosen, extra=extra, tracker=tracker, increments=k)
        )
        details[district] = run.details(res, k, chosen)
    return build_allocation(
        rule="mes",
        completion=completion,
        instance=instance,
        scores=scores,
        selected=selected,
        outcomes=outcomes,
        optimal=None,
        status="ok",
        seconds=time.perf_counter() - start,
        details={"mes": details},
    )


def _complete_greedily(
    instance: Instance, scores: Any, run: District, chosen: list[int], tracker: BoundTracker
) -> list[int]:
    """add1-greedy: after MES, fund the district's other projects by votes while they fit."""
    taken = {run.projects[j] for j in chosen}
    trial = tracker.copy()
    for g in taken:
        trial.add(g)
    extra: list[int] = []
    for g in greedy_order(instance, scores):
        if instance.projects[g].district != run.name or g in taken:
            continue
        if trial.fits(g):
            trial.add(g)
            extra.append(g)
    for g in extra:
        tracker.add(g)
    return extra
