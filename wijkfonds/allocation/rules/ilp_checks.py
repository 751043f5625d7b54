"""Readable messages for lower bounds that cannot be met (district floors, minimum shares).

:func:`precheck` finds the obvious conflicts in exact arithmetic before SCIP runs, so
that staff get a sentence naming the constraint and the numbers;
:func:`infeasibility_message` lists every lower bound when only the solver can tell that
they conflict together.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from wijkfonds.allocation.model import AllocationError, Instance
from wijkfonds.allocation.money import Money, format_money

from .common import currency_of, share_ceil, share_floor

__all__ = ["conflicts", "infeasibility_message", "percent", "precheck"]


def percent(share: Fraction) -> str:
    """A share as a percentage for messages: ``10%``, or ``12.5%``."""
    value = Fraction(share) * 100
    if value.denominator == 1:
        return f"{value.numerator}%"
    return f"{float(value):.4g}%"


def conflicts(instance: Instance) -> list[str]:
    """Every lower bound that cannot be met on its own, as a sentence (empty if none found)."""
    return _floor_conflicts(instance) + _share_conflicts(instance)


def _money(instance: Instance) -> Callable[[Money], str]:
    cur = currency_of(instance)
    return lambda amount: format_money(amount, "en", cur)


def _floor_conflicts(instance: Instance) -> list[str]:
    """District floors that no plan can meet: above the budget, or above what the projects cost."""
    m = _money(instance)
    found: list[str] = []
    district_cost: dict[str, Money] = dict.fromkeys(instance.districts, 0)
    for p in instance.projects:
        district_cost[p.district] += p.cost
    for d, floor in instance.district_floors.items():
        if floor <= 0:
            continue
        if d not in instance.district_budgets:
            found.append(f"the floor of {m(floor)} is set for {d}, which is not a district of this round")
        elif floor > instance.district_budgets[d]:
            found.append(f"the floor of {m(floor)} for {d} is above its budget of {m(instance.district_budgets[d])}")
        elif floor > district_cost[d]:
            found.append(
                f"the floor of {m(floor)} for {d} needs more than its projects cost in total ({m(district_cost[d])})"
            )
    floors = sum(max(f, 0) for f in instance.district_floors.values())
    if floors > instance.budget:
        found.append(f"the district floors add up to {m(floors)}, more than the total budget of {m(instance.budget)}")
    return found


def _share_conflicts(instance: Instance) -> list[str]:
    """Category minimum shares that no plan can meet on their own (the first reason per category)."""
    m = _money(instance)
    category_cost: dict[str, Money] = {}
    # category -> district -> cost of its projects there
    category_district: dict[str, dict[str, Money]] = {}
    for p in instance.projects:
        for c in dict.fromkeys(p.categories):
            category_cost[c] = category_cost.get(c, 0) + p.cost
            per = category_district.setdefault(c, {})
            per[p.district] = per.get(p.district, 0) + p.cost
    found: list[str] = []
    for c, share in instance.category_min_share.items():
        need = share_ceil(share, instance.budget, instance.money_scale)
        if need <= 0:
            continue
        what = f"minimum {percent(share)} for {c} needs {m(need)}"
        reachable = sum(min(cost, instance.district_budgets[d]) for d, cost in category_district.get(c, {}).items())
        limit = (
            share_floor(instance.category_max_share[c], instance.budget, instance.money_scale)
            if c in instance.category_max_share
            else None
        )
        cap = instance.category_caps.get(c)
        reasons = (
            (category_cost.get(c, 0) < need, f"its projects cost {m(category_cost.get(c, 0))} in total"),
            (need > instance.budget, f"the total budget is {m(instance.budget)}"),
            (
                limit is not None and limit < need,
                f"its maximum share of {percent(instance.category_max_share.get(c, Fraction(0)))} allows {m(limit or 0)}",
            ),
            (cap is not None and cap < need, f"its cap is {m(cap or 0)}"),
            (reachable < need, f"the district budgets allow at most {m(reachable)} for its projects"),
        )
        first = next((text for failed, text in reasons if failed), None)
        if first is not None:
            found.append(f"{what} but {first}")
    return found


def precheck(instance: Instance) -> None:
    """Raise :class:`AllocationError` naming every lower bound that cannot be met on its own."""
    found = conflicts(instance)
    if found:
        raise AllocationError("the constraints cannot be met: " + "; ".join(found))


def infeasibility_message(instance: Instance) -> str:
    """Message for a round whose bounds conflict only in combination: name every lower bound."""
    cur = currency_of(instance)
    parts = [f"floor {format_money(f, 'en', cur)} for {d}" for d, f in instance.district_floors.items() if f > 0]
    scale = instance.money_scale
    parts += [
        f"minimum {percent(s)} ({format_money(share_ceil(s, instance.budget, scale), 'en', cur)}) for {c}"
        for c, s in instance.category_min_share.items()
        if share_ceil(s, instance.budget, scale) > 0
    ]
    if not parts:
        # Without lower bounds the empty plan is always feasible; reaching here is a bug.
        return "the solver reports that no plan meets the bounds, although the empty plan should"
    return (
        "the constraints cannot all be met at once (no plan satisfies them together with the "
        "budgets and maximum shares): " + "; ".join(parts) + "; relax one of them"
    )
