"""Fuzzing: hypothesis-generated input into every form of the site never gives a 500.

The forms are found by crawling every GET page (with one of each object in the
database) as an admin, so a new form is fuzzed without editing this file.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories as f
from tests.test_access_matrix import world
from wijkfonds.extensions import db
from wijkfonds.models import Role
from wijkfonds.services.audit import log as audit


class FormParser(HTMLParser):
    """Collect POST forms: action and the fields with their candidate values."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "get").lower() == "post":
            self._form = {"action": a.get("action") or "", "fields": {}}
        elif self._form is not None and tag in ("input", "textarea", "button") and a.get("name"):
            if (a.get("type") in ("submit", "button") and tag != "textarea") or a.get("name") != "csrf_token":
                self._form["fields"].setdefault(a["name"], []).append(a.get("value") or "")
        elif self._form is not None and tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form["fields"].setdefault(self._select, [])
        elif self._form is not None and tag == "option" and self._select:
            self._form["fields"][self._select].append(a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None


def crawl_forms(app: Flask, client) -> list[tuple[str, dict]]:
    """(action url, fields) of every distinct POST form on every GET page."""
    values = world()
    seen: dict[tuple[str, tuple[str, ...]], dict] = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or set()) or rule.endpoint == "static":
            continue
        if any(a not in values for a in rule.arguments):
            continue
        url = app.url_for(rule.endpoint, **{a: values[a] for a in rule.arguments}, _external=False)
        resp = client.get(url)
        if resp.status_code != 200 or "text/html" not in resp.content_type:
            continue
        parser = FormParser()
        parser.feed(resp.get_data(as_text=True))
        for form in parser.forms:
            action = urlsplit(urljoin(url, form["action"] or url)).path
            if action.endswith("/uitloggen"):
                continue  # logging out would end the crawl's session
            seen.setdefault((action, tuple(sorted(form["fields"]))), form["fields"])
    return [(action, fields) for (action, _), fields in seen.items()]


NASTY = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "-999999999999",
            "99999999999999999999",
            "1e9",
            "12,50",
            "NaN",
            "abc",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "\x00",
            "🙂" * 50,
            "a" * 5000,
            "2026-13-45",
            "2026-01-01T25:61",
        ]
    ),
    st.integers(min_value=-(2**63), max_value=2**63).map(str),
)


@pytest.mark.slow
def test_fuzz_every_form(app: Flask) -> None:
    """No generated input into any form gives a server error, and the audit chain stays intact."""
    admin = f.user(Role.ADMIN)
    db.session.commit()
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = admin.get_id()
    forms = crawl_forms(app, client)
    assert forms, "no forms found to fuzz"

    @settings(
        max_examples=min(400, 10 * len(forms)), deadline=None, suppress_health_check=list(HealthCheck), database=None
    )
    @given(data=st.data())
    def fuzz(data):
        action, fields = data.draw(st.sampled_from(forms))
        payload = {}
        for name, options in fields.items():
            choices = [o for o in options if o is not None]
            payload[name] = data.draw(st.one_of(st.sampled_from(choices), NASTY) if choices else NASTY)
        resp = client.post(action, data=payload)
        assert resp.status_code < 500, f"{action} {payload!r} -> {resp.status_code}"
        with client.session_transaction() as sess:  # a form may log out or switch accounts
            sess["_user_id"] = admin.get_id()

    fuzz()
    _count, problem = audit.verify()
    assert problem is None
