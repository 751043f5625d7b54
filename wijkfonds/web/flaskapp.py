"""The Flask application class: Flask itself, minus work it repeats on every request.

On election night every request of every voter pays Flask's fixed costs, so two answers
that never change while the app runs are worked out once instead of per request:
whether a view or hook is a coroutine function, and the signing serializer of the session
cookie. Behaviour is Flask's own.
"""

from __future__ import annotations

from collections.abc import Callable
from types import FunctionType
from typing import Any

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

from wijkfonds.web.urls import WijkfondsMap


class SigningSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, with its serializer built once per set of keys."""

    def __init__(self) -> None:
        self._serializers: dict[tuple[str | bytes | None, tuple[Any, ...]], URLSafeTimedSerializer | None] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        key = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        try:
            return self._serializers[key]
        except KeyError:
            if len(self._serializers) > 16:  # keys change only in tests; never let it grow
                self._serializers.clear()
            made = self._serializers[key] = super().get_signing_serializer(app)
            return made
        except TypeError:  # an unhashable key (a list as SECRET_KEY): no caching
            return super().get_signing_serializer(app)


class WijkfondsFlask(Flask):
    """The app class of create_app()."""

    session_interface = SigningSessionInterface()
    url_map_class = WijkfondsMap  # ids in URLs beyond what an INTEGER holds are 404

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sync: dict[Callable[..., Any], Callable[..., Any]] = {}

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Flask's answer, remembered for plain functions (views and hooks are registered once)."""
        if type(func) is not FunctionType:
            return super().ensure_sync(func)
        try:
            return self._sync[func]
        except KeyError:
            made = self._sync[func] = super().ensure_sync(func)
            return made
