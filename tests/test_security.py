"""Security sweep: CSRF on every POST, headers, production start-up checks."""

from __future__ import annotations

import pytest
from flask import Flask

from tests import factories as f
from tests.test_access_matrix import world
from wijkfonds import create_app
from wijkfonds.extensions import db
from wijkfonds.models import Role

# The one POST without a CSRF token: a mail client's one-click unsubscribe (RFC 8058) comes
# without a session; the signed link is its authorisation (blueprints/notifications/unsubscribe.py).
CSRF_EXEMPT = frozenset({"notifications.unsubscribe"})


@pytest.mark.parametrize("role", ["anonymous", "admin"])
def test_every_post_without_csrf_token_is_refused(csrf_app: Flask, role: str) -> None:
    values = world()
    posts = [r for r in csrf_app.url_map.iter_rules() if "POST" in (r.methods or set())]
    assert len(posts) >= 3
    client = csrf_app.test_client()
    if role != "anonymous":
        u = f.user(Role(role))
        db.session.commit()
        with client.session_transaction() as sess:
            sess["_user_id"] = u.get_id()
    failures = []
    for rule in posts:
        url = csrf_app.url_for(rule.endpoint, **{a: values[a] for a in rule.arguments}, _external=False)
        expected = 200 if rule.endpoint in CSRF_EXEMPT else 400
        for headers in ({}, {"HX-Request": "true"}):
            resp = client.post(url, data={"x": "1"}, headers=headers)
            if resp.status_code != expected:
                failures.append(f"{url} {headers}: {resp.status_code}, expected {expected}")
    assert not failures, "POSTs and their CSRF check:\n" + "\n".join(failures)


def test_csrf_token_in_htmx_headers(csrf_app: Flask) -> None:
    body = csrf_app.test_client().get("/").get_data(as_text=True)
    assert 'hx-headers=\'{"X-CSRFToken": "' in body


def test_production_refuses_to_start_without_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIJKFONDS_ENV", "production")
    monkeypatch.delenv("WIJKFONDS_SECRET_KEY", raising=False)
    monkeypatch.delenv("WIJKFONDS_DATABASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="WIJKFONDS_SECRET_KEY and WIJKFONDS_DATABASE_URL"):
        create_app()
    monkeypatch.setenv("WIJKFONDS_SECRET_KEY", "x" * 40)
    with pytest.raises(RuntimeError, match="WIJKFONDS_DATABASE_URL"):
        create_app()


def test_production_cookies_are_secure(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    monkeypatch.setenv("WIJKFONDS_ENV", "production")
    monkeypatch.setenv("WIJKFONDS_SECRET_KEY", "x" * 40)
    monkeypatch.setenv("WIJKFONDS_DATABASE_URL", database_url)
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"]
    resp = app.test_client().get("/bestaat-niet", base_url="https://localhost")
    assert "max-age" in resp.headers["Strict-Transport-Security"]


def test_proxy_hops_make_rate_limits_see_the_visitor(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    """Behind one proxy, X-Forwarded-For is the visitor; without the setting it is ignored."""
    from flask import request

    seen: list[str] = []
    for hops, expected in (("1", "203.0.113.7"), ("0", "127.0.0.1")):
        monkeypatch.setenv("WIJKFONDS_PROXY_HOPS", hops)
        app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True})
        app.add_url_rule("/_ip", "ip", lambda: request.remote_addr or "")
        body = (
            app.test_client()
            .get("/_ip", headers={"X-Forwarded-For": "203.0.113.7"}, environ_base={"REMOTE_ADDR": "127.0.0.1"})
            .get_data(as_text=True)
        )
        seen.append(body)
        assert body == expected
    assert seen == ["203.0.113.7", "127.0.0.1"]


def test_nul_bytes_are_refused_with_a_message(client) -> None:
    """NUL in any field or query parameter: a clear 400, nothing stored (PostgreSQL refuses NUL)."""
    from sqlalchemy import func, select

    from wijkfonds.models import User

    before = db.session.scalar(select(func.count(User.id)))
    resp = client.post(
        "/account/registreren",
        data={
            "email": "a@voorbeeld.nl",
            "display_name": "Na\x00am",
            "password": "een-lang-wachtwoord",
            "password2": "een-lang-wachtwoord",
        },
    )
    assert resp.status_code == 400 and "ongeldige tekens" in resp.get_data(as_text=True)
    assert client.get("/?q=a%00b").status_code == 400
    assert db.session.scalar(select(func.count(User.id))) == before
