"""Points ballots ("verdeel N punten over minstens k plannen") and ranked ballots ("zet
maximaal k plannen op volgorde"): every refusal on the server, what is stored, the no-JS
ballot pages, the receipt and paper ballots."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests import factories as f
from tests import factories_vote as fv
from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.models import Ballot, BallotItem, BallotKind, Role, Status, Voter
from wijkfonds.services.errors import ValidationFailed
from wijkfonds.services.voting import ballots as voting


def _round(kind: BallotKind, **fields: object):
    rnd = fv.voting_round(kind, voter_access="account", **fields)
    plans = [fv.feasible(rnd, cost=2_000 + 1_000 * k, title=f"Plan {k + 1}") for k in range(5)]
    other = fv.feasible(rnd, district_slug="bos-en-lommer", title="Plan elders")
    off = fv.feasible(rnd, title="Afgewezen plan", status=Status.NOT_FEASIBLE)
    return rnd, plans, other, off


def _voter(rnd) -> Voter:
    voter = Voter(round_id=rnd.id, district_id=f.district().id)
    db.session.add(voter)
    db.session.commit()  # a refused ballot rolls back; the voter stays
    return voter


def _items(voter: Voter) -> list[tuple[int, int, int]]:
    """(initiative, position, points) of the voter's stored ballot, in order."""
    ballot = db.session.scalars(select(Ballot).where(Ballot.voter_id == voter.id)).first()
    if ballot is None:
        return []
    rows = db.session.execute(
        select(BallotItem.initiative_id, BallotItem.position, BallotItem.points)
        .where(BallotItem.ballot_id == ballot.id)
        .order_by(BallotItem.position)
    )
    return [tuple(r) for r in rows]


def _refused(rnd, voter, ids, marks) -> str:
    with pytest.raises(ValidationFailed) as err:
        voting.cast(rnd, voter.id, [str(i) for i in ids], marks=[str(m) for m in marks])
    db.session.rollback()
    assert db.session.scalar(select(func.count(Ballot.id)).where(Ballot.voter_id == voter.id)) == 0
    return " ".join(m for _f, m in err.value.errors)


# Points ballots ------------------------------------------------------------------------------


def test_points_ballot_is_stored_with_its_points(app) -> None:
    rnd, plans, _other, _off = _round(BallotKind.POINTS, points_total=10, points_min_plans=3)
    voter = _voter(rnd)
    a, b, c, d, _e = plans
    result = voting.cast(rnd, voter.id, [str(a.id), str(b.id), str(c.id), str(d.id)], marks=["5", "3", "2", "0"])
    assert result.version == 1
    assert _items(voter) == [(a.id, 0, 5), (b.id, 1, 3), (c.id, 2, 2)]  # 0 points: not on the ballot
    # Fewer than N points is allowed; changing the ballot replaces the points.
    voting.cast(rnd, voter.id, [str(c.id), str(d.id), str(a.id)], marks=["1", "1", "4"])
    assert _items(voter) == [(a.id, 0, 4), (c.id, 1, 1), (d.id, 2, 1)]


@pytest.mark.parametrize(
    "marks,message",
    [
        (["6", "3", "2"], "U gaf 11 punten, maar u mag er hoogstens 10 verdelen"),
        (["9", "1", "0"], "minstens 3 plannen. U gaf punten aan 2"),
        (["5", "-1", "2"], "Punten kunnen niet negatief zijn (-1)"),
        (["5", "drie", "2"], "‘drie’ is geen aantal punten"),
        (["5", "2.5", "2"], "‘2.5’ is geen aantal punten"),
        (["5", "99999999999", "2"], "te veel punten"),
        (["0", "", "0"], "minstens 3 plannen"),
    ],
)
def test_points_ballot_refusals(app, marks, message) -> None:
    rnd, plans, _other, _off = _round(BallotKind.POINTS, points_total=10, points_min_plans=3)
    voter = _voter(rnd)
    assert message in _refused(rnd, voter, [p.id for p in plans[:3]], marks)


def test_points_ballot_refuses_unknown_foreign_and_repeated_plans(app) -> None:
    rnd, plans, other, off = _round(BallotKind.POINTS, points_total=10, points_min_plans=1, points_max_per_plan=4)
    voter = _voter(rnd)
    a, b = plans[:2]
    assert "bestaat niet in deze ronde" in _refused(rnd, voter, [a.id, 99_999], [2, 2])
    assert "ander gebied" in _refused(rnd, voter, [a.id, other.id], [2, 2])
    assert "niet op de stemlijst" in _refused(rnd, voter, [a.id, off.id], [2, 2])
    assert "twee keer gekozen" in _refused(rnd, voter, [a.id, a.id], [2, 2])
    assert "hoogstens 4 krijgen" in _refused(rnd, voter, [a.id, b.id], [5, 1])
    with pytest.raises(ValidationFailed):  # a list of points that does not match the plans is tampering
        voting.cast(rnd, voter.id, [str(a.id)], marks=["1", "2"])


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    total=st.integers(1, 12),
    min_plans=st.integers(1, 5),
    points=st.lists(st.integers(-2, 12), min_size=5, max_size=5),
)
def test_points_ballots_are_accepted_exactly_when_they_keep_the_rules(app, total, min_plans, points) -> None:
    """The property of issue 17.5: a points ballot never exceeds N points or goes below k plans on the server."""
    min_plans = min(min_plans, total)
    rnd, plans, _other, _off = _round(BallotKind.POINTS, points_total=total, points_min_plans=min_plans)
    voter = _voter(rnd)
    db.session.commit()
    ok = all(p >= 0 for p in points) and sum(points) <= total and sum(1 for p in points if p > 0) >= min_plans
    try:
        voting.cast(rnd, voter.id, [str(p.id) for p in plans], marks=[str(p) for p in points])
        db.session.commit()
        accepted = True
    except ValidationFailed:
        db.session.rollback()
        accepted = False
    stored = _items(voter)
    assert accepted == ok, (total, min_plans, points)
    if accepted:
        assert sum(p for _i, _pos, p in stored) <= total and len(stored) >= min_plans
        assert {i: p for i, _pos, p in stored} == {plan.id: p for plan, p in zip(plans, points, strict=True) if p > 0}
    else:
        assert stored == []


# Ranked ballots ------------------------------------------------------------------------------


def test_ranked_ballot_is_stored_in_order_with_rank_scores(app) -> None:
    rnd, plans, _other, _off = _round(BallotKind.RANKED, ranked_max=3)
    voter = _voter(rnd)
    a, b, c, d, _e = plans
    voting.cast(rnd, voter.id, [str(a.id), str(b.id), str(c.id), str(d.id)], marks=["2", "", "1", "3"])
    # Position 0 is the first choice; rank r scores k - r + 1 (3, 2, 1).
    assert _items(voter) == [(c.id, 0, 3), (a.id, 1, 2), (d.id, 2, 1)]
    voting.cast(rnd, voter.id, [str(b.id)], marks=["1"])  # one plan is enough
    assert _items(voter) == [(b.id, 0, 3)]


@pytest.mark.parametrize(
    "marks,message",
    [
        (["1", "1", ""], "U zette 2 plannen op plaats 1"),
        (["1", "3", ""], "Plaats 2 is leeg, maar een latere plaats niet"),
        (["2", "", ""], "Plaats 1 is leeg"),
        (["1", "4", ""], "een plaats van 1 tot en met 3"),
        (["1", "0", ""], "een plaats van 1 tot en met 3"),
        (["1", "-2", ""], "een plaats van 1 tot en met 3"),
        (["1", "twee", ""], "een plaats van 1 tot en met 3"),
        (["", "", ""], "Kies minstens één plan"),
    ],
)
def test_ranked_ballot_refusals(app, marks, message) -> None:
    rnd, plans, _other, _off = _round(BallotKind.RANKED, ranked_max=3)
    voter = _voter(rnd)
    assert message in _refused(rnd, voter, [p.id for p in plans[:3]], marks)


def test_ranked_ballot_refuses_a_plan_on_two_places_and_unknown_plans(app) -> None:
    rnd, plans, other, _off = _round(BallotKind.RANKED, ranked_max=3)
    voter = _voter(rnd)
    a = plans[0]
    assert "op twee plaatsen" in _refused(rnd, voter, [a.id, a.id], [1, 2])
    assert "bestaat niet in deze ronde" in _refused(rnd, voter, [a.id, 123_456], [1, 2])
    assert "ander gebied" in _refused(rnd, voter, [other.id], [1])


# The ballot pages without JavaScript ----------------------------------------------------------


@pytest.fixture()
def resident(client, auth):
    me = fv.resident()
    me.email_confirmed_at = utcnow()
    db.session.commit()
    auth.login(me)
    return me


def _stored(me) -> list[tuple[int, int, int]]:
    voter = db.session.scalars(select(Voter).where(Voter.user_id == me.id)).first()
    return _items(voter) if voter is not None else []


def test_points_ballot_page_without_javascript(client, resident) -> None:
    rnd, plans, _other, _off = _round(BallotKind.POINTS, points_total=10, points_min_plans=3)
    db.session.commit()
    url = f"/stemmen/{rnd.id}/stembiljet"
    page = client.get(url).get_data(as_text=True)
    assert "U heeft 10 punten. Verdeel ze over minstens 3 plannen" in page
    assert f'name="points-{plans[0].id}"' in page and 'type="number"' in page
    assert 'type="checkbox"' not in page.split('class="ballot-options"')[1]
    district = str(resident.district_id)
    a, b, c = (p.id for p in plans[:3])
    # The "Tel mijn punten" button (no JavaScript) recounts without storing anything.
    counted = client.post(f"{url}/meter", data={"district": district, f"points-{a}": "7", f"points-{b}": "5"})
    text = counted.get_data(as_text=True)
    assert "gegeven 12 van 10, aan 2 plannen" in text and "2 punten te veel" in text
    assert 'value="7"' in text and _stored(resident) == []
    over = client.post(url, data={"district": district, f"points-{a}": "7", f"points-{b}": "5", f"points-{c}": "1"})
    assert over.status_code == 422 and "hoogstens 10 verdelen" in over.get_data(as_text=True)
    assert _stored(resident) == []
    ok = client.post(url, data={"district": district, f"points-{a}": "6", f"points-{b}": "3", f"points-{c}": "1"})
    assert ok.status_code == 303
    assert _stored(resident) == [(a, 0, 6), (b, 1, 3), (c, 2, 1)]
    receipt = client.get(f"/stemmen/{rnd.id}/bevestiging").get_data(as_text=True)
    assert "6 punten" in receipt and "Samen: 10 van 10 punten" in receipt
    again = client.get(url).get_data(as_text=True)  # the ballot shows the stored points
    assert f'name="points-{a}" id="ini-{a}" value="6"' in again


def test_ranked_ballot_page_without_javascript(client, resident) -> None:
    rnd, plans, _other, _off = _round(BallotKind.RANKED, ranked_max=3)
    db.session.commit()
    url = f"/stemmen/{rnd.id}/stembiljet"
    page = client.get(url).get_data(as_text=True)
    assert "Zet hoogstens 3 plannen op volgorde" in page and "1e keuze" in page and "3e keuze" in page
    assert f'name="rank-{plans[0].id}"' in page
    district = str(resident.district_id)
    a, b, c = (p.id for p in plans[:3])
    gap = client.post(url, data={"district": district, f"rank-{a}": "1", f"rank-{b}": "3"})
    assert gap.status_code == 422 and "Plaats 2 is leeg" in gap.get_data(as_text=True)
    twice = client.post(url, data={"district": district, f"rank-{a}": "1", f"rank-{b}": "1"})
    assert twice.status_code == 422 and "op plaats 1" in twice.get_data(as_text=True)
    assert _stored(resident) == []
    ok = client.post(url, data={"district": district, f"rank-{a}": "2", f"rank-{b}": "", f"rank-{c}": "1"})
    assert ok.status_code == 303
    assert _stored(resident) == [(c, 0, 3), (a, 1, 2)]
    receipt = client.get(f"/stemmen/{rnd.id}/bevestiging").get_data(as_text=True)
    first, second = plans[2].title, plans[0].title
    assert "<ol>" in receipt and receipt.index(first) < receipt.index(second)
    again = client.get(url).get_data(as_text=True)
    assert '<option value="1" selected>' in again.split(f'name="rank-{c}"')[1].split("</select>")[0]


# Paper ballots ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [BallotKind.POINTS, BallotKind.RANKED])
def test_paper_ballot_entry(client, auth, kind) -> None:
    rnd, plans, _other, _off = _round(kind, points_total=10, points_min_plans=2, ranked_max=3)
    code = fv.voting_code(rnd)
    staff = f.user(Role.STAFF)
    db.session.commit()
    auth.login(staff)
    url = f"/beheer/stemcodes/ronde/{rnd.id}/papier"
    field = "points-" if kind == BallotKind.POINTS else "rank-"
    step1 = client.post(url, data={"code": code}).get_data(as_text=True)
    assert f'name="{field}{plans[0].id}"' in step1
    assert ("precies de punten over" if kind == BallotKind.POINTS else "precies de plaats") in step1
    base = {"code": code, "step": "ballot", "district": str(f.district().id)}
    a, b = plans[0].id, plans[1].id
    bad = {f"{field}{a}": "11"} if kind == BallotKind.POINTS else {f"{field}{a}": "2"}
    refused = client.post(url, data=base | bad)
    assert refused.status_code == 422
    assert db.session.scalar(select(func.count(Ballot.id))) == 0
    good = (
        {f"{field}{a}": "4", f"{field}{b}": "6"}
        if kind == BallotKind.POINTS
        else {f"{field}{a}": "2", f"{field}{b}": "1"}
    )
    assert client.post(url, data=base | good).status_code == 303
    ballot = db.session.scalars(select(Ballot)).one()
    items = sorted((i.position, i.initiative_id, i.points) for i in ballot.items)
    if kind == BallotKind.POINTS:
        assert ballot.paper and items == [(0, a, 4), (1, b, 6)]
    else:
        assert ballot.paper and items == [(0, b, 3), (1, a, 2)]


def test_live_points_counter_is_an_htmx_fragment(client, resident) -> None:
    rnd, plans, _other, _off = _round(BallotKind.POINTS, points_total=10, points_min_plans=3)
    db.session.commit()
    page = client.get(f"/stemmen/{rnd.id}/stembiljet").get_data(as_text=True)
    assert 'hx-trigger="input delay:300ms"' in page  # htmx recounts while typing; the button works without it
    a, b = plans[0].id, plans[1].id
    resp = client.post(
        f"/stemmen/{rnd.id}/stembiljet/meter",
        data={"district": str(resident.district_id), f"points-{a}": "4", f"points-{b}": "2"},
        headers={"HX-Request": "true"},
    )
    text = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "<form" not in text
    assert "gegeven 6 van 10, aan 2 plannen" in text and "Nog 1 plannen te gaan" in text
    assert _stored(resident) == []


def test_points_ballot_in_english(client, resident) -> None:
    rnd, _plans, _other, _off = _round(BallotKind.POINTS, points_total=10, points_min_plans=3)
    db.session.commit()
    client.get("/taal/en?next=/")
    page = client.get(f"/stemmen/{rnd.id}/stembiljet").get_data(as_text=True)
    assert "You have 10 points. Distribute them over at least 3 plans" in page and "Count my points" in page
