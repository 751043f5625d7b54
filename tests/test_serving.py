"""What the app class and the gunicorn settings change: nothing a visitor can tell apart."""

from __future__ import annotations

import gc

from flask import Flask, session

from tests.conftest import make_app
from wijkfonds.web import gunicorn_conf


def test_session_cookies_follow_the_secret_key_and_its_fallbacks(database_url: str) -> None:
    """The session serializer is built once per set of keys: rotating the key still works."""
    app = make_app(database_url, SECRET_KEY="old-key")

    @app.get("/_set")
    def set_value():
        session["value"] = "kept"
        return "ok"

    @app.get("/_get")
    def get_value():
        return session.get("value", "gone")

    client = app.test_client()
    client.get("/_set")
    assert client.get("/_get").get_data(as_text=True) == "kept"
    app.secret_key = "new-key"
    assert client.get("/_get").get_data(as_text=True) == "gone"  # signed with a key no longer known
    app.config["SECRET_KEY_FALLBACKS"] = ["old-key"]
    assert client.get("/_get").get_data(as_text=True) == "kept"  # the old key as a fallback


def test_ensure_sync_is_remembered_for_plain_functions_only(database_url: str) -> None:
    """Plain views and hooks come back as they are; a coroutine function still goes to Flask's wrapper."""
    app: Flask = make_app(database_url)

    def plain():
        return "plain"

    async def coroutine():
        return "coroutine"

    assert app.ensure_sync(plain) is plain and app.ensure_sync(plain) is plain
    calls: list[object] = []
    app.async_to_sync = lambda func: calls.append(func) or (lambda: "wrapped")  # type: ignore[method-assign]
    assert app.ensure_sync(coroutine)() == "wrapped" and calls == [coroutine]


def test_gunicorn_workers_freeze_what_they_loaded() -> None:
    before = gc.get_freeze_count()
    try:
        gunicorn_conf.post_worker_init(object())
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()
