"""Staff round pages: edit, the lock at the start of voting, timeline and next-phase actions."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests import factories as f
from tests import factories_rounds as fr
from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.models import AuditEvent, Phase, Role
from wijkfonds.services.rounds.checks import RoundData


@pytest.fixture()
def staff(auth):
    """A logged-in staff member."""
    user = f.user(Role.STAFF)
    db.session.commit()
    auth.login(user)
    return user


def _state(rnd) -> tuple:
    db.session.expire_all()
    return (RoundData.of(rnd), fr.count(AuditEvent))


def test_edit_records_changed_fields(client, staff) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    db.session.commit()
    ds = f.districts()
    data = fr.form_of(rnd) | {
        "name": "Nieuwe naam",
        f"budget_{ds[0].id}": str(rnd.budget_for(ds[0].id) - 500),
        f"budget_{ds[1].id}": str(rnd.budget_for(ds[1].id) + 500),
    }
    resp = client.post(f"/beheer/rondes/{rnd.id}/bewerken", data=data)
    assert resp.status_code == 302, resp.get_data(as_text=True)
    db.session.expire_all()
    assert rnd.name == "Nieuwe naam" and rnd.budget_for(ds[0].id) == 75_000 - 500
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.kind == "round.updated")).one()
    changed = json.loads(event.payload)["changed"]
    assert set(changed) == {"name", "budgets"} and changed["name"]["new"] == "Nieuwe naam"


def test_unchanged_edit_records_nothing(client, staff) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    db.session.commit()
    before = _state(rnd)
    resp = client.post(f"/beheer/rondes/{rnd.id}/bewerken", data=fr.form_of(rnd), follow_redirects=True)
    assert "Er was niets veranderd." in resp.get_data(as_text=True)
    assert _state(rnd) == before


def test_theme_in_use_cannot_be_removed(client, staff) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    f.initiative(rnd)  # uses the round's first theme
    db.session.commit()
    before = _state(rnd)
    data = fr.form_of(rnd) | {"themes": [str(t.id) for t in rnd.themes[1:]]}
    resp = client.post(f"/beheer/rondes/{rnd.id}/bewerken", data=data)
    assert resp.status_code == 422 and "kan niet weg" in resp.get_data(as_text=True)
    assert _state(rnd) == before


def test_locked_form_shows_rules_read_only(client, staff) -> None:
    rnd = f.round_(Phase.VOTING)
    db.session.commit()
    body = client.get(f"/beheer/rondes/{rnd.id}/bewerken").get_data(as_text=True)
    assert "Het stemmen is begonnen" in body
    assert 'name="total_budget"' not in body and 'name="themes"' not in body and "budget_" not in body
    assert 'name="voting_start"' not in body and 'name="results_start"' in body and 'name="name"' in body


def _locked_post(rnd) -> dict[str, object]:
    """What the locked form really sends: name, description and the results date."""
    return {
        "name": rnd.name,
        "description": "Nu met uitleg.",
        "results_start": fr.local(rnd.results_start + timedelta(days=2)),
    }


def test_locked_round_still_takes_name_and_later_dates(client, staff) -> None:
    rnd = f.round_(Phase.VOTING)
    db.session.commit()
    old_budgets = RoundData.of(rnd).budgets
    resp = client.post(f"/beheer/rondes/{rnd.id}/bewerken", data=_locked_post(rnd))
    assert resp.status_code == 302, resp.get_data(as_text=True)
    db.session.expire_all()
    assert rnd.description == "Nu met uitleg." and RoundData.of(rnd).budgets == old_budgets
    changed = json.loads(db.session.scalars(select(AuditEvent.payload).where(AuditEvent.kind == "round.updated")).one())
    assert set(changed["changed"]) == {"description", "results_start"}


@pytest.mark.parametrize(
    "tamper", ["total", "budget", "theme", "ballot", "quota", "threshold", "started-date", "garbage"]
)
def test_tampered_post_after_voting_started_gets_409(client, staff, tamper: str) -> None:
    rnd = f.round_(Phase.VOTING)
    db.session.commit()
    d0 = f.districts()[0]
    extra = {
        "total": {"total_budget": "400000"},
        "budget": {f"budget_{d0.id}": "1"},
        "theme": {"themes": [str(f.theme(0).id)]},
        "ballot": {"ballot_kind": "approval"},
        "quota": {f"min_{f.block(0).id}": "10"},
        "threshold": {"support_threshold": "10"},
        "started-date": {"voting_start": fr.local(rnd.voting_start + timedelta(days=1))},
        "garbage": {"total_budget": "veel geld"},
    }[tamper]
    before = _state(rnd)
    resp = client.post(f"/beheer/rondes/{rnd.id}/bewerken", data=_locked_post(rnd) | extra)
    body = resp.get_data(as_text=True)
    assert resp.status_code == 409, (tamper, body[:2000])
    assert "Het stemmen is begonnen" in body or "kan niet meer veranderen" in body
    assert _state(rnd) == before


def test_fill_by_population_after_voting_started_gets_409(client, staff) -> None:
    rnd = f.round_(Phase.VOTING)
    db.session.commit()
    resp = client.post(f"/beheer/rondes/{rnd.id}/bewerken", data=_locked_post(rnd) | {"fill_by_population": "1"})
    assert resp.status_code == 409 and "Het stemmen is begonnen" in resp.get_data(as_text=True)


def test_results_date_cannot_move_into_the_past(client, staff) -> None:
    rnd = f.round_(Phase.VOTING)
    db.session.commit()
    before = _state(rnd)
    data = _locked_post(rnd) | {"results_start": fr.local(utcnow() - timedelta(hours=2))}
    resp = client.post(f"/beheer/rondes/{rnd.id}/bewerken", data=data)
    assert resp.status_code == 409 and "verleden" in resp.get_data(as_text=True)
    assert _state(rnd) == before


def test_round_page_shows_timeline_and_current_phase(client, staff) -> None:
    rnd = f.round_(Phase.REVIEW)
    db.session.commit()
    body = client.get(f"/beheer/rondes/{rnd.id}").get_data(as_text=True)
    current = body[body.index('aria-current="step"') :][:200]
    assert "Beoordeling" in current
    assert "Open stemmen nu" in body and 'value="voting"' in body
    assert "Naar de beoordeling van de plannen" in body
    listing = client.get("/beheer/rondes/").get_data(as_text=True)
    assert rnd.name in listing


@pytest.mark.parametrize(
    "phase,target",
    [
        (Phase.SUBMISSION, Phase.REVIEW),
        (Phase.REVIEW, Phase.VOTING),
        (Phase.VOTING, Phase.RESULTS),
        (Phase.NOMINATION, Phase.SUBMISSION),
    ],
)
def test_next_phase_now(client, staff, phase: Phase, target: Phase) -> None:
    rnd = f.round_(phase)
    db.session.commit()
    resp = client.post(f"/beheer/rondes/{rnd.id}/fase", data={"to": target.value, "confirm": "1"})
    assert resp.status_code == 302
    db.session.expire_all()
    assert rnd.phase() == target
    dates = [rnd.nomination_start, rnd.submission_start, rnd.review_start, rnd.voting_start, rnd.results_start]
    assert dates == sorted(dates) and len(set(dates)) == 5
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.kind == "round.phase_changed")).one()
    assert json.loads(event.payload) | {"at": None} == {"old": phase.value, "new": target.value, "at": None}


@pytest.mark.parametrize(
    "phase,to,status,message",
    [
        (Phase.REVIEW, "review", 409, "deze stap kan nu niet"),  # stale page / double click
        (Phase.SUBMISSION, "voting", 409, "deze stap kan nu niet"),  # skipping review
        (Phase.RESULTS, "results", 409, "deze stap kan nu niet"),
        (Phase.REVIEW, "morgen", 422, "Onbekende fase"),
        (Phase.REVIEW, "", 422, "Onbekende fase"),
    ],
)
def test_bad_phase_actions_change_nothing(client, staff, *, phase, to, status, message) -> None:
    rnd = f.round_(phase)
    db.session.commit()
    before = _state(rnd)
    resp = client.post(f"/beheer/rondes/{rnd.id}/fase", data={"to": to})
    assert resp.status_code == status and message in resp.get_data(as_text=True)
    assert _state(rnd) == before


def test_unknown_round_is_404(client, staff) -> None:
    assert client.get("/beheer/rondes/999999").status_code == 404
    assert client.post("/beheer/rondes/999999/fase", data={"to": "voting"}).status_code == 404
    assert client.post("/beheer/rondes/999999/bewerken", data={}).status_code == 404


CLOSED_WORDS = ("Het stemmen is begonnen", "Het stemmen is open", "De stemperiode loopt", "nu in de stemfase")


def _phase_text(body: str) -> str:
    start = body.index('<span id="phase-text">') + len('<span id="phase-text">')
    return " ".join(body[start : body.index("</span>", start)].split())


@pytest.mark.parametrize(
    "phase,nomination,expected",
    [
        (Phase.UPCOMING, True, "Deze ronde is nog niet begonnen. Thema's voorstellen kan vanaf"),
        (Phase.UPCOMING, False, "Deze ronde is nog niet begonnen. Plannen indienen kan vanaf"),
        (Phase.NOMINATION, True, "Bewoners kunnen thema's voorstellen tot"),
        (Phase.SUBMISSION, True, "Bewoners kunnen plannen indienen tot"),
        (Phase.REVIEW, True, "Het stadsdeel beoordeelt de plannen. Het stemmen begint op"),
        (Phase.VOTING, True, "Het stemmen is open van"),
        (Phase.RESULTS, True, "Het stemmen is gesloten: het liep van"),
    ],
)
def test_round_page_says_where_each_phase_stands(client, staff, phase: Phase, nomination: bool, expected) -> None:
    rnd = f.round_(phase)
    if not nomination:
        rnd.nomination_start = None
    db.session.commit()
    body = client.get(f"/beheer/rondes/{rnd.id}").get_data(as_text=True)
    text = _phase_text(body).replace("&#39;", "'")
    assert text.startswith(expected), text
    lock = "Het stemmen is begonnen. Budgetten" in body
    closed = "Het stemmen is gesloten. Budgetten" in body
    assert (lock, closed) == (phase == Phase.VOTING, phase == Phase.RESULTS)
    if phase == Phase.RESULTS:
        assert not any(w in body for w in CLOSED_WORDS) and "Sluit stemmen nu" not in body


def test_closing_voting_by_the_button_changes_every_text(client, staff) -> None:
    rnd = f.round_(Phase.VOTING)
    db.session.commit()
    before = client.get(f"/beheer/rondes/{rnd.id}").get_data(as_text=True)
    assert "Het stemmen is open van" in before and "Met deze knop sluit het stemmen nu meteen" in before
    resp = client.post(f"/beheer/rondes/{rnd.id}/fase", data={"to": "results", "confirm": "1"}, follow_redirects=True)
    body = resp.get_data(as_text=True)
    assert "Het stemmen is gesloten. Bereken nu de uitslag onder Toewijzing." in body  # the flash
    assert _phase_text(body).startswith("Het stemmen is gesloten: het liep van")
    assert "Het stemmen is gesloten. Budgetten" in body
    assert not any(w in body for w in CLOSED_WORDS)
    codes = client.get("/beheer/stemcodes/").get_data(as_text=True)
    assert "Het stemmen is gesloten: het liep van" in codes and not any(w in codes for w in CLOSED_WORDS)


def test_voting_ended_by_time_reads_as_closed(client, staff) -> None:
    # The phase follows from the dates alone: when the end of voting passes, nothing needs
    # advancing and the pages read as closed at once (there is no "ended but still open" state).
    rnd = f.round_(Phase.VOTING)
    rnd.results_start = utcnow() - timedelta(minutes=1)
    db.session.commit()
    body = client.get(f"/beheer/rondes/{rnd.id}").get_data(as_text=True)
    assert _phase_text(body).startswith("Het stemmen is gesloten: het liep van")
    assert not any(w in body for w in CLOSED_WORDS) and "Sluit stemmen nu" not in body
    edit = client.get(f"/beheer/rondes/{rnd.id}/bewerken").get_data(as_text=True)
    assert "Het stemmen is gesloten. Budgetten" in edit and "Het stemmen is begonnen" not in edit
    codes = client.get("/beheer/stemcodes/").get_data(as_text=True)
    assert "Het stemmen is gesloten: het liep van" in codes
