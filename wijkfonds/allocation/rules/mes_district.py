"""One district's Equal Shares problem: its projects, voters, bounds and the add1 loop.

Shared by :mod:`.mes` (which runs every district) and :mod:`.mes_explain` (which
explains a district's outcome), so that neither needs the other's internals.

The numeric core works on whole numbers: every amount is taken in the round's money units
(:attr:`~wijkfonds.allocation.model.Instance.money_scale`: whole euros, or cents when an
amount has cents). MES is unchanged by such a change of unit (all budgets and costs scale
alike); add1 still raises the per-voter budget by one whole currency unit per step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from wijkfonds.allocation.model import BallotType, Instance, Profile
from wijkfonds.allocation.money import Money, to_units

from .common import Bound, BoundTracker, normal_money
from .mes_core import RunResult, run_mes
from .mes_data import DistrictData, prepare_district

__all__ = ["District", "Entries", "Vetoes"]

_COST_UTILITY = (BallotType.APPROVAL, BallotType.CHOOSE_1)


class Entries:
    """The profile's ballot entries with voter, district and utility, built once per call."""

    def __init__(self, instance: Instance, profile: Profile) -> None:
        indptr = np.asarray(profile.indptr, dtype=np.int64)
        self.voter = np.repeat(np.arange(profile.num_voters, dtype=np.int64), np.diff(indptr))
        self.project = np.asarray(profile.indices, dtype=np.int64)
        costs = np.array([to_units(p.cost, instance.money_scale) for p in instance.projects], dtype=np.int64)
        values = np.asarray(profile.values, dtype=np.int64)
        if profile.ballot_type in _COST_UTILITY:
            self.utility = np.where(values > 0, costs[self.project] if self.project.size else values, 0)
        else:
            self.utility = values
        self.voter_district = np.asarray(profile.voter_district, dtype=np.int64)
        self.district_names = tuple(profile.districts)


@dataclass
class Vetoes:
    """The winners one run refused (local project index -> why).

    ``bounds``: a shared bound it would break, with what was left under it; ``excluded``:
    the funded project (global index) it shares an exclusive group with; ``lower``: winners
    after which the lower bounds could no longer all be met (constrained Equal Shares only).
    """

    bounds: dict[int, tuple[Bound, Money]] = field(default_factory=dict)
    excluded: dict[int, int] = field(default_factory=dict)
    lower: set[int] = field(default_factory=set)


class District:
    """One district's MES problem: its projects, voters and the bounds a winner must respect.

    ``lower_check`` (set by the constrained Equal Shares, :mod:`.mes_bounds`): called with
    the global indices a run has funded so far plus the winner; a winner for which it
    returns False is refused (recorded in ``Vetoes.lower``). None for plain Equal Shares.
    """

    lower_check: Callable[[list[int]], bool] | None = None

    def __init__(
        self, instance: Instance, entries: Entries, name: str, tracker: BoundTracker, shared_total: bool
    ) -> None:
        self.instance = instance
        self.name = name
        self.scale = instance.money_scale
        self.budget: Money = instance.district_budgets[name]
        self.budget_units = to_units(self.budget, self.scale)
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
        # in money units (see the module docstring)
        self.costs = np.array([to_units(instance.projects[i].cost, self.scale) for i in self.projects], dtype=np.int64)
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
        self.vetoes = Vetoes()
        self.last_exact = False

    def units(self, amount: Money) -> int:
        """An amount in the money units the core works in."""
        return to_units(amount, self.scale)

    def money(self, units: int | Fraction) -> Money:
        """Money units back to an amount."""
        return normal_money(Fraction(units, self.scale))

    def chosen_cost(self, chosen: list[int]) -> Money:
        """What the local projects ``chosen`` cost together."""
        return self.money(int(self.costs[chosen].sum()) if chosen else 0)

    def b0(self) -> Fraction:
        """The initial per-voter budget, in money units."""
        return Fraction(self.budget_units, self.num_voters)

    def _allowed(self, vetoes: Vetoes) -> Any:
        """A veto for one run: refuses winners that would break a shared bound or join a funded exclusive group."""
        tracker = self.tracker
        spent: dict[int, Money] = {}
        taken = dict(tracker.group_taken)  # exclusive group -> funded project, this run included
        district_bounds = {
            b for j in self.projects for b in tracker.project_bounds[j] if tracker.bounds[b].kind == "district"
        }
        skip = set(district_bounds) | (set() if self.shared_total else {0})
        lower_check = self.lower_check
        accepted: list[int] = []  # global indices this run funded (free projects included)

        def allowed(j: int, selected: list[int]) -> bool:
            g = self.projects[j]
            cost = self.instance.projects[g].cost
            other = next((taken[e] for e in tracker.project_groups[g] if e in taken), None)
            if other is not None:
                vetoes.excluded[j] = other
                return False
            for b in tracker.project_bounds[g]:
                if b in skip:
                    continue
                left = tracker.left(b) - spent.get(b, 0)
                if cost > left:
                    vetoes.bounds[j] = (tracker.bounds[b], normal_money(left))
                    return False
            if lower_check is not None and not lower_check([*accepted, g]):
                vetoes.lower.add(j)
                return False
            accepted.append(g)
            for b in tracker.project_bounds[g]:
                spent[b] = spent.get(b, 0) + cost
            for e in tracker.project_groups[g]:
                taken[e] = g
            return True

        return allowed

    def run(self, b0: Fraction) -> tuple[RunResult, Vetoes]:
        """One MES run with per-voter budget ``b0`` (money units), free projects first."""
        vetoes = Vetoes()
        allowed = self._allowed(vetoes)
        free_ok = [j for j in self.free if allowed(j, [])]
        # Rounds that needed exact arithmetic tend to need it again one unit later (same ties).
        res = run_mes(self.data, b0, allowed, exact=self.last_exact)
        self.last_exact = res.exact
        res.selected[:0] = free_ok
        res.rhos[:0] = [Fraction(0)] * len(free_ok)
        res.poor[:0] = [0] * len(free_ok)
        return res, vetoes

    def exhaustive(self, chosen: list[int]) -> bool:
        """Whether no supported project can be added to ``chosen`` within every bound."""
        cost = int(self.costs[chosen].sum()) if chosen else 0
        room = self.budget_units - cost
        if self.shared_total:
            room = min(room, self.units(self.tracker.left(0)) - cost)
        taken = set(chosen)
        spent: dict[int, int] = {}
        groups = {e for c in chosen for e in self.tracker.project_groups[self.projects[c]]}
        funded = [self.projects[c] for c in chosen]
        for c in chosen:
            for b in self.tracker.project_bounds[self.projects[c]]:
                spent[b] = spent.get(b, 0) + int(self.costs[c])
        for j in self.available:
            if j in taken or int(self.costs[j]) > room:
                continue
            g = self.projects[j]
            if self.tracker.excluded_by(g) is not None or groups.intersection(self.tracker.project_groups[g]):
                continue  # a project of its exclusive group is funded: it cannot be added
            if all(
                self.tracker.bounds[b].kind in ("district", "total")
                or int(self.costs[j]) <= self.units(self.tracker.left(b)) - spent.get(b, 0)
                for b in self.tracker.project_bounds[g]
            ) and (self.lower_check is None or self.lower_check([*funded, g])):
                return False
        return True

    def feasible(self, chosen: list[int]) -> bool:
        """Whether an outcome spends no more than the district (and shared total) budget."""
        cost = int(self.costs[chosen].sum()) if chosen else 0
        return cost <= self.budget_units and (not self.shared_total or cost <= self.units(self.tracker.left(0)))

    def solve(self, completion: str) -> tuple[list[int], int, RunResult | None]:
        """MES (with add1 when asked): the chosen local projects, increments used, final run."""
        if self.num_voters == 0:
            return [], 0, None
        b0 = self.b0()
        res, self.vetoes = self.run(b0)
        if completion == "none":
            return list(res.selected), 0, res
        previous: tuple[list[int], int, RunResult | None, Vetoes] = (list(self.free), 0, None, Vetoes())
        k = 0
        while True:
            chosen = list(res.selected)
            if not self.feasible(chosen):
                chosen, k, res_prev, self.vetoes = previous
                return chosen, k, res_prev
            if self.exhaustive(chosen):
                return chosen, k, res
            previous = (chosen, k, res, self.vetoes)
            k += 1
            res, self.vetoes = self.run(b0 + k * self.scale)  # one currency unit more per voter

    def details(self, res: RunResult | None, k: int, chosen: list[int]) -> dict[str, Any]:
        """MES details of the district for :attr:`Allocation.details`."""
        b0 = self.b0() / self.scale if self.num_voters else Fraction(0)
        used = b0 + k
        return {
            "voters": self.num_voters,
            "budget": self.budget,
            "per_voter_budget": str(b0),
            "increments": k,
            "effective_per_voter_budget": str(used),
            "effective_per_voter_budget_float": float(used),
            "mes_cost": self.chosen_cost(chosen),
            "exact_arithmetic": bool(res.exact) if res is not None else False,
            "order": [self.instance.projects[self.projects[j]].id for j in chosen],
        }
