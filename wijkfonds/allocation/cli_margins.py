"""What ``--margins`` adds to the command line's readable table (see :mod:`.rules.margins`)."""

from __future__ import annotations

from collections.abc import Mapping

from .cli_output import table_lines
from .model import Instance
from .rules.margins import Margin

__all__ = ["margins_table"]


def margins_table(instance: Instance, margins: Mapping[str, Margin]) -> str:
    """The ``--margins`` table: per project its support and how close it came."""
    rows = []
    for p in instance.projects:
        m = margins.get(p.id)
        if m is None:
            continue
        if m.funded:
            change = "all" if m.spare == m.support else f"-{m.spare}"
            what = "could lose"
        elif m.needed is None:
            change = f">{m.searched_to}" if m.searched_to is not None else "never"
            what = "needed"
        else:
            change = f"+{m.needed}"
            what = "needed"
        rows.append(
            [
                p.id,
                "yes" if m.funded else "no",
                str(m.support),
                what,
                change,
                m.method + ("" if m.exact else ", a flip point"),
            ]
        )
    head = "Margins (votes; points for points ballots):"
    return "\n".join([head, *table_lines(["Project", "Funded", "Support", "", "Votes", "Method"], rows, right={2, 4})])
