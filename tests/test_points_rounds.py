"""Round settings of points and ranked ballots and of the exact rule's goal: the form, every bad
input with its Dutch message, and the lock once voting starts."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests import factories as f
from tests import factories_rounds as fr
from wijkfonds.extensions import db
from wijkfonds.models import Phase, Role, Round

URL = "/beheer/rondes/nieuw"


@pytest.fixture()
def staff(auth):
    user = f.user(Role.STAFF)
    db.session.commit()
    auth.login(user)
    return user


def _created(name: str) -> Round:
    return db.session.scalars(select(Round).where(Round.name == name)).one()


def test_form_explains_every_setting(client, staff) -> None:
    body = client.get(URL).get_data(as_text=True)
    assert "Punten verdelen (verdeel N punten over minstens een aantal plannen)" in body
    assert "Op volgorde zetten (zet maximaal een aantal plannen op volgorde)" in body
    assert 'name="points_total"' in body and 'name="points_min_plans"' in body and 'name="ranked_max"' in body
    assert "Geld naar gesteunde plannen" in body and "Zoveel mogelijk voorstanders bereikt" in body
    goal = re.search(r'<input[^>]*name="ilp_goal"[^>]*value="cost-approval"[^>]*>', body)
    assert goal is not None and "checked" in goal.group(0)  # today's goal stays the default


def test_create_points_round_like_aarau(client, staff) -> None:
    data = fr.round_form(
        name="Puntenronde", ballot_kind="points", points_total="10", points_min_plans="3", points_max_per_plan=""
    )
    resp = client.post(URL, data=data)
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    rnd = _created("Puntenronde")
    assert (rnd.ballot_kind, rnd.points_total, rnd.points_min_plans, rnd.points_max_per_plan) == ("points", 10, 3, None)
    page = client.get(f"/beheer/rondes/{rnd.id}").get_data(as_text=True)
    assert "10 punten over minstens 3 plannen" in page


def test_create_ranked_round_with_the_supporters_goal(client, staff) -> None:
    data = fr.round_form(name="Volgorderonde", ballot_kind="ranked", ranked_max="3", ilp_goal="approval")
    assert client.post(URL, data=data).status_code == 302
    rnd = _created("Volgorderonde")
    assert (rnd.ballot_kind, rnd.ranked_max, rnd.ilp_goal) == ("ranked", 3, "approval")
    page = client.get(f"/beheer/rondes/{rnd.id}").get_data(as_text=True)
    assert "hoogstens 3 plannen op volgorde" in page and "Zoveel mogelijk voorstanders bereikt" in page


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"ballot_kind": "points", "points_total": "0"}, "Vul een aantal punten in van 1 tot en met 2147483647."),
        ({"ballot_kind": "points", "points_total": ""}, "Vul een aantal punten in van 1"),
        ({"ballot_kind": "points", "points_total": "2147483648"}, "Dit getal is te groot"),
        ({"ballot_kind": "points", "points_total": "5", "points_min_plans": "6"}, "hoogstens 5 plannen punten geven"),
        ({"ballot_kind": "points", "points_min_plans": "0"}, "Vul een aantal plannen in van 1 tot en met 1000."),
        ({"ballot_kind": "points", "points_total": "10", "points_max_per_plan": "11"}, "of laat het leeg"),
        ({"ballot_kind": "points", "points_max_per_plan": "0"}, "of laat het leeg"),
        ({"ballot_kind": "points", "points_total": "tien"}, "Vul een heel getal in"),
        ({"ballot_kind": "ranked", "ranked_max": "0"}, "Vul een aantal in van 1 tot en met 1000."),
        ({"ballot_kind": "ranked", "ranked_max": ""}, "Vul een aantal in van 1 tot en met 1000."),
        ({"ilp_goal": "goedkoopst"}, "Kies wat de exacte methode zo groot mogelijk maakt."),
    ],
)
def test_bad_settings_are_refused_and_nothing_saved(client, staff, changes, message) -> None:
    before = fr.count(Round)
    resp = client.post(URL, data=fr.round_form(**changes))
    assert resp.status_code == 422
    assert message in resp.get_data(as_text=True).replace("\u00a0", " ")
    assert fr.count(Round) == before


@pytest.mark.parametrize(
    "tamper", [{"points_total": "20"}, {"points_min_plans": "2"}, {"ranked_max": "5"}, {"ilp_goal": "approval"}]
)
def test_settings_are_locked_once_voting_starts(client, staff, tamper) -> None:
    rnd = f.round_(Phase.VOTING, ballot_kind="points", points_total=10, points_min_plans=3)
    db.session.commit()
    post = {
        "name": rnd.name,
        "description": "",
        "results_start": fr.local(rnd.results_start + timedelta(days=2)),
    }
    resp = client.post(f"/beheer/rondes/{rnd.id}/bewerken", data=post | tamper)
    assert resp.status_code == 409 and "Het stemmen is begonnen" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert (rnd.points_total, rnd.points_min_plans, rnd.ranked_max, rnd.ilp_goal) == (10, 3, 3, "cost-approval")
    ok = client.post(f"/beheer/rondes/{rnd.id}/bewerken", data=post)  # without the tampering it saves
    assert ok.status_code == 302
