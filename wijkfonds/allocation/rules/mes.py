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

Outcomes equal pabutools' ``method_of_equal_shares`` on every pabulib file we test; see
:mod:`.mes_core` for how the numbers stay exact.
"""

from __future__ import annotations

import time
from fractions import Fraction
from typing import Any

import numpy as np

from wijkfonds.allocation.model import Allocation, AllocationError, BallotType, Instance, Profile, ProjectOutcome

from .common import BoundTracker, build_allocation, greedy_order, project_scores
from .mes_core import DistrictData, RunResult, prepare_district, run_mes
from .mes_explain import district_outcomes

__all__ = ["COMPLETIONS", "equal_shares"]

COMPLETIONS = ("none", "add1", "add1-greedy")
_COST_UTILITY = (BallotType.APPROVAL, BallotType.CHOOSE_1)


def equal_shares(instance: Instance, profile: Profile, *, completion: str = "none") -> Allocation:
    """Run the Method of Equal Shares on every district of ``instance``; see the module docstring."""
    if completion not in COMPLETIONS:
        raise AllocationError(f"unknown completion {completion!r}; choose one of {', '.join(COMPLETIONS)}")
    start = time.perf_counter()
    scores = project_scores(instance, profile)
    tracker = BoundTracker(instance)
    entries = _Entries(instance, profile)
    shared_total = instance.budget < sum(instance.district_budgets.values())
    selected: list[int] = []
    outcomes: dict[str, ProjectOutcome] = {}
    details: dict[str, Any] = {}
    for district in instance.districts:
        run = _District(instance, entries, district, tracker, shared_total)
        chosen, k, res = run.solve(completion)
        extra = _complete_greedily(instance, scores, run, chosen, tracker) if completion == "add1-greedy" else []
        for j in chosen:
            tracker.add(run.projects[j])
        order = [run.projects[j] for j in chosen] + extra
        selected.extend(order)
        outcomes.update(district_outcomes(instance, scores, run, res=res, chosen=chosen, extra=extra, tracker=tracker))
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


class _Entries:
    """The profile's ballot entries with voter, district and utility, built once per call."""

    def __init__(self, instance: Instance, profile: Profile) -> None:
        indptr = np.asarray(profile.indptr, dtype=np.int64)
        self.voter = np.repeat(np.arange(profile.num_voters, dtype=np.int64), np.diff(indptr))
        self.project = np.asarray(profile.indices, dtype=np.int64)
        costs = np.array([p.cost for p in instance.projects], dtype=np.int64)
        values = np.asarray(profile.values, dtype=np.int64)
        if profile.ballot_type in _COST_UTILITY:
            self.utility = np.where(values > 0, costs[self.project] if self.project.size else values, 0)
        else:
            self.utility = values
        self.voter_district = np.asarray(profile.voter_district, dtype=np.int64)
        self.district_names = tuple(profile.districts)


class _District:
    """One district's MES problem: its projects, voters and the bounds a winner must respect."""

    def __init__(
        self, instance: Instance, entries: _Entries, name: str, tracker: BoundTracker, shared_total: bool
    ) -> None:
        self.instance = instance
        self.name = name
        self.budget = int(instance.district_budgets[name])
        self.projects = [i for i, p in enumerate(instance.projects) if p.district == name]
        self.tracker = tracker
        self.shared_total = shared_total
        local = np.full(len(instance.projects), -1, dtype=np.int64)
        local[self.projects] = np.arange(len(self.projects))
        if name in entries.district_names:
            in_district = entries.voter_district == entries.district_names.index(name)
        else:
            in_district = np.zeros(entries.voter_district.shape[0], dtype=bool)
        voters = np.nonzero(in_district)[0]
        self.num_voters = int(voters.shape[0])
        voter_local = np.cumsum(in_district) - 1
        keep = in_district[entries.voter] & (local[entries.project] >= 0) if entries.voter.size else entries.voter > 0
        self.costs = np.array([instance.projects[i].cost for i in self.projects], dtype=np.int64)
        self.data: DistrictData = prepare_district(
            num_voters=self.num_voters,
            voter=voter_local[entries.voter[keep]],
            project=local[entries.project[keep]],
            utility=entries.utility[keep],
            cost=self.costs,
            ids=[instance.projects[i].id for i in self.projects],
        )
        d = self.data
        # pabutools funds supported free projects up front and never lets anyone pay for them.
        self.free = [j for j in range(d.num_projects) if d.supported[j] and d.cost[j] == 0]
        self.available = [j for j in range(d.num_projects) if d.supported[j] and d.cost[j] > 0]
        self.blocked: dict[int, tuple[Any, int]] = {}
        self.last_exact = False

    def b0(self) -> Fraction:
        """The initial per-voter budget."""
        return Fraction(self.budget, self.num_voters)

    def _allowed(self, blocked: dict[int, tuple[Any, int]]) -> Any:
        """A veto for one run: refuses winners that would break a shared bound."""
        tracker = self.tracker
        spent: dict[int, int] = {}
        district_bounds = {
            b for j in self.projects for b in tracker.project_bounds[j] if tracker.bounds[b].kind == "district"
        }
        skip = set(district_bounds) | (set() if self.shared_total else {0})

        def allowed(j: int, selected: list[int]) -> bool:
            g = self.projects[j]
            cost = self.instance.projects[g].cost
            for b in tracker.project_bounds[g]:
                if b in skip:
                    continue
                left = tracker.left(b) - spent.get(b, 0)
                if cost > left:
                    blocked[j] = (tracker.bounds[b], left)
                    return False
            for b in tracker.project_bounds[g]:
                spent[b] = spent.get(b, 0) + cost
            return True

        return allowed

    def run(self, b0: Fraction) -> tuple[RunResult, dict[int, tuple[Any, int]]]:
        """One MES run with per-voter budget ``b0``, free projects first."""
        blocked: dict[int, tuple[Any, int]] = {}
        allowed = self._allowed(blocked)
        free_ok = [j for j in self.free if allowed(j, [])]
        # Rounds that needed exact arithmetic tend to need it again one unit later (same ties).
        res = run_mes(self.data, b0, allowed, exact=self.last_exact)
        self.last_exact = res.exact
        res.selected[:0] = free_ok
        res.rhos[:0] = [Fraction(0)] * len(free_ok)
        res.poor[:0] = [0] * len(free_ok)
        return res, blocked

    def exhaustive(self, chosen: list[int]) -> bool:
        """Whether no supported project can be added to ``chosen`` within every bound."""
        cost = int(self.costs[chosen].sum()) if chosen else 0
        room = self.budget - cost
        if self.shared_total:
            room = min(room, self.tracker.left(0) - cost)
        taken = set(chosen)
        spent: dict[int, int] = {}
        for c in chosen:
            for b in self.tracker.project_bounds[self.projects[c]]:
                spent[b] = spent.get(b, 0) + int(self.costs[c])
        for j in self.available:
            if j in taken or int(self.costs[j]) > room:
                continue
            g = self.projects[j]
            if all(
                self.tracker.bounds[b].kind in ("district", "total")
                or int(self.costs[j]) <= self.tracker.left(b) - spent.get(b, 0)
                for b in self.tracker.project_bounds[g]
            ):
                return False
        return True

    def feasible(self, chosen: list[int]) -> bool:
        """Whether an outcome spends no more than the district (and shared total) budget."""
        cost = int(self.costs[chosen].sum()) if chosen else 0
        return cost <= self.budget and (not self.shared_total or cost <= self.tracker.left(0))

    def solve(self, completion: str) -> tuple[list[int], int, RunResult | None]:
        """MES (with add1 when asked): the chosen local projects, increments used, final run."""
        if self.num_voters == 0:
            return [], 0, None
        b0 = self.b0()
        res, self.blocked = self.run(b0)
        if completion == "none":
            return list(res.selected), 0, res
        previous: tuple[list[int], int, RunResult | None, dict[int, Any]] = (list(self.free), 0, None, {})
        k = 0
        while True:
            chosen = list(res.selected)
            if not self.feasible(chosen):
                chosen, k, res_prev, self.blocked = previous
                return chosen, k, res_prev
            if self.exhaustive(chosen):
                return chosen, k, res
            previous = (chosen, k, res, self.blocked)
            k += 1
            res, self.blocked = self.run(b0 + k)

    def details(self, res: RunResult | None, k: int, chosen: list[int]) -> dict[str, Any]:
        """MES details of the district for :attr:`Allocation.details`."""
        b0 = self.b0() if self.num_voters else Fraction(0)
        used = b0 + k
        return {
            "voters": self.num_voters,
            "budget": self.budget,
            "per_voter_budget": str(b0),
            "increments": k,
            "effective_per_voter_budget": str(used),
            "effective_per_voter_budget_float": float(used),
            "mes_cost": int(self.costs[chosen].sum()) if chosen else 0,
            "exact_arithmetic": bool(res.exact) if res is not None else False,
            "order": [self.instance.projects[self.projects[j]].id for j in chosen],
        }


def _complete_greedily(
    instance: Instance, scores: Any, run: _District, chosen: list[int], tracker: BoundTracker
) -> list[int]:
    """add1-greedy: after MES, fund the district's other projects by votes while they fit."""
    taken = {run.projects[j] for j in chosen}
    trial = BoundTracker(instance)
    trial.spent = list(tracker.spent)
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
