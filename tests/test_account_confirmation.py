"""Registration confirms the address by a mail link; until then an account cannot support or bind a code.

Mail goes through the outbox to a real SMTP server (aiosmtpd, tests/smtp_server.py).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select, update

from tests import factories as f
from tests import factories_vote as fv
from tests.account_mail import SITE, deliver, link, log_in, mail_app, parts, path, smtp
from tests.smtp_server import SmtpServer
from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.models import AccountToken, AuditEvent, OutboxMessage, Phase, RateEvent, Status, Support, User, Voter
from wijkfonds.services.accounts import tokens
from wijkfonds.services.voting.codes import CODE_BUCKET

__all__ = ["mail_app", "smtp"]  # fixtures

PASSWORD = "een-lang-wachtwoord"


def _register(client, email: str = "nieuw@voorbeeld.nl", **over: object):
    data: dict[str, object] = {
        "email": email,
        "display_name": "Nieuwe Bewoner",
        "district": f.district().id,
        "password": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(over)
    return client.post("/account/registreren", data=data)


def _user(email: str) -> User:
    db.session.expire_all()
    return db.session.scalars(select(User).where(User.email == email)).one()


def test_registration_mails_a_link_that_confirms_the_address_once(mail_app: Flask, smtp: SmtpServer) -> None:
    client = mail_app.test_client()
    resp = _register(client)
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/account/registreren/verstuurd")
    assert _user("nieuw@voorbeeld.nl").email_confirmed_at is None

    (msg,) = deliver(smtp, "nieuw@voorbeeld.nl")
    assert msg["Subject"] == "Bevestig uw e-mailadres bij Wijkfonds"
    text, html = parts(msg)
    assert "Beste Nieuwe Bewoner," in text and "De link werkt 2 dagen en één keer." in text
    assert "Wijkfonds · Stadsdeel West" in text and '<html lang="nl">' in html
    url = link(msg, "/account/bevestigen/")

    # Opening the link shows a button and changes nothing (a mail scanner may open it).
    page = client.get(path(url))
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "Ja, dit is mijn e-mailadres" in page.get_data(as_text=True)
    assert _user("nieuw@voorbeeld.nl").email_confirmed_at is None

    # The button confirms, in another browser than the one that registered, not logged in.
    other = mail_app.test_client()
    done = other.post(path(url))
    assert done.status_code == 303 and done.headers["Location"].endswith("/account/login")
    assert _user("nieuw@voorbeeld.nl").email_confirmed_at is not None
    kinds = db.session.scalars(select(AuditEvent.kind).where(AuditEvent.kind == "user.email_confirmed")).all()
    assert kinds == ["user.email_confirmed"]

    # A second click: already used, a clear page, not a second confirmation.
    for again in (other.get(path(url)), other.post(path(url))):
        assert again.status_code == 410
        body = again.get_data(as_text=True)
        assert "Deze link is al gebruikt" in body and "al bevestigd" in body
    assert db.session.scalar(select(func.count()).where(AuditEvent.kind == "user.email_confirmed")) == 1


def test_the_mail_is_in_the_language_of_the_registration(mail_app: Flask, smtp: SmtpServer) -> None:
    client = mail_app.test_client()
    client.get("/taal/en")
    assert _register(client, "new@example.org").status_code == 303
    (msg,) = deliver(smtp, "new@example.org")
    assert msg["Subject"] == "Confirm your e-mail address at Neighbourhood Fund"
    text, html = parts(msg)
    assert "Dear Nieuwe Bewoner," in text and "The link works for 2 days, and once." in text
    assert '<html lang="en">' in html and "Confirm e-mail address" in html
    assert link(msg, "/account/bevestigen/").startswith(f"{SITE}/account/bevestigen/")


def test_expired_forged_and_ended_links_get_clear_pages(mail_app: Flask, smtp: SmtpServer) -> None:
    client = mail_app.test_client()
    _register(client)
    (msg,) = deliver(smtp, "nieuw@voorbeeld.nl")
    url = path(link(msg, "/account/bevestigen/"))

    db.session.execute(update(AccountToken).values(expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    for resp in (client.get(url), client.post(url)):
        assert resp.status_code == 410
        body = resp.get_data(as_text=True)
        assert "Deze link is verlopen" in body and "accountpagina" in body
    assert _user("nieuw@voorbeeld.nl").email_confirmed_at is None

    token = url.rsplit("/", 1)[1]
    forged = [
        "/account/bevestigen/" + token[:-1] + ("A" if token[-1] != "A" else "B"),  # one character off
        "/account/bevestigen/kort",
        "/account/bevestigen/" + "x" * 5000,
        "/account/bevestigen/%00%ff%fe",
        "/account/nieuw-wachtwoord/" + token,  # a confirmation token is no password link
        "/account/nieuw-e-mailadres/" + token,
    ]
    for bad in forged:
        for resp in (client.get(bad), client.post(bad, data={"password": PASSWORD, "password2": PASSWORD})):
            assert resp.status_code == 404, (bad, resp.status_code)
            assert "Deze link werkt niet" in resp.get_data(as_text=True)

    # A link whose account has another address by now no longer counts.
    _user("nieuw@voorbeeld.nl").email = "ander@voorbeeld.nl"
    db.session.execute(update(AccountToken).values(expires_at=utcnow() + timedelta(hours=1)))
    db.session.commit()
    resp = client.get(url)
    assert resp.status_code == 410 and "Deze link geldt niet meer" in resp.get_data(as_text=True)


def test_registering_a_taken_address_mails_its_owner_a_password_link_instead(mail_app: Flask, smtp: SmtpServer) -> None:
    owner = f.user(email="bestaat@voorbeeld.nl", name="Bestaande Bewoner", confirmed=False)
    db.session.commit()
    old_hash = owner.password_hash
    client = mail_app.test_client()
    taken = _register(client, "Bestaat@Voorbeeld.nl")
    new = _register(client, "nog-niet@voorbeeld.nl")
    assert taken.status_code == new.status_code == 303
    assert taken.headers["Location"] == new.headers["Location"]
    assert taken.get_data() == new.get_data()
    assert client.get(taken.headers["Location"]).get_data() == client.get(new.headers["Location"]).get_data()

    (notice,) = deliver(smtp, "bestaat@voorbeeld.nl")
    assert notice["Subject"] == "Aanmelding met uw e-mailadres bij Wijkfonds"
    text, _html = parts(notice)
    assert "Beste Bestaande Bewoner," in text and "er is niets aan uw account veranderd" in text
    assert "/account/bevestigen/" not in text  # no confirmation for whoever typed the address
    reset = path(link(notice, "/account/nieuw-wachtwoord/"))
    (confirm,) = deliver(smtp, "nog-niet@voorbeeld.nl")
    assert confirm["Subject"] == "Bevestig uw e-mailadres bij Wijkfonds"

    account = _user("bestaat@voorbeeld.nl")
    assert account.password_hash == old_hash and account.display_name == "Bestaande Bewoner"
    # The owner's link works: a new password, and the address counts as confirmed now.
    assert client.get(reset).status_code == 200
    done = client.post(reset, data={"password": "nieuw-en-lang-genoeg", "password2": "nieuw-en-lang-genoeg"})
    assert done.status_code == 303
    assert _user("bestaat@voorbeeld.nl").email_confirmed_at is not None


def test_unconfirmed_accounts_cannot_support_or_bind_a_code_until_they_confirm(
    mail_app: Flask, smtp: SmtpServer
) -> None:
    me = f.user(email="bewoner@voorbeeld.nl", password=PASSWORD, confirmed=False)
    plan = f.initiative(f.round_(Phase.SUBMISSION), status=Status.SUBMITTED)
    voting = fv.voting_round()
    code = fv.voting_code(voting)
    db.session.commit()
    plan_id, round_id, my_id = plan.id, voting.id, me.id
    client = mail_app.test_client()
    log_in(client, "bewoner@voorbeeld.nl", PASSWORD)

    detail = client.get(f"/initiatieven/{plan_id}").get_data(as_text=True)
    assert "Bevestig eerst uw e-mailadres; daarna kunt u plannen steunen." in detail
    assert 'href="/account/#bevestigen"' in detail and "Ik steun dit plan" not in detail

    refused = client.post(f"/initiatieven/{plan_id}/steunen")
    assert refused.status_code == 403
    body = refused.get_data(as_text=True)
    assert "Bevestig eerst uw e-mailadres" in body and 'href="/account/#bevestigen"' in body
    fragment = client.post(f"/initiatieven/{plan_id}/steunen", headers={"HX-Request": "true"})
    assert fragment.status_code == 403 and 'href="/account/#bevestigen"' in fragment.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Support)) == 0

    bind_page = client.get(f"/stemmen/{round_id}/koppelen").get_data(as_text=True)
    assert "daarna kunt u de stemcode uit uw brief aan uw account koppelen" in bind_page
    assert 'name="code"' not in bind_page and 'href="/account/#bevestigen"' in bind_page
    bound = client.post(f"/stemmen/{round_id}/koppelen", data={"code": code})
    assert bound.status_code == 403
    assert db.session.scalar(select(func.count()).where(Voter.user_id == my_id)) == 0
    # Refused before the code is looked up: nothing counts against the address's code limit.
    assert db.session.scalar(select(func.count()).where(RateEvent.bucket == CODE_BUCKET)) == 0

    # The account page sends the link again; the click confirms; then both work.
    account = client.get("/account/").get_data(as_text=True)
    assert "nog niet bevestigd" in account and "Stuur de bevestigingsmail opnieuw" in account
    resent = client.post("/account/bevestigingsmail")
    assert resent.status_code == 303 and resent.headers["Location"].endswith("/account/#bevestigen")
    (msg,) = deliver(smtp, "bewoner@voorbeeld.nl")
    confirmed = client.post(path(link(msg, "/account/bevestigen/")))
    assert confirmed.status_code == 303 and confirmed.headers["Location"].endswith("/account/")
    assert "Uw e-mailadres is bevestigd." in client.get("/account/").get_data(as_text=True)

    assert client.post(f"/initiatieven/{plan_id}/steunen").status_code == 303
    assert db.session.scalar(select(func.count()).select_from(Support)) == 1
    assert client.post(f"/stemmen/{round_id}/koppelen", data={"code": code}).status_code == 303
    assert db.session.scalar(select(func.count()).where(Voter.user_id == my_id)) == 1


def test_taking_back_support_needs_no_confirmation(mail_app: Flask) -> None:
    """An account that supported before confirmation existed can still take its support back."""
    me = f.user(email="eerder@voorbeeld.nl", password=PASSWORD, confirmed=False)
    plan = f.initiative(f.round_(Phase.SUBMISSION), status=Status.SUBMITTED)
    db.session.add(Support(initiative_id=plan.id, user_id=me.id))
    plan.support_count = 1
    db.session.commit()
    client = mail_app.test_client()
    log_in(client, "eerder@voorbeeld.nl", PASSWORD)
    assert "Steun intrekken" in client.get(f"/initiatieven/{plan.id}").get_data(as_text=True)
    assert client.post(f"/initiatieven/{plan.id}/steun-intrekken").status_code == 303
    assert db.session.scalar(select(func.count()).select_from(Support)) == 0


def test_sending_the_link_again_is_limited_per_account(mail_app: Flask, smtp: SmtpServer) -> None:
    mail_app.config["CONFIRM_RESEND_RATE_LIMIT"] = (3, 3600)
    f.user(email="vergeetachtig@voorbeeld.nl", password=PASSWORD, confirmed=False)
    f.user(email="al-goed@voorbeeld.nl", password=PASSWORD)
    db.session.commit()
    client = mail_app.test_client()
    log_in(client, "vergeetachtig@voorbeeld.nl", PASSWORD)
    for _ in range(3):
        assert client.post("/account/bevestigingsmail").status_code == 303
    fourth = client.post("/account/bevestigingsmail")
    assert fourth.status_code == 429
    body = fourth.get_data(as_text=True)
    assert "al 3 keer opnieuw gevraagd" in body and "over een uur opnieuw" in body
    assert len(deliver(smtp, "vergeetachtig@voorbeeld.nl")) == 3
    # Each of the three links works until one is used; then the others end.
    urls = [path(link(m, "/account/bevestigen/")) for m in smtp.inbox.to("vergeetachtig@voorbeeld.nl")]
    assert all(client.get(u).status_code == 200 for u in urls)
    assert client.post(urls[1]).status_code == 303
    assert client.get(urls[0]).status_code == 410 and client.get(urls[2]).status_code == 410

    confirmed = mail_app.test_client()
    log_in(confirmed, "al-goed@voorbeeld.nl", PASSWORD)
    again = confirmed.post("/account/bevestigingsmail")
    assert again.status_code == 409 and "Uw e-mailadres is al bevestigd." in again.get_data(as_text=True)
    assert deliver(smtp, "al-goed@voorbeeld.nl") == []


def test_the_buttons_on_link_pages_need_their_csrf_token(csrf_app: Flask) -> None:
    user = f.user(confirmed=False)
    raw = tokens.issue(user, tokens.TokenPurpose.CONFIRM, email=user.email, seconds=3600)
    db.session.commit()
    client = csrf_app.test_client()
    page = client.get(f"/account/bevestigen/{raw}")
    assert page.status_code == 200
    assert client.post(f"/account/bevestigen/{raw}").status_code == 400
    db.session.expire_all()
    assert db.session.get(User, user.id).email_confirmed_at is None
    csrf = page.get_data(as_text=True).split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    assert client.post(f"/account/bevestigen/{raw}", data={"csrf_token": csrf}).status_code == 303
    db.session.expire_all()
    assert db.session.get(User, user.id).email_confirmed_at is not None


def test_admin_made_accounts_get_a_confirmation_and_cli_made_ones_are_confirmed(
    mail_app: Flask, smtp: SmtpServer
) -> None:
    admin = f.user("admin", name="Anna Beheer")
    db.session.commit()
    client = mail_app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = admin.get_id()
    made = client.post(
        "/beheer/accounts/nieuw",
        data={
            "email": "collega@voorbeeld.nl",
            "display_name": "Nieuwe Collega",
            "role": "staff",
            "password": "een-wachtwoord-van-anna",
        },
    )
    assert made.status_code == 302, made.get_data(as_text=True)[:800]
    assert _user("collega@voorbeeld.nl").email_confirmed_at is None
    (msg,) = deliver(smtp, "collega@voorbeeld.nl")
    assert msg["Subject"] == "Er is een account voor u gemaakt bij Wijkfonds"
    text, _html = parts(msg)
    assert "Anna Beheer heeft bij Wijkfonds een account voor u gemaakt" in text
    assert client.post(path(link(msg, "/account/bevestigen/"))).status_code == 303
    assert _user("collega@voorbeeld.nl").email_confirmed_at is not None

    result = mail_app.test_cli_runner().invoke(
        args=["users", "create", "eerste@voorbeeld.nl", "--role", "admin", "--password", "lang-genoeg-wachtwoord"]
    )
    assert result.exit_code == 0, result.output
    assert _user("eerste@voorbeeld.nl").email_confirmed_at is not None
    assert db.session.scalar(select(func.count()).where(OutboxMessage.to_address == "eerste@voorbeeld.nl")) == 0


@pytest.mark.parametrize("purpose", list(tokens.TokenPurpose))
def test_old_links_are_cleaned_up_a_week_after_they_expire(app: Flask, purpose: tokens.TokenPurpose) -> None:
    user = f.user()
    start = utcnow() - timedelta(days=10)
    tokens.issue(user, purpose, email=user.email, seconds=3600, now=start)
    tokens.issue(user, purpose, email=user.email, seconds=3600, now=utcnow() - timedelta(days=2))
    tokens.issue(user, purpose, email=user.email, seconds=3600)  # issuing cleans up the first one
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(AccountToken)) == 2
