"""Flask-Babel's functions, with their types: import them from here.

Flask-Babel ships no type information (no ``py.typed``, no stubs), so to mypy every name
imported from it is ``Any`` and every import of it an error. This module is its stub for
the names the site uses: the type checker reads the declarations, the running code gets
Flask-Babel's own functions (nothing is wrapped).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator
    from contextlib import AbstractContextManager
    from datetime import date, datetime
    from typing import Any

    from babel import Locale
    from babel.support import NullTranslations

    class LazyString:
        """A translation looked up when it is turned into text (``lazy_gettext``)."""

        def __str__(self) -> str: ...
        def __html__(self) -> str: ...
        def __len__(self) -> int: ...
        def __iter__(self) -> Iterator[str]: ...
        def __mod__(self, other: Any) -> str: ...
        def __add__(self, other: str) -> str: ...
        def __radd__(self, other: str) -> str: ...

    class Domain:
        """A translation domain; ``get_translations`` gives the current locale's catalogue."""

        def __init__(
            self, translation_directories: str | list[str] | None = None, domain: str = "messages"
        ) -> None: ...
        def get_translations(self) -> NullTranslations: ...

    def gettext(string: str, **variables: Any) -> str: ...
    def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str: ...
    def lazy_gettext(string: str, **variables: Any) -> LazyString: ...
    def get_locale() -> Locale | None: ...
    def force_locale(locale: str) -> AbstractContextManager[None]: ...
    def format_date(date: date | datetime | None = None, format: str | None = None, rebase: bool = True) -> str: ...
    def format_datetime(datetime: datetime | None = None, format: str | None = None, rebase: bool = True) -> str: ...

else:
    from flask_babel import (
        Domain,
        LazyString,
        force_locale,
        format_date,
        format_datetime,
        get_locale,
        gettext,
        lazy_gettext,
        ngettext,
    )

__all__ = [
    "Domain",
    "LazyString",
    "force_locale",
    "format_date",
    "format_datetime",
    "get_locale",
    "gettext",
    "lazy_gettext",
    "ngettext",
]
