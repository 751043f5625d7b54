"""Every route x every role: who may reach it and who may not."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from flask import Flask

from tests import access as access_pkg
from tests import factories as f
from wijkfonds.models import Phase, Role, Status

ROLES = access_pkg.ROLES


def expectations() -> dict[str, dict[str, frozenset[str]]]:
    """Merge the EXPECT tables of every tests/access/expect_*.py module."""
    merged: dict[str, dict[str, frozenset[str]]] = {}
    for info in pkgutil.iter_modules(access_pkg.__path__):
        if info.name.startswith("expect_"):
            module = importlib.import_module(f"tests.access.{info.name}")
            merged.update(module.EXPECT)
    return merged


def world() -> dict[str, object]:
    """One of each object a URL can name, so that every route can be built."""
    from wijkfonds.extensions import db
    from wijkfonds.models import Comment

    rnd = f.round_(Phase.SUBMISSION)
    author = f.user()
    ini = f.initiative(rnd, author, status=Status.SUBMITTED)
    comment = Comment(initiative_id=ini.id, author_id=author.id, body="Goed plan!")
    db.session.add(comment)
    db.session.flush()
    values: dict[str, object] = {
        "round_id": rnd.id,
        "initiative_id": ini.id,
        "comment_id": comment.id,
        "user_id": author.id,
        "district_id": ini.district_id,
        "block_id": ini.block_id,
        "lang": "en",
        "filename": "css/site.css",
        "slug": rnd.slug,
    }
    for hook in _world_hooks():
        values.update(hook(values))
    db.session.commit()
    return values


def _world_hooks():
    """Blueprint modules may add URL values with a ``world(values)`` function."""
    for info in pkgutil.iter_modules(access_pkg.__path__):
        if info.name.startswith("expect_"):
            module = importlib.import_module(f"tests.access.{info.name}")
            if hasattr(module, "world"):
                yield module.world


def test_every_route_has_an_expectation(app: Flask) -> None:
    """A route without an access rule in tests/access fails here."""
    expected = expectations()
    missing = []
    for rule in app.url_map.iter_rules():
        methods = (rule.methods or set()) - {"HEAD", "OPTIONS"}
        for method in methods:
            if method not in expected.get(rule.endpoint, {}):
                missing.append(f"{method} {rule.rule} ({rule.endpoint})")
    assert not missing, "routes without an access expectation:\n" + "\n".join(sorted(missing))


def _login(client, role: str) -> None:
    if role == "anonymous":
        return
    u = f.user(Role(role))
    from wijkfonds.extensions import db

    db.session.commit()
    with client.session_transaction() as sess:
        sess["_user_id"] = u.get_id()
        sess["_fresh"] = True


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(app: Flask, role: str) -> None:
    """Allowed roles are never refused; others get 403 or are sent to the login page."""
    values = world()
    expected = expectations()
    problems = []
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            allowed = expected.get(rule.endpoint, {}).get(method)
            if allowed is None:
                continue
            args = {a: values[a] for a in rule.arguments}
            url = app.url_for(rule.endpoint, **args, _external=False)
            client = app.test_client()
            _login(client, role)
            resp = client.open(url, method=method, data={})
            status = resp.status_code
            to_login = status in (301, 302, 303) and "/account/login" in resp.headers.get("Location", "")
            refused = status in (401, 403) or to_login
            if status >= 500:
                problems.append(f"{role} {method} {url}: {status}")
            elif role in allowed and refused:
                problems.append(f"{role} {method} {url}: refused ({status}) but should be allowed")
            elif role not in allowed and not refused:
                problems.append(f"{role} {method} {url}: got {status} but should be refused")
    assert not problems, "\n".join(problems)


def test_unknown_url_arguments_are_covered(app: Flask) -> None:
    """Every URL argument has a value in world() (so the matrix builds every route)."""
    names = {a for rule in app.url_map.iter_rules() for a in rule.arguments}
    known = set(re.findall(r'"(\w+)":', Path(__file__).read_text())) | {"filename"}
    hooks_known = set()
    for info in pkgutil.iter_modules(access_pkg.__path__):
        if info.name.startswith("expect_"):
            src = (Path(access_pkg.__path__[0]) / f"{info.name}.py").read_text()
            hooks_known |= set(re.findall(r'"(\w+)":', src))
    assert names <= known | hooks_known, f"URL arguments without a value: {names - known - hooks_known}"
