"""The outbox in the browser: staff read it, page through it, see a message safely, send again."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests import factories as f
from tests import factories_review as fr
from tests.conftest import AuthActions
from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.models import AuditEvent, MailStatus, OutboxMessage
from wijkfonds.services.mail.outbox import queue

BASE = "/beheer/mail"


def _mail(to: str, language: str = "nl", name: str = "Fatima") -> OutboxMessage:
    return queue(to, "test_message", language=language, context={"requested_by": name})


def test_staff_see_the_outbox_with_paging_and_a_status_filter(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    app.config["MAIL_PER_PAGE"] = 3
    app.config["MAIL_DIR"] = None  # the page names the default folder
    for i in range(4):
        _mail(f"buur{i}@voorbeeld.nl")
    failed = _mail("dood@voorbeeld.nl")
    failed.status, failed.attempts, failed.last_error = MailStatus.FAILED.value, 1, "550 5.1.1 no such user"
    db.session.commit()
    auth.login(fr.staff())

    first = client.get(f"{BASE}/")
    page1 = first.get_data(as_text=True)
    assert first.status_code == 200 and "Uitgaande mail" in page1
    assert "Gevonden: 5" in page1 and 'aria-current="page">1 / 2<' in page1
    assert "dood@voorbeeld.nl" in page1 and "550 5.1.1 no such user" in page1 and "Mislukt" in page1
    assert "buur0@voorbeeld.nl" not in page1
    page2 = client.get(f"{BASE}/?pagina=2").get_data(as_text=True)
    assert "buur0@voorbeeld.nl" in page2 and "dood@voorbeeld.nl" not in page2
    only_failed = client.get(f"{BASE}/?status=failed").get_data(as_text=True)
    assert "Gevonden: 1" in only_failed and "dood@voorbeeld.nl" in only_failed
    assert "Mislukt (1)" in only_failed and "In de wachtrij (4)" in only_failed
    # Without an SMTP URL (the test default) the page says where mail goes.
    assert "Er is geen mailserver ingesteld" in page1 and "instance/mail" in page1


def test_bad_list_input_gets_a_clear_message(client: FlaskClient, auth: AuthActions) -> None:
    auth.login(fr.staff())
    bad_status = client.get(f"{BASE}/?status=weg")
    assert bad_status.status_code == 400 and "Kies een status uit de lijst." in bad_status.get_data(as_text=True)
    for raw in ("0", "-1", "twee", "99999999999999999999"):
        resp = client.get(f"{BASE}/?pagina={raw}")
        assert resp.status_code == 400, raw
        assert "Het paginanummer moet een getal vanaf 1 zijn." in resp.get_data(as_text=True)
    resp = client.get(f"{BASE}/?pagina=3")
    assert resp.status_code == 400 and "Er zijn maar 1 pagina’s." in resp.get_data(as_text=True)
    assert client.get(f"{BASE}/12345").status_code == 404


def test_a_bad_smtp_setting_is_shown_on_the_page(app: Flask, client: FlaskClient, auth: AuthActions) -> None:
    app.config["SMTP_URL"] = "smtp://mail.voorbeeld.nl:abc"
    auth.login(fr.staff())
    page = client.get(f"{BASE}/").get_data(as_text=True)
    assert "De instelling voor mail klopt niet:" in page and "port that is not a number" in page
    app.config["SMTP_URL"] = "smtps://u:geheim@mail.voorbeeld.nl"
    page = client.get(f"{BASE}/").get_data(as_text=True)
    assert "Via de mailserver smtps://u@mail.voorbeeld.nl:465." in page and "geheim" not in page


def test_a_message_is_shown_with_its_html_sandboxed(client: FlaskClient, auth: AuthActions) -> None:
    row = _mail("bewoner@voorbeeld.nl", name='<script>alert("x")</script>')
    db.session.commit()
    auth.login(fr.staff())
    resp = client.get(f"{BASE}/{row.id}")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "Testbericht van Wijkfonds" in page
    assert '<script>alert("x")</script>' not in page  # never live markup in the site's page
    assert "&lt;script&gt;" in page
    frame = re.search(r'<iframe sandbox src="([^"]+)"', page)
    assert frame is not None and frame.group(1) == f"{BASE}/{row.id}/html"
    assert "default-src 'self'" in resp.headers["Content-Security-Policy"]  # the site's own policy

    html = client.get(frame.group(1))
    assert html.status_code == 200 and html.mimetype == "text/html"
    policy = html.headers["Content-Security-Policy"]
    assert policy.startswith("sandbox;") and "default-src 'none'" in policy and "script-src" not in policy
    assert "frame-ancestors 'self'" in policy and html.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert html.get_data(as_text=True) == row.body_html
    assert "&lt;script&gt;" in row.body_html  # escaped in the message itself too


def test_send_again_requeues_a_failed_message(csrf_app: Flask, monkeypatch) -> None:
    from wijkfonds.blueprints.outbox import routes

    kicks: list[bool] = []
    monkeypatch.setattr(routes, "kick_mail", lambda: kicks.append(True))  # the sender runs in its own test
    client = csrf_app.test_client()
    staff = fr.staff()
    row = _mail("dood@voorbeeld.nl")
    row.status, row.attempts, row.last_error = MailStatus.FAILED.value, 10, "451 try later"
    row.next_attempt_at = utcnow() - timedelta(days=1)
    db.session.commit()
    AuthActions(client).login(staff)

    page = client.get(f"{BASE}/{row.id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token is not None and "Nu opnieuw versturen" in page
    assert client.post(f"{BASE}/{row.id}/opnieuw").status_code == 400  # no CSRF token
    resp = client.post(f"{BASE}/{row.id}/opnieuw", data={"csrf_token": token.group(1)})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"{BASE}/{row.id}")
    db.session.expire_all()
    again = db.session.get(OutboxMessage, row.id)
    assert again is not None and (again.status, again.attempts) == ("queued", 0) and kicks == [True]
    assert again.next_attempt_at > utcnow() - timedelta(minutes=1)
    assert again.last_error == "451 try later"  # kept, so staff still see what went wrong
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.kind == "mail.retry")).one()
    assert "dood@" not in event.payload  # the audit log, kept for good, holds no address
    assert "wordt zo dadelijk opnieuw verstuurd" in client.get(resp.headers["Location"]).get_data(as_text=True)


def test_send_again_refuses_a_sent_message_and_one_being_sent(client: FlaskClient, auth: AuthActions) -> None:
    sent = _mail("klaar@voorbeeld.nl")
    sent.status, sent.sent_at = MailStatus.SENT.value, utcnow()
    busy = _mail("bezig@voorbeeld.nl")
    busy.claim, busy.next_attempt_at = "a-sender", utcnow() + timedelta(minutes=5)
    db.session.commit()
    auth.login(fr.staff())
    resp = client.post(f"{BASE}/{sent.id}/opnieuw")
    assert resp.status_code == 409 and "Dit bericht is al verzonden." in resp.get_data(as_text=True)
    assert "Nu opnieuw versturen" not in client.get(f"{BASE}/{sent.id}").get_data(as_text=True)
    resp = client.post(f"{BASE}/{busy.id}/opnieuw")
    assert resp.status_code == 409 and "wordt op dit moment verzonden" in resp.get_data(as_text=True)
    assert client.post(f"{BASE}/99999/opnieuw").status_code == 404


def test_a_test_message_is_queued_in_the_chosen_language(client: FlaskClient, auth: AuthActions) -> None:
    staff = fr.staff()
    auth.login(staff)
    resp = client.post(f"{BASE}/test", data={"email": "ik@voorbeeld.nl", "language": "en"})
    assert resp.status_code == 302
    row = db.session.scalars(select(OutboxMessage)).one()
    assert (row.to_address, row.language, row.template) == ("ik@voorbeeld.nl", "en", "test_message")
    assert staff.display_name in row.body_text and row.subject == "Test message from Neighbourhood Fund"
    assert "staat in de wachtrij" in client.get(resp.headers["Location"]).get_data(as_text=True)


def test_a_bad_test_message_form_says_why(client: FlaskClient, auth: AuthActions) -> None:
    auth.login(fr.staff())
    cases = [
        ({"email": "", "language": "nl"}, "Vul een e-mailadres in."),
        ({"email": "geen adres", "language": "nl"}, "Dit is geen geldig e-mailadres."),
        ({"email": "ik@voorbeeld.nl", "language": "de"}, "Kies een taal uit de lijst."),
        ({"email": '"ik zelf"@voorbeeld.nl', "language": "nl"}, "Dit is geen geldig e-mailadres."),
    ]
    for data, message in cases:
        resp = client.post(f"{BASE}/test", data=data)
        assert resp.status_code == 422, data
        assert message in resp.get_data(as_text=True)
    assert db.session.scalars(select(OutboxMessage)).first() is None


def test_the_menu_has_mail_for_staff_only(client: FlaskClient, auth: AuthActions) -> None:
    auth.login(f.user())
    db.session.commit()
    assert f'href="{BASE}/"' not in client.get("/").get_data(as_text=True)
    auth.login(fr.staff())
    home = client.get("/").get_data(as_text=True)
    assert f'href="{BASE}/"' in home and ">Mail<" in home


def test_the_outbox_page_in_english(client: FlaskClient, auth: AuthActions) -> None:
    auth.login(fr.staff())
    page = client.get(f"{BASE}/?lang=en").get_data(as_text=True)
    assert "Outgoing mail" in page and "Send test message" in page
