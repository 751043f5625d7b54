"""URL routing: ids in URLs are bounded by what the database can hold."""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import ImmutableDict
from werkzeug.routing import IntegerConverter, Map

from wijkfonds.common.numbers import MAX_INT


class IdConverter(IntegerConverter):
    """Werkzeug's ``int`` converter with ``max`` = MAX_INT by default.

    A larger number cannot be a row's id: the URL does not match (404) instead of reaching
    a query that PostgreSQL (beyond 2**31 - 1) or SQLite (beyond 2**63 - 1) refuses.
    """

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_INT)
        super().__init__(map, *args, **kwargs)


class WijkfondsMap(Map):
    """The app's URL map: ``<int:...>`` is the bounded IdConverter."""

    default_converters = ImmutableDict({**Map.default_converters, "int": IdConverter})
