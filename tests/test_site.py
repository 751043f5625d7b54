"""Layout, languages, error pages, security headers, demo data, audit chain and CLI."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select, text

from tests import factories as f
from wijkfonds.extensions import db
from wijkfonds.i18n.missing import missing
from wijkfonds.i18n.offer import offered_codes
from wijkfonds.models import AuditEvent, Comment, Initiative, Support, User
from wijkfonds.services.audit import log as audit


@pytest.mark.parametrize("lang", [code for code in offered_codes() if code != "nl"])
def test_every_string_has_a_translation_in_every_offered_language(lang: str) -> None:
    """English always; Turkish, Arabic, Polish, B1 Dutch as soon as their catalogue is in translations/."""
    gaps = missing(lang)
    assert not gaps, f"{len(gaps)} untranslated in {lang}: " + "; ".join(
        f"{w}: {m!r}" for m, w in list(gaps.items())[:20]
    )


def test_language_switch(client) -> None:
    nl = client.get("/").get_data(as_text=True)
    assert 'lang="nl"' in nl and "Naar de inhoud" in nl
    client.get("/taal/en?next=/")
    en = client.get("/").get_data(as_text=True)
    assert 'lang="en"' in en and "Skip to content" in en


def test_custom_404_and_headers(client) -> None:
    resp = client.get("/bestaat-niet")
    assert resp.status_code == 404
    body = resp.get_data(as_text=True)
    assert "Pagina niet gevonden" in body and "Naar de inhoud" in body
    csp = resp.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


def test_demo_is_idempotent(app: Flask) -> None:
    from wijkfonds.demo.load import load_demo

    first = load_demo()
    db.session.commit()
    counts = [db.session.scalar(select(func.count(m.id))) for m in (User, Initiative, Comment, Support)]
    second = load_demo()
    db.session.commit()
    assert first["initiatives"] >= 40 and first["comments"] > 0
    assert not any(second.values())
    assert counts == [db.session.scalar(select(func.count(m.id))) for m in (User, Initiative, Comment, Support)]
    districts = {i.district_id for i in db.session.scalars(select(Initiative))}
    assert len(districts) == 4
    from wijkfonds.models import Need
    from wijkfonds.services.needs import matrix

    assert first["needs"] > 0 and len({n.district_id for n in db.session.scalars(select(Need))}) == 4
    m = matrix.build()
    assert all(m.district_totals[d.id].needs > m.district_totals[d.id].open > 0 for d in m.districts)


def test_users_create_cli(runner) -> None:
    result = runner.invoke(
        args=["users", "create", "staf@voorbeeld.nl", "--role", "staff", "--password", "een-lang-wachtwoord"]
    )
    assert result.exit_code == 0, result.output
    u = db.session.scalars(select(User).where(User.email == "staf@voorbeeld.nl")).one()
    assert u.role == "staff"
    again = runner.invoke(
        args=["users", "create", "staf@voorbeeld.nl", "--role", "staff", "--password", "een-lang-wachtwoord"]
    )
    assert again.exit_code != 0 and "Er bestaat al een account" in again.output
    bad = runner.invoke(
        args=["users", "create", "x@voorbeeld.nl", "--role", "koning", "--password", "een-lang-wachtwoord"]
    )
    assert bad.exit_code == 2


def _chain(n: int = 5) -> None:
    actor = f.user()
    for i in range(n):
        audit.record("test.event", actor=actor, number=i)
    db.session.commit()


def test_audit_verify_detects_alteration(runner) -> None:
    _chain()
    ok = runner.invoke(args=["audit", "verify"])
    assert ok.exit_code == 0 and "intact" in ok.output
    db.session.execute(text("UPDATE audit_event SET payload = :p WHERE seq = 3"), {"p": '{"number":99}'})
    db.session.commit()
    bad = runner.invoke(args=["audit", "verify"])
    assert bad.exit_code == 1 and "event 3" in bad.output


def test_audit_verify_detects_deletion_and_insertion(app: Flask) -> None:
    _chain()
    db.session.execute(text("DELETE FROM audit_event WHERE seq = 2"))
    db.session.commit()
    _count, problem = audit.verify()
    assert problem is not None and problem.seq == 3
    db.session.rollback()
    # Insert a forged event with a hash that is valid on its own but breaks the chain.
    last = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    forged = AuditEvent(seq=last.seq + 1, at=last.at, actor="staff:1", kind="forged", payload="{}", prev_hash="f" * 64)
    forged.hash = audit.event_hash(forged)
    db.session.add(forged)
    db.session.commit()
    _count, problem2 = audit.verify()
    assert problem2 is not None


def test_euro_formatting_matches_babel(app: Flask) -> None:
    """The fast euro filter gives what Babel's currency formatting gives, in both languages."""
    from babel.numbers import format_currency

    from wijkfonds.i18n.languages import use_language
    from wijkfonds.web.factory import euro

    with app.test_request_context("/"):
        for lang in ("nl", "en"):
            with use_language(lang):
                for amount in (0, 7, 999, 1000, 8400, 300000, 1234567, -8400):
                    assert euro(amount) == format_currency(
                        amount, "EUR", format="¤ #,##0", currency_digits=False, locale=lang
                    )
        assert euro(None) == ""
