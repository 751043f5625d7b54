"""The bound of every whole number the database stores, shared by forms, uploads and URLs.

Amounts (whole euros), counts and ids all live in INTEGER columns. PostgreSQL's INTEGER
holds up to 2**31 - 1; SQLite's holds 2**63 - 1 and refuses anything larger. One bound for
both, so that what the demo (SQLite) accepts also fits in production (PostgreSQL): a larger
number is refused with a message naming its field (or file and line), never a 500.
"""

from __future__ import annotations

MAX_INT = 2**31 - 1
# Money is whole euros in INTEGER columns, so the same bound: € 2.147.483.647.
MAX_EUROS = MAX_INT
# Longer digit strings are refused before int() sees them (Python refuses > 4300 digits).
_MAX_DIGITS = len(str(MAX_INT))


def fits(value: int) -> bool:
    """True when ``value`` (0 or more) fits an INTEGER column."""
    return 0 <= value <= MAX_INT


def parse_id(raw: object) -> int | None:
    """A positive id from a form or query string (ASCII digits, at most MAX_INT), else None."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw if 0 < raw <= MAX_INT else None
    text = str(raw if raw is not None else "").strip()
    if not text.isascii() or not text.isdigit() or len(text.lstrip("0")) > _MAX_DIGITS:
        return None
    value = int(text)
    return value if 0 < value <= MAX_INT else None


def parse_page(raw: object) -> int:
    """A page number from the query string: 1 for anything unusable, at most MAX_INT.

    A number beyond the last page stays large, so that the view answers 404 for it.
    """
    text = str(raw if raw is not None else "").strip()
    if not text.isascii() or not text.isdigit():
        return 1
    if len(text.lstrip("0")) > _MAX_DIGITS:
        return MAX_INT
    return min(max(int(text), 1), MAX_INT)
