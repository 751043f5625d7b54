"""Voting by account: the ballot, the meter, changing a ballot, receipts, and every bad input."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from tests import factories as f
from tests import factories_vote as fv
from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.models import AuditEvent, Ballot, BallotItem, BallotKind, Phase, Receipt, Role, Status, Voter
from wijkfonds.services.voting import ballots as voting


@pytest.fixture()
def setup(app, client, auth):
    """A knapsack round without letters (€ 10.000 per district), four plans in De Baarsjes, one
    elsewhere, a resident with a confirmed address. (Code rounds: tests/test_vote_access.py.)"""
    rnd = fv.voting_round(voter_access="account")
    a = fv.feasible(rnd, cost=4_000, title="Bankjes op het plein")
    b = fv.feasible(rnd, cost=5_000, title="Geveltuinen")
    c = fv.feasible(rnd, cost=3_000, title="Buurtfeest", estimated=2_500)
    big = fv.feasible(rnd, cost=9_000, title="Speeltuin")
    other = fv.feasible(rnd, district_slug="bos-en-lommer", title="Plan elders")
    rejected = fv.feasible(rnd, title="Te duur plan", status=Status.NOT_FEASIBLE)
    me = fv.resident()
    me.email_confirmed_at = utcnow()
    db.session.commit()
    auth.login(me)
    return {"rnd": rnd, "a": a, "b": b, "c": c, "big": big, "other": other, "rejected": rejected, "me": me}


def _url(rnd, what: str = "stembiljet") -> str:
    return f"/stemmen/{rnd.id}/{what}"


def _post(client, s, ids, district=None):
    data = {
        "initiative": [str(i) for i in ids],
        "district": str(district if district is not None else s["me"].district_id),
    }
    return client.post(_url(s["rnd"]), data=data)


def _state(s):
    return fv.ballot_state(Voter.user_id == s["me"].id)


def _receipt(client, rnd) -> str:
    with client.session_transaction() as sess:
        return sess["vote_receipts"][str(rnd.id)]


def test_ballot_lists_only_feasible_plans_of_own_district(client, setup) -> None:
    page = client.get(_url(setup["rnd"])).get_data(as_text=True)
    for key in ("a", "b", "c", "big"):
        assert setup[key].title in page
    assert "Plan elders" not in page and "Te duur plan" not in page
    assert "€ 10.000" in page  # the district budget in the meter
    assert "€ 2.500" in page and "€ 3.000" in page  # staff estimate counts, the request is shown too
    assert f'hx-post="/stemmen/{setup["rnd"].id}/stembiljet/meter"' in page and 'hx-trigger="change"' in page


def test_cast_change_and_receipts(client, setup) -> None:
    s = setup
    resp = _post(client, s, [s["a"].id, s["b"].id])
    assert resp.status_code == 303 and resp.headers["Location"].endswith(f"/stemmen/{s['rnd'].id}/bevestiging")
    assert _state(s) == (1, sorted([s["a"].id, s["b"].id]), False, 1)
    first = _receipt(client, s["rnd"])
    assert len(first) == 12 and not set(first) & set("01ILO")
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert first in page and "Bankjes op het plein" in page
    stored = db.session.scalars(select(Receipt)).one()
    assert stored.code_hash == voting.receipt_hash(first) and first not in stored.code_hash

    # Change the ballot: the last one counts, items are replaced, the old receipt is superseded.
    assert _post(client, s, [s["c"].id, s["b"].id]).status_code == 303
    assert _state(s) == (2, sorted([s["c"].id, s["b"].id]), False, 2)
    items = db.session.execute(
        select(BallotItem.initiative_id, BallotItem.position, BallotItem.points).order_by(BallotItem.position)
    ).all()
    assert [tuple(i) for i in items] == [(iid, pos, 1) for pos, iid in enumerate(sorted([s["c"].id, s["b"].id]))]
    second = _receipt(client, s["rnd"])
    assert second != first
    assert voting.check_receipt(first).state == "superseded"
    assert voting.check_receipt(second).state == "counted"
    assert voting.check_receipt("ABCDEFGHJKMN").state == "unknown"
    assert db.session.scalar(select(func.count(Ballot.id))) == 1

    kinds = [e.kind for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq))]
    assert kinds.count("ballot.cast") == 1 and kinds.count("ballot.changed") == 1
    for e in db.session.scalars(select(AuditEvent).where(AuditEvent.kind.like("ballot.%"))):
        payload = json.loads(e.payload)
        assert set(payload) == {"district_id", "version"}
        assert e.actor_id is None  # no person next to a ballot event


def test_receipt_page_never_shows_contents(client, setup) -> None:
    s = setup
    _post(client, s, [s["a"].id])
    first = _receipt(client, s["rnd"])
    _post(client, s, [s["b"].id])
    second = _receipt(client, s["rnd"])
    client.get("/account/login")  # any page; the check itself needs no login
    old = client.get(f"/stemmen/controle?code={first.lower()}").get_data(as_text=True)
    new = client.get(f"/stemmen/controle?code={second[:6]}-{second[6:]}").get_data(as_text=True)
    assert "vervangen" in old and "telt mee" in new
    for page in (old, new):
        assert "Bankjes" not in page and "Geveltuinen" not in page
    unknown = client.get("/stemmen/controle?code=XXXXXXXXXXXX").get_data(as_text=True)
    assert "kennen we niet" in unknown
    assert client.get("/stemmen/controle?code=").status_code == 422


def test_meter_fragment_and_no_js_recalculation(client, setup) -> None:
    s = setup
    data = {"initiative": [str(s["a"].id), str(s["b"].id), str(s["c"].id)], "district": str(s["me"].district_id)}
    frag = client.post(_url(s["rnd"], "stembiljet/meter"), data=data, headers={"HX-Request": "true"})
    body = frag.get_data(as_text=True)
    assert frag.status_code == 200 and "<html" not in body
    assert "€ 11.500" in body and "€ 1.500 te veel" in body
    full = client.post(_url(s["rnd"], "stembiljet/meter"), data=data).get_data(as_text=True)
    assert "<html" in full and "€ 1.500 te veel" in full and full.count("checked") == 3
    assert _state(s) is None  # recalculating stores nothing


def test_approval_ballot_limits(client, auth) -> None:
    rnd = fv.voting_round(BallotKind.APPROVAL, approval_min=2, approval_max=3, voter_access="account")
    plans = [fv.feasible(rnd, cost=9_000) for _ in range(5)]
    me = fv.resident()
    me.email_confirmed_at = utcnow()
    db.session.commit()
    auth.login(me)
    d = str(me.district_id)
    # Over budget is fine for approval: only the count matters.
    ok = client.post(_url(rnd), data={"initiative": [str(p.id) for p in plans[:3]], "district": d})
    assert ok.status_code == 303
    before = fv.ballot_state(Voter.user_id == me.id)
    too_many = client.post(_url(rnd), data={"initiative": [str(p.id) for p in plans[:4]], "district": d})
    assert too_many.status_code == 422 and "hoogstens 3 plannen" in too_many.get_data(as_text=True)
    too_few = client.post(_url(rnd), data={"initiative": [str(plans[0].id)], "district": d})
    assert too_few.status_code == 422 and "minstens 2 plannen" in too_few.get_data(as_text=True)
    assert fv.ballot_state(Voter.user_id == me.id) == before


def test_minimum_spend(client, auth) -> None:
    rnd = fv.voting_round(knapsack_min_spend=6_000, voter_access="account")
    a, b = fv.feasible(rnd, cost=4_000), fv.feasible(rnd, cost=3_000)
    me = fv.resident()
    me.email_confirmed_at = utcnow()
    db.session.commit()
    auth.login(me)
    resp = client.post(_url(rnd), data={"initiative": [str(a.id)], "district": str(me.district_id)})
    assert resp.status_code == 422 and "minstens € 6.000" in resp.get_data(as_text=True)
    assert fv.ballot_state(Voter.user_id == me.id) is None
    assert (
        client.post(_url(rnd), data={"initiative": [str(a.id), str(b.id)], "district": str(me.district_id)}).status_code
        == 303
    )


BAD = {
    "over budget": (lambda s: [s["big"].id, s["b"].id], None, 422, "het budget van uw gebied is € 10.000"),
    "other district": (lambda s: [s["other"].id], None, 422, "hoort bij een ander gebied"),
    "not feasible": (lambda s: [s["rejected"].id], None, 422, "staat niet op de stemlijst"),
    "unknown id": (lambda s: [987654], None, 422, "bestaat niet in deze ronde"),
    "not a number": (lambda s: ["abc"], None, 422, "bestaat niet"),
    "duplicate": (lambda s: [s["a"].id, s["a"].id], None, 422, "twee keer gekozen"),
    "empty": (lambda s: [], None, 422, "Kies minstens één plan"),
    "tampered district": (lambda s: [s["other"].id], "other", 400, "klopt niet met uw gebied"),
    "missing district": (lambda s: [s["a"].id], "", 400, "klopt niet met uw gebied"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_ballot_leaves_previous_ballot_untouched(client, setup, case) -> None:
    s = setup
    assert _post(client, s, [s["a"].id, s["c"].id]).status_code == 303
    before = _state(s)
    events = db.session.scalar(select(func.count(AuditEvent.id)))
    ids, district, status, message = BAD[case]
    district_value = s["other"].district_id if district == "other" else district
    data = {"initiative": [str(i) for i in ids(s)]}
    if district_value != "":
        data["district"] = str(district_value if district_value is not None else s["me"].district_id)
    resp = client.post(_url(s["rnd"]), data=data)
    assert resp.status_code == status, case
    assert message in resp.get_data(as_text=True), case
    assert _state(s) == before
    assert db.session.scalar(select(func.count(AuditEvent.id))) == events


@pytest.mark.parametrize("phase", [Phase.REVIEW, Phase.RESULTS])
def test_voting_outside_the_voting_phase(client, auth, phase) -> None:
    rnd = fv.voting_round(phase=phase)
    a = fv.feasible(rnd)
    me = fv.resident()
    me.email_confirmed_at = utcnow()
    db.session.commit()
    auth.login(me)
    page = client.get(_url(rnd))
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "alleen in de stemperiode" in text
    # The page's sentence follows the phase: never "loopt" once voting has closed.
    if phase is Phase.RESULTS:
        assert "Het stemmen is gesloten" in text and "De stemperiode loopt" not in text
        assert f'href="/uitslag/{rnd.id}"' in text
    else:
        assert "De stemperiode loopt van" in text and "Het stemmen is gesloten" not in text
    resp = client.post(_url(rnd), data={"initiative": [str(a.id)], "district": str(me.district_id)})
    assert resp.status_code == 409 and "alleen in de stemperiode" in resp.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Ballot.id))) == 0
    assert db.session.scalar(select(func.count(Voter.id))) == 0


def test_who_may_vote(client, auth, setup) -> None:
    s = setup
    auth.logout()
    anon = client.get(_url(s["rnd"]))  # no letters in this round: anonymous visitors are sent to log in
    assert anon.status_code == 302 and "/account/login" in anon.headers["Location"]
    staff = f.user(Role.STAFF)
    db.session.commit()
    auth.login(staff)
    refused = client.post(_url(s["rnd"]), data={"initiative": [str(s["a"].id)], "district": "1"})
    assert refused.status_code == 403 and "hoort niet bij een gebied" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Voter.id))) == 0
    assert client.get("/stemmen/").status_code == 200


def test_ballot_needs_csrf_token(csrf_app, database_url) -> None:
    rnd = fv.voting_round()
    a = fv.feasible(rnd)
    me = fv.resident()
    me.email_confirmed_at = utcnow()
    db.session.commit()
    client = csrf_app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = me.get_id()
    resp = client.post(_url(rnd), data={"initiative": [str(a.id)], "district": str(me.district_id)})
    assert resp.status_code == 400
    assert db.session.scalar(select(func.count(Ballot.id))) == 0


def test_index_explains_how_to_vote(client, auth, setup) -> None:
    s = setup
    page = client.get("/stemmen/").get_data(as_text=True)
    # The setup's round has no letters: no code entry, and the page says so.
    assert s["rnd"].name in page and f"/stemmen/{s['rnd'].id}/stembiljet" in page
    assert f"/stemmen/{s['rnd'].id}/code" not in page and "zwakker dan stemmen met een brief" in page
    with_letters = fv.voting_round(name="Ronde met brieven")
    db.session.commit()
    page = client.get("/stemmen/").get_data(as_text=True)
    assert f"/stemmen/{with_letters.id}/code" in page and "koppelt die code" in page
    auth.logout()
    later = fv.voting_round(phase=Phase.REVIEW, name="Ronde van later")
    db.session.commit()
    closed = client.get(f"/stemmen/{later.id}/code").get_data(as_text=True)
    assert "alleen in de stemperiode" in closed


def test_approval_meter_and_english_ballot(client, auth) -> None:
    rnd = fv.voting_round(BallotKind.APPROVAL, approval_max=2, voter_access="account")
    plans = [fv.feasible(rnd) for _ in range(3)]
    me = fv.resident()
    me.email_confirmed_at = utcnow()
    db.session.commit()
    auth.login(me)
    data = {"initiative": [str(p.id) for p in plans], "district": str(me.district_id)}
    frag = client.post(_url(rnd, "stembiljet/meter"), data=data, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Aangekruist: 3" in frag and "1 te veel" in frag
    client.get("/taal/en?next=/")
    page = client.get(_url(rnd)).get_data(as_text=True)
    assert "Ballot" in page and "Tick the plans you support" in page
