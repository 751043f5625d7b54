"""Submitting, editing, withdrawing and supporting initiatives, with every bad input."""

from __future__ import annotations

import pytest
from markupsafe import escape
from sqlalchemy import select

from tests import factories as f
from tests import factories_resident as fr
from wijkfonds.blueprints.resident.forms import parse_euros
from wijkfonds.extensions import db
from wijkfonds.models import AuditEvent, Initiative, Phase, Revision, Role, Status, Support


def _resident(auth):
    u = f.user()
    db.session.commit()
    auth.login(u)
    return u


def _kinds() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.kind).order_by(AuditEvent.seq)))


def test_submit_creates_initiative_and_audit_event(client, auth) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    me = _resident(auth)
    resp = client.post("/initiatieven/nieuw", data=fr.initiative_form(rnd, requested_cost="€ 4.500"))
    assert resp.status_code == 302
    ini = db.session.scalars(select(Initiative)).one()
    assert resp.headers["Location"].endswith(f"/initiatieven/{ini.id}")
    assert (ini.author_id, ini.round_id, ini.requested_cost, ini.status) == (me.id, rnd.id, 4500, "submitted")
    assert ini.title == "Moestuin op het Mercatorplein" and ini.support_count == 0
    assert _kinds()[-1] == "initiative.submitted"
    page = client.get(f"/initiatieven/{ini.id}").get_data(as_text=True)
    assert "Moestuin op het Mercatorplein" in page and "Plan bewerken" in page


def test_form_page_has_labels_and_only_round_themes(client, auth) -> None:
    rnd = f.round_(Phase.SUBMISSION, themes=[f.theme(1), f.theme(3)])
    _resident(auth)
    body = client.get("/initiatieven/nieuw").get_data(as_text=True)
    for name in ("title", "summary", "description", "requested_cost", "district", "theme", "block", "location"):
        assert f'for="{name}"' in body, name
    assert str(escape(f.theme(1).name_nl)) in body and str(escape(f.theme(3).name_nl)) in body
    assert str(escape(f.theme(0).name_nl)) not in body
    assert body.count("<h1") == 1
    assert rnd.name


BAD_INPUTS = [
    ({"title": ""}, "Geef uw plan een titel."),
    ({"title": "   "}, "Geef uw plan een titel."),
    ({"title": "x" * 121}, "De titel mag hoogstens 120 tekens hebben."),
    ({"summary": "s" * 301}, "De samenvatting mag hoogstens 300 tekens hebben."),
    ({"description": ""}, "Beschrijf wat u wilt doen en voor wie."),
    ({"requested_cost": "0"}, "Het bedrag moet groter zijn dan 0 euro."),
    ({"requested_cost": "-5"}, "Het bedrag moet groter zijn dan 0 euro."),
    ({"requested_cost": "abc"}, "Vul het bedrag in hele euro's in, alleen met cijfers"),
    ({"requested_cost": "12,50"}, "Vul alleen hele euro's in, zonder centen"),
    ({"requested_cost": ""}, "Vul het bedrag in hele euro's in, bijvoorbeeld 2500."),
    ({"requested_cost": "300001"}, "Het bedrag mag niet hoger zijn dan het totale budget van deze ronde."),
    ({"requested_cost": "9" * 40}, "Vul het bedrag in hele euro's in, alleen met cijfers"),
    ({"district": "999999"}, "Kies een gebied uit de lijst."),
    ({"district": "abc"}, "Kies een gebied uit de lijst."),
    ({"district": ""}, "Kies een gebied uit de lijst."),
    ({"theme": "999999"}, "Kies een thema uit de lijst."),
    ({"theme": "1e9"}, "Kies een thema uit de lijst."),
    ({"block": "999999"}, "Kies een bouwsteen uit de lijst."),
    ({"block": "-1"}, "Kies een bouwsteen uit de lijst."),
    ({"location": "p" * 201}, "De plaats mag hoogstens 200 tekens hebben."),
]


@pytest.mark.parametrize(("over", "message"), BAD_INPUTS, ids=[str(c[0])[:40] for c in BAD_INPUTS])
def test_bad_input_gives_field_message_and_saves_nothing(client, auth, over, message) -> None:
    rnd = f.round_(Phase.SUBMISSION, total=300_000)
    _resident(auth)
    before = fr.snapshot()
    resp = client.post("/initiatieven/nieuw", data=fr.initiative_form(rnd, **over))
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert message in body or str(escape(message)) in body
    assert 'class="error"' in body and 'aria-invalid="true"' in body
    db.session.expire_all()
    assert fr.snapshot() == before


def test_theme_outside_the_round_is_refused(client, auth) -> None:
    rnd = f.round_(Phase.SUBMISSION, themes=[f.theme(0)])
    _resident(auth)
    before = fr.snapshot()
    resp = client.post("/initiatieven/nieuw", data=fr.initiative_form(rnd, theme=f.theme(2).id))
    assert resp.status_code == 422 and "Kies een thema uit de lijst." in resp.get_data(as_text=True)
    assert fr.snapshot() == before


def test_inactive_block_is_refused(client, auth) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    blk = f.block(3)
    blk.active = False
    _resident(auth)
    before = fr.snapshot()
    resp = client.post("/initiatieven/nieuw", data=fr.initiative_form(rnd, block=blk.id))
    assert resp.status_code == 422 and "Kies een bouwsteen uit de lijst." in resp.get_data(as_text=True)
    assert fr.snapshot() == before


def test_all_errors_show_at_once(client, auth) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    _resident(auth)
    resp = client.post(
        "/initiatieven/nieuw", data=fr.initiative_form(rnd, title="", requested_cost="abc", district="7777")
    )
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert (
        "Geef uw plan een titel." in body and "alleen met cijfers" in body and "Kies een gebied uit de lijst." in body
    )
    assert 'value="abc"' in body  # what was typed comes back


@pytest.mark.parametrize("phase", [Phase.UPCOMING, Phase.REVIEW, Phase.VOTING])
def test_submitting_outside_submission_phase_is_refused(client, auth, phase) -> None:
    rnd = f.round_(phase)
    _resident(auth)
    before = fr.snapshot()
    resp = client.post("/initiatieven/nieuw", data=fr.initiative_form(rnd))
    assert resp.status_code == 409
    assert "Indienen en steunen kan alleen in de indienfase" in resp.get_data(as_text=True)
    assert fr.snapshot() == before
    assert client.get("/initiatieven/nieuw").status_code == 409


def test_submitting_needs_a_resident(client, auth) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    before = fr.snapshot()
    resp = client.post("/initiatieven/nieuw", data=fr.initiative_form(rnd))
    assert resp.status_code == 302 and "/account/login" in resp.headers["Location"]
    staff = f.user(Role.STAFF)
    db.session.commit()
    auth.login(staff)
    assert client.post("/initiatieven/nieuw", data=fr.initiative_form(rnd)).status_code == 403
    assert fr.snapshot() == before


@pytest.mark.parametrize(
    ("raw", "value"), [("2500", 2500), ("2.500", 2500), ("€ 2.500", 2500), ("1 000 000", 1000000), (" 7 ", 7)]
)
def test_parse_euros_accepts_whole_euros(raw, value) -> None:
    assert parse_euros(raw) == value


@pytest.mark.parametrize("raw", ["abc", "12,50", "12.5", "12.50", "0", "-5", "", "1.2345", "2e3", "١٢"])
def test_parse_euros_refuses_the_rest(raw) -> None:
    with pytest.raises(ValueError):
        parse_euros(raw)


def test_author_edits_and_a_revision_keeps_the_old_text(client, auth) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    me = _resident(auth)
    ini = f.initiative(rnd, me, title="Oude titel")
    db.session.commit()
    assert 'value="Oude titel"' in client.get(f"/initiatieven/{ini.id}/bewerken").get_data(as_text=True)
    data = fr.initiative_form(rnd, title="Nieuwe titel", requested_cost="6000")
    resp = client.post(f"/initiatieven/{ini.id}/bewerken", data=data)
    assert resp.status_code == 302
    db.session.expire_all()
    assert (ini.title, ini.requested_cost) == ("Nieuwe titel", 6000)
    rev = db.session.scalars(select(Revision)).one()
    assert (rev.title, rev.by_staff, rev.editor_id) == ("Oude titel", False, me.id)
    assert _kinds()[-1] == "initiative.edited"
    page = client.get(f"/initiatieven/{ini.id}").get_data(as_text=True)
    assert "Eerdere versies" in page and "Oude titel" in page
    # Sending the same data again changes nothing and records nothing.
    before = fr.snapshot()
    client.post(f"/initiatieven/{ini.id}/bewerken", data=data)
    assert fr.snapshot() == before


def test_edit_with_bad_input_changes_nothing(client, auth) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    me = _resident(auth)
    ini = f.initiative(rnd, me, title="Blijft zo")
    db.session.commit()
    before = fr.snapshot()
    resp = client.post(f"/initiatieven/{ini.id}/bewerken", data=fr.initiative_form(rnd, title="", block="999"))
    assert resp.status_code == 422 and "Geef uw plan een titel." in resp.get_data(as_text=True)
    db.session.expire_all()
    assert ini.title == "Blijft zo" and fr.snapshot() == before


def test_editing_someone_elses_initiative_is_forbidden(client, auth) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    ini = f.initiative(rnd, f.user(), title="Van een ander")
    _resident(auth)
    before = fr.snapshot()
    assert client.get(f"/initiatieven/{ini.id}/bewerken").status_code == 403
    resp = client.post(f"/initiatieven/{ini.id}/bewerken", data=fr.initiative_form(rnd, title="Gekaapt"))
    assert resp.status_code == 403 and "Alleen de indiener kan dit plan wijzigen." in resp.get_data(as_text=True)
    assert client.post(f"/initiatieven/{ini.id}/intrekken").status_code == 403
    db.session.expire_all()
    assert ini.title == "Van een ander" and ini.status == "submitted" and fr.snapshot() == before


def test_editing_after_review_started_is_refused(client, auth) -> None:
    rnd = f.round_(Phase.REVIEW)
    me = _resident(auth)
    ini = f.initiative(rnd, me, title="Vast")
    db.session.commit()
    before = fr.snapshot()
    resp = client.post(f"/initiatieven/{ini.id}/bewerken", data=fr.initiative_form(rnd, title="Later"))
    assert resp.status_code == 409 and "de beoordeling is begonnen" in resp.get_data(as_text=True)
    assert fr.snapshot() == before


def test_unknown_or_huge_initiative_id_is_404(client, auth) -> None:
    _resident(auth)
    for url in ("/initiatieven/999999/bewerken", f"/initiatieven/{10**30}/bewerken", f"/initiatieven/{10**30}"):
        assert client.get(url).status_code == 404, url


def test_withdraw_asks_then_withdraws(client, auth) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    me = _resident(auth)
    ini = f.initiative(rnd, me)
    db.session.commit()
    confirm = client.get(f"/initiatieven/{ini.id}/intrekken").get_data(as_text=True)
    assert "Weet u zeker" in confirm and 'method="post"' in confirm
    assert client.post(f"/initiatieven/{ini.id}/intrekken").status_code == 302
    db.session.expire_all()
    assert ini.status == Status.WITHDRAWN.value and _kinds()[-1] == "initiative.withdrawn"
    # Twice is refused with a message, nothing recorded.
    before = fr.snapshot()
    again = client.post(f"/initiatieven/{ini.id}/intrekken")
    assert again.status_code == 409 and "kan niet meer worden ingetrokken" in again.get_data(as_text=True)
    assert fr.snapshot() == before


def test_my_initiatives_lists_only_mine(client, auth) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    me = _resident(auth)
    f.initiative(rnd, me, title="Mijn eigen plan")
    f.initiative(rnd, f.user(), title="Plan van de buren")
    db.session.commit()
    body = client.get("/initiatieven/mijn").get_data(as_text=True)
    assert "Mijn eigen plan" in body and "Plan van de buren" not in body


# --- support ----------------------------------------------------------------------------


def test_support_and_take_back(client, auth) -> None:
    rnd = f.round_(Phase.SUBMISSION, threshold=2)
    ini = f.initiative(rnd, f.user())
    me = _resident(auth)
    page = client.get(f"/initiatieven/{ini.id}").get_data(as_text=True)
    assert "Ik steun dit plan" in page and "nog 2 steunbetuigingen nodig" in page
    assert client.post(f"/initiatieven/{ini.id}/steunen").status_code == 303
    assert client.post(f"/initiatieven/{ini.id}/steunen").status_code == 303  # idempotent
    db.session.expire_all()
    assert ini.support_count == 1
    assert db.session.scalars(select(Support)).one().user_id == me.id
    page = client.get(f"/initiatieven/{ini.id}").get_data(as_text=True)
    assert "nog 1 steunbetuiging nodig" in page and "Steun intrekken" in page
    other = f.user()
    db.session.add(Support(initiative_id=ini.id, user_id=other.id))
    db.session.commit()
    # The count is recomputed from the Support rows, so it stays exact.
    resp = client.post(f"/initiatieven/{ini.id}/steun-intrekken", headers={"HX-Request": "true"})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and body.lstrip().startswith('<section id="steun"')
    assert "<html" not in body and "1 steunbetuiging" in body
    db.session.expire_all()
    assert ini.support_count == 1
    client.post(f"/initiatieven/{ini.id}/steunen", headers={"HX-Request": "true"})
    db.session.expire_all()
    assert ini.support_count == 2
    assert "genoeg steun voor beoordeling" in client.get(f"/initiatieven/{ini.id}").get_data(as_text=True)


@pytest.mark.parametrize("phase", [Phase.UPCOMING, Phase.REVIEW, Phase.VOTING, Phase.RESULTS])
def test_supporting_outside_submission_phase_is_refused(client, auth, phase) -> None:
    rnd = f.round_(phase)
    ini = f.initiative(rnd, f.user())
    _resident(auth)
    before = fr.snapshot()
    resp = client.post(f"/initiatieven/{ini.id}/steunen")
    assert resp.status_code == 409
    assert "Steunen kan alleen in de indienfase van de ronde." in resp.get_data(as_text=True)
    assert client.post(f"/initiatieven/{ini.id}/steun-intrekken").status_code == 409
    hx = client.post(f"/initiatieven/{ini.id}/steunen", headers={"HX-Request": "true"})
    body = hx.get_data(as_text=True)
    assert hx.status_code == 409 and body.lstrip().startswith('<section id="steun"')
    assert "Steunen kan alleen in de indienfase van de ronde." in body
    assert fr.snapshot() == before


def test_supporting_own_or_withdrawn_initiative_is_refused(client, auth) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    me = _resident(auth)
    own = f.initiative(rnd, me)
    gone = f.initiative(rnd, f.user(), status=Status.WITHDRAWN)
    db.session.commit()
    before = fr.snapshot()
    resp = client.post(f"/initiatieven/{own.id}/steunen")
    assert resp.status_code == 409 and "U kunt uw eigen plan niet steunen." in resp.get_data(as_text=True)
    resp = client.post(f"/initiatieven/{gone.id}/steunen")
    assert resp.status_code == 409 and "kan niet (meer) worden gesteund" in resp.get_data(as_text=True)
    assert fr.snapshot() == before


def test_supporting_needs_login(client) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    ini = f.initiative(rnd, f.user())
    db.session.commit()
    before = fr.snapshot()
    resp = client.post(f"/initiatieven/{ini.id}/steunen")
    assert resp.status_code == 302 and "/account/login" in resp.headers["Location"]
    assert "om dit plan te steunen" in client.get(f"/initiatieven/{ini.id}").get_data(as_text=True)
    assert fr.snapshot() == before


def test_csrf_is_required(csrf_app) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    ini = f.initiative(rnd, f.user())
    u = f.user()
    db.session.commit()
    client = csrf_app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = u.get_id()
    before = fr.snapshot()
    assert client.post(f"/initiatieven/{ini.id}/steunen").status_code == 400
    assert client.post("/initiatieven/nieuw", data=fr.initiative_form(rnd)).status_code == 400
    assert fr.snapshot() == before


def test_concurrent_support_keeps_the_count_exact(app) -> None:
    """Many residents supporting at the same moment: the count equals the Support rows."""
    from concurrent.futures import ThreadPoolExecutor

    rnd = f.round_(Phase.SUBMISSION)
    ini = f.initiative(rnd, f.user())
    people = [f.user() for _ in range(8)]
    db.session.commit()
    ids = [(p.get_id(), ini.id) for p in people]
    # Reading after the commit opened a transaction; on SQLite every transaction holds the
    # write lock (BEGIN IMMEDIATE), so end it before the requests run.
    db.session.rollback()

    def support(args: tuple[str, int]) -> int:
        user_id, initiative_id = args
        client = app.test_client()
        with client.session_transaction() as sess:
            sess["_user_id"] = user_id
        return client.post(f"/initiatieven/{initiative_id}/steunen").status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        codes = list(pool.map(support, ids))
    assert codes == [303] * len(people)
    db.session.expire_all()
    rows = db.session.scalars(select(Support).where(Support.initiative_id == ini.id)).all()
    assert len(rows) == len(people) == ini.support_count
