"""Limits that stop guessing, not residents: login, registration and comments.

Addresses are set per request (REMOTE_ADDR), so one test can play a whole community centre.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests import factories as f
from tests import factories_rounds as frd
from wijkfonds.common.timeutil import duration_text
from wijkfonds.extensions import db
from wijkfonds.models import Comment, NominationComment, Phase, RateEvent, User
from wijkfonds.services import ratelimit
from wijkfonds.services.accounts import users as accounts

CENTRE = "192.0.2.10"  # a library or community centre: many residents behind one address


def _login(client, email: str, password: str, ip: str = CENTRE):
    return client.post("/account/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": ip})


def _logout(client) -> None:
    with client.session_transaction() as sess:
        sess.clear()


@pytest.fixture()
def hash_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every password-hash verification, wherever it happens (the real hash or the dummy)."""
    from werkzeug.security import check_password_hash

    import wijkfonds.models.user as user_model

    seen: list[str] = []

    def counting(pwhash: str, password: str) -> bool:
        seen.append(pwhash)
        return check_password_hash(pwhash, password)

    monkeypatch.setattr(user_model, "check_password_hash", counting)
    monkeypatch.setattr(accounts, "check_password_hash", counting)
    return seen


# --- login takes the same work whether the address exists or not --------------------------------


def test_every_login_attempt_verifies_exactly_one_hash(client, hash_checks: list[str]) -> None:
    real = f.user(email="bestaat@voorbeeld.nl")
    blocked = f.user(email="geblokkeerd@voorbeeld.nl")
    blocked.active = False
    db.session.commit()
    cases = [
        ("niemand@voorbeeld.nl", f.PASSWORD, 401),  # unknown address: checked against a dummy hash
        ("bestaat@voorbeeld.nl", "fout-wachtwoord", 401),
        ("geblokkeerd@voorbeeld.nl", f.PASSWORD, 401),  # inactive: the hash is still checked
        ("bestaat@voorbeeld.nl", f.PASSWORD, 302),
    ]
    for email, password, status in cases:
        before = len(hash_checks)
        assert _login(client, email, password).status_code == status, email
        assert len(hash_checks) == before + 1, email
        _logout(client)
    # The dummy hash is made like a real one (same method and cost parameters).
    dummy = hash_checks[0]
    assert dummy != real.password_hash and dummy.split("$")[0] == real.password_hash.split("$")[0]


def test_registration_costs_the_same_for_a_taken_address(client, monkeypatch: pytest.MonkeyPatch) -> None:
    from werkzeug.security import generate_password_hash

    import wijkfonds.models.user as user_model

    made: list[str] = []

    def counting(password: str, *args: object, **kwargs: object) -> str:
        made.append(password)
        return generate_password_hash(password)

    monkeypatch.setattr(user_model, "generate_password_hash", counting)
    monkeypatch.setattr(accounts, "generate_password_hash", counting)
    f.user(email="bestaat@voorbeeld.nl")
    db.session.commit()
    answers = []
    for email in ("bestaat@voorbeeld.nl", "nieuw@voorbeeld.nl"):
        before = len(made)
        resp = client.post(
            "/account/registreren",
            data={
                "email": email,
                "display_name": "Buur",
                "district": f.district().id,
                "password": "een-lang-wachtwoord",
                "password2": "een-lang-wachtwoord",
            },
        )
        assert len(made) == before + 1, email
        answers.append((resp.status_code, resp.headers.get("Location"), resp.get_data()))
    assert answers[0] == answers[1]


# --- wrong passwords: per account and (generously) per address -----------------------------------


def test_thirty_wrong_passwords_for_others_do_not_lock_out_a_resident(client) -> None:
    """30 wrong passwords for other accounts from one address; then a correct one from there works."""
    others = [f.user(email=f"buur{k}@voorbeeld.nl") for k in range(15)]
    me = f.user(email="ik@voorbeeld.nl")
    db.session.commit()
    for k in range(30):
        email = others[k % 15].email if k % 2 else f"onbekend{k}@voorbeeld.nl"
        assert _login(client, email, "verkeerd-wachtwoord").status_code == 401
    resp = _login(client, me.email, f.PASSWORD)
    assert resp.status_code == 302
    db.session.refresh(me)
    assert me.session_version == 2


def test_a_shared_address_evening_is_never_refused(client) -> None:
    """100 logins in an hour from one address, one in five mistyping once first: nobody is refused."""
    residents = [f.user(email=f"bewoner{k}@voorbeeld.nl") for k in range(100)]
    db.session.commit()
    statuses = []
    for k, person in enumerate(residents):
        if k % 5 == 0:
            statuses.append(_login(client, person.email, f.PASSWORD + "x").status_code)
        statuses.append(_login(client, person.email, f.PASSWORD).status_code)
        _logout(client)
    assert statuses.count(401) == 20 and statuses.count(302) == 100 and len(statuses) == 120


def test_wrong_passwords_for_one_account_are_limited_from_anywhere(client, app: Flask) -> None:
    target = f.user(email="doelwit@voorbeeld.nl")
    other = f.user(email="ander@voorbeeld.nl")
    db.session.commit()
    attempts, window = app.config["LOGIN_ACCOUNT_RATE_LIMIT"]
    for k in range(attempts):  # a guesser spread over many addresses
        assert _login(client, target.email, f"gok-{k}-wachtwoord", ip=f"198.51.100.{k + 1}").status_code == 401
    refused = _login(client, target.email, f.PASSWORD, ip="203.0.113.99")
    body = refused.get_data(as_text=True)
    assert refused.status_code == 429 and "Te veel onjuiste wachtwoorden voor dit e-mailadres" in body
    assert duration_text(window) in body
    # Only that account waits: others at the same addresses log in as usual.
    assert _login(client, other.email, f.PASSWORD, ip="198.51.100.1").status_code == 302


def test_an_unknown_address_is_limited_like_a_real_one(client, app: Flask) -> None:
    attempts, _window = app.config["LOGIN_ACCOUNT_RATE_LIMIT"]
    answers = set()
    for email in ("bestaat@voorbeeld.nl", "bestaat-niet@voorbeeld.nl"):
        if email.startswith("bestaat@"):
            f.user(email=email)
            db.session.commit()
        for _ in range(attempts):
            _login(client, email, "verkeerd-wachtwoord")
        resp = _login(client, email, "verkeerd-wachtwoord")
        # The same page apart from the typed address and the CSRF token (it carries a timestamp).
        page = re.sub(r'value="[^"]*"|"X-CSRFToken": "[^"]*"', "", resp.get_data(as_text=True))
        answers.add((resp.status_code, page))
    assert len(answers) == 1 and next(iter(answers))[0] == 429


def test_a_correct_password_clears_the_account_count(client, app: Flask) -> None:
    me = f.user(email="vergeetachtig@voorbeeld.nl")
    db.session.commit()
    attempts, _window = app.config["LOGIN_ACCOUNT_RATE_LIMIT"]
    for _round in range(3):
        for _ in range(attempts - 1):
            assert _login(client, me.email, "bijna-goed-wachtwoord").status_code == 401
        assert _login(client, me.email, f.PASSWORD).status_code == 302
        _logout(client)


def test_the_address_limit_counts_only_wrong_passwords(client, app: Flask) -> None:
    app.config["LOGIN_ADDRESS_RATE_LIMIT"] = (5, 3600)  # small, to reach it quickly
    residents = [f.user(email=f"vaste{k}@voorbeeld.nl") for k in range(8)]
    db.session.commit()
    for person in residents:  # successful logins are not counted
        assert _login(client, person.email, f.PASSWORD).status_code == 302
        _logout(client)
    for k in range(5):
        assert _login(client, f"sproei{k}@voorbeeld.nl", "raad-maar-wachtwoord").status_code == 401
    refused = _login(client, residents[0].email, f.PASSWORD)
    assert refused.status_code == 429 and "Vanaf dit internetadres" in refused.get_data(as_text=True)
    assert _login(client, residents[0].email, f.PASSWORD, ip="192.0.2.11").status_code == 302


def test_rate_events_hold_no_email_addresses(client) -> None:
    _login(client, "geheim@voorbeeld.nl", "verkeerd-wachtwoord")
    keys = list(db.session.scalars(select(RateEvent.key)))
    assert keys and not any("geheim" in k for k in keys)


def test_ipv6_addresses_count_per_64() -> None:
    assert ratelimit.address_key("2001:db8:1:2:aaaa::1") == ratelimit.address_key("2001:db8:1:2:bbbb::9")
    assert ratelimit.address_key("2001:db8:1:2::1") != ratelimit.address_key("2001:db8:1:3::1")
    assert ratelimit.address_key("::ffff:192.0.2.1") == "192.0.2.1" == ratelimit.address_key("192.0.2.1")
    assert ratelimit.address_key("?") == "?"


# --- registration: a limit per address -----------------------------------------------------------


def _register(client, email: str, ip: str = CENTRE):
    return client.post(
        "/account/registreren",
        data={
            "email": email,
            "display_name": "Nieuwe Buur",
            "district": f.district().id,
            "password": "een-lang-wachtwoord",
            "password2": "een-lang-wachtwoord",
        },
        environ_base={"REMOTE_ADDR": ip},
    )


def test_registrations_are_limited_per_address(client, app: Flask) -> None:
    app.config["REGISTER_RATE_LIMIT"] = (3, 3600)
    f.user(email="al-lid@voorbeeld.nl")
    db.session.commit()
    assert _register(client, "een@voorbeeld.nl").status_code == 303
    assert _register(client, "al-lid@voorbeeld.nl").status_code == 303  # counted the same as a new address
    assert _register(client, "twee@voorbeeld.nl").status_code == 303
    before = db.session.scalar(select(func.count(User.id)))
    refused = _register(client, "drie@voorbeeld.nl")
    body = refused.get_data(as_text=True)
    assert refused.status_code == 429 and "in korte tijd al 3 aanmeldingen" in body and "een uur" in body
    assert db.session.scalar(select(func.count(User.id))) == before
    assert _register(client, "drie@voorbeeld.nl", ip="192.0.2.77").status_code == 303


def test_the_default_registration_limit_lets_a_household_sign_up(client, app: Flask) -> None:
    attempts, window = app.config["REGISTER_RATE_LIMIT"]
    assert attempts >= 5 and window <= 3600
    for k in range(5):
        assert _register(client, f"gezin{k}@voorbeeld.nl").status_code == 303


# --- comments: a limit per account ---------------------------------------------------------------


def test_comments_are_limited_per_account(client, auth, app: Flask) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    ini = f.initiative(rnd)
    me, neighbour = f.user(), f.user()
    db.session.commit()
    auth.login(me)
    per_minute, _window = app.config["COMMENT_RATE_LIMITS"][0]
    for k in range(per_minute):
        assert client.post(f"/initiatieven/{ini.id}/reacties", data={"body": f"Reactie {k}"}).status_code == 303
    refused = client.post(f"/initiatieven/{ini.id}/reacties", data={"body": "Nog eentje"})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 429 and f"in korte tijd al {per_minute} reacties" in body and "een minuut" in body
    htmx = client.post(f"/initiatieven/{ini.id}/reacties", data={"body": "Nog eentje"}, headers={"HX-Request": "true"})
    assert htmx.status_code == 429 and "<html" not in htmx.get_data(as_text=True)
    assert "in korte tijd al" in htmx.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Comment.id))) == per_minute
    auth.login(neighbour)  # another account is not affected
    assert client.post(f"/initiatieven/{ini.id}/reacties", data={"body": "Ik ook"}).status_code == 303


def test_theme_comments_share_the_limit(client, auth, app: Flask) -> None:
    rnd = f.round_(Phase.NOMINATION, themes=[])
    nom = frd.nomination(rnd)
    ini_round = f.round_(Phase.SUBMISSION)
    ini = f.initiative(ini_round)
    me = f.user()
    db.session.commit()
    auth.login(me)
    per_minute, _window = app.config["COMMENT_RATE_LIMITS"][0]
    for k in range(per_minute - 1):
        assert client.post(f"/initiatieven/{ini.id}/reacties", data={"body": f"Reactie {k}"}).status_code == 303
    assert client.post(f"/themas/voorstel/{nom.id}/reactie", data={"body": "Goed thema"}).status_code == 302
    refused = client.post(f"/themas/voorstel/{nom.id}/reactie", data={"body": "Nog een"})
    assert refused.status_code == 429 and "in korte tijd al" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count(NominationComment.id))) == 1


def test_limits_are_configured_with_their_numbers(app: Flask) -> None:
    """The numbers the README states."""
    assert app.config["LOGIN_ACCOUNT_RATE_LIMIT"] == (10, 900)
    assert app.config["LOGIN_ADDRESS_RATE_LIMIT"] == (100, 3600)
    assert app.config["REGISTER_RATE_LIMIT"] == (10, 3600)
    assert app.config["COMMENT_RATE_LIMITS"] == ((5, 60), (30, 3600))
