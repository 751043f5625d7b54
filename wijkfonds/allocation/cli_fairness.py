"""What ``--fairness`` prints: the fairness reports of several rules side by side, or as JSON."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from .cli_output import json_money
from .fairness import EjrResult, FairnessReport, GroupRow
from .model import Instance
from .money import Money

__all__ = ["fairness_json", "fairness_table"]

# Witness groups can hold thousands of voters; the table names a few, the JSON all of them.
_SHOWN_VOTERS = 8


def _pct(share: Fraction) -> str:
    return f"{float(share) * 100:.1f}%"


def _n(amount: Money) -> str:
    value = Fraction(amount)
    return f"{value.numerator:,}" if value.denominator == 1 else f"{float(value):,.2f}"


def _ejr_text(ejr: EjrResult | None) -> str:
    if ejr is None or ejr.satisfied is None:
        return "unknown" + (f" ({ejr.note})" if ejr and ejr.note else "")
    if ejr.satisfied:
        return "yes"
    return f"no: {len(ejr.witness_voters)} voters, projects {', '.join(ejr.witness_projects)}"


def _row_json(row: GroupRow) -> dict[str, object]:
    return {
        "voters": row.voters,
        "voter_share": float(row.voter_share),
        "spend": json_money(row.spend),
        "spend_share": float(row.spend_share),
    }


def _ejr_json(ejr: EjrResult | None) -> dict[str, object] | None:
    if ejr is None:
        return None
    return {
        "satisfied": ejr.satisfied,
        "method": ejr.method,
        "witness": {"projects": list(ejr.witness_projects), "voters": list(ejr.witness_voters)}
        if ejr.satisfied is False
        else None,
        "seconds": round(ejr.seconds, 6),
        "note": ejr.note,
    }


def fairness_json(reports: Sequence[FairnessReport]) -> list[dict[str, object]]:
    """One object per rule: shares as floats, amounts as in ``--json``, EJR with its witness."""
    return [
        {
            "rule": r.rule,
            "voters": r.num_voters,
            "voters_with_funded": r.voters_with_funded,
            "share_with_funded": float(r.share_with_funded),
            "cost": json_money(r.cost),
            "districts": {row.name: _row_json(row) for row in r.districts},
            "groups": {name: {row.name: _row_json(row) for row in rows} for name, rows in r.groups.items()},
            "ejr_up_to_one": _ejr_json(r.ejr),
        }
        for r in reports
    ]


def fairness_table(instance: Instance, reports: Sequence[FairnessReport]) -> str:
    """The reports side by side: one column per rule, one row per measure."""
    header = ["", *(r.rule for r in reports)]
    rows: list[list[str]] = [
        ["voters with a funded plan", *(f"{_pct(r.share_with_funded)} ({r.voters_with_funded:,})" for r in reports)],
        ["spent", *(_n(r.cost) for r in reports)],
    ]
    if len(instance.districts) > 1:
        for k, name in enumerate(instance.districts):
            share = reports[0].districts[k].voter_share
            rows.append(
                [
                    f"district {name} ({_pct(share)} of voters): spend",
                    *(_pct(r.districts[k].spend_share) for r in reports),
                ]
            )
    for grouping, first in reports[0].groups.items():
        for k, row in enumerate(first):
            rows.append(
                [
                    f"{grouping} {row.name} ({_pct(row.voter_share)} of voters support one): spend",
                    *(
                        f"{_pct(r.groups[grouping][k].spend_share)} ({_n(r.groups[grouping][k].spend)})"
                        for r in reports
                    ),
                ]
            )
    rows.append(["EJR up to one project", *(_ejr_text(r.ejr) for r in reports)])
    widths = [max(len(row[c]) for row in [header, *rows]) for c in range(len(header))]
    lines = ["  ".join(cell.ljust(widths[c]) for c, cell in enumerate(row)).rstrip() for row in [header, *rows]]
    for r in reports:
        if r.ejr is not None and r.ejr.satisfied is False:
            shown = ", ".join(r.ejr.witness_voters[:_SHOWN_VOTERS])
            more = len(r.ejr.witness_voters) - _SHOWN_VOTERS
            lines.append(
                f"{r.rule}: witness group for EJR up to one: voters {shown}"
                + (f" and {more:,} more" if more > 0 else "")
                + f", who all approve {', '.join(r.ejr.witness_projects)}"
            )
    return "\n".join(lines)
