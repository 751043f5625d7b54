"""Changing the address: the new one gets the link, the old one the notice; only the click changes it."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests import factories as f
from tests.account_mail import deliver, link, log_in, mail_app, parts, path, smtp
from tests.smtp_server import SmtpServer
from wijkfonds.extensions import db
from wijkfonds.models import AuditEvent, User

__all__ = ["mail_app", "smtp"]  # fixtures

PASSWORD = "mijn-eigen-wachtwoord"


def _user(user_id: int) -> User:
    db.session.expire_all()
    found = db.session.get(User, user_id)
    assert found is not None
    return found


def _change(client: FlaskClient, email: str, password: str = PASSWORD):
    return client.post("/account/e-mailadres", data={"email": email, "password": password})


def test_the_address_changes_only_after_the_click_on_the_link_sent_to_it(mail_app: Flask, smtp: SmtpServer) -> None:
    me = f.user(email="oud@voorbeeld.nl", name="Olga Oud", password=PASSWORD)
    db.session.commit()
    me_id = me.id
    client = mail_app.test_client()
    log_in(client, "oud@voorbeeld.nl", PASSWORD)
    assert client.get("/account/e-mailadres").status_code == 200

    wrong = _change(client, "nieuw@voorbeeld.nl", "niet-mijn-wachtwoord")
    assert wrong.status_code == 422 and "Dit is niet het wachtwoord van uw account." in wrong.get_data(as_text=True)
    same = _change(client, "Oud@Voorbeeld.nl")
    assert same.status_code == 422 and "Dit is al het e-mailadres van uw account." in same.get_data(as_text=True)
    assert smtp.inbox.received == [] and deliver(smtp, "nieuw@voorbeeld.nl") == []

    asked = _change(client, "Nieuw@Voorbeeld.nl")
    assert asked.status_code == 303 and asked.headers["Location"].endswith("/account/e-mailadres/verstuurd")
    sent = client.get(asked.headers["Location"]).get_data(as_text=True)
    assert "We hebben een mail gestuurd naar nieuw@voorbeeld.nl." in sent
    assert _user(me_id).email == "oud@voorbeeld.nl"

    (to_new,) = deliver(smtp, "nieuw@voorbeeld.nl")
    assert to_new["Subject"] == "Bevestig uw nieuwe e-mailadres bij Wijkfonds"
    url = path(link(to_new, "/account/nieuw-e-mailadres/"))
    (to_old,) = smtp.inbox.to("oud@voorbeeld.nl")
    assert to_old["Subject"] == "Wijziging van uw e-mailadres gevraagd bij Wijkfonds"
    old_text, old_html = parts(to_old)
    assert (
        "van oud@voorbeeld.nl in nieuw@voorbeeld.nl" in old_text and "Kies dan meteen een nieuw wachtwoord" in old_text
    )
    assert "https://wijkfonds.example.nl/account/wachtwoord-vergeten" in old_text
    assert 'href="https://wijkfonds.example.nl/account/wachtwoord-vergeten"' in old_html
    assert "/account/nieuw-e-mailadres/" not in old_text  # the old mailbox cannot make the change

    # Until the click: the account page shows what waits, and the old address is the account's.
    page = client.get("/account/").get_data(as_text=True)
    assert "Wacht op bevestiging: nieuw@voorbeeld.nl." in page and "oud@voorbeeld.nl" in page
    assert _user(me_id).email == "oud@voorbeeld.nl"

    # The click, from a browser where nobody is logged in (the phone that reads that mail).
    phone = mail_app.test_client()
    shown = phone.get(url)
    assert shown.status_code == 200 and _user(me_id).email == "oud@voorbeeld.nl"
    assert "nieuw@voorbeeld.nl" in shown.get_data(as_text=True) and "oud@voorbeeld.nl" in shown.get_data(as_text=True)
    done = phone.post(url)
    assert done.status_code == 303
    changed = _user(me_id)
    assert changed.email == "nieuw@voorbeeld.nl" and changed.email_confirmed_at is not None
    assert db.session.scalars(select(AuditEvent.kind).where(AuditEvent.kind == "user.email_changed")).all() == [
        "user.email_changed"
    ]
    again = phone.post(url)
    assert again.status_code == 410 and "Deze link is al gebruikt" in again.get_data(as_text=True)

    # The session that asked goes on; the new address logs in, the old one no longer.
    account = client.get("/account/").get_data(as_text=True)
    assert "nieuw@voorbeeld.nl" in account and "Wacht op bevestiging" not in account
    log_in(mail_app.test_client(), "nieuw@voorbeeld.nl", PASSWORD)
    assert (
        mail_app.test_client()
        .post("/account/login", data={"email": "oud@voorbeeld.nl", "password": PASSWORD})
        .status_code
        == 401
    )


def test_a_taken_address_gets_the_same_answer_and_its_owner_a_notice(mail_app: Flask, smtp: SmtpServer) -> None:
    asker = f.user(email="vrager@voorbeeld.nl", name="Vera Vrager", password=PASSWORD)
    other = f.user(email="bezet@voorbeeld.nl", name="Bert Bezet", password=PASSWORD)
    f.user(email="controle@voorbeeld.nl", name="Vera Vrager", password=PASSWORD)  # asks for a free address
    db.session.commit()
    asker_id, other_id = asker.id, other.id

    taken_client, free_client = mail_app.test_client(), mail_app.test_client()
    log_in(taken_client, "vrager@voorbeeld.nl", PASSWORD)
    log_in(free_client, "controle@voorbeeld.nl", PASSWORD)
    taken, free = _change(taken_client, "bezet@voorbeeld.nl"), _change(free_client, "vrij@voorbeeld.nl")
    assert taken.status_code == free.status_code == 303
    assert taken.headers["Location"] == free.headers["Location"]

    def shown(client: FlaskClient, url: str, address: str, own: str) -> str:
        body = client.get(url).get_data(as_text=True).replace(address, "ADRES").replace(own, "EIGEN")
        return re.sub(
            r'(name="csrf_token" value="|name="csrf_token" type="hidden" value="|"X-CSRFToken": ")[^"]*', r"\1", body
        )

    location = taken.headers["Location"]
    assert shown(taken_client, location, "bezet@voorbeeld.nl", "vrager@voorbeeld.nl") == shown(
        free_client, location, "vrij@voorbeeld.nl", "controle@voorbeeld.nl"
    )
    assert shown(taken_client, "/account/", "bezet@voorbeeld.nl", "vrager@voorbeeld.nl") == shown(
        free_client, "/account/", "vrij@voorbeeld.nl", "controle@voorbeeld.nl"
    )

    (notice,) = deliver(smtp, "bezet@voorbeeld.nl")
    assert notice["Subject"] == "Uw e-mailadres heeft al een account bij Wijkfonds"
    text, _html = parts(notice)
    assert "Iemand wilde het account van Vera Vrager" in text and "er is niets veranderd" in text
    assert "/account/nieuw-e-mailadres/" not in text
    assert len(smtp.inbox.to("vrager@voorbeeld.nl")) == 1  # the owner's notice, as for a free address
    assert len(smtp.inbox.to("vrij@voorbeeld.nl")) == 1
    assert _user(asker_id).email == "vrager@voorbeeld.nl" and _user(other_id).email == "bezet@voorbeeld.nl"


def test_an_address_taken_before_the_click_changes_nothing(mail_app: Flask, smtp: SmtpServer) -> None:
    me = f.user(email="traag@voorbeeld.nl", password=PASSWORD)
    db.session.commit()
    me_id = me.id
    client = mail_app.test_client()
    log_in(client, "traag@voorbeeld.nl", PASSWORD)
    _change(client, "snel@voorbeeld.nl")
    (msg,) = deliver(smtp, "snel@voorbeeld.nl")
    url = path(link(msg, "/account/nieuw-e-mailadres/"))
    f.user(email="snel@voorbeeld.nl")  # someone registers the address meanwhile
    db.session.commit()
    resp = mail_app.test_client().post(url)
    assert resp.status_code == 409
    assert "hoort inmiddels bij een ander account" in resp.get_data(as_text=True)
    assert _user(me_id).email == "traag@voorbeeld.nl"


def test_a_password_reset_ends_a_pending_change_and_a_newer_request_the_older_one(
    mail_app: Flask, smtp: SmtpServer
) -> None:
    me = f.user(email="bezorgd@voorbeeld.nl", password=PASSWORD)
    db.session.commit()
    me_id = me.id
    client = mail_app.test_client()
    log_in(client, "bezorgd@voorbeeld.nl", PASSWORD)
    _change(client, "eerste@voorbeeld.nl")
    _change(client, "tweede@voorbeeld.nl")
    first = path(link(deliver(smtp, "eerste@voorbeeld.nl")[0], "/account/nieuw-e-mailadres/"))
    second = path(link(smtp.inbox.to("tweede@voorbeeld.nl")[0], "/account/nieuw-e-mailadres/"))
    resp = client.get(first)
    assert resp.status_code == 410 and "Deze link geldt niet meer" in resp.get_data(as_text=True)

    # The owner of the old address did not ask for this: a new password stops the change.
    reset = mail_app.test_client()
    reset.post("/account/wachtwoord-vergeten", data={"email": "bezorgd@voorbeeld.nl"})
    reset_mail = next(m for m in deliver(smtp, "bezorgd@voorbeeld.nl") if "wachtwoord" in m["Subject"])
    new_password = "een-heel-nieuw-wachtwoord"
    assert (
        reset.post(
            path(link(reset_mail, "/account/nieuw-wachtwoord/")),
            data={"password": new_password, "password2": new_password},
        ).status_code
        == 303
    )
    assert mail_app.test_client().post(second).status_code == 410
    assert _user(me_id).email == "bezorgd@voorbeeld.nl"


def test_requests_to_change_the_address_are_limited(mail_app: Flask) -> None:
    mail_app.config["EMAIL_CHANGE_RATE_LIMIT"] = (3, 3600)
    f.user(email="wispelturig@voorbeeld.nl", password=PASSWORD)
    db.session.commit()
    client = mail_app.test_client()
    log_in(client, "wispelturig@voorbeeld.nl", PASSWORD)
    for n in range(3):
        assert _change(client, f"adres{n}@voorbeeld.nl").status_code == 303
    fourth = _change(client, "adres3@voorbeeld.nl")
    assert fourth.status_code == 429 and "al 3 keer gevraagd" in fourth.get_data(as_text=True)
