"""What the command line prints: one JSON object, or a readable table.

Amounts in the JSON object are numbers: whole amounts as integers (as before cents were
supported), amounts with cents as decimal numbers written exactly (``740793.05``; read
them with ``json.loads(text, parse_float=decimal.Decimal)`` to keep them exact), and an
amount with no exact decimal form (only MES shares can have one) as the string ``"p/q"``.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import TypedDict

from .model import Allocation, Instance
from .money import Money, money_text

__all__ = ["allocation_json", "allocation_table", "table_lines"]


class _DistrictRow(TypedDict):
    """One district of the ``--json`` object: its budget, what was spent, the funded projects."""

    budget: Money
    cost: Money
    selected: list[str]


def _district_rows(instance: Instance, allocation: Allocation) -> dict[str, _DistrictRow]:
    chosen = set(allocation.selected)
    district_of = {p.id: p.district for p in instance.projects}
    out: dict[str, _DistrictRow] = {}
    for name, budget in instance.district_budgets.items():
        selected = [pid for pid in allocation.selected if district_of.get(pid) == name]
        cost = sum((p.cost for p in instance.projects if p.district == name and p.id in chosen), Fraction(0))
        out[name] = {"budget": budget, "cost": _normal(cost), "selected": selected}
    return out


def _normal(value: Fraction | int) -> Money:
    value = Fraction(value)
    return value.numerator if value.denominator == 1 else value


def json_money(amount: Money) -> int | float | str:
    """An amount for the JSON object (see the module docstring)."""
    value = Fraction(amount)
    if value.denominator == 1:
        return value.numerator
    if 100 % value.denominator == 0:
        # the shortest repr of a float nearest to a cent amount is that amount's decimal text
        return float(money_text(value))
    return str(value)


def allocation_json(instance: Instance, allocation: Allocation) -> dict[str, object]:
    """The ``--json`` object: the keys of issue 3 plus ``status`` and per-project ``outcomes``."""
    return {
        "rule": allocation.rule,
        "completion": allocation.completion,
        "selected": [str(pid) for pid in allocation.selected],
        "cost": json_money(allocation.cost),
        "utility": json_money(allocation.utility),
        "optimal": allocation.optimal,
        "districts": {
            name: {"budget": json_money(d["budget"]), "cost": json_money(d["cost"]), "selected": d["selected"]}
            for name, d in _district_rows(instance, allocation).items()
        },
        "seconds": round(float(allocation.seconds), 6),
        "status": allocation.status,
        "budget": json_money(instance.budget),
        "outcomes": {
            pid: {"funded": o.funded, "reason": o.reason, "explanation": o.explanation}
            for pid, o in allocation.outcomes.items()
        },
    }


def _n(amount: Money) -> str:
    """An amount for the table: ``1,234`` or, with cents, ``740,793.05`` (rounded to cents for reading)."""
    value = Fraction(amount)
    if value.denominator == 1:
        return f"{value.numerator:,}"
    sign = "-" if value < 0 else ""
    cents = round(abs(value) * 100)
    return f"{sign}{cents // 100:,}.{cents % 100:02d}"


def table_lines(header: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> list[str]:
    """Columns padded to their widest cell; the last column is never padded."""
    widths = [max(len(str(r[k])) for r in [header, *rows]) for k in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = []
        for k, cell in enumerate(row):
            if k == len(row) - 1:
                cells.append(str(cell))
            else:
                cells.append(str(cell).rjust(widths[k]) if k in right else str(cell).ljust(widths[k]))
        lines.append("  ".join(cells).rstrip())
    return lines


def _currency(instance: Instance) -> str:
    found = {str(m.get("currency", "")) for m in instance.meta.values()} - {""}
    return f" (amounts in {found.pop()})" if len(found) == 1 else ""


def allocation_table(instance: Instance, allocation: Allocation) -> str:
    """A readable report: totals, per district budget and spend, every project's outcome."""
    optimal = {True: "proven optimal", False: "NOT proven optimal", None: ""}[allocation.optimal]
    funded = len(allocation.selected)
    head = (
        f"Rule {allocation.rule}, completion {allocation.completion}: {funded} of {len(instance.projects)} "
        f"projects funded, cost {_n(allocation.cost)} of {_n(instance.budget)}, utility {_n(allocation.utility)}"
        f"{_currency(instance)}"
    )
    status = f"Status: {allocation.status}" + (f", {optimal}" if optimal else "") + f"; {allocation.seconds:.3f} s"
    districts = _district_rows(instance, allocation)
    rows = []
    for name, d in districts.items():
        budget, cost = d["budget"], d["cost"]
        count = sum(1 for p in instance.projects if p.district == name)
        rows.append([name, _n(budget), _n(cost), _n(budget - cost), f"{len(d['selected'])} of {count}"])
    if len(rows) > 1:
        total_cost = allocation.cost
        rows.append(
            [
                "Total",
                _n(instance.budget),
                _n(total_cost),
                _n(instance.budget - total_cost),
                f"{funded} of {len(instance.projects)}",
            ]
        )
    out = [head, status, ""]
    out += table_lines(["District", "Budget", "Spent", "Left", "Funded"], rows, right={1, 2, 3})
    chosen = set(allocation.selected)
    project_rows = []
    for p in instance.projects:
        outcome = allocation.outcomes.get(p.id)
        explanation = outcome.explanation if outcome else ""
        project_rows.append([p.id, _n(p.cost), p.district, "yes" if p.id in chosen else "no", explanation])
    out += ["", "Selected: " + (", ".join(allocation.selected) or "none"), ""]
    out += table_lines(["Project", "Cost", "District", "Funded", "Explanation"], project_rows, right={1})
    return "\n".join(out)
