"""Voting codes: staff batches (download once), voting with a code, paper ballots, turnout, charts."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from sqlalchemy import func, select

from tests import factories as f
from tests import factories_results as fres
from tests import factories_vote as fv
from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.models import AuditEvent, Ballot, CodeBatch, Phase, Role, Voter, VotingCode
from wijkfonds.services.voting import codes
from wijkfonds.web import svg

CODE_RE = re.compile(r"\b([2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5})\b")


@pytest.fixture()
def staff(client, auth):
    """A staff member, logged in."""
    u = f.user(Role.STAFF)
    db.session.commit()
    auth.login(u)
    return u


def _count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def test_generate_csv_once_stores_only_hashes(client, staff) -> None:
    rnd = fv.voting_round()
    d = f.district("westerpark")
    db.session.commit()
    resp = client.post(
        f"/beheer/stemcodes/ronde/{rnd.id}", data={"district": d.id, "count": 25, "fmt": "csv", "confirm": "1"}
    )
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    assert "attachment" in resp.headers["Content-Disposition"] and "no-store" in resp.headers["Cache-Control"]
    rows = list(csv.reader(io.StringIO(resp.get_data(as_text=True))))
    assert rows[0] == ["stemcode", "gebied", "ronde", "reeks"] and len(rows) == 26
    clear = [r[0] for r in rows[1:]]
    assert len(set(clear)) == 25 and all(CODE_RE.fullmatch(c) for c in clear)
    stored = set(db.session.scalars(select(VotingCode.code_hash)))
    assert stored == {codes.hash_code(c) for c in clear}
    assert not any(codes.normalise(c) in h for c in clear for h in stored)
    batch = db.session.scalars(select(CodeBatch)).one()
    assert batch.size == 25 and batch.downloaded_at is not None and batch.district_id == d.id
    events = {e.kind: json.loads(e.payload) for e in db.session.scalars(select(AuditEvent))}
    assert events["codes.generated"] == {"batch_id": batch.id, "district_id": d.id, "count": 25}
    assert events["codes.downloaded"]["format"] == "csv"
    assert not any(codes.normalise(c) in json.dumps(events) for c in clear)
    page = client.get(f"/beheer/stemcodes/ronde/{rnd.id}").get_data(as_text=True)
    assert "kan niet opnieuw" in page and not CODE_RE.search(page)


def test_generate_letters(client, staff) -> None:
    rnd = fv.voting_round(name="West Begroot 2027")
    d = f.district()
    db.session.commit()
    resp = client.post(
        f"/beheer/stemcodes/ronde/{rnd.id}", data={"district": d.id, "count": 3, "fmt": "letters", "confirm": "1"}
    )
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    assert body.count('<article class="letter"') == 3 and len(set(CODE_RE.findall(body))) == 3
    assert "West Begroot 2027" in body and d.name in body and "Vul de stemcode in." in body
    assert f"/stemmen/{rnd.id}/code" in body


@pytest.mark.parametrize(
    "data,message",
    [
        ({"count": 0}, "1 tot en met 100.000"),
        ({"count": 100_001}, "1 tot en met 100.000"),
        ({"count": "veel"}, ""),
        ({"district": 0}, "Kies een bestaand gebied"),
        ({"district": 99999}, "Kies een bestaand gebied"),
        ({"fmt": "pdf"}, ""),
    ],
)
def test_generate_bad_input_stores_nothing(client, staff, data, message) -> None:
    rnd = fv.voting_round()
    db.session.commit()
    form = {"district": f.district().id, "count": 5, "fmt": "csv", **data}
    resp = client.post(f"/beheer/stemcodes/ronde/{rnd.id}", data=form)
    assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    assert _count(VotingCode) == 0 and _count(CodeBatch) == 0


def test_no_codes_after_voting_closed(client, staff) -> None:
    rnd = fv.voting_round(phase=Phase.RESULTS)
    db.session.commit()
    resp = client.post(
        f"/beheer/stemcodes/ronde/{rnd.id}", data={"district": f.district().id, "count": 5, "fmt": "csv"}
    )
    assert resp.status_code == 409 and "voorbij" in resp.get_data(as_text=True)
    assert _count(VotingCode) == 0
    paper = client.get(f"/beheer/stemcodes/ronde/{rnd.id}/papier").get_data(as_text=True)
    assert "Het stemmen is gesloten: het liep van" in paper and "De stemperiode loopt" not in paper


def test_vote_with_code_then_change_in_same_session(client) -> None:
    rnd = fv.voting_round()
    a, b = fv.feasible(rnd, district_slug="westerpark"), fv.feasible(rnd, district_slug="westerpark")
    elsewhere = fv.feasible(rnd)
    code = fv.voting_code(rnd, "westerpark")
    db.session.commit()
    typed = f"{code[:5].lower()} {code[5:]}"  # people type spaces and lower case
    resp = client.post(f"/stemmen/{rnd.id}/code", data={"code": typed})
    assert resp.status_code == 303
    voter = db.session.scalars(select(Voter)).one()
    assert voter.user_id is None and voter.code_id is not None and voter.district_id == f.district("westerpark").id
    page = client.get(f"/stemmen/{rnd.id}/stembiljet").get_data(as_text=True)
    assert a.title in page and elsewhere.title not in page
    district = str(voter.district_id)
    assert (
        client.post(f"/stemmen/{rnd.id}/stembiljet", data={"initiative": [a.id], "district": district}).status_code
        == 303
    )
    assert (
        client.post(f"/stemmen/{rnd.id}/stembiljet", data={"initiative": [b.id], "district": district}).status_code
        == 303
    )
    assert fv.ballot_state(Voter.id == voter.id) == (2, [b.id], False, 2)
    # The code opens the same voter and its ballot in another browser, never a second voter.
    other = client.application.test_client()
    again = other.post(f"/stemmen/{rnd.id}/code", data={"code": code})
    assert again.status_code == 303 and _count(Voter) == 1
    assert re.search(rf'value="{b.id}"[^>]*checked', other.get(f"/stemmen/{rnd.id}/stembiljet").get_data(as_text=True))
    # Finishing ends access on the server: in this browser and in the other one.
    assert client.post(f"/stemmen/{rnd.id}/klaar").status_code == 303
    assert client.get(f"/stemmen/{rnd.id}/stembiljet").status_code == 302
    stale = other.post(f"/stemmen/{rnd.id}/stembiljet", data={"initiative": [a.id], "district": district})
    assert stale.status_code == 403 and fv.ballot_state(Voter.id == voter.id) == (2, [b.id], False, 2)


def test_bad_codes_and_rate_limit(app, client) -> None:
    app.config["CODE_RATE_LIMIT"] = (3, 300)
    rnd = fv.voting_round()
    other_round = fv.voting_round()
    foreign = fv.voting_code(other_round)
    good = fv.voting_code(rnd)
    db.session.commit()
    short = client.post(f"/stemmen/{rnd.id}/code", data={"code": "ABC"})
    assert short.status_code == 422 and "10 tekens" in short.get_data(as_text=True)
    wrong = client.post(f"/stemmen/{rnd.id}/code", data={"code": "ABCDEFGHJK"})
    assert wrong.status_code == 422 and "bestaat niet" in wrong.get_data(as_text=True)
    cross = client.post(f"/stemmen/{rnd.id}/code", data={"code": foreign})
    assert cross.status_code == 422 and "bestaat niet" in cross.get_data(as_text=True)
    blocked = client.post(f"/stemmen/{rnd.id}/code", data={"code": good})
    assert blocked.status_code == 429 and "Te veel verkeerde stemcodes" in blocked.get_data(as_text=True)
    assert _count(Voter) == 0
    assert db.session.scalar(select(func.count(VotingCode.id)).where(VotingCode.used_at.is_not(None))) == 0


def test_code_outside_voting_phase(client) -> None:
    rnd = fv.voting_round(phase=Phase.REVIEW)
    code = fv.voting_code(rnd)
    db.session.commit()
    resp = client.post(f"/stemmen/{rnd.id}/code", data={"code": code})
    assert resp.status_code == 409 and "alleen in de stemperiode" in resp.get_data(as_text=True)
    assert _count(Voter) == 0


def test_paper_ballot(client, staff) -> None:
    rnd = fv.voting_round()
    a = fv.feasible(rnd, cost=4_000)
    big = fv.feasible(rnd, cost=9_000)
    code = fv.voting_code(rnd)
    db.session.commit()
    url = f"/beheer/stemcodes/ronde/{rnd.id}/papier"
    step1 = client.post(url, data={"code": code})
    assert step1.status_code == 200 and a.title in step1.get_data(as_text=True)
    d = str(f.district().id)
    over = client.post(url, data={"code": code, "step": "ballot", "district": d, "initiative": [a.id, big.id]})
    assert over.status_code == 422 and "budget" in over.get_data(as_text=True)
    assert _count(Voter) == 0 and _count(Ballot) == 0
    tampered = client.post(url, data={"code": code, "step": "ballot", "district": "999", "initiative": [a.id]})
    assert tampered.status_code == 400 and _count(Ballot) == 0
    ok = client.post(url, data={"code": code, "step": "ballot", "district": d, "initiative": [a.id]})
    assert ok.status_code == 303
    ballot = db.session.scalars(select(Ballot)).one()
    assert ballot.paper and [i.initiative_id for i in ballot.items] == [a.id]
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.kind == "ballot.paper")).one()
    assert json.loads(event.payload) == {"district_id": ballot.district_id, "version": 1}
    used = client.post(url, data={"code": code})
    assert used.status_code == 422 and "al gestemd" in used.get_data(as_text=True)
    invalid = client.post(url, data={"code": "2345678923"})
    assert invalid.status_code == 422 and "bestaat niet" in invalid.get_data(as_text=True)


def test_turnout_counts_without_contents(client, staff) -> None:
    rnd = fv.voting_round()
    a = fv.feasible(rnd, title="Geheim plan A")
    b = fv.feasible(rnd, district_slug="westerpark", title="Geheim plan B")
    from wijkfonds.services.voting import ballots as voting

    for district, plan, paper in (("de-baarsjes", a, False), ("de-baarsjes", a, True), ("westerpark", b, False)):
        code = fv.voting_code(rnd, district)
        row = codes.find_code(rnd, code, rate_key="t", limit=(99, 60))
        voting.cast(rnd, codes.redeem(rnd, row).id, [str(plan.id)], paper=paper, actor=staff)
    db.session.commit()
    page = client.get(f"/beheer/stemcodes/ronde/{rnd.id}/opkomst").get_data(as_text=True)
    assert "Geheim plan" not in page
    assert "<svg" in page and '<title id="opkomst-gebied-title">' in page and "<desc" in page
    assert "Stemmen samen: 3" in page and "Via internet: 2" in page and "Op papier: 1" in page
    row = re.search(r"<th scope=\"row\">De Baarsjes</th>(.*?)</tr>", page).group(1)
    assert re.findall(r">(\d+)<", row) == ["1", "1", "2", "2", "2"]


def test_svg_helpers_escape_and_scale() -> None:
    chart = svg.bar_chart([("<b>Oost</b>", 30), ("West", 0)], chart_id="t1", title="Titel & zo")
    assert "<b>" not in chart and "&lt;b&gt;Oost" in chart and "Titel &amp; zo" in chart
    assert 'role="img"' in chart and 'aria-labelledby="t1-title t1-desc"' in chart
    assert "&lt;b&gt;Oost&lt;/b&gt;: 30; West: 0" in chart  # generated description lists the numbers
    line = svg.column_chart([("1 mei", 2), ("2 mei", 5)], chart_id="t2", title="Per dag", line=True)
    assert "<polyline" in line and line.count("<circle") == 2
    assert svg._nice_max(0) == 1 and svg._nice_max(7) == 10 and svg._nice_max(120) == 200
    table = svg.data_table(["Gebied", "Aantal"], [("A&B", 3)], caption="Cijfers")
    assert "<caption>Cijfers</caption>" in table and "A&amp;B" in table and 'class="num">3<' in table


def test_codes_pages_count_codes_made_outside_a_batch(client, staff) -> None:
    # The demo's codes (and codes loaded by a script) have no batch row; the pages used to
    # count batches only and said "no codes" while the turnout showed them sent.
    rnd = fv.voting_round()
    d = f.district("westerpark")
    for n in range(5):
        used = utcnow() if n < 2 else None
        db.session.add(
            VotingCode(round_id=rnd.id, district_id=d.id, code_hash=codes.hash_code(f"LOOSE{n:05d}"), used_at=used)
        )
    fv.voting_code(rnd)  # one code in a batch made here
    db.session.commit()
    counts = codes.code_counts(rnd)
    assert (counts.made, counts.used, counts.unused, counts.outside_batches) == (6, 2, 4, 5)
    assert codes.code_counts(rnd, d.id).made == 5
    expected = "Stemcodes: 6, waarvan 2 gebruikt (er is een stem mee opgeslagen) en 4 nog niet."
    index = client.get("/beheer/stemcodes/").get_data(as_text=True)
    assert expected in index and "5 stemcodes zijn niet hier in een reeks gemaakt" in index
    assert "Gemaakt in 1 reeksen hier." in index
    batches = client.get(f"/beheer/stemcodes/ronde/{rnd.id}").get_data(as_text=True)
    assert expected in batches and "nog geen stemcodes gemaakt" not in batches
    turnout = client.get(f"/beheer/stemcodes/ronde/{rnd.id}/opkomst").get_data(as_text=True)
    total = re.search(r"<th scope=\"row\">Totaal</th>(.*?)</tr>", turnout).group(1)
    assert re.findall(r">(\d+)<", total)[-2:] == ["6", "2"]  # codes sent and used: the same numbers
    ask = client.post(f"/beheer/stemcodes/ronde/{rnd.id}", data={"district": d.id, "count": 3, "fmt": "csv"})
    assert "Al eerder gemaakt voor Westerpark in deze ronde: 5." in ask.get_data(as_text=True)


def test_codes_page_without_any_code(client, staff) -> None:
    rnd = fv.voting_round()
    db.session.commit()
    assert "Voor deze ronde zijn nog geen stemcodes gemaakt." in client.get("/beheer/stemcodes/").get_data(as_text=True)
    page = client.get(f"/beheer/stemcodes/ronde/{rnd.id}").get_data(as_text=True)
    assert "Voor deze ronde zijn nog geen stemcodes gemaakt." in page and "gebruikt (er is een stem" not in page


def test_turnout_explains_empty_ballots_and_codes_without_a_ballot(client, staff) -> None:
    rnd = fv.voting_round()
    a = fv.feasible(rnd, title="Geheim plan A")
    from wijkfonds.services.voting import ballots as voting

    def vote(ids: list[str], paper: bool) -> None:
        row = codes.find_code(rnd, fv.voting_code(rnd), rate_key="t", limit=(99, 60))
        voting.cast(rnd, codes.redeem(rnd, row).id, ids, paper=paper, actor=staff)

    vote([str(a.id)], False)
    vote([str(a.id)], True)
    # Voting here refuses an empty ballot, but imported rounds and the demo hold some.
    for paper in (False, False, True):
        fres.ballot(rnd, [], district_id=a.district_id).paper = paper
    codes.redeem(rnd, codes.find_code(rnd, fv.voting_code(rnd), rate_key="t", limit=(99, 60)))  # entered, no ballot
    db.session.commit()
    page = client.get(f"/beheer/stemcodes/ronde/{rnd.id}/opkomst").get_data(as_text=True)
    assert "Geheim plan" not in page
    assert "Stemmen samen: 5" in page
    assert "waarvan leeg: geen plan aangevinkt (via internet 2, op papier 1)" in page
    assert (
        "5 stembiljetten, 2 stemmers in de toewijzing: 3 lege stembiljetten; die telt de toewijzing niet mee." in page
    )
    assert "Stemcodes ingevoerd zonder opgeslagen stembiljet: 1; die tellen nergens mee." in page
    assert "Ongeldige papieren stembiljetten worden niet ingevoerd" in page
