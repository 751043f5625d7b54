"""CSV files that are safe to open in a spreadsheet: no cell is run as a formula.

Excel, LibreOffice and Google Sheets run a cell that begins with ``=``, ``+``, ``-`` or
``@`` (and, after a tab or carriage return, what follows) as a formula, so a plan titled
``=HYPERLINK(...)`` or ``=cmd|...`` would run on an auditor's or a printer's computer.
As OWASP recommends ("CSV Injection"), such a text cell gets a single quote in front: the
spreadsheet shows the text as it was typed and runs nothing. The ``csv`` module's own
quoting still takes care of separators, quotes and line breaks inside a cell.

Numbers stay numbers: an ``int`` or ``float`` is written unchanged, negative or not (it is
a value, not a formula), and so is a text that is only a plain decimal number such as
``-5`` or ``-12.5`` (a spreadsheet reads it as that number and runs nothing). Only text
that a spreadsheet would evaluate is changed.

Every CSV the site writes goes through :func:`writer` (one rule, one place).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import IO, Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?", re.ASCII)


def cell(value: Any) -> Any:
    """``value`` as a cell that no spreadsheet runs: risky text gets a leading single quote."""
    if not isinstance(value, str):
        return value  # numbers, None (an empty cell) and booleans are no formulas
    if value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


class SafeWriter:
    """A ``csv.writer`` whose every cell goes through :func:`cell`."""

    def __init__(self, out: IO[str], **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> None:
        """Write one row, neutralised."""
        self._writer.writerow([cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        """Write many rows, neutralised."""
        for row in rows:
            self.writerow(row)


def writer(out: IO[str], **options: Any) -> SafeWriter:
    """Like ``csv.writer(out, **options)``, with formula neutralisation."""
    return SafeWriter(out, **options)
