"""Privacy (AVG): the copy of one's data, every table accounted for, and the privacy statement."""

from __future__ import annotations

import json

from flask import Flask
from flask.testing import FlaskClient

from tests import factories as f
from tests import factories_resident as fr
from tests import factories_rounds as fro
from tests import factories_vote as fv
from tests.conftest import AuthActions, make_app
from wijkfonds.extensions import db
from wijkfonds.models import NominationComment, NominationSupport, Phase, RateEvent, Revision, Role, Status, User
from wijkfonds.services.accounts import privacy
from wijkfonds.services.dialogue import initiatives
from wijkfonds.services.mail.outbox import queue
from wijkfonds.services.voting import ballots, codes

CODE_LIMIT = (50, 3600)


def _resident_with_everything() -> tuple[User, dict[str, object]]:
    """A resident with a plan (and an earlier version), a comment, support, a nomination, a report,
    a message, a wrong password, and a ballot cast through a bound voting code."""
    me = f.user(email="fatima@voorbeeld.nl", name="Fatima B.")
    other = f.user()
    submission = f.round_(Phase.SUBMISSION, name="Ronde in de indienfase")
    mine = f.initiative(submission, me, title="Buurtkeuken Baarsjes")
    db.session.add(
        Revision(initiative_id=mine.id, editor_id=me.id, title="Buurtkeuken", summary="Oud", description="Oude tekst")
    )
    theirs = f.initiative(submission, other, title="Speeltuin opknappen")
    comment = fr.comment(theirs, me, body="Goed idee, ik help mee met verven.")
    fr.report(fr.comment(theirs, other, body="Iets onaardigs"), me, reason="Niet vriendelijk")
    initiatives.set_support(theirs, me, True)
    nominating = f.round_(Phase.NOMINATION, name="Ronde met thema's")
    nom = fro.nomination(nominating, me, title="Groen in de straat")
    db.session.add(NominationComment(nomination_id=nom.id, author_id=me.id, body="Meer bomen graag"))
    db.session.add(NominationSupport(nomination_id=fro.nomination(nominating, other).id, user_id=me.id))
    queue(me.email, "test_message", language="nl", context={"requested_by": "Medewerker"})

    voting = fv.voting_round(name="Stemronde West")
    chosen = fv.feasible(voting, title="Geheime keuze: bankjes aan de gracht")
    code = fv.voting_code(voting)
    voter = codes.bind(voting, me, code, rate_key="127.0.0.1", limit=CODE_LIMIT)
    ballots.cast(voting, voter.id, [str(chosen.id)])
    db.session.commit()
    return me, {"plan": mine, "comment": comment, "supported": theirs, "chosen": chosen, "voting": voting}


def _download(client: FlaskClient) -> dict:
    resp = client.get("/privacy/mijn-gegevens/download")
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    assert resp.mimetype == "application/json"
    assert "attachment" in resp.headers["Content-Disposition"]
    assert resp.headers["Cache-Control"] == "no-store"
    return json.loads(resp.get_data(as_text=True))


def test_the_export_holds_the_residents_data_and_nothing_of_the_ballot(app: Flask, client, auth: AuthActions) -> None:
    me, things = _resident_with_everything()
    # A wrong password for the address: a counted attempt keyed by the address's digest.
    client.post("/account/login", data={"email": me.email, "password": "verkeerd wachtwoord"})
    auth.login(me)
    data = _download(client)

    assert data["account"]["email"] == "fatima@voorbeeld.nl"
    assert data["account"]["display_name"] == "Fatima B." and data["account"]["district"] == "De Baarsjes"
    assert "password_hash" not in data["account"]
    text = json.dumps(data, ensure_ascii=False)
    assert me.password_hash not in text

    [plan] = data["plans"]
    assert plan["title"] == "Buurtkeuken Baarsjes" and plan["round"] == "Ronde in de indienfase"
    assert [v["title"] for v in plan["earlier_versions"]] == ["Buurtkeuken"]
    assert [c["text"] for c in data["comments"]] == ["Goed idee, ik help mee met verven."]
    assert [s["plan"] for s in data["supports"]] == ["Speeltuin opknappen"]
    assert [n["title"] for n in data["theme_nominations"]] == ["Groen in de straat"]
    assert [c["text"] for c in data["nomination_comments"]] == ["Meer bomen graag"]
    assert len(data["nomination_supports"]) == 1
    assert [r["reason"] for r in data["reports"]] == ["Niet vriendelijk"]
    assert [m["kind"] for m in data["mail"]] == ["test_message"]
    assert [r["limit"] for r in data["rate_limit_records"]] == ["login-account"]
    # Binding the code and casting the ballot were logged without the account (the factories log nothing else).
    assert data["audit_events"] == []

    # Voting: that the account is a voter in the round, and nothing of what it chose.
    [vote] = data["voting"]
    assert vote["round"] == "Stemronde West" and "voting code" in vote["how"]
    assert set(vote) == {"round_id", "round", "how", "since"}
    chosen = things["chosen"]
    assert "Geheime keuze" not in text and "bankjes" not in text
    assert f'"plan_id": {chosen.id}' not in text and f'"id": {chosen.id},' not in text
    assert "ballot" not in data and "receipt" not in text.lower()


def test_every_audit_event_of_the_account_is_listed_by_kind_and_time(app: Flask, client, auth: AuthActions) -> None:
    me = f.user()
    rnd = f.round_(Phase.SUBMISSION)
    ini = f.initiative(rnd, me)
    initiatives.withdraw(ini, author=me)
    db.session.commit()
    auth.login(me)
    events = _download(client)["audit_events"]
    assert [e["kind"] for e in events] == ["initiative.withdrawn"]
    assert set(events[0]) == {"event", "at", "kind"} and events[0]["at"].endswith("Z")


def test_staff_download_their_actions_too(app: Flask, client, auth: AuthActions) -> None:
    staff = f.user(Role.STAFF)
    db.session.commit()
    auth.login(staff)
    data = _download(client)
    assert data["account"]["role"] == "staff"
    assert set(data["staff_actions"]) == {
        "comments_hidden",
        "code_batches",
        "allocation_runs",
        "plan_corrections",
        "payments_recorded",
        "accounts_decided",
        "updates_hidden",
    }


def test_the_export_needs_a_login(client) -> None:
    resp = client.get("/privacy/mijn-gegevens/download")
    assert resp.status_code == 302 and "/account/login" in resp.headers["Location"]


def test_every_table_and_every_key_to_an_account_is_covered(app: Flask) -> None:
    """A new table, or a new column pointing to an account, fails here until privacy.py says what happens to it."""
    tables = set(db.metadata.tables)
    assert set(privacy.TABLES) == tables, (
        f"tables not classified in privacy.TABLES: {sorted(tables - set(privacy.TABLES))}; "
        f"classified but gone: {sorted(set(privacy.TABLES) - tables)}"
    )
    keys = {
        (table.name, fk.parent.name)
        for table in db.metadata.tables.values()
        for fk in table.foreign_keys
        if fk.column.table.name == "user"
    }
    assert set(privacy.USER_REFERENCES) == keys, (
        f"keys to user without an entry in privacy.USER_REFERENCES: {sorted(keys - set(privacy.USER_REFERENCES))}"
    )
    # Every table holding a key to an account is classified as personal data.
    assert {t for t, _c in keys} <= {t for t, kind in privacy.TABLES.items() if kind == privacy.PERSONAL}
    # Every entry names a part of the export that exists.
    data = privacy.personal_data(f.user())
    assert {ref.export for ref in privacy.USER_REFERENCES.values()} <= set(data)
    assert set(privacy.explanation()) <= set(data)


def test_the_export_includes_every_column_of_the_account(app: Flask) -> None:
    """The account part is read from the table, so a new column shows up without anyone adding it."""
    user = f.user()
    exported = privacy.personal_data(user)["account"]
    columns = {c.name for c in db.metadata.tables["user"].columns} - {"password_hash"}
    assert columns <= set(exported)


def test_the_export_counts_the_plans_support_and_status(app: Flask, client, auth: AuthActions) -> None:
    me = f.user()
    rnd = f.round_(Phase.SUBMISSION)
    ini = f.initiative(rnd, me)
    for _ in range(3):
        initiatives.set_support(ini, f.user(), True)
    db.session.commit()
    auth.login(me)
    [plan] = _download(client)["plans"]
    assert plan["support_count"] == 3 and plan["status"] == Status.SUBMITTED.value


def test_rate_limit_records_of_others_are_not_exported(app: Flask, client, auth: AuthActions) -> None:
    me, someone = f.user(), f.user()
    db.session.add(RateEvent(bucket="comment", key=f"user:{someone.id}"))
    db.session.add(RateEvent(bucket="comment", key=f"user:{me.id}"))
    db.session.commit()
    auth.login(me)
    assert [r["limit"] for r in _download(client)["rate_limit_records"]] == ["comment"]


def test_the_privacy_page_in_both_languages_with_the_configured_numbers(database_url: str) -> None:
    app = make_app(
        database_url,
        MAIL_RETENTION_DAYS=17,
        RATE_EVENT_RETENTION_HOURS=36,
        VOTER_LINK_RETENTION_DAYS=50,
        REPORT_RETENTION_DAYS=200,
        BACKUP_RETENTION_DAYS=9,
        PRIVACY_CONTACT="privacy@stadsdeel.example",
    )
    with app.app_context():
        client = app.test_client()
        nl = client.get("/privacy/")
        assert nl.status_code == 200
        page = nl.get_data(as_text=True)
        assert "Privacyverklaring" in page and "Bewaartermijnen" in page
        for figure in ("17 dagen", "36 uur", "50 dagen", "200 dagen", "9 dagen"):
            assert figure in page, figure
        assert 'href="mailto:privacy@stadsdeel.example"' in page
        assert "hash" in page and "Inzage" in page and "Verwijdering" in page and "Correctie" in page

        client.get("/taal/en?next=/privacy/")
        en = client.get("/privacy/").get_data(as_text=True)
        assert 'lang="en"' in en and "Privacy statement" in en and "Retention periods" in en
        for figure in ("17 days", "36 hours", "50 days", "200 days", "9 days"):
            assert figure in en, figure
        assert "privacy@stadsdeel.example" in en and "Access" in en and "Erasure" in en
        db.session.remove()
        db.engine.dispose()


def test_the_contact_defaults_to_the_sender_address(database_url: str) -> None:
    app = make_app(database_url, MAIL_FROM="Wijkfonds West <noreply@west.example.nl>")
    assert app.config["PRIVACY_CONTACT"] == "noreply@west.example.nl"
    with app.app_context():
        page = app.test_client().get("/privacy/").get_data(as_text=True)
        assert "noreply@west.example.nl" in page
        db.session.remove()
        db.engine.dispose()


def test_the_footer_links_to_the_statement(client) -> None:
    page = client.get("/").get_data(as_text=True)
    assert 'href="/privacy/"' in page
