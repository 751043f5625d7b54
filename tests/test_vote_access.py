"""Who may vote (issue 12): only eligible residents vote, and entering a code never spends a vote."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import func, select

from tests import factories as f
from tests import factories_vote as fv
from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.models import Ballot, User, Voter, VotingCode
from wijkfonds.services.voting.turnout import turnout


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _register(client, n: int, district_id: int) -> None:
    resp = client.post(
        "/account/registreren",
        data={
            "email": f"nieuw{n}@voorbeeld.nl",
            "display_name": f"Nieuw {n}",
            "district": str(district_id),
            "password": "een lang wachtwoord",
            "password2": "een lang wachtwoord",
        },
    )
    assert resp.status_code in (302, 303), resp.get_data(as_text=True)[:500]
    login = client.post("/account/login", data={"email": f"nieuw{n}@voorbeeld.nl", "password": "een lang wachtwoord"})
    assert login.status_code == 302, login.get_data(as_text=True)[:500]


def test_registered_accounts_cannot_vote_in_a_code_round_until_they_bind_a_code(app: Flask) -> None:
    rnd = fv.voting_round()
    plan = fv.feasible(rnd, cost=2_000)
    code = fv.voting_code(rnd)
    district_id = f.district("de-baarsjes").id
    db.session.commit()
    round_id, plan_id = rnd.id, plan.id
    for n in range(10):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = (
            f"127.0.1.{n + 1}"  # as from ten addresses (registration is limited per address)
        )
        _register(client, n, district_id)
        page = client.get(f"/stemmen/{round_id}/stembiljet")
        assert page.status_code == 302 and page.headers["Location"].endswith(f"/stemmen/{round_id}/koppelen")
        cast = client.post(f"/stemmen/{round_id}/stembiljet", data={"initiative": [plan_id], "district": district_id})
        assert cast.status_code in (302, 403)
    assert _count(Ballot) == 0 and _count(Voter) == 0

    # One of them confirms the address (tests/test_account_confirmation.py clicks the link),
    # binds the letter's code, votes, and changes the vote from a second client.
    user = db.session.scalars(select(User).where(User.email == "nieuw3@voorbeeld.nl")).one()
    user.email_confirmed_at = utcnow()
    db.session.commit()
    first, second = app.test_client(), app.test_client()
    for client in (first, second):
        with client.session_transaction() as sess:
            sess["_user_id"] = user.get_id()
            sess["_fresh"] = True
    bound = first.post(f"/stemmen/{round_id}/koppelen", data={"code": code})
    assert bound.status_code == 303
    assert (
        first.post(
            f"/stemmen/{round_id}/stembiljet", data={"initiative": [plan_id], "district": district_id}
        ).status_code
        == 303
    )
    page = second.get(f"/stemmen/{round_id}/stembiljet").get_data(as_text=True)
    assert re.search(rf'value="{plan_id}"[^>]*checked', page)
    changed = second.post(f"/stemmen/{round_id}/stembiljet", data={"initiative": [], "district": district_id})
    assert changed.status_code == 422  # an empty ballot is refused; the stored one stays
    assert (
        second.post(
            f"/stemmen/{round_id}/stembiljet", data={"initiative": [plan_id], "district": district_id}
        ).status_code
        == 303
    )
    db.session.expire_all()
    voters = db.session.scalars(select(Voter)).all()
    assert len(voters) == 1 and voters[0].user_id == user.id and voters[0].code_id is not None
    ballot = db.session.scalars(select(Ballot)).one()
    assert ballot.voter_id == voters[0].id and ballot.version == 2
    # The bound code no longer opens the ballot without the account, and binds to nobody else.
    anon = app.test_client().post(f"/stemmen/{round_id}/code", data={"code": code})
    assert anon.status_code == 409 and "gekoppeld aan een account" in anon.get_data(as_text=True)
    someone = db.session.scalars(select(User).where(User.email == "nieuw4@voorbeeld.nl")).one()
    someone.email_confirmed_at = utcnow()
    db.session.commit()
    intruder = app.test_client()
    with intruder.session_transaction() as sess:
        sess["_user_id"] = someone.get_id()
    refused = intruder.post(f"/stemmen/{round_id}/koppelen", data={"code": code})
    assert refused.status_code == 409 and "ander account" in refused.get_data(as_text=True)
    assert _count(Ballot) == 1


def test_entering_a_code_and_leaving_spends_nothing(app: Flask) -> None:
    rnd = fv.voting_round()
    plan = fv.feasible(rnd, cost=2_000)
    code = fv.voting_code(rnd)
    db.session.commit()
    round_id, plan_id, district_id = rnd.id, plan.id, plan.district_id
    before = turnout(rnd)
    assert app.test_client().post(f"/stemmen/{round_id}/code", data={"code": code}).status_code == 303
    # Refused once for going over budget (no JavaScript): still nothing spent.
    big = app.test_client()
    assert big.post(f"/stemmen/{round_id}/code", data={"code": code}).status_code == 303
    assert (
        big.post(
            f"/stemmen/{round_id}/stembiljet", data={"initiative": ["999999"], "district": district_id}
        ).status_code
        == 422
    )
    db.session.expire_all()
    assert _count(Ballot) == 0
    assert db.session.scalar(select(func.count()).select_from(VotingCode).where(VotingCode.used_at.is_not(None))) == 0
    after = turnout(db.session.get(type(rnd), round_id))
    assert after.total == before.total == 0 and after.codes_entered_without_ballot == 1
    # A new client enters the same code: the ballot opens, and voting with it uses the code.
    again = app.test_client()
    assert again.post(f"/stemmen/{round_id}/code", data={"code": code}).status_code == 303
    assert "stembiljet" in again.get(f"/stemmen/{round_id}/stembiljet").get_data(as_text=True)
    assert (
        again.post(
            f"/stemmen/{round_id}/stembiljet", data={"initiative": [plan_id], "district": district_id}
        ).status_code
        == 303
    )
    db.session.expire_all()
    assert _count(Voter) == 1 and _count(Ballot) == 1
    assert db.session.scalar(select(func.count()).select_from(VotingCode).where(VotingCode.used_at.is_not(None))) == 1
    final = turnout(db.session.get(type(rnd), round_id))
    assert final.total == 1 and final.codes_entered_without_ballot == 0


def test_wrong_codes_from_one_address_never_block_a_valid_one(app: Flask) -> None:
    rnd = fv.voting_round()
    codes = [fv.voting_code(rnd) for _ in range(2)]
    db.session.commit()
    client = app.test_client()
    for n in range(30):
        wrong = client.post(
            f"/stemmen/{rnd.id}/code", data={"code": f"ZZZZZ{n:05d}".replace("0", "2").replace("1", "3")}
        )
        assert wrong.status_code == 422
    assert app.test_client().post(f"/stemmen/{rnd.id}/code", data={"code": codes[0]}).status_code == 303
    # A code entered twice at once, or again later, is no wrong guess either.
    assert app.test_client().post(f"/stemmen/{rnd.id}/code", data={"code": codes[0]}).status_code == 303


def test_a_community_centre_evening_is_never_refused(app: Flask) -> None:
    """100 residents from one address in an hour, one in five mistyping once."""
    rnd = fv.voting_round()
    codes = [fv.voting_code(rnd) for _ in range(100)]
    db.session.commit()
    for n, code in enumerate(codes):
        tablet = app.test_client()
        if n % 5 == 0:
            typo = ("Z" if code[0] != "Z" else "Y") + code[1:]
            assert tablet.post(f"/stemmen/{rnd.id}/code", data={"code": typo}).status_code == 422
        assert tablet.post(f"/stemmen/{rnd.id}/code", data={"code": code}).status_code == 303, n
