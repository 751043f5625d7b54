"""Staff actions that cannot be undone ask first: a confirmation page with figures, checked by the server.

For every such action: the POST without ``confirm=1`` changes nothing and shows what will
happen; the page's own form (hidden fields, CSRF token, confirm=1) does it, without JavaScript.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests import factories as f
from tests import factories_results as fr
from tests import factories_review as frv
from tests import factories_rounds as frd
from tests import factories_vote as fv
from wijkfonds.extensions import db
from wijkfonds.models import AllocationRun, AuditEvent, CodeBatch, Phase, Role, Status, VotingCode
from wijkfonds.services.errors import DomainError
from wijkfonds.services.rounds import preview
from wijkfonds.services.rounds.checks import RoundData


class _Forms(HTMLParser):
    """The POST forms of a page: action and hidden fields."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.forms.append({"action": a.get("action"), "fields": {}, "scripts": a.get("onsubmit")})
        elif tag == "input" and self.forms and a.get("type") == "hidden":
            self.forms[-1]["fields"][a["name"]] = a.get("value") or ""


def _confirm_form(body: str) -> dict:
    parser = _Forms()
    parser.feed(body)
    confirm = [form for form in parser.forms if form["fields"].get("confirm") == "1"]
    assert len(confirm) == 1, "no confirmation form on the page"
    assert confirm[0]["scripts"] is None and "confirm(" not in body  # no JavaScript dialog
    assert "csrf_token" in confirm[0]["fields"]
    return confirm[0]


def _text(resp) -> str:
    return html.unescape(re.sub(r"\s+", " ", resp.get_data(as_text=True)))


def _audit() -> int:
    return db.session.scalar(select(func.count(AuditEvent.id))) or 0


@pytest.fixture()
def staff(client, auth):
    user = f.user(Role.STAFF)
    db.session.commit()
    auth.login(user)
    return user


def _state(rnd) -> tuple:
    db.session.expire_all()
    return RoundData.of(rnd), rnd.phase(), _audit()


# --- moving a round to the next phase (closing voting early included) -------------------------


def test_closing_voting_early_asks_first_with_figures(client, staff) -> None:
    rnd = f.round_(Phase.VOTING)  # results planned 9 days from now
    inis = [f.initiative(rnd, status=Status.FEASIBLE) for _ in range(2)]
    for _ in range(3):
        fr.ballot(rnd, inis)
    paper = fr.ballot(rnd, inis[:1])
    paper.paper = True
    db.session.commit()
    before = _state(rnd)
    resp = client.post(f"/beheer/rondes/{rnd.id}/fase", data={"to": "results"})
    text = _text(resp)
    assert resp.status_code == 200
    assert "Het stemmen stopt nu, 9 dagen eerder dan gepland; tot nu toe 4 stembiljetten." in text
    assert "Op papier ingevoerd: 1." in text and "Dit kan niet ongedaan worden gemaakt." in text
    assert _state(rnd) == before  # nothing changed
    form = _confirm_form(resp.get_data(as_text=True))
    assert form["action"] == f"/beheer/rondes/{rnd.id}/fase" and form["fields"]["to"] == "results"
    done = client.post(form["action"], data=form["fields"])
    assert done.status_code == 302
    db.session.expire_all()
    assert rnd.phase() == Phase.RESULTS and _audit() == before[2] + 1


@pytest.mark.parametrize(
    ("phase", "target", "says"),
    [
        (Phase.UPCOMING, Phase.NOMINATION, "Het voorstellen van thema's begint nu, 4 dagen eerder dan gepland."),
        (Phase.NOMINATION, Phase.SUBMISSION, "Voorgestelde thema's: 1."),
        (
            Phase.SUBMISSION,
            Phase.REVIEW,
            "Ingediende plannen: 2; met genoeg steun voor de beoordeling (minstens 50): 1.",
        ),
        (Phase.REVIEW, Phase.VOTING, "Haalbare plannen op de stemlijst: 1."),
    ],
)
def test_every_phase_step_asks_first(client, staff, phase: Phase, target: Phase, says: str) -> None:
    rnd = f.round_(phase)
    if phase == Phase.NOMINATION:
        frd.nomination(rnd)
    f.initiative(rnd, support_count=60, status=Status.FEASIBLE if phase == Phase.REVIEW else Status.SUBMITTED)
    f.initiative(rnd, support_count=3)
    db.session.commit()
    before = _state(rnd)
    resp = client.post(f"/beheer/rondes/{rnd.id}/fase", data={"to": target.value})
    assert resp.status_code == 200 and says in _text(resp)
    assert _state(rnd) == before
    form = _confirm_form(resp.get_data(as_text=True))
    assert client.post(form["action"], data=form["fields"]).status_code == 302
    db.session.expire_all()
    assert rnd.phase() == target


def test_confirmation_page_of_voting_names_what_gets_locked(client, staff) -> None:
    rnd = f.round_(Phase.REVIEW)
    f.initiative(rnd, support_count=60, status=Status.IN_REVIEW)
    db.session.commit()
    text = _text(client.post(f"/beheer/rondes/{rnd.id}/fase", data={"to": "voting"}))
    assert "nog niet zijn beoordeeld (die komen niet op de stemlijst): 1." in text
    assert "Vanaf dan liggen budgetten, regels" in text


def test_a_stale_phase_confirmation_changes_nothing(client, staff) -> None:
    """Confirming a step another staff member already took: 409, no second change."""
    rnd = f.round_(Phase.VOTING)
    db.session.commit()
    form = _confirm_form(client.post(f"/beheer/rondes/{rnd.id}/fase", data={"to": "results"}).get_data(as_text=True))
    assert client.post(form["action"], data=form["fields"]).status_code == 302
    before = _state(rnd)
    again = client.post(form["action"], data=form["fields"])
    assert again.status_code == 409 and _state(rnd) == before


def test_phase_confirmation_works_with_csrf(csrf_app: Flask) -> None:
    """As in production: the confirmation page carries its own CSRF token."""
    client = csrf_app.test_client()
    user = f.user(Role.STAFF)
    rnd = f.round_(Phase.VOTING)
    db.session.commit()
    with client.session_transaction() as sess:
        sess["_user_id"] = user.get_id()
    page = client.get(f"/beheer/rondes/{rnd.id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    resp = client.post(f"/beheer/rondes/{rnd.id}/fase", data={"to": "results", "csrf_token": token})
    assert resp.status_code == 200
    form = _confirm_form(resp.get_data(as_text=True))
    assert client.post(form["action"], data=form["fields"]).status_code == 302
    db.session.expire_all()
    assert rnd.phase() == Phase.RESULTS


def test_advance_preview_refuses_what_advance_refuses(app: Flask) -> None:
    rnd = f.round_(Phase.REVIEW)
    with pytest.raises(DomainError, match="deze stap kan nu niet"):
        preview.advance(rnd, Phase.RESULTS)


# --- starting the review -------------------------------------------------------------------


def test_starting_review_asks_first_with_figures(client, staff) -> None:
    rnd = frv.review_round(threshold=10)
    top = [frv.supported(rnd, 10), frv.supported(rnd, 25)]
    low = frv.supported(rnd, 9)
    db.session.commit()
    before = _audit()
    resp = client.post(f"/beheer/beoordeling/ronde/{rnd.id}/starten")
    text = _text(resp)
    assert resp.status_code == 200
    assert "Plannen die van ‘ingediend’ naar ‘in beoordeling’ gaan (minstens 10 steun): 2." in text
    assert "die ‘ingediend’ blijven en niet in de beoordeling komen: 1." in text
    db.session.expire_all()
    assert [i.status for i in (*top, low)] == ["submitted"] * 3 and _audit() == before
    form = _confirm_form(resp.get_data(as_text=True))
    assert form["action"] == f"/beheer/beoordeling/ronde/{rnd.id}/starten"
    assert client.post(form["action"], data=form["fields"]).status_code == 302
    db.session.expire_all()
    assert [i.status for i in (*top, low)] == ["in_review", "in_review", "submitted"]


def test_starting_review_with_nothing_to_move_needs_no_confirmation(client, staff) -> None:
    rnd = frv.review_round(threshold=10)
    frv.supported(rnd, 2)
    db.session.commit()
    resp = client.post(f"/beheer/beoordeling/ronde/{rnd.id}/starten", follow_redirects=True)
    assert "geen plannen meer" in resp.get_data(as_text=True)


# --- publishing an official result ---------------------------------------------------------


def test_publishing_asks_first_with_figures(client, staff) -> None:
    rnd, inis = fr.closed_round(seed=5)
    run = fr.finished_run(rnd, staff, "greedy")
    before = _audit()
    resp = client.post(f"/beheer/toewijzing/berekening/{run.id}/publiceren", data={"reason": ""})
    text = _text(resp)
    assert resp.status_code == 200
    chosen = len(run.result["selected"])
    assert f"Berekening {run.id} (regel: Meeste stemmen eerst) wordt de officiële uitslag van „{rnd.name}”." in text
    assert f"Plannen die geld krijgen: {chosen} van {len(inis)}, samen €" in text
    assert "beide blijven in het logboek" in text
    db.session.expire_all()
    assert db.session.get(AllocationRun, run.id).published_at is None and _audit() == before
    assert all(i.status == Status.FEASIBLE.value for i in inis)
    form = _confirm_form(resp.get_data(as_text=True))
    assert client.post(form["action"], data=form["fields"]).status_code == 302
    db.session.expire_all()
    assert db.session.get(AllocationRun, run.id).published_at is not None


def test_replacing_a_result_carries_the_reason_through_the_confirmation(client, staff) -> None:
    rnd, _inis = fr.closed_round(seed=6)
    first = fr.finished_run(rnd, staff, "greedy")
    second = fr.finished_run(rnd, staff, "ilp")
    url = "/beheer/toewijzing/berekening/{}/publiceren"
    assert client.post(url.format(first.id), data={"reason": "", "confirm": "1"}).status_code == 302
    missing = client.post(url.format(second.id), data={"reason": ""})
    assert missing.status_code == 422 and "Geef een reden" in missing.get_data(as_text=True)  # checked before asking
    resp = client.post(url.format(second.id), data={"reason": "Telfout in de eerste berekening"})
    text = _text(resp)
    assert resp.status_code == 200 and f"Dit vervangt de uitslag van berekening {first.id}" in text
    assert "Telfout in de eerste berekening" in text
    form = _confirm_form(resp.get_data(as_text=True))
    assert form["fields"]["reason"] == "Telfout in de eerste berekening"
    assert client.post(form["action"], data=form["fields"]).status_code == 302
    db.session.expire_all()
    assert db.session.get(AllocationRun, second.id).publish_reason == "Telfout in de eerste berekening"


def test_publishing_a_stale_run_is_refused_before_asking(client, staff) -> None:
    rnd, inis = fr.closed_round(seed=7)
    run = fr.finished_run(rnd, staff, "greedy")
    inis[0].estimated_cost = inis[0].cost + 1000  # the round's data changed after the run
    db.session.commit()
    resp = client.post(f"/beheer/toewijzing/berekening/{run.id}/publiceren", data={"reason": ""})
    assert resp.status_code == 409 and 'name="confirm"' not in resp.get_data(as_text=True)
    assert "Reken opnieuw" in resp.get_data(as_text=True)


# --- generating voting codes -----------------------------------------------------------------


def _codes() -> tuple[int, int, int]:
    return (
        db.session.scalar(select(func.count(VotingCode.id))) or 0,
        db.session.scalar(select(func.count(CodeBatch.id))) or 0,
        _audit(),
    )


def test_generating_codes_asks_first_with_figures(client, staff) -> None:
    rnd = fv.voting_round(name="West Begroot 2027")
    d = f.district("westerpark")
    db.session.commit()
    first = client.post(
        f"/beheer/stemcodes/ronde/{rnd.id}", data={"district": d.id, "count": 3, "fmt": "csv", "confirm": "1"}
    )
    assert first.mimetype == "text/csv"
    before = _codes()
    resp = client.post(f"/beheer/stemcodes/ronde/{rnd.id}", data={"district": d.id, "count": 1500, "fmt": "csv"})
    text = _text(resp)
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    assert f"Nieuwe stemcodes voor {d.name} in „West Begroot 2027”: 1.500." in text
    assert f"Al eerder gemaakt voor {d.name} in deze ronde: 3." in text
    assert "kunnen daarna niet meer worden opgevraagd of ingetrokken" in text
    assert _codes() == before
    form = _confirm_form(resp.get_data(as_text=True))
    assert form["fields"] | {"csrf_token": ""} == {
        "district": str(d.id),
        "count": "1500",
        "fmt": "csv",
        "confirm": "1",
        "csrf_token": "",
    }
    done = client.post(form["action"], data=form["fields"])
    assert done.status_code == 200 and done.mimetype == "text/csv"
    assert len(done.get_data(as_text=True).splitlines()) == 1 + 1500
    assert _codes()[0] == before[0] + 1500


def test_bad_code_requests_are_refused_before_asking(client, staff) -> None:
    rnd = fv.voting_round()
    closed = fv.voting_round(phase=Phase.RESULTS)
    db.session.commit()
    before = _codes()
    bad = client.post(f"/beheer/stemcodes/ronde/{rnd.id}", data={"district": 99999, "count": 5, "fmt": "csv"})
    assert bad.status_code == 422 and "Kies een bestaand gebied" in bad.get_data(as_text=True)
    late = client.post(
        f"/beheer/stemcodes/ronde/{closed.id}", data={"district": f.district().id, "count": 5, "fmt": "csv"}
    )
    assert late.status_code == 409 and "voorbij" in late.get_data(as_text=True)
    assert 'name="confirm"' not in late.get_data(as_text=True)
    assert _codes() == before


def test_the_confirmation_speaks_english_too(client, staff) -> None:
    rnd = f.round_(Phase.VOTING)
    fr.ballot(rnd, [f.initiative(rnd, status=Status.FEASIBLE)])
    db.session.commit()
    client.get("/taal/en")
    text = _text(client.post(f"/beheer/rondes/{rnd.id}/fase", data={"to": "results"}))
    assert "Voting stops now, 9 days earlier than planned; 1 ballot so far." in text
    assert "This cannot be undone." in text


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (30, "een minuut"),
        (900, "15 minuten"),
        (3600, "een uur"),
        (5 * 3600 + 100, "5 uur"),
        (86400, "een dag"),
        (4 * 86400 - 5, "4 dagen"),
    ],
)
def test_durations_in_words(app: Flask, seconds: int, words: str) -> None:
    from wijkfonds.common.timeutil import duration_text

    with app.test_request_context("/"):
        assert duration_text(seconds) == words
