"""Reading the query string of an open-data request: unknown or malformed values are refused (400)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from wijkfonds.common.numbers import MAX_INT, parse_id
from wijkfonds.common.translation import gettext as _
from wijkfonds.services.errors import DomainError

PER_PAGE_DEFAULT = 50
PER_PAGE_MAX = 200
# Parameters every endpoint accepts: the language of messages (the data carries both).
COMMON = frozenset({"lang"})


class BadParameter(DomainError):
    """A query-string parameter the API cannot use; answered with 400 and the parameter's name."""

    status = 400

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter


@dataclass(frozen=True)
class Paging:
    """Which page of a list, and how long a page is."""

    page: int = 1
    per_page: int = PER_PAGE_DEFAULT

    @property
    def offset(self) -> int:
        """How many items come before this page."""
        return (self.page - 1) * self.per_page


def only(args: Mapping[str, str], allowed: Iterable[str]) -> None:
    """Refuse a parameter this endpoint does not know (a typo would silently widen a filter)."""
    known = set(allowed) | COMMON
    for name in args:
        if name not in known:
            raise BadParameter(
                name,
                _("Onbekende parameter ‘%(name)s’. Toegestaan: %(known)s.", name=name, known=", ".join(sorted(known))),
            )


def whole(args: Mapping[str, str], name: str, *, low: int, high: int = MAX_INT) -> int | None:
    """The parameter as a whole number from ``low`` to ``high``; None when absent; BadParameter otherwise."""
    raw = args.get(name)
    if raw is None:
        return None
    text = raw.strip()
    value = int(text) if text.isascii() and text.isdigit() and len(text.lstrip("0")) <= len(str(MAX_INT)) else None
    if value is None or not low <= value <= high:
        raise BadParameter(
            name,
            _("%(name)s moet een geheel getal van %(low)s tot en met %(high)s zijn.", name=name, low=low, high=high),
        )
    return value


def an_id(args: Mapping[str, str], name: str) -> int | None:
    """An id parameter (1 to MAX_INT); None when absent; BadParameter otherwise."""
    raw = args.get(name)
    if raw is None:
        return None
    value = parse_id(raw)
    if value is None:
        raise BadParameter(name, _("%(name)s moet een id zijn (een geheel getal groter dan 0).", name=name))
    return value


def choice(args: Mapping[str, str], name: str, values: Iterable[str]) -> str | None:
    """One of ``values``; None when absent; BadParameter otherwise."""
    raw = args.get(name)
    if raw is None:
        return None
    options = list(values)
    if raw not in options:
        raise BadParameter(
            name, _("%(name)s moet een van deze waarden zijn: %(values)s.", name=name, values=", ".join(options))
        )
    return raw


def paging(args: Mapping[str, str]) -> Paging:
    """``page`` (1 or more) and ``per_page`` (1 to PER_PAGE_MAX) of a list."""
    page = whole(args, "page", low=1) or 1
    per_page = whole(args, "per_page", low=1, high=PER_PAGE_MAX) or PER_PAGE_DEFAULT
    return Paging(page, per_page)
