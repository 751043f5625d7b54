"""Who is reached and the public figures: turnout per district, channel and day (issues 15.4, 16.3)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from fractions import Fraction

import pytest
from sqlalchemy import func, select

from tests import factories as f
from tests import factories_vote as fv
from wijkfonds.extensions import db
from wijkfonds.models import (
    AuditEvent,
    Ballot,
    BallotItem,
    EligibleCount,
    Phase,
    Role,
    Round,
    Voter,
    VotingCode,
)
from wijkfonds.services.figures import eligible as eligible_service
from wijkfonds.services.figures import reach as reach_service
from wijkfonds.services.voting import codes

# Voting from Monday 9 March 2026 09:00 to Thursday 12 March 13:00 Amsterdam time (CET, UTC+1):
# fixed dates in the past, so that no figure depends on when the test runs.
VOTING_START = datetime(2026, 3, 9, 8, 0)
RESULTS_START = datetime(2026, 3, 12, 12, 0)


def _closed_round() -> Round:
    rnd = fv.voting_round(phase=Phase.RESULTS)
    rnd.nomination_start = datetime(2026, 1, 20)
    rnd.submission_start = datetime(2026, 2, 1)
    rnd.review_start = datetime(2026, 2, 20)
    rnd.voting_start, rnd.results_start = VOTING_START, RESULTS_START
    db.session.flush()
    return rnd


def _ballot(
    rnd: Round,
    district_slug: str,
    at: datetime,
    *,
    paper: bool = False,
    account: bool = False,
    ticks: list[int] | None = None,
    version: int = 1,
) -> Ballot:
    """A stored ballot first cast at ``at`` (naive UTC): by account, or by a letter's code."""
    d = f.district(district_slug)
    if account:
        voter = Voter(round_id=rnd.id, district_id=d.id, user_id=fv.resident(district_slug).id)
    else:
        code = VotingCode(round_id=rnd.id, district_id=d.id, code_hash=codes.hash_code(codes.new_code()), used_at=at)
        db.session.add(code)
        db.session.flush()
        voter = Voter(round_id=rnd.id, district_id=d.id, code_id=code.id)
    db.session.add(voter)
    db.session.flush()
    ballot = Ballot(
        round_id=rnd.id,
        voter_id=voter.id,
        district_id=d.id,
        paper=paper,
        version=version,
        first_cast_at=at,
        updated_at=at + timedelta(hours=version - 1),
    )
    ballot.items = [BallotItem(initiative_id=i, position=n) for n, i in enumerate(ticks or [])]
    db.session.add(ballot)
    db.session.flush()
    return ballot


def _eligible(rnd: Round, **by_slug: int) -> None:
    for slug, n in by_slug.items():
        db.session.add(EligibleCount(round_id=rnd.id, district_id=f.district(slug).id, eligible=n))
    db.session.flush()


def _world(rnd: Round) -> None:
    """Ballots in three districts, three channels and four Amsterdam days (midnight included)."""
    plan = fv.feasible(rnd, title="Geheim plan")
    t = datetime
    # De Baarsjes: 3 by code, 1 by account, 2 on paper; 100 eligible -> 6 %.
    _ballot(rnd, "de-baarsjes", t(2026, 3, 9, 22, 59, 59), ticks=[plan.id])  # 23:59:59 on 9 March
    _ballot(rnd, "de-baarsjes", t(2026, 3, 9, 23, 0, 0), ticks=[plan.id])  # 00:00 on 10 March
    _ballot(rnd, "de-baarsjes", t(2026, 3, 10, 12, 0), ticks=[], version=3)  # empty and changed: counts once
    _ballot(rnd, "de-baarsjes", t(2026, 3, 11, 9, 0), account=True, ticks=[plan.id])
    _ballot(rnd, "de-baarsjes", t(2026, 3, 11, 23, 30), paper=True, ticks=[plan.id])  # 00:30 on 12 March
    _ballot(rnd, "de-baarsjes", t(2026, 3, 12, 10, 0), paper=True, ticks=[plan.id])
    # Westerpark: 1 by code; 50 eligible -> 2 %, behind.
    _ballot(rnd, "westerpark", t(2026, 3, 9, 8, 0))
    # Oud-West: 4 by account; 40 eligible -> 10 %.
    for at in (t(2026, 3, 10, 8, 0), t(2026, 3, 10, 20, 0), t(2026, 3, 10, 22, 59), t(2026, 3, 11, 23, 0)):
        _ballot(rnd, "oud-west", at, account=True)
    # Bos en Lommer: a code entered without a ballot (not turnout), and no eligible number.
    d = f.district("bos-en-lommer")
    code = VotingCode(round_id=rnd.id, district_id=d.id, code_hash=codes.hash_code(codes.new_code()))
    db.session.add(code)
    db.session.flush()
    db.session.add(Voter(round_id=rnd.id, district_id=d.id, code_id=code.id))
    _eligible(rnd, **{"de-baarsjes": 100, "westerpark": 50, "oud-west": 40})
    # Another round's ballot counts nowhere here.
    other = fv.voting_round()
    _ballot(other, "westerpark", t(2026, 3, 10, 12, 0))
    db.session.commit()


@pytest.fixture()
def staff(client, auth):
    """A staff member, logged in."""
    u = f.user(Role.STAFF)
    db.session.commit()
    auth.login(u)
    return u


def test_exact_figures_per_district_channel_and_day(app) -> None:
    rnd = _closed_round()
    _world(rnd)
    r = reach_service.reach(rnd)
    rows = {d.name: (d.by_code, d.by_account, d.paper, d.ballots, d.eligible, d.share, d.behind) for d in r.districts}
    assert rows == {
        "Bos en Lommer": (0, 0, 0, 0, None, None, False),
        "De Baarsjes": (3, 1, 2, 6, 100, Fraction(6, 100), False),
        "Oud-West": (0, 4, 0, 4, 40, Fraction(1, 10), False),
        "Westerpark": (1, 0, 0, 1, 50, Fraction(1, 50), True),
    }
    assert (r.by_code, r.by_account, r.online, r.paper, r.ballots) == (4, 5, 9, 2, 11)
    assert r.eligible == 190 and r.share == Fraction(11, 190)
    assert [d.name for d in r.behind] == ["Westerpark"]
    assert [d.name for d in r.missing_eligible] == ["Bos en Lommer"]
    assert [(d.day, d.online, d.paper) for d in r.days] == [
        (date(2026, 3, 9), 2, 0),
        (date(2026, 3, 10), 5, 0),
        (date(2026, 3, 11), 1, 0),
        (date(2026, 3, 12), 1, 2),
    ]
    # The same ballots as the staff turnout page counts.
    from wijkfonds.services.voting import turnout

    assert turnout.turnout(rnd).total == r.ballots


def test_behind_is_more_than_a_tenth_below_the_overall_share() -> None:
    overall = Fraction(10, 100)
    assert not reach_service.is_behind(Fraction(9, 100), overall)  # exactly nine tenths: not behind
    assert reach_service.is_behind(Fraction(8999, 100_000), overall)
    assert not reach_service.is_behind(None, overall)
    assert not reach_service.is_behind(Fraction(0), Fraction(0))  # nobody voted anywhere: nobody behind
    assert not reach_service.is_behind(Fraction(0), None)


def test_without_eligible_numbers_nobody_is_compared(app) -> None:
    rnd = _closed_round()
    _ballot(rnd, "westerpark", datetime(2026, 3, 10, 12, 0))
    db.session.commit()
    r = reach_service.reach(rnd)
    assert r.share is None and r.eligible is None and r.behind == []
    assert len(r.missing_eligible) == 4


def test_staff_page_marks_behind_districts_in_text(client, staff) -> None:
    rnd = fv.voting_round()  # voting is open now
    plan = fv.feasible(rnd, title="Geheim plan")
    start = rnd.voting_start
    for n in range(5):
        _ballot(rnd, "de-baarsjes", start + timedelta(hours=1 + n), ticks=[plan.id])
    _ballot(rnd, "westerpark", start + timedelta(hours=2), paper=True)
    _ballot(rnd, "oud-west", start + timedelta(hours=3), account=True)
    _eligible(rnd, **{"de-baarsjes": 50, "westerpark": 100})
    db.session.commit()
    resp = client.get(f"/beheer/bereik/ronde/{rnd.id}")
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert "Geheim plan" not in page
    assert "Alleen medewerkers zien deze cijfers" in page
    assert "Stemmen samen: 7" in page and "Via internet met stemcode: 5" in page
    assert "Via internet met account: 1" in page and "Op papier: 1" in page
    # 6 of 150 = 4,0 % on average; Westerpark's 1,0 % is behind, De Baarsjes' 10,0 % is not.
    assert "Opkomst gemiddeld: 4,0 % van 150 kiesgerechtigden" in page
    assert re.search(r"Gebieden die achterlopen:</strong>\s*Westerpark \(1,0 %\)\.", page)
    row = re.search(r'<th scope="row">Westerpark</th>(.*?)</tr>', page).group(1)
    assert re.findall(r"<td[^>]*>([^<]*)</td>", row) == ["100", "1", "1,0 %", "0", "0", "1", "loopt achter"]
    row = re.search(r'<th scope="row">De Baarsjes</th>(.*?)</tr>', page).group(1)
    assert re.findall(r"<td[^>]*>([^<]*)</td>", row) == ["50", "5", "10,0 %", "5", "0", "0", ""]
    assert "Oud-West" in page and "Zonder aantal kiesgerechtigden" in page
    # The chart says it too, in words: the bar's label carries the mark.
    assert "Westerpark (loopt achter)" in page and "<svg" in page and 'id="bereik-opkomst"' in page


def test_staff_page_role_checks(client, auth) -> None:
    rnd = fv.voting_round()
    db.session.commit()
    url = f"/beheer/bereik/ronde/{rnd.id}"
    assert client.get(url).status_code == 302  # anonymous: to the login page
    for role in (Role.RESIDENT, Role.AUDITOR):
        u = f.user(role)
        db.session.commit()
        auth.login(u)
        assert client.get(url).status_code == 403
        assert client.get(f"/beheer/bereik/ronde/{rnd.id}/kiesgerechtigden").status_code == 403
        assert client.post(f"/beheer/bereik/ronde/{rnd.id}/kiesgerechtigden", data={}).status_code == 403
    auth.login(f.user(Role.STAFF))
    db.session.commit()
    assert client.get(url).status_code == 200
    assert client.get("/beheer/bereik/ronde/999999").status_code == 404


@pytest.mark.parametrize("phase", [Phase.SUBMISSION, Phase.REVIEW, Phase.RESULTS])
def test_staff_see_reach_in_every_phase(client, staff, phase) -> None:
    rnd = fv.voting_round(phase=phase)
    db.session.commit()
    assert client.get(f"/beheer/bereik/ronde/{rnd.id}").status_code == 200


def test_public_page_is_refused_before_close_and_shown_after(client) -> None:
    rnd = fv.voting_round()  # open
    _ballot(rnd, "westerpark", rnd.voting_start + timedelta(hours=1))
    _eligible(rnd, westerpark=10)
    db.session.commit()
    resp = client.get(f"/cijfers/ronde/{rnd.id}")
    assert resp.status_code == 404
    page = resp.get_data(as_text=True)
    assert "als het stemmen gesloten is" in page
    assert "Westerpark" not in page and "10,0" not in page and "<svg" not in page
    # Nothing links to it while voting is open.
    for url in ("/uitslag/", "/", f"/beheer/bereik/ronde/{rnd.id}"):
        assert f"/cijfers/ronde/{rnd.id}" not in client.get(url).get_data(as_text=True)

    closed = _closed_round()
    _world(closed)
    resp = client.get(f"/cijfers/ronde/{closed.id}")
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert "Geheim plan" not in page
    assert "Stemmen samen: 11" in page and "Via internet: 9" in page and "Op papier: 2" in page
    assert "met stemcode" not in page and "met account" not in page  # staff's split, not the public's
    assert "Opkomst gemiddeld: 5,8 % van 190 kiesgerechtigden" in page
    row = re.search(r'<th scope="row">De Baarsjes</th>(.*?)</tr>', page).group(1)
    assert re.findall(r"<td[^>]*>([^<]*)</td>", row) == ["100", "6", "6,0 %", "4", "2", ""]
    row = re.search(r'<th scope="row">Westerpark</th>(.*?)</tr>', page).group(1)
    assert re.findall(r"<td[^>]*>([^<]*)</td>", row) == ["50", "1", "2,0 %", "1", "0", "loopt achter"]
    row = re.search(r'<th scope="row">donderdag 12 maart 2026</th>(.*?)</tr>', page).group(1)
    assert re.findall(r"<td[^>]*>([^<]*)</td>", row) == ["1", "2", "3"]
    assert "Stemcodes" not in page  # codes sent and used are staff's
    assert f"/cijfers/ronde/{closed.id}" in client.get("/uitslag/").get_data(as_text=True)


def test_public_page_in_english(client) -> None:
    closed = _closed_round()
    _world(closed)
    client.get("/taal/en")
    page = client.get(f"/cijfers/ronde/{closed.id}").get_data(as_text=True)
    assert "Turnout" in page and "5.8 %" in page and "falls behind" in page


def _post(client, rnd: Round, **by_slug: str):
    data = {eligible_service.field_name(f.district(s).id): v for s, v in by_slug.items()}
    return client.post(f"/beheer/bereik/ronde/{rnd.id}/kiesgerechtigden", data=data)


def test_staff_enter_eligible_numbers(client, staff) -> None:
    rnd = fv.voting_round()
    db.session.commit()
    form = client.get(f"/beheer/bereik/ronde/{rnd.id}/kiesgerechtigden").get_data(as_text=True)
    assert form.count('inputmode="numeric"') == 4 and '<label for="eligible_' in form
    resp = _post(client, rnd, **{"de-baarsjes": "12.000", "westerpark": " 8 500 ", "oud-west": ""})
    assert resp.status_code == 302
    assert eligible_service.counts(rnd) == {f.district("de-baarsjes").id: 12000, f.district("westerpark").id: 8500}
    kinds = list(db.session.scalars(select(AuditEvent.kind).where(AuditEvent.kind == "figures.eligible_set")))
    assert kinds == ["figures.eligible_set"]
    # The same numbers again change nothing and log nothing; an empty field removes a number.
    assert _post(client, rnd, **{"de-baarsjes": "12000", "westerpark": "8500"}).status_code == 302
    assert db.session.scalar(select(func.count()).where(AuditEvent.kind == "figures.eligible_set")) == 1
    assert _post(client, rnd, **{"de-baarsjes": "12000", "westerpark": ""}).status_code == 302
    assert eligible_service.counts(rnd) == {f.district("de-baarsjes").id: 12000}
    form = client.get(f"/beheer/bereik/ronde/{rnd.id}/kiesgerechtigden").get_data(as_text=True)
    assert 'value="12000"' in form


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("-5", "niet negatief"),
        ("10000001", "meer dan 10.000.000"),
        ("99999999999999999999999999999999999999999999", "meer dan 10.000.000"),
        ("veel", "heel aantal"),
        ("12,5", "heel aantal"),
        ("1e5", "heel aantal"),
        ("\u0661\u0662", "heel aantal"),  # Arabic-Indic digits: isdigit() but not a number we store
        ("0", "minstens 1"),
    ],
)
def test_bad_eligible_numbers_are_refused_and_nothing_is_saved(client, staff, raw, message) -> None:
    rnd = fv.voting_round()
    _eligible(rnd, westerpark=700)
    db.session.commit()
    resp = _post(client, rnd, **{"de-baarsjes": "12000", "westerpark": raw})
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert message in page and "Niet opgeslagen" in page and 'aria-invalid="true"' in page
    db.session.expire_all()
    assert eligible_service.counts(rnd) == {f.district("westerpark").id: 700}  # the good field was not saved either
    assert db.session.scalar(select(func.count()).where(AuditEvent.kind == "figures.eligible_set")) == 0


def test_parse_eligible() -> None:
    assert eligible_service.parse("") is None and eligible_service.parse("  ") is None
    assert eligible_service.parse("1.234.567") == 1_234_567 and eligible_service.parse("10000000") == 10_000_000
    with pytest.raises(ValueError):
        eligible_service.parse("1.23")


def test_the_round_page_holds_the_eligible_form(client, staff) -> None:
    rnd = fv.voting_round()
    _eligible(rnd, westerpark=4321)
    db.session.commit()
    page = client.get(f"/beheer/rondes/{rnd.id}").get_data(as_text=True)
    assert f'action="/beheer/bereik/ronde/{rnd.id}/kiesgerechtigden"' in page
    assert 'value="4321"' in page and page.count('inputmode="numeric"') == 4
    assert f'href="/beheer/bereik/ronde/{rnd.id}"' in page


def test_no_public_page_shows_the_counts_before_close(app, client) -> None:
    """Every page anyone may open (exports and JSON included), during voting: none of the figures."""
    from tests.access import ANYONE
    from tests.test_access_matrix import expectations, world

    values = world()
    rnd = fv.voting_round()
    for n in range(3):
        _ballot(rnd, "westerpark", rnd.voting_start + timedelta(hours=n + 1), paper=n == 0)
    _eligible(rnd, westerpark=98_765)
    db.session.commit()
    values["round_id"] = rnd.id
    expected = expectations()
    seen = 0
    for rule in app.url_map.iter_rules():
        if expected.get(rule.endpoint, {}).get("GET") != ANYONE:
            continue
        url = app.url_for(rule.endpoint, **{a: values[a] for a in rule.arguments}, _external=False)
        body = client.get(url).get_data()  # bytes: some answers are images
        seen += 1
        for secret in ("98765", "98.765", "Stemmen samen", "Opkomst gemiddeld", f'href="/cijfers/ronde/{rnd.id}"'):
            assert secret.encode() not in body, (url, secret)
    assert seen > 10
