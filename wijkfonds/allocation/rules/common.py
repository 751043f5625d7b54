"""Helpers shared by every rule: project scores, bound checking, building an :class:`Allocation`.

Utility convention (the same for every rule, so that results are comparable):

* ``scores[i]`` is the support of project ``i``: the sum of the ``values`` the ballots give
  it. For approval and choose-1 ballots that is the number of supporters, for
  cumulative/scoring ballots the sum of points, for ordinal ballots the Borda-like score
  the reader stored in ``values``.
* The utility of a plan is ``sum(cost[i] * scores[i])`` over its projects (exact money
  times support, so a Fraction when costs have cents). For approval
  ballots this is exactly pabutools' ``Cost_Sat`` welfare: a voter gets the euros of the
  approved projects that are funded. Greedy orders projects by ``scores`` (that is
  utility per euro), the ILP maximises this utility, and MES uses cost utilities.

Money is exact throughout (:mod:`wijkfonds.allocation.money`); bounds derived from shares
are rounded to the round's money unit (whole euros, or cents when amounts have cents).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, TypeAlias

from wijkfonds.allocation.model import Allocation, AllocationError, Instance, Profile, Project, ProjectOutcome
from wijkfonds.allocation.money import Money, format_money

__all__ = [
    "Bound",
    "BoundTracker",
    "Scores",
    "build_allocation",
    "currency_of",
    "format_money",
    "greedy_order",
    "normal_money",
    "project_label",
    "project_scores",
    "share_ceil",
    "share_floor",
    "violated_bounds",
]

# Support per project, index-aligned with ``instance.projects``: what project_scores
# returns, or any sequence of whole numbers (tests pass lists). numpy is imported where it
# is used, so that the command line's quick path (:mod:`wijkfonds.allocation.quick`) can
# assemble an Allocation without loading it.
if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Scores: TypeAlias = Sequence[int] | npt.NDArray[np.int64]
else:
    Scores = Sequence[int]

# Kinds of upper bound, in the order they are reported when several block at once.
BOUND_KINDS = ("total", "district", "neighbourhood", "category_cap", "category_share")


def project_scores(instance: Instance, profile: Profile) -> npt.NDArray[np.int64]:
    """Support per project (index-aligned with ``instance.projects``); see the module docstring."""
    import numpy as np

    n = len(instance.projects)
    indices = np.asarray(profile.indices)
    values = np.asarray(profile.values)
    if indices.size and (int(indices.min()) < 0 or int(indices.max()) >= n):
        raise AllocationError("the profile refers to a project that is not in the instance")
    if values.size and int(values.min()) < 0:
        raise AllocationError("the profile contains a negative vote value")
    if values.size == 0 or bool(np.all(values == 1)):
        return np.bincount(indices, minlength=n).astype(np.int64)
    # np.bincount only sums in float64; that is exact while every total stays below 2**53.
    total = int(values.sum())
    if total >= 2**53:
        sums = [0] * n
        for i, v in zip(indices.tolist(), values.tolist(), strict=True):
            sums[i] += v
        return np.array(sums, dtype=np.int64)
    return np.rint(np.bincount(indices, weights=values, minlength=n)).astype(np.int64)


def greedy_order(instance: Instance, scores: Scores) -> list[int]:
    """Project indices in the order greedy considers them.

    Matches pabutools' additive greedy with ``Cost_Sat`` and lexicographic tie-breaking:
    free projects with support come first, then by support descending, ties by project
    id compared as strings; a project without support has density 0 whatever its cost.
    """

    def key(i: int) -> tuple[int, int, str]:
        p = instance.projects[i]
        s = int(scores[i])
        free_with_support = 0 if (p.cost == 0 and s > 0) else 1
        return (free_with_support, -s if free_with_support else 0, p.id)

    return sorted(range(len(instance.projects)), key=key)


def share_floor(share: Fraction, budget: Money, scale: int = 1) -> Money:
    """Largest amount in whole ``1 / scale`` units that respects a maximum share of ``budget``.

    ``scale`` is the instance's :attr:`~.Instance.money_scale`: every plan spends a whole
    number of those units, so this bound is exactly ``spend <= share * budget``.
    """
    return normal_money(Fraction(math.floor(Fraction(share) * budget * scale), scale))


def share_ceil(share: Fraction, budget: Money, scale: int = 1) -> Money:
    """Smallest amount in whole ``1 / scale`` units that meets a minimum share of ``budget``."""
    return normal_money(Fraction(math.ceil(Fraction(share) * budget * scale), scale))


def normal_money(value: Fraction | int) -> Money:
    """An exact sum of money in normal form: an int when whole, else a Fraction."""
    value = Fraction(value)
    return value.numerator if value.denominator == 1 else value


@dataclass(frozen=True, slots=True)
class Bound:
    """One upper bound on spending: ``kind`` (see ``BOUND_KINDS``), ``name`` and ``limit``."""

    kind: str
    name: str
    limit: Money


class BoundTracker:
    """Tracks what is left under every upper bound while a rule adds projects one by one.

    Upper bounds are the total budget, each district's budget, neighbourhood caps,
    category caps and category maximum shares (floors and minimum shares are lower
    bounds; only the ILP can guarantee them). It also tracks the instance's exclusive
    groups: once one member of a group is funded, the others no longer fit.
    """

    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self.bounds: list[Bound] = [Bound("total", "", instance.budget)]
        index: dict[tuple[str, str], int] = {("total", ""): 0}

        def add(kind: str, name: str, limit: Money) -> int:
            key = (kind, name)
            if key not in index:
                index[key] = len(self.bounds)
                self.bounds.append(Bound(kind, name, limit))
            return index[key]

        self.project_bounds: list[tuple[int, ...]] = []
        for p in instance.projects:
            ids = [0, add("district", p.district, instance.district_budgets[p.district])]
            if p.neighbourhood is not None and p.neighbourhood in instance.neighbourhood_caps:
                ids.append(add("neighbourhood", p.neighbourhood, instance.neighbourhood_caps[p.neighbourhood]))
            for c in dict.fromkeys(p.categories):
                if c in instance.category_caps:
                    ids.append(add("category_cap", c, instance.category_caps[c]))
                if c in instance.category_max_share:
                    limit = share_floor(instance.category_max_share[c], instance.budget, instance.money_scale)
                    ids.append(add("category_share", c, limit))
            self.project_bounds.append(tuple(ids))
        self.spent: list[Money] = [0] * len(self.bounds)
        index_of = instance.index_of()
        self.project_groups: list[list[int]] = [[] for _ in instance.projects]
        for g, group in enumerate(instance.exclusive_groups):
            for pid in group:
                self.project_groups[index_of[pid]].append(g)
        self.group_taken: dict[int, int] = {}  # group -> the funded project (index) in it

    def copy(self) -> BoundTracker:
        """An independent tracker in the same state (for trying additions)."""
        other = BoundTracker.__new__(BoundTracker)
        other.instance, other.bounds, other.project_bounds = self.instance, self.bounds, self.project_bounds
        other.project_groups = self.project_groups
        other.spent = list(self.spent)
        other.group_taken = dict(self.group_taken)
        return other

    def excluded_by(self, project: int) -> int | None:
        """The funded project (index) that shares an exclusive group with ``project``, if any."""
        for g in self.project_groups[project]:
            taken = self.group_taken.get(g)
            if taken is not None and taken != project:
                return taken
        return None

    def left(self, bound: int) -> Money:
        """Money still available under bound number ``bound``."""
        return self.bounds[bound].limit - self.spent[bound]

    def blocking(self, project: int) -> tuple[Bound, Money] | None:
        """The bound that project ``project`` would exceed, with what is left under it.

        When several bounds block, the one with the least money left is reported (ties:
        the broadest bound), since that is the one a resident can check most easily.
        """
        cost = self.instance.projects[project].cost
        worst: tuple[Bound, Money] | None = None
        for b in self.project_bounds[project]:
            left = self.left(b)
            if cost > left and (worst is None or left < worst[1]):
                worst = (self.bounds[b], normal_money(left))
        return worst

    def fits(self, project: int) -> bool:
        """Whether the project still fits under every upper bound it falls under (and is not excluded)."""
        cost = self.instance.projects[project].cost
        return self.excluded_by(project) is None and all(cost <= self.left(b) for b in self.project_bounds[project])

    def add(self, project: int) -> None:
        """Record that the project is funded."""
        cost = self.instance.projects[project].cost
        for b in self.project_bounds[project]:
            self.spent[b] += cost
        for g in self.project_groups[project]:
            self.group_taken.setdefault(g, project)


def violated_bounds(instance: Instance, selected: Sequence[int]) -> list[str]:
    """Every bound (upper and lower) and exclusive group a set of project indices violates, as readable text."""
    problems: list[str] = []
    tracker = BoundTracker(instance)
    for i in selected:
        tracker.add(i)
    for b, bound in enumerate(tracker.bounds):
        if tracker.spent[b] > bound.limit:
            problems.append(f"{bound.kind} {bound.name!r}: {tracker.spent[b]} > {bound.limit}")
    district_spend = _spend_by(instance, selected, lambda p: (p.district,))
    for d, floor in instance.district_floors.items():
        if district_spend.get(d, 0) < floor:
            problems.append(f"district floor {d!r}: {district_spend.get(d, 0)} < {floor}")
    chosen = {instance.projects[i].id for i in selected}
    for group in instance.exclusive_groups:
        funded = [pid for pid in group if pid in chosen]
        if len(funded) > 1:
            problems.append(f"exclusive group {','.join(group)}: {', '.join(funded)} are all funded")
    category_spend = _spend_by(instance, selected, lambda p: tuple(dict.fromkeys(p.categories)))
    for c, share in instance.category_min_share.items():
        need = share_ceil(share, instance.budget, instance.money_scale)
        if category_spend.get(c, 0) < need:
            problems.append(f"category minimum {c!r}: {category_spend.get(c, 0)} < {need}")
    return problems


def _spend_by(
    instance: Instance, selected: Sequence[int], keys: Callable[[Project], Iterable[str]]
) -> dict[str, Money]:
    spend: dict[str, Money] = {}
    for i in selected:
        p = instance.projects[i]
        for k in keys(p):
            spend[k] = spend.get(k, 0) + p.cost
    return {k: normal_money(v) for k, v in spend.items()}


def build_allocation(
    *,
    rule: str,
    completion: str,
    instance: Instance,
    scores: Scores,
    selected: Sequence[int],
    outcomes: Mapping[str, ProjectOutcome],
    optimal: bool | None,
    status: str,
    seconds: float,
    details: Mapping[str, object] | None = None,
) -> Allocation:
    """Assemble an :class:`Allocation` from selected project indices (kept in the given order).

    ``utility`` is the cost-weighted utility of the module docstring; ``details["votes"]``
    adds the plain sum of support of the selected projects.
    """
    projects = instance.projects
    district_spend: dict[str, Money] = dict.fromkeys(instance.districts, 0)
    district_spend.update(_spend_by(instance, selected, lambda p: (p.district,)))
    category_spend = _spend_by(instance, selected, lambda p: tuple(dict.fromkeys(p.categories)))
    extra = dict(details or {})
    extra.setdefault("votes", sum(int(scores[i]) for i in selected))
    return Allocation(
        rule=rule,
        completion=completion,
        selected=tuple(projects[i].id for i in selected),
        cost=normal_money(sum((projects[i].cost for i in selected), Fraction(0))),
        utility=normal_money(sum((projects[i].cost * int(scores[i]) for i in selected), Fraction(0))),
        district_spend=district_spend,
        category_spend=dict(sorted(category_spend.items())),
        outcomes=dict(outcomes),
        optimal=optimal,
        status=status,
        seconds=seconds,
        details=extra,
    )


def project_label(instance: Instance, project: int) -> str:
    """How explanations name another project: ``Name (id)``, or the id when it has no name."""
    p = instance.projects[project]
    return f"{p.name} ({p.id})" if p.name else p.id


def currency_of(instance: Instance) -> str:
    """The currency of a round: META ``currency`` of its files, else EUR."""
    for meta in instance.meta.values():
        if meta.get("currency"):
            return str(meta["currency"])
    return "EUR"
