"""Flask-Babel's translation functions with their types, for code checked strictly.

Flask-Babel annotates its functions but ships no py.typed marker, so mypy sees them as
Any. At run time these names are Flask-Babel's own functions (no wrapper, no extra call);
only the type checker reads the signatures below, which are Flask-Babel 4's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol


class LazyString(Protocol):
    """A translation looked up each time it is used as text (Flask-Babel's LazyString)."""

    def __str__(self) -> str: ...

    def __html__(self) -> str: ...


if TYPE_CHECKING:

    def gettext(string: str, **variables: Any) -> str:
        """The translation of ``string`` in the request's language, %-formatted with ``variables``."""
        ...

    def lazy_gettext(string: str, **variables: Any) -> LazyString:
        """Like gettext, looked up only when the result is used (module-level labels)."""
        ...

else:
    from flask_babel import gettext, lazy_gettext

__all__ = ["LazyString", "gettext", "lazy_gettext"]
