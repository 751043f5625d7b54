"""Exact feasibility of lower bounds: can a set of funded projects still be completed?

Used by the constrained Equal Shares (:mod:`.mes_bounds`). A set ``S`` of projects is
*completable* when some plan ``W ⊇ S`` meets every bound of the instance: the upper
bounds (total, district budgets, neighbourhood and category caps, category maximum
shares), the exclusive groups, and the lower bounds (district floors, category minimum
shares). :meth:`Feasibility.witness` answers that question and returns such a plan.

* Every bound becomes one row over the projects in the round's money units (whole euros,
  or cents), so that the exact check (:meth:`Feasibility.violations`) is integer sums.
* A question is answered from the plans found before when one of them contains ``S``, or
  when ``S`` joined to one of them still meets every upper bound (adding projects only
  helps the lower bounds); otherwise SCIP solves the feasibility problem with ``x_i = 1``
  for ``i ∈ S``. A "yes" is only ever given with a plan that was re-checked in exact
  integer arithmetic, so a rounding error in the solver can cost a project its turn but can
  never let a rule buy itself into a dead end.
* :meth:`Feasibility.diagnosis` explains bounds that cannot all be met: first the bounds
  that cannot be met on their own (:func:`.ilp_checks.conflicts`), else an *irreducible*
  set of lower bounds found by the deletion filter (drop each lower bound in turn; keep it
  only when the rest becomes feasible without it), which names exactly the minimums that
  conflict with each other and the budgets.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from wijkfonds.allocation.model import AllocationError, Instance
from wijkfonds.allocation.money import format_money, to_units

from .common import currency_of, normal_money, share_ceil, share_floor
from .ilp_checks import conflicts, percent

if TYPE_CHECKING:  # pragma: no cover
    from pyscipopt import Model, Variable

__all__ = ["Feasibility", "LowerBound"]

# Plans kept to answer questions without the solver (the most recent first).
_WITNESSES = 8


@dataclass(frozen=True, slots=True)
class LowerBound:
    """One lower bound: ``kind`` ("floor" or "category_min"), ``name``, the amount ``need`` in money units."""

    kind: str
    name: str
    need: int
    members: frozenset[int]


class Feasibility:
    """The bounds of one instance as integer rows, with an exact check and a SCIP oracle."""

    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        scale = instance.money_scale
        self.scale = scale
        n = len(instance.projects)
        self.cost = np.array([to_units(p.cost, scale) for p in instance.projects], dtype=np.int64)
        by_district: dict[str, list[int]] = {d: [] for d in instance.districts}
        by_neighbourhood: dict[str, list[int]] = {}
        by_category: dict[str, list[int]] = {}
        for i, p in enumerate(instance.projects):
            by_district[p.district].append(i)
            if p.neighbourhood is not None:
                by_neighbourhood.setdefault(p.neighbourhood, []).append(i)
            for c in dict.fromkeys(p.categories):
                by_category.setdefault(c, []).append(i)
        uppers: list[tuple[str, list[int], int]] = [("total", list(range(n)), to_units(instance.budget, scale))]
        uppers += [
            (f"district:{d}", idx, to_units(instance.district_budgets[d], scale)) for d, idx in by_district.items()
        ]
        uppers += [
            (f"neighbourhood:{nb}", by_neighbourhood[nb], to_units(cap, scale))
            for nb, cap in instance.neighbourhood_caps.items()
            if by_neighbourhood.get(nb)
        ]
        for c, idx in by_category.items():
            if c in instance.category_caps:
                uppers.append((f"category_cap:{c}", idx, to_units(instance.category_caps[c], scale)))
            if c in instance.category_max_share:
                limit = share_floor(instance.category_max_share[c], instance.budget, scale)
                uppers.append((f"category_max:{c}", idx, to_units(limit, scale)))
        lowers: list[LowerBound] = []
        for d, floor in instance.district_floors.items():
            need = to_units(floor, scale) if floor > 0 else 0
            if need > 0:
                lowers.append(LowerBound("floor", d, need, frozenset(by_district.get(d, []))))
        for c, share in instance.category_min_share.items():
            need = to_units(share_ceil(share, instance.budget, scale), scale)
            if need > 0:
                lowers.append(LowerBound("category_min", c, need, frozenset(by_category.get(c, []))))
        self.upper_names = [name for name, _, _ in uppers]
        self.upper_rows = _rows([idx for _, idx, _ in uppers], n)
        self.upper_limits = np.array([limit for _, _, limit in uppers], dtype=np.int64)
        self.lowers = lowers
        self.lower_rows = _rows([sorted(b.members) for b in lowers], n)
        self.lower_needs = np.array([b.need for b in lowers], dtype=np.int64)
        index = instance.index_of()
        self.groups = [[index[pid] for pid in group] for group in instance.exclusive_groups]
        self.group_rows = _rows(self.groups, n)
        self._witnesses: list[npt.NDArray[np.bool_]] = []
        self._model: Model | None = None
        self._vars: list[Variable] = []
        self.solver_calls = 0

    @property
    def has_lower_bounds(self) -> bool:
        """Whether the instance has any district floor or category minimum share above zero."""
        return bool(self.lowers)

    def _vector(self, selected: Iterable[int]) -> npt.NDArray[np.bool_]:
        x = np.zeros(len(self.instance.projects), dtype=bool)
        x[list(selected)] = True
        return x

    def meets_upper(self, x: npt.NDArray[np.bool_]) -> bool:
        """Whether the plan ``x`` (a 0/1 vector) meets every upper bound and exclusive group, exactly."""
        spend = self.upper_rows @ np.where(x, self.cost, 0)
        if bool((spend > self.upper_limits).any()):
            return False
        return not bool((self.group_rows @ x.astype(np.int64) > 1).any())

    def fits_upper(self, selected: Iterable[int]) -> bool:
        """Whether the projects ``selected`` together meet every upper bound and exclusive group."""
        return self.meets_upper(self._vector(selected))

    def unmet(self, selected: Iterable[int]) -> list[LowerBound]:
        """The lower bounds the projects ``selected`` do not meet yet."""
        x = self._vector(selected)
        spend = self.lower_rows @ np.where(x, self.cost, 0)
        return [
            b for b, s, need in zip(self.lowers, spend.tolist(), self.lower_needs.tolist(), strict=True) if s < need
        ]

    def violations(self, selected: Iterable[int]) -> bool:
        """Whether the plan breaks any bound (upper, lower or exclusive group), exactly."""
        chosen = list(selected)
        return not self.meets_upper(self._vector(chosen)) or bool(self.unmet(chosen))

    def witness(self, selected: Iterable[int], *, relax: Sequence[int] = ()) -> list[int] | None:
        """A plan containing ``selected`` that meets every bound (exactly checked), or None when there is none.

        ``relax``: indices into :attr:`lowers` to leave out (for the diagnosis; the answer
        is then not cached).
        """
        chosen = sorted(set(selected))
        x = self._vector(chosen)
        if not relax:
            for w in self._witnesses:
                if bool(w[x].all()):
                    return np.nonzero(w)[0].tolist()
            for k, w in enumerate(self._witnesses):
                joined = w | x
                if self.meets_upper(joined):
                    self._remember(joined, k)
                    return np.nonzero(joined)[0].tolist()
        plan = self._solve(chosen, relax)
        if plan is None:
            return None
        if relax:
            return plan
        self._remember(self._vector(plan))
        return plan

    def completable(self, selected: Iterable[int]) -> bool:
        """Whether some plan containing ``selected`` meets every bound."""
        return self.witness(selected) is not None

    def _remember(self, w: npt.NDArray[np.bool_], replaces: int | None = None) -> None:
        if replaces is not None:
            del self._witnesses[replaces]
        self._witnesses.insert(0, w)
        del self._witnesses[_WITNESSES:]

    def _solve(self, fixed: Sequence[int], relax: Sequence[int]) -> list[int] | None:
        """SCIP: a plan with ``x_i = 1`` for ``fixed``; None when SCIP proves there is none or finds no exact plan."""
        self.solver_calls += 1
        if relax:
            model, x = self._build(set(relax))
        else:
            if self._model is None:
                self._model, self._vars = self._build(set())
            else:
                self._model.freeTransform()
            model, x = self._model, self._vars
        fixed_set = set(fixed)
        for i, v in enumerate(x):
            model.chgVarLb(v, 1.0 if i in fixed_set else 0.0)
        model.optimize()
        if model.getNSols() == 0:
            return None
        sol = model.getBestSol()
        plan = [i for i, v in enumerate(x) if model.getSolVal(sol, v) > 0.5]
        relaxed = set(relax)
        vec = self._vector(plan)
        if not fixed_set.issubset(plan) or not self.meets_upper(vec):
            return None
        spend = self.lower_rows @ np.where(vec, self.cost, 0)
        for k, (s, need) in enumerate(zip(spend.tolist(), self.lower_needs.tolist(), strict=True)):
            if k not in relaxed and s < need:
                return None
        return plan

    def _build(self, relax: set[int]) -> tuple[Model, list[Variable]]:
        try:
            from pyscipopt import Model, quicksum
        except ImportError as exc:  # pragma: no cover - pyscipopt is a dependency
            raise AllocationError(f"the bounds need pyscipopt (SCIP): {exc}") from exc
        model = Model("wijkfonds-feasibility")
        model.hideOutput()
        model.setParam("numerics/feastol", 1e-9)
        model.setParam("randomization/randomseedshift", 0)
        model.setParam("constraints/knapsack/dualpresolving", False)
        # any plan will do: stop at the first one
        model.setParam("limits/solutions", 1)
        n = len(self.instance.projects)
        x = [model.addVar(f"x{i}", vtype="B") for i in range(n)]
        cost = self.cost.tolist()
        for r, name in enumerate(self.upper_names):
            idx = np.nonzero(self.upper_rows[r])[0].tolist()
            if idx:
                model.addCons(quicksum(cost[i] * x[i] for i in idx) <= int(self.upper_limits[r]), name=name)
        for k, bound in enumerate(self.lowers):
            if k in relax:
                continue
            idx = sorted(bound.members)
            model.addCons(quicksum(cost[i] * x[i] for i in idx) >= bound.need, name=f"{bound.kind}:{bound.name}")
        for g, group in enumerate(self.groups):
            model.addCons(quicksum(x[i] for i in group) <= 1, name=f"exclusive:{g}")
        return model, x

    def describe(self, bound: LowerBound) -> str:
        """A lower bound in English, with its amount."""
        cur = currency_of(self.instance)
        amount = format_money(normal_money(Fraction(bound.need, self.scale)), "en", cur)
        if bound.kind == "floor":
            return f"the floor of {amount} for {bound.name}"
        share = self.instance.category_min_share[bound.name]
        return f"the minimum {percent(share)} ({amount}) for {bound.name}"

    def conflict(self) -> list[int]:
        """An irreducible set of lower bounds (indices into :attr:`lowers`) that no plan meets together.

        The deletion filter: each lower bound in turn is left out for good when the others
        still conflict without it. Call only when :meth:`witness` of ``[]`` is None.
        """
        keep = list(range(len(self.lowers)))
        needed: list[int] = []
        for k in list(keep):
            trial = [j for j in keep if j != k]
            relax = [j for j in range(len(self.lowers)) if j not in trial]
            if self._solve([], relax) is None:
                keep = trial  # still infeasible without k: k is not part of the conflict
            else:
                needed.append(k)
        return needed

    def diagnosis(self) -> str:
        """Why no plan meets every bound: the bounds that fail on their own, else an irreducible conflicting set."""
        single = conflicts(self.instance)
        if single:
            return "the constraints cannot be met: " + "; ".join(single)
        names = "; ".join(self.describe(self.lowers[k]) for k in self.conflict())
        return (
            "the constraints cannot all be met at once: no plan meets "
            + names
            + " together with the budgets, caps and exclusive groups; relax one of them"
        )


def _rows(members: Sequence[Sequence[int]], n: int) -> npt.NDArray[np.int64]:
    """A 0/1 matrix with one row per list of project indices."""
    rows = np.zeros((len(members), n), dtype=np.int64)
    for r, idx in enumerate(members):
        rows[r, list(idx)] = 1
    return rows
