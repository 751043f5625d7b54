"""Equal Shares over groups of identical ballots, in floats that must decide beyond doubt.

The semantics are those of :mod:`wijkfonds.allocation.rules.mes_core` (pabutools'
``method_of_equal_shares``): every voter starts with ``b0``; a project is bought at the
smallest ``rho`` with ``sum min(b_i, rho * w_i) >= cost`` over its supporters; ties go to the
smallest id as a string; a project whose supporters hold less than its cost is out for good.

Every comparison that decides something is made with a margin: two projects' ``rho`` must
differ by more than ``_TOL`` (relative), a project's supporters must hold clearly more or
clearly less than its cost, and a supporter's budget must lie clearly above or below what it
is asked to pay. When one does not, the run gives up (:class:`Doubt`) and the command line
runs the full engine, which settles such cases in exact arithmetic. So whatever this module
returns is the exact outcome; float rounding on these sizes is some 1e-13, far inside the margin.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import mul

try:  # the same loop in C, built by the install (setuptools ext-modules in pyproject.toml)
    from ._mes import equal_shares as _equal_shares_in_c
except ImportError:  # pragma: no cover - a checkout that was not installed: the Python loop
    _equal_shares_in_c = None  # type: ignore[assignment]  # (the tests fail when it is missing)

__all__ = ["MES_IN_C", "Doubt", "QuickRun", "Supporters", "equal_shares"]

MES_IN_C = _equal_shares_in_c is not None

# Per project: the groups that support it and their utilities (> 0), as two parallel lists.
Supporters = list[tuple[list[int], list[int]]]

_TOL = 1e-9


class Doubt(Exception):
    """A comparison was too close to decide in floats."""


@dataclass
class QuickRun:
    """What a run did: funded projects in order, with their ``rho`` and how many paid all they had.

    ``budgets[g]`` is the money left to each voter of group ``g`` at the end.
    """

    selected: list[int]
    rhos: list[float]
    poor: list[int]
    budgets: list[float]


def equal_shares(
    supporters: Supporters, counts: list[int], costs: list[int], ids: list[str], b0: float, *, python: bool = False
) -> QuickRun:
    """Run Equal Shares: ``supporters[j]`` holds project ``j``'s groups and their utilities (> 0).

    ``costs`` are positive whole money units; raises :class:`Doubt` (see the module docstring).
    The loop runs in C (``_mes.c``, the same operations in the same order, so the same bits)
    unless ``python`` is given or the C one was not built; the tests compare both.
    """
    m = len(costs)
    rank = {j: r for r, j in enumerate(sorted(range(m), key=lambda j: ids[j]))}
    if _equal_shares_in_c is not None and not python:
        found = _equal_shares_in_c(supporters, counts, costs, [rank[j] for j in range(m)], b0)
        if found is None:
            raise Doubt("a comparison in the C loop was too close to call")
        return QuickRun(*found)
    budgets = [b0] * len(counts)
    groups_of = [set(supporters[j][0]) for j in range(m)]
    alive = {j for j in range(m) if supporters[j][0]}
    rho: dict[int, float] = {}
    dirty = set(alive)
    selected: list[int] = []
    rhos: list[float] = []
    poors: list[int] = []
    while alive:
        # A project's rho only rises as budgets shrink, so a stale one is a lower bound: only
        # projects whose bound could still beat (or tie) the best are priced again.
        best: int | None = None
        for j in sorted(alive, key=lambda j: (rho.get(j, 0.0), rank[j])):
            if best is not None and rho.get(j, 0.0) > rho[best] * (1 + 2 * _TOL):
                break
            if j in dirty:
                dirty.discard(j)
                price = _rho(supporters[j], counts, budgets, costs[j])
                if price is None:
                    alive.discard(j)
                    rho.pop(j, None)
                    continue
                rho[j] = price
            if best is None or (rho[j], rank[j]) < (rho[best], rank[best]):
                best = j
        if best is None:
            break
        winner = best
        for j in alive:
            if j != winner and j not in dirty and rho[j] - rho[winner] <= _TOL * rho[winner]:
                raise Doubt(f"projects {ids[winner]!r} and {ids[j]!r} are too close to call")
        alive.discard(winner)
        selected.append(winner)
        rhos.append(rho[winner])
        poors.append(_pay(supporters[winner], counts, budgets, rho[winner], ids[winner]))
        touched = groups_of[winner]
        dirty |= {j for j in alive if not touched.isdisjoint(groups_of[j])}
    return QuickRun(selected, rhos, poors, budgets)


def _pay(pairs: tuple[list[int], list[int]], counts: list[int], budgets: list[float], price: float, pid: str) -> int:
    """Charge a funded project's supporters ``price`` per unit of utility; return how many paid all they had."""
    poor = 0
    for g, w in zip(*pairs, strict=True):
        due = price * w
        left = budgets[g]
        if abs(left - due) <= _TOL * due:
            raise Doubt(f"a supporter of {pid!r} has almost exactly its share")
        if left < due:
            poor += counts[g]
            budgets[g] = 0.0
        else:
            budgets[g] = left - due
    return poor


def held(groups: list[int], counts: list[int], budgets: list[float]) -> float:
    """What the voters of ``groups`` hold together."""
    total: float = sum(map(mul, map(counts.__getitem__, groups), map(budgets.__getitem__, groups)))
    return total


def _rho(pairs: tuple[list[int], list[int]], counts: list[int], budgets: list[float], cost: int) -> float | None:
    """The smallest ``rho`` at which the supporters can pay ``cost`` (None when they cannot)."""
    groups, utilities = pairs
    total = held(groups, counts, budgets)
    if abs(total - cost) <= _TOL * (total + cost):
        raise Doubt("the supporters hold almost exactly the cost")
    if total < cost:
        return None
    left = list(map(budgets.__getitem__, groups))
    n = list(map(counts.__getitem__, groups))
    items = sorted(zip(map(float.__truediv__, left, map(float, utilities)), left, utilities, n, strict=True))
    paid = 0.0
    weight = float(sum(map(mul, utilities, n)))
    for ratio, x, w, k in items:
        price = (cost - paid) / weight
        if price <= ratio:
            return price
        paid += x * k
        weight -= w * k
    raise Doubt("no price found")  # pragma: no cover - total >= cost guarantees one
