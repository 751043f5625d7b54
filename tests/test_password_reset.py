"""A forgotten password: a link by mail (one hour, once), every session ended; the request reveals nothing."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from flask import Flask
from sqlalchemy import func, select, update

from tests import factories as f
from tests.account_mail import deliver, link, log_in, mail_app, parts, path, smtp
from tests.smtp_server import SmtpServer
from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.models import AccountToken, OutboxMessage, TokenPurpose, User
from wijkfonds.services.accounts import recovery, tokens
from wijkfonds.services.accounts.tokens import LinkRefused

__all__ = ["mail_app", "smtp"]  # fixtures

OLD = "het-oude-wachtwoord"
NEW = "een-nieuw-wachtwoord"


def _ask(client, email: str):
    return client.post("/account/wachtwoord-vergeten", data={"email": email})


def _outbox_to(address: str) -> int:
    return db.session.scalar(select(func.count()).where(OutboxMessage.to_address == address)) or 0


def test_a_reset_link_sets_a_new_password_once_and_ends_every_session(mail_app: Flask, smtp: SmtpServer) -> None:
    user = f.user(email="vergeten@voorbeeld.nl", name="Vera Vergeet", password=OLD)
    db.session.commit()
    user_id = user.id
    laptop, phone, stranger = mail_app.test_client(), mail_app.test_client(), mail_app.test_client()
    log_in(laptop, "vergeten@voorbeeld.nl", OLD)
    # A second device with a session of the same login (logging in again would start a new
    # session version, which already ends the first one's session).
    db.session.expire_all()
    with phone.session_transaction() as sess:
        sess["_user_id"] = db.session.get(User, user_id).get_id()
        sess["_fresh"] = True
    assert laptop.get("/account/").status_code == phone.get("/account/").status_code == 200

    asked = _ask(stranger, "Vergeten@Voorbeeld.nl")
    assert asked.status_code == 303 and asked.headers["Location"].endswith("/account/wachtwoord-vergeten/verstuurd")
    (msg,) = deliver(smtp, "vergeten@voorbeeld.nl")
    assert msg["Subject"] == "Een nieuw wachtwoord kiezen bij Wijkfonds"
    text, _html = parts(msg)
    assert "Beste Vera Vergeet," in text and "De link werkt een uur en één keer." in text
    url = path(link(msg, "/account/nieuw-wachtwoord/"))
    row = db.session.scalars(select(AccountToken)).one()
    assert row.expires_at - row.created_at == timedelta(hours=1)

    form = stranger.get(url)
    assert form.status_code == 200 and form.headers["Cache-Control"] == "no-store"
    assert "vergeten@voorbeeld.nl" in form.get_data(as_text=True)
    # A password that does not do is refused, and the link still works for a better one.
    short = stranger.post(url, data={"password": "kort", "password2": "kort"})
    assert short.status_code == 422 and "minstens 10 tekens" in short.get_data(as_text=True)
    differ = stranger.post(url, data={"password": NEW, "password2": NEW + "x"})
    assert differ.status_code == 422 and "niet gelijk" in differ.get_data(as_text=True)

    done = stranger.post(url, data={"password": NEW, "password2": NEW})
    assert done.status_code == 303 and done.headers["Location"].endswith("/account/login")

    # Both sessions logged in before are over.
    for client in (laptop, phone):
        resp = client.get("/account/")
        assert resp.status_code == 302 and "/account/login" in resp.headers["Location"]
    assert (
        mail_app.test_client()
        .post("/account/login", data={"email": "vergeten@voorbeeld.nl", "password": OLD})
        .status_code
        == 401
    )
    log_in(laptop, "vergeten@voorbeeld.nl", NEW)
    assert laptop.get("/account/").status_code == 200

    again = stranger.post(url, data={"password": "nog-een-ander-wachtwoord", "password2": "nog-een-ander-wachtwoord"})
    assert again.status_code == 410 and "Deze link is al gebruikt" in again.get_data(as_text=True)
    assert stranger.get(url).status_code == 410
    db.session.expire_all()
    assert db.session.get(User, user_id).check_password(NEW)


def test_the_request_page_answers_the_same_for_unknown_and_blocked_addresses(mail_app: Flask, smtp: SmtpServer) -> None:
    f.user(email="bekend@voorbeeld.nl")
    blocked = f.user(email="geblokkeerd@voorbeeld.nl")
    blocked.active = False
    db.session.commit()
    client = mail_app.test_client()
    answers = [_ask(client, a) for a in ("bekend@voorbeeld.nl", "onbekend@voorbeeld.nl", "geblokkeerd@voorbeeld.nl")]
    assert {r.status_code for r in answers} == {303}
    assert {r.headers["Location"] for r in answers} == {"/account/wachtwoord-vergeten/verstuurd"}
    assert len({r.get_data() for r in answers}) == 1
    page = client.get("/account/wachtwoord-vergeten/verstuurd")
    assert page.status_code == 200 and "Heeft dit e-mailadres een account" in page.get_data(as_text=True)
    assert [_outbox_to(a) for a in ("bekend@voorbeeld.nl", "onbekend@voorbeeld.nl", "geblokkeerd@voorbeeld.nl")] == [
        1,
        0,
        0,
    ]
    assert len(deliver(smtp, "bekend@voorbeeld.nl")) == 1


def test_requests_are_limited_per_address_the_same_whether_or_not_the_account_exists(mail_app: Flask) -> None:
    mail_app.config["RESET_REQUEST_RATE_LIMIT"] = (2, 3600)
    f.user(email="bekend@voorbeeld.nl")
    db.session.commit()
    client = mail_app.test_client()
    assert _ask(client, "bekend@voorbeeld.nl").status_code == 303
    assert _ask(client, "onbekend@voorbeeld.nl").status_code == 303
    known, unknown = _ask(client, "bekend@voorbeeld.nl"), _ask(client, "onbekend@voorbeeld.nl")
    assert known.status_code == unknown.status_code == 429
    message = "zijn in korte tijd al 2 wachtwoordlinks gevraagd"
    assert message in known.get_data(as_text=True) and message in unknown.get_data(as_text=True)
    other = mail_app.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert _ask(other, "bekend@voorbeeld.nl").status_code == 303  # another internet address


def test_one_mailbox_gets_at_most_five_password_links_an_hour_from_anywhere(mail_app: Flask) -> None:
    f.user(email="doelwit@voorbeeld.nl")
    db.session.commit()
    for n in range(8):
        client = mail_app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"198.51.100.{n + 1}"
        assert _ask(client, "doelwit@voorbeeld.nl").status_code == 303  # the answer never changes
    assert _outbox_to("doelwit@voorbeeld.nl") == 5


def test_expired_and_replaced_reset_links_get_clear_pages(mail_app: Flask, smtp: SmtpServer) -> None:
    f.user(email="twee@voorbeeld.nl", password=OLD)
    db.session.commit()
    client = mail_app.test_client()
    _ask(client, "twee@voorbeeld.nl")
    _ask(client, "twee@voorbeeld.nl")
    first, second = (path(link(m, "/account/nieuw-wachtwoord/")) for m in deliver(smtp, "twee@voorbeeld.nl"))
    assert client.post(second, data={"password": NEW, "password2": NEW}).status_code == 303
    ended = client.get(first)
    assert ended.status_code == 410 and "Deze link geldt niet meer" in ended.get_data(as_text=True)
    assert "Vraag een nieuwe link" in ended.get_data(as_text=True)

    _ask(client, "twee@voorbeeld.nl")
    third = path(link(deliver(smtp, "twee@voorbeeld.nl")[-1], "/account/nieuw-wachtwoord/"))
    db.session.execute(update(AccountToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    expired = client.post(
        third, data={"password": "weer-een-ander-wachtwoord", "password2": "weer-een-ander-wachtwoord"}
    )
    assert expired.status_code == 410 and "Deze link is verlopen" in expired.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalars(select(User).where(User.email == "twee@voorbeeld.nl")).one().check_password(NEW)


def test_a_reset_clears_the_wrong_password_count_and_is_in_english_when_asked_in_english(
    mail_app: Flask, smtp: SmtpServer
) -> None:
    mail_app.config["LOGIN_ACCOUNT_RATE_LIMIT"] = (3, 900)
    f.user(email="buitengesloten@voorbeeld.nl", password=OLD)
    db.session.commit()
    client = mail_app.test_client()
    for _ in range(3):
        client.post("/account/login", data={"email": "buitengesloten@voorbeeld.nl", "password": "fout-fout-fout"})
    assert (
        client.post("/account/login", data={"email": "buitengesloten@voorbeeld.nl", "password": OLD}).status_code == 429
    )
    client.get("/taal/en")
    _ask(client, "buitengesloten@voorbeeld.nl")
    (msg,) = deliver(smtp, "buitengesloten@voorbeeld.nl")
    assert msg["Subject"] == "Choose a new password at Neighbourhood Fund"
    text, _html = parts(msg)
    assert "The link works for an hour, and once." in text
    assert (
        client.post(path(link(msg, "/account/nieuw-wachtwoord/")), data={"password": NEW, "password2": NEW}).status_code
        == 303
    )
    log_in(client, "buitengesloten@voorbeeld.nl", NEW)


def test_two_uses_of_one_link_at_the_same_moment_set_the_password_once(mail_app: Flask) -> None:
    """The second use waits for the first one's transaction and then finds the link used."""
    user = f.user(email="dubbel@voorbeeld.nl", password=OLD)
    raw = tokens.issue(user, TokenPurpose.RESET, email=user.email, seconds=3600)
    db.session.commit()
    user_id = user.id
    db.session.remove()
    first_used = threading.Event()
    outcomes: dict[str, str] = {}

    def first() -> None:
        with mail_app.app_context():
            recovery.reset_password(raw, "het-eerste-wachtwoord")
            first_used.set()
            time.sleep(0.5)  # the second one is waiting now
            db.session.commit()
            outcomes["first"] = "set"
            db.session.remove()

    def second() -> None:
        first_used.wait(10)
        with mail_app.app_context():
            try:
                recovery.reset_password(raw, "het-tweede-wachtwoord")
                db.session.commit()
                outcomes["second"] = "set"
            except LinkRefused as err:
                db.session.rollback()
                outcomes["second"] = err.state.value
            db.session.remove()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert outcomes == {"first": "set", "second": "used"}
    assert db.session.get(User, user_id).check_password("het-eerste-wachtwoord")
