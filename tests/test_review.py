"""Staff review: queue, start review, decisions, cost estimates, text corrections, bad input."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests import factories as f
from tests import factories_review as fr
from wijkfonds.extensions import db
from wijkfonds.models import AuditEvent, Initiative, Phase, Revision, Status

BASE = "/beheer/beoordeling"


def _decide(client, ini, headers=None, **data):
    form = {k if k in ("terug", "gebied") else f"i{ini.id}-{k}": v for k, v in data.items()}
    return client.post(f"{BASE}/plan/{ini.id}/besluit", data=form, headers=headers or {})


def _snapshot(ini: Initiative) -> tuple:
    db.session.expire_all()
    row = db.session.get(Initiative, ini.id)
    events = db.session.scalar(select(db.func.count(AuditEvent.id)))
    return (
        row.status,
        row.estimated_cost,
        row.infeasible_reason,
        row.title,
        row.summary,
        row.description,
        row.edited_by_staff,
        events,
        fr.count(Revision),
    )


def test_queue_lists_initiatives_with_enough_support(client, auth) -> None:
    rnd = fr.review_round(threshold=10)
    top = fr.supported(rnd, 12, title="Buurtmoestuin Bos en Lommer")
    low = fr.supported(rnd, 3, title="Te weinig steun plan")
    done = fr.supported(rnd, 40, status=Status.FEASIBLE, title="Al beoordeeld plan")
    auth.login(fr.staff())
    page = client.get(f"{BASE}/ronde/{rnd.id}").get_data(as_text=True)
    assert top.title in page and low.title not in page and done.title not in page
    decided = client.get(f"{BASE}/ronde/{rnd.id}?toon=beoordeeld").get_data(as_text=True)
    assert done.title in decided and top.title not in decided
    every = client.get(f"{BASE}/ronde/{rnd.id}?toon=alle").get_data(as_text=True)
    assert low.title in every and "Niet genoeg steun" in every and top.title in every
    index = client.get(f"{BASE}/").get_data(as_text=True)
    assert rnd.name in index


def test_queue_filters_by_district(client, auth) -> None:
    rnd = fr.review_round(threshold=1)
    west = fr.supported(rnd, 5, district_slug="westerpark", title="Plan in Westerpark")
    oud = fr.supported(rnd, 5, district_slug="oud-west", title="Plan in Oud-West")
    auth.login(fr.staff())
    page = client.get(f"{BASE}/ronde/{rnd.id}?gebied={west.district_id}").get_data(as_text=True)
    assert west.title in page and oud.title not in page


def test_start_review_moves_only_initiatives_with_enough_support(client, auth) -> None:
    rnd = fr.review_round(threshold=10)
    top = fr.supported(rnd, 10)
    low = fr.supported(rnd, 9)
    gone = fr.supported(rnd, 50, status=Status.WITHDRAWN)
    auth.login(fr.staff())
    page = client.get(f"{BASE}/ronde/{rnd.id}").get_data(as_text=True)
    assert "Zet in beoordeling" in page
    resp = client.post(f"{BASE}/ronde/{rnd.id}/starten", data={"confirm": "1"})
    assert resp.status_code == 302
    db.session.expire_all()
    assert (top.status, low.status, gone.status) == ("in_review", "submitted", "withdrawn")
    assert fr.audit_kinds()[-1] == "review.started"
    again = client.post(f"{BASE}/ronde/{rnd.id}/starten", follow_redirects=True)
    assert "geen plannen meer" in again.get_data(as_text=True)
    assert fr.audit_kinds().count("review.started") == 1


def test_start_review_outside_review_phase_is_refused(client, auth) -> None:
    rnd = fr.review_round(Phase.SUBMISSION, threshold=1)
    ini = fr.supported(rnd, 5)
    auth.login(fr.staff())
    resp = client.post(f"{BASE}/ronde/{rnd.id}/starten")
    assert resp.status_code == 409 and "beoordelingsfase" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert ini.status == "submitted"


def test_decide_feasible_with_new_cost_estimate(client, auth) -> None:
    rnd = fr.review_round(threshold=5)
    ini = fr.supported(rnd, 8, status=Status.IN_REVIEW, cost=12_000)
    auth.login(fr.staff())
    resp = _decide(client, ini, decision="feasible", estimated_cost="9.500")
    assert resp.status_code == 302
    db.session.expire_all()
    assert ini.status == "feasible" and ini.estimated_cost == 9_500 and ini.requested_cost == 12_000
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert event.kind == "initiative.reviewed" and event.round_id == rnd.id
    assert '"decision":"feasible"' in event.payload and '"estimated_cost":9500' in event.payload
    page = client.get(f"{BASE}/plan/{ini.id}").get_data(as_text=True)
    assert "€ 12.000" in page and "€ 9.500" in page


def test_decide_not_feasible_with_reason_and_change_of_mind(client, auth) -> None:
    rnd = fr.review_round(threshold=5)
    ini = fr.supported(rnd, 8)  # reached the threshold but not moved yet: may be decided
    auth.login(fr.staff())
    resp = _decide(client, ini, decision="not_feasible", reason="Het park is van de gemeente, niet van het stadsdeel.")
    assert resp.status_code == 302
    db.session.expire_all()
    assert ini.status == "not_feasible" and "gemeente" in ini.infeasible_reason
    resp = _decide(client, ini, decision="feasible", estimated_cost="4000")
    db.session.expire_all()
    assert ini.status == "feasible" and ini.infeasible_reason == "" and ini.estimated_cost == 4000


def test_htmx_decision_swaps_the_row(client, auth) -> None:
    rnd = fr.review_round(threshold=5)
    ini = fr.supported(rnd, 8, status=Status.IN_REVIEW)
    auth.login(fr.staff())
    page = client.get(f"{BASE}/ronde/{rnd.id}").get_data(as_text=True)
    assert f'hx-post="{BASE}/plan/{ini.id}/besluit"' in page and 'hx-target="closest article"' in page
    resp = _decide(client, ini, headers={"HX-Request": "true"}, decision="feasible", estimated_cost="5000")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert body.lstrip().startswith("{#") is False and "<html" not in body
    assert f'id="plan-{ini.id}"' in body and "Het besluit is opgeslagen." in body and "Op de stemlijst" in body
    before = _snapshot(ini)
    # htmx swaps only 2xx answers, so the row with the message comes back as 200.
    bad = _decide(client, ini, headers={"HX-Request": "true"}, decision="not_feasible", reason="")
    assert bad.status_code == 200 and "<html" not in bad.get_data(as_text=True)
    assert "Schrijf op waarom" in bad.get_data(as_text=True) and 'aria-invalid="true"' in bad.get_data(as_text=True)
    assert _snapshot(ini) == before


def _tab_counts(html: str) -> dict[str, int]:
    """The numbers in the queue's tabs, by tab key."""
    return {key: int(n) for key, n in re.findall(r'data-count="(\w+)">(\d+)<', html)}


def test_tab_counts_move_after_a_plain_decision(client, auth) -> None:
    rnd = fr.review_round(threshold=5)
    first = fr.supported(rnd, 8, status=Status.IN_REVIEW)
    fr.supported(rnd, 9, status=Status.IN_REVIEW)
    fr.supported(rnd, 10, status=Status.FEASIBLE)
    auth.login(fr.staff())
    before = client.get(f"{BASE}/ronde/{rnd.id}").get_data(as_text=True)
    assert _tab_counts(before) == {"open": 2, "beoordeeld": 1, "alle": 3}
    resp = _decide(client, first, decision="feasible", estimated_cost="5000", terug="open")
    assert resp.status_code == 302
    after = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "is opgeslagen" in after
    assert _tab_counts(after) == {"open": 1, "beoordeeld": 2, "alle": 3}


def test_htmx_decision_updates_the_tab_counts_out_of_band(client, auth) -> None:
    rnd = fr.review_round(threshold=5)
    first = fr.supported(rnd, 8, status=Status.IN_REVIEW, district_slug="westerpark")
    second = fr.supported(rnd, 9, status=Status.IN_REVIEW, district_slug="westerpark")
    auth.login(fr.staff())
    page = client.get(f"{BASE}/ronde/{rnd.id}?gebied={first.district_id}").get_data(as_text=True)
    assert 'id="review-tabs"' in page and "hx-swap-oob" not in page
    assert f'name="gebied" value="{first.district_id}"' in page
    hx = {"HX-Request": "true"}
    body = _decide(
        client, first, headers=hx, decision="feasible", estimated_cost="5000", terug="open", gebied=first.district_id
    ).get_data(as_text=True)
    tabs = body[body.index('id="review-tabs"') :]
    assert 'hx-swap-oob="true"' in body[body.index("<nav") :] and f'id="plan-{first.id}"' in body
    assert _tab_counts(tabs) == {"open": 1, "beoordeeld": 1, "alle": 2}
    assert f"gebied={first.district_id}" in tabs  # the tabs keep the district filter
    body = _decide(client, second, headers=hx, decision="not_feasible", reason="Te duur.", terug="open").get_data(
        as_text=True
    )
    assert _tab_counts(body) == {"open": 0, "beoordeeld": 2, "alle": 2}
    # An invalid decision changes nothing: the row comes back, no counters to move.
    bad = _decide(client, first, headers=hx, decision="not_feasible", reason="", terug="open").get_data(as_text=True)
    assert "Schrijf op waarom" in bad and "review-tabs" not in bad
    # On the plan's own page there are no tabs to update.
    own = _decide(client, first, headers=hx, decision="feasible", estimated_cost="6000", terug="plan")
    assert "Het besluit is opgeslagen." in own.get_data(as_text=True) and "review-tabs" not in own.get_data(
        as_text=True
    )


def test_htmx_decision_after_voting_started_shows_message_in_row(client, auth) -> None:
    rnd = fr.review_round(Phase.VOTING, threshold=5)
    ini = fr.supported(rnd, 8, status=Status.IN_REVIEW)
    auth.login(fr.staff())
    before = _snapshot(ini)
    resp = _decide(client, ini, headers={"HX-Request": "true"}, decision="feasible", estimated_cost="5000")
    body = resp.get_data(as_text=True)
    assert f'id="plan-{ini.id}"' in body and "stemming is al begonnen" in body and "<form" not in body
    assert body.count("stemming is al begonnen") == 1
    assert _snapshot(ini) == before


def test_correct_text_keeps_history(client, auth) -> None:
    rnd = fr.review_round(threshold=5)
    ini = fr.supported(rnd, 8, status=Status.IN_REVIEW, title="Moestuin bij school")
    old_description = ini.description
    staff = fr.staff()
    auth.login(staff)
    form = client.get(f"{BASE}/plan/{ini.id}/tekst").get_data(as_text=True)
    assert "Moestuin bij school" in form
    resp = client.post(
        f"{BASE}/plan/{ini.id}/tekst",
        data={
            "title": "Moestuin bij de basisschool",
            "summary": ini.summary,
            "description": old_description,
            "note": "Titel verduidelijkt",
        },
    )
    assert resp.status_code == 302
    db.session.expire_all()
    assert ini.title == "Moestuin bij de basisschool" and ini.edited_by_staff
    rev = db.session.scalars(select(Revision).where(Revision.initiative_id == ini.id)).one()
    assert (
        rev.by_staff
        and rev.title == "Moestuin bij school"
        and rev.editor_id == staff.id
        and rev.note == "Titel verduidelijkt"
    )
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert event.kind == "initiative.corrected" and '"fields":["title"]' in event.payload
    page = client.get(f"{BASE}/plan/{ini.id}").get_data(as_text=True)
    assert "Moestuin bij school" in page and "aangepast door het stadsdeel" in page


@pytest.mark.parametrize("phase", [Phase.SUBMISSION, Phase.VOTING, Phase.RESULTS])
def test_decisions_outside_review_phase_are_refused(client, auth, phase) -> None:
    rnd = fr.review_round(phase, threshold=1)
    ini = fr.supported(rnd, 5, status=Status.IN_REVIEW if phase != Phase.SUBMISSION else Status.SUBMITTED)
    auth.login(fr.staff())
    before = _snapshot(ini)
    resp = _decide(client, ini, decision="feasible", estimated_cost="5000")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 409 and ("beoordelingsfase" in body or "stemming is al begonnen" in body)
    fix = client.post(f"{BASE}/plan/{ini.id}/tekst", data={"title": "Nieuw", "summary": "x", "description": "y"})
    assert fix.status_code == 409
    assert _snapshot(ini) == before


BAD_DECISIONS = [
    ({"decision": "not_feasible", "reason": "   "}, "Schrijf op waarom het plan niet haalbaar is"),
    ({"decision": "feasible", "estimated_cost": "0"}, "meer dan 0 euro"),
    ({"decision": "feasible", "estimated_cost": "-250"}, "meer dan 0 euro"),
    ({"decision": "feasible", "estimated_cost": "duizend"}, "heel bedrag"),
    ({"decision": "feasible", "estimated_cost": "12,50"}, "heel bedrag"),
    ({"decision": "feasible", "estimated_cost": ""}, "Vul de kosten in"),
    ({"decision": "feasible", "estimated_cost": "999999999"}, "hoger dan het hele budget"),
    ({"decision": "goedgekeurd", "estimated_cost": "5000"}, "haalbaar of niet haalbaar"),
    ({"estimated_cost": "5000"}, "haalbaar of niet haalbaar"),
]


@pytest.mark.parametrize("data,message", BAD_DECISIONS)
def test_bad_decisions_change_nothing(client, auth, data, message) -> None:
    rnd = fr.review_round(threshold=5)
    ini = fr.supported(rnd, 8, status=Status.IN_REVIEW)
    auth.login(fr.staff())
    before = _snapshot(ini)
    resp = _decide(client, ini, **data)
    assert resp.status_code == 422
    assert message in resp.get_data(as_text=True)
    assert _snapshot(ini) == before


def test_below_threshold_and_withdrawn_cannot_be_decided(client, auth) -> None:
    rnd = fr.review_round(threshold=50)
    low = fr.supported(rnd, 49)
    gone = fr.supported(rnd, 80, status=Status.WITHDRAWN)
    auth.login(fr.staff())
    for ini, message in ((low, "niet genoeg steun"), (gone, "ingetrokken")):
        before = _snapshot(ini)
        resp = _decide(client, ini, decision="feasible", estimated_cost="5000")
        assert resp.status_code == 409 and message in resp.get_data(as_text=True)
        assert _snapshot(ini) == before


def test_unknown_initiative_is_404_with_message(client, auth) -> None:
    auth.login(fr.staff())
    for resp in (
        client.get(f"{BASE}/plan/999999"),
        client.post(f"{BASE}/plan/999999/besluit", data={"i999999-decision": "feasible"}),
        client.post(f"{BASE}/plan/999999/tekst", data={"title": "x"}),
    ):
        assert resp.status_code == 404 and "Dit plan bestaat niet" in resp.get_data(as_text=True)
    assert client.get(f"{BASE}/ronde/999999").status_code == 404


@pytest.mark.parametrize(
    "data,message",
    [
        ({"title": "", "summary": "Samenvatting", "description": "Tekst"}, "Vul een titel in."),
        ({"title": "x" * 121, "summary": "Samenvatting", "description": "Tekst"}, "hoogstens 120 tekens"),
        ({"title": "Titel", "summary": "", "description": "Tekst"}, "Vul een samenvatting in."),
        ({"title": "Titel", "summary": "Samenvatting", "description": " "}, "Vul een beschrijving in."),
    ],
)
def test_bad_corrections_change_nothing(client, auth, data, message) -> None:
    rnd = fr.review_round(threshold=5)
    ini = fr.supported(rnd, 8, status=Status.IN_REVIEW)
    auth.login(fr.staff())
    before = _snapshot(ini)
    resp = client.post(f"{BASE}/plan/{ini.id}/tekst", data=data)
    assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    assert _snapshot(ini) == before


def test_unchanged_correction_is_refused(client, auth) -> None:
    rnd = fr.review_round(threshold=5)
    ini = fr.supported(rnd, 8, status=Status.IN_REVIEW)
    auth.login(fr.staff())
    before = _snapshot(ini)
    resp = client.post(
        f"{BASE}/plan/{ini.id}/tekst", data={"title": ini.title, "summary": ini.summary, "description": ini.description}
    )
    assert resp.status_code == 422 and "niet veranderd" in resp.get_data(as_text=True)
    assert _snapshot(ini) == before


def test_residents_cannot_decide(client, auth) -> None:
    rnd = fr.review_round(threshold=1)
    ini = fr.supported(rnd, 5, status=Status.IN_REVIEW)
    resident = f.user()
    db.session.commit()
    auth.login(resident)
    resp = _decide(client, ini, decision="feasible", estimated_cost="5000")
    assert resp.status_code == 403
    db.session.expire_all()
    assert ini.status == "in_review"


def test_english_queue(client, auth) -> None:
    rnd = fr.review_round(threshold=5)
    fr.supported(rnd, 8, status=Status.IN_REVIEW)
    auth.login(fr.staff())
    page = client.get(f"{BASE}/ronde/{rnd.id}?lang=en").get_data(as_text=True)
    assert "Feasible: on the ballot" in page and "Haalbaar: op de stemlijst" not in page


def test_decision_form_works_with_csrf_on(csrf_app) -> None:
    """The per-row form prefix also prefixes the CSRF field; Flask-WTF must still accept it."""
    import re

    rnd = fr.review_round(threshold=5)
    ini = fr.supported(rnd, 8, status=Status.IN_REVIEW)
    staff = fr.staff()
    client = csrf_app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = staff.get_id()
    page = client.get(f"{BASE}/ronde/{rnd.id}").get_data(as_text=True)
    token = re.search(rf'name="i{ini.id}-csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    refused = _decide(client, ini, decision="feasible", estimated_cost="5000")
    assert refused.status_code == 400
    ok = _decide(client, ini, decision="feasible", estimated_cost="5000", csrf_token=token)
    assert ok.status_code == 302
    db.session.expire_all()
    assert ini.status == "feasible"
