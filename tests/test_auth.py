"""Registration, login, logout, rate limit and session renewal."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from tests import factories as f
from wijkfonds.extensions import db
from wijkfonds.models import User


def _count() -> int:
    return db.session.scalar(select(func.count(User.id)))


def _register(client, **over):
    data = {
        "email": "nieuw@voorbeeld.nl",
        "display_name": "Nieuwe Bewoner",
        "district": f.district().id,
        "password": "een-lang-wachtwoord",
        "password2": "een-lang-wachtwoord",
    }
    data.update(over)
    return client.post("/account/registreren", data=data)


def test_register_creates_the_account_and_asks_to_log_in(client, app: Flask) -> None:
    resp = _register(client)
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/account/registreren/verstuurd")
    user = db.session.scalars(select(User).where(User.email == "nieuw@voorbeeld.nl")).one()
    assert user.password_hash != "een-lang-wachtwoord" and user.check_password("een-lang-wachtwoord")
    assert user.role == "resident" and user.district_id == f.district().id
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Aanmelding ontvangen" in page and "Nieuwe Bewoner" not in page  # not logged in
    login = client.post("/account/login", data={"email": "nieuw@voorbeeld.nl", "password": "een-lang-wachtwoord"})
    assert login.status_code == 302
    assert "Nieuwe Bewoner" in client.get("/").get_data(as_text=True)


def test_register_bad_input_saves_nothing(client) -> None:
    before = _count()
    cases = [
        {"email": "geen-adres"},
        {"password": "kort", "password2": "kort"},
        {"password2": "iets-anders-dan-dat"},
        {"district": 999999},
        {"district": "abc"},
        {"display_name": ""},
    ]
    for case in cases:
        resp = _register(client, **case)
        assert resp.status_code == 422, case
        assert 'class="error"' in resp.get_data(as_text=True), case
    assert _count() == before


def test_registering_a_taken_address_answers_as_for_a_new_one(client) -> None:
    """The page does not tell whether an address has an account; the existing one is untouched."""
    existing = f.user(email="bestaat@voorbeeld.nl")
    db.session.commit()
    old_hash, before = existing.password_hash, _count()
    taken = _register(client, email="Bestaat@Voorbeeld.nl")
    new = _register(client, email="nog-niet@voorbeeld.nl")
    assert taken.status_code == new.status_code == 303
    assert taken.headers["Location"] == new.headers["Location"]
    assert "Er bestaat al een account" not in taken.get_data(as_text=True)
    assert _count() == before + 1  # only the new address got an account
    db.session.refresh(existing)
    assert existing.password_hash == old_hash and existing.display_name != "Nieuwe Bewoner"


def test_login_generic_message_and_rate_limit(client, app: Flask) -> None:
    u = f.user(email="inlog@voorbeeld.nl")
    db.session.commit()
    wrong = client.post("/account/login", data={"email": "inlog@voorbeeld.nl", "password": "fout-wachtwoord"})
    unknown = client.post("/account/login", data={"email": "niemand@voorbeeld.nl", "password": "fout-wachtwoord"})
    assert wrong.status_code == unknown.status_code == 401
    assert "Onjuist e-mailadres of wachtwoord." in wrong.get_data(as_text=True)
    assert "Onjuist e-mailadres of wachtwoord." in unknown.get_data(as_text=True)
    attempts, _window = app.config["LOGIN_ACCOUNT_RATE_LIMIT"]
    for _ in range(attempts - 1):
        client.post("/account/login", data={"email": "inlog@voorbeeld.nl", "password": "fout-wachtwoord"})
    # The account is protected now: even the right password waits until the window passes.
    blocked = client.post("/account/login", data={"email": "inlog@voorbeeld.nl", "password": f.PASSWORD})
    assert blocked.status_code == 429
    assert "Te veel onjuiste wachtwoorden voor dit e-mailadres" in blocked.get_data(as_text=True)
    assert u.session_version == 1


def test_login_renews_session_and_logout_ends_it(client) -> None:
    u = f.user(email="sessie@voorbeeld.nl")
    db.session.commit()
    resp = client.post("/account/login", data={"email": "sessie@voorbeeld.nl", "password": f.PASSWORD})
    assert resp.status_code == 302
    db.session.refresh(u)
    assert u.session_version == 2
    with client.session_transaction() as sess:
        old_id = sess["_user_id"]
    assert old_id == f"{u.id}:2"
    client.post("/account/uitloggen")
    db.session.refresh(u)
    # The old session cookie no longer belongs to anyone.
    with client.session_transaction() as sess:
        sess["_user_id"] = old_id
    assert "Uitloggen" not in client.get("/").get_data(as_text=True)


def test_open_redirect_is_refused(client) -> None:
    f.user(email="redirect@voorbeeld.nl")
    db.session.commit()
    resp = client.post(
        "/account/login?next=https://evil.example/", data={"email": "redirect@voorbeeld.nl", "password": f.PASSWORD}
    )
    assert resp.status_code == 302 and "evil.example" not in resp.headers["Location"]


def test_logout_needs_csrf_token(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    u = f.user()
    db.session.commit()
    with client.session_transaction() as sess:
        sess["_user_id"] = u.get_id()
    assert client.post("/account/uitloggen").status_code == 400
