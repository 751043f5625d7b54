"""The needs board's pages: post (also on behalf), herkenbaar with and without htmx, replies, the plan
form's needs, the plan page, staff's matrix, answers and themes, and every bad input."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from tests import factories as f
from tests import factories_media as fm
from tests import factories_resident as fr
from wijkfonds.extensions import db
from wijkfonds.models import AuditEvent, Initiative, Need, NeedRecognition, NeedReply, NeedResponse, Phase, Photo, Role
from wijkfonds.services.needs import board, links, moderation


def _login(client, user) -> None:
    db.session.commit()
    with client.session_transaction() as sess:
        sess["_user_id"] = user.get_id()
        sess["_fresh"] = True


def _form(**over: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Geen plek om samen te koken",
        "body": "In onze straat wonen veel ouderen alleen. Samen koken zou helpen.",
        "district": f.district().id,
        "block": f.block(10).id,
        "theme": "onbekend",
    }
    data.update(over)
    return data


def _need(author=None, **kw: object) -> Need:
    values: dict[str, object] = {
        "title": "Een bankje bij de bushalte",
        "body": "Oudere buren moeten lang staan.",
        "district_id": f.district().id,
        "block_id": f.block(3).id,
    }
    values.update(kw)
    return board.post(board.NeedData(**values), author=author or f.user())  # type: ignore[arg-type]


def _counts() -> tuple[int, ...]:
    models = (Need, NeedRecognition, NeedReply, NeedResponse, AuditEvent, Photo)
    return tuple(db.session.scalar(select(func.count()).select_from(m)) or 0 for m in models)


def test_a_resident_posts_a_need_and_finds_it_on_the_board(client) -> None:
    me = f.user(name="Sanne de Vries")
    _login(client, me)
    page = client.get("/behoeften/nieuw").get_data(as_text=True)
    assert "Weet ik niet" in page and 'name="anonymous"' in page and 'name="source"' not in page
    resp = client.post("/behoeften/nieuw", data=_form(block="onbekend"))
    assert resp.status_code == 302
    need = db.session.scalars(select(Need)).one()
    assert (need.author_id, need.block_id, need.source, need.anonymous) == (me.id, None, "self", False)
    detail = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert (
        "Geen plek om samen te koken" in detail and "Bouwsteen: weet ik niet" in detail and "Sanne de Vries" in detail
    )
    listing = client.get(f"/behoeften/?gebied={need.district_id}&bouwsteen=geen").get_data(as_text=True)
    assert "Geen plek om samen te koken" in listing and "Nog geen plan" in listing
    other = client.get(f"/behoeften/?gebied={f.district('westerpark').id}").get_data(as_text=True)
    assert "Geen plek om samen te koken" not in other


def test_three_residents_mark_it_herkenbaar_and_twice_is_refused(client) -> None:
    need = _need()
    neighbours = [f.user() for _i in range(3)]
    for n in neighbours[:2]:
        _login(client, n)
        resp = client.post(f"/behoeften/{need.id}/herkenbaar", data={"want": "1"})
        assert resp.status_code == 302
    _login(client, neighbours[2])
    frag = client.post(f"/behoeften/{need.id}/herkenbaar", data={"want": "1"}, headers={"HX-Request": "true"})
    assert frag.status_code == 200
    text = frag.get_data(as_text=True)
    assert "3 buren herkennen dit" in text and 'aria-pressed="true"' in text and "<html" not in text
    again = client.post(f"/behoeften/{need.id}/herkenbaar", data={"want": "1"}, headers={"HX-Request": "true"})
    assert again.status_code == 409 and "al herkenbaar genoemd" in again.get_data(as_text=True)
    no_js = client.post(f"/behoeften/{need.id}/herkenbaar", data={"want": "1"})
    assert no_js.status_code == 409 and "al herkenbaar genoemd" in no_js.get_data(as_text=True)
    assert client.post(f"/behoeften/{need.id}/herkenbaar", data={"want": "x"}).status_code == 422
    assert board.recognitions(need) == 3
    page = client.get(f"/behoeften/{need.id}").get_data(as_text=True)
    assert "3 buren herkennen dit" in page and "Herkenbaar terugnemen" in page


def test_a_plan_answers_a_need_and_the_matrix_shows_it_answered_and_another_open(client) -> None:
    answered = _need(title="Geen plek om samen te koken")
    for _i in range(3):
        board.recognise(answered, f.user())
    open_need = _need(title="Niemand helpt met formulieren", block_id=f.block(7).id)
    rnd = f.round_(Phase.SUBMISSION)
    initiator = f.user()
    _login(client, initiator)
    form_page = client.get(f"/initiatieven/nieuw?behoefte={answered.id}").get_data(as_text=True)
    assert f'id="need-{answered.id}" value="{answered.id}" checked' in form_page
    resp = client.post("/initiatieven/nieuw", data=fr.initiative_form(rnd, needs=[str(answered.id)]))
    assert resp.status_code == 302, resp.get_data(as_text=True)
    ini = db.session.scalars(select(Initiative)).one()
    plan_page = client.get(f"/initiatieven/{ini.id}").get_data(as_text=True)
    assert "Behoeften die dit plan beantwoordt" in plan_page and "Geen plek om samen te koken" in plan_page
    need_page = client.get(f"/behoeften/{answered.id}").get_data(as_text=True)
    assert ini.title in need_page
    assert "Nog geen plan" in client.get(f"/behoeften/{open_need.id}").get_data(as_text=True)

    staff = f.user(Role.STAFF)
    _login(client, staff)
    matrix = client.get("/beheer/behoeften").get_data(as_text=True)
    row_answered = matrix.split(f"{f.block(3).number}. {f.block(3).name_nl}")[1].split("</tr>")[0]
    assert "1 behoefte" in row_answered and "3× herkenbaar" in row_answered and "1 plan" in row_answered
    assert "open, zonder plan" not in row_answered
    row_open = matrix.split(f"{f.block(7).number}. {f.block(7).name_nl}")[1].split("</tr>")[0]
    assert "1 open, zonder plan" in row_open and "0 plannen" in row_open
    by_function = client.get("/beheer/behoeften?per=functie").get_data(as_text=True)
    assert "Observeren &amp; signaleren" in by_function and "Geen functie gekozen" in by_function


def test_a_plan_cannot_answer_a_need_of_another_district(client) -> None:
    there = _need(district_id=f.district("westerpark").id)
    rnd = f.round_(Phase.SUBMISSION)
    _login(client, f.user())
    resp = client.post("/initiatieven/nieuw", data=fr.initiative_form(rnd, needs=[str(there.id)]))
    assert resp.status_code == 422
    assert "hoort bij Westerpark" in resp.get_data(as_text=True)
    for bad in ("999999", "abc"):
        resp = client.post("/initiatieven/nieuw", data=fr.initiative_form(rnd, needs=[bad]))
        assert resp.status_code == 422 and "bestaat niet" in resp.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Initiative.id))) == 0


def test_staff_post_on_behalf_of_a_resident_and_it_is_marked(client) -> None:
    staff = f.user(Role.STAFF, name="Medewerker Amina")
    _login(client, staff)
    page = client.get("/behoeften/nieuw").get_data(as_text=True)
    assert "Een bewoner, in een gesprek" in page and "papieren formulier" in page
    resp = client.post("/behoeften/nieuw", data=_form(source="conversation"))
    assert resp.status_code == 302
    need = db.session.scalars(select(Need)).one()
    assert (need.source, need.author_id, need.on_behalf) == ("conversation", staff.id, True)
    _login(client, f.user())
    detail = client.get(f"/behoeften/{need.id}").get_data(as_text=True)
    assert "Geplaatst namens een bewoner, uit een gesprek, door Medewerker Amina" in detail
    assert "namens een bewoner" in client.get("/behoeften/").get_data(as_text=True)


def test_a_resident_cannot_post_on_behalf(client) -> None:
    _login(client, f.user())
    before = _counts()
    resp = client.post("/behoeften/nieuw", data=_form(source="paper"))
    assert resp.status_code == 422 and "Alleen medewerkers" in resp.get_data(as_text=True)
    assert _counts() == before


def test_anonymity_hides_the_name_from_other_residents_but_not_from_staff(client) -> None:
    me = f.user(name="Fatma Yilmaz")
    _login(client, me)
    client.post("/behoeften/nieuw", data=_form(anonymous="y"))
    need = db.session.scalars(select(Need)).one()
    assert need.anonymous
    _login(client, f.user())
    assert "Fatma Yilmaz" not in client.get(f"/behoeften/{need.id}").get_data(as_text=True)
    assert "Fatma Yilmaz" not in client.get("/behoeften/").get_data(as_text=True)
    _login(client, f.user(Role.STAFF))
    assert "Fatma Yilmaz" in client.get(f"/behoeften/{need.id}").get_data(as_text=True)


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"body": ""}, "Vertel in een paar zinnen"),
        ({"body": "x" * 2001}, "hoogstens 2000 tekens"),
        ({"title": ""}, "minstens 3 tekens"),
        ({"title": "x" * 500}, "hoogstens 120 tekens"),
        ({"district": "999999"}, "Kies het gebied"),
        ({"district": "abc"}, "Kies het gebied"),
        ({"block": ""}, "Kies een bouwsteen, of ‘weet ik niet’"),
        ({"block": "999999"}, "Deze bouwsteen bestaat niet"),
        ({"block": "abc"}, "Deze bouwsteen bestaat niet"),
        ({"theme": "999999"}, "Kies een van de vijf functies"),
    ],
)
def test_bad_input_shows_a_message_and_saves_nothing(client, over: dict[str, object], message: str) -> None:
    _login(client, f.user())
    before = _counts()
    resp = client.post("/behoeften/nieuw", data=_form(**over))
    assert resp.status_code == 422
    assert message in resp.get_data(as_text=True)
    assert _counts() == before


def test_a_need_with_a_photo_shows_it(client) -> None:
    _login(client, f.user())
    data = _form(photo=(io.BytesIO(fm.jpeg()), "foto.jpg", "image/jpeg"), photo_alt="Een lege keuken in het buurthuis")
    resp = client.post("/behoeften/nieuw", data=data, content_type="multipart/form-data")
    assert resp.status_code == 302
    photo = db.session.scalars(select(Photo)).one()
    assert photo.owner_kind == "need"
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert f"/media/fotos/{photo.digest}-640.jpg" in page and 'alt="Een lege keuken in het buurthuis"' in page


def test_replies_and_a_reply_to_a_hidden_need(client) -> None:
    need = _need()
    _login(client, f.user())
    assert client.post(f"/behoeften/{need.id}/reactie", data={"body": "Ik help graag."}).status_code == 302
    empty = client.post(f"/behoeften/{need.id}/reactie", data={"body": "  "})
    assert empty.status_code == 422 and "Schrijf eerst uw reactie" in empty.get_data(as_text=True)
    huge = client.post(f"/behoeften/{need.id}/reactie", data={"body": "x" * 2001})
    assert huge.status_code == 422 and "hoogstens 2000 tekens" in huge.get_data(as_text=True)
    moderation.hide(need, f.user(Role.STAFF), "Bevat een telefoonnummer")
    db.session.commit()
    before = _counts()
    hidden = client.post(f"/behoeften/{need.id}/reactie", data={"body": "Nog een reactie"})
    assert hidden.status_code == 409 and "verborgen" in hidden.get_data(as_text=True)
    assert _counts() == before
    page = client.get(f"/behoeften/{need.id}").get_data(as_text=True)
    assert "Bevat een telefoonnummer" in page and "Oudere buren moeten lang staan." not in page
    assert "Verborgen behoefte" in page and "Een bankje bij de bushalte" not in page
    assert client.get("/behoeften/x").status_code == 404
    assert client.get("/behoeften/999999").status_code == 404


def test_staff_hide_with_a_reason_answer_publicly_and_residents_report(client) -> None:
    need = _need()
    reply = board.reply(need, f.user(), "Een vervelende reactie")
    reporter = f.user()
    _login(client, reporter)
    assert (
        client.post(f"/behoeften/{need.id}/melden", data={"reason": "Onaardig", "reply_id": reply.id}).status_code
        == 302
    )
    assert client.post(f"/behoeften/{need.id}/melden", data={"reason": ""}).status_code == 422
    staff = f.user(Role.STAFF)
    _login(client, staff)
    assert "Over reactie" in client.get(f"/behoeften/{need.id}").get_data(as_text=True)
    assert client.post(f"/behoeften/reactie/{reply.id}/verbergen", data={"reason": ""}).status_code == 422
    assert client.post(f"/behoeften/reactie/{reply.id}/verbergen", data={"reason": "Onaardig"}).status_code == 303
    assert moderation.open_reports(need) == []
    bad = client.post(f"/behoeften/{need.id}/antwoord", data={"kind": "referred", "text": ""})
    assert bad.status_code == 422 and "Schrijf naar wie" in bad.get_data(as_text=True)
    ok = client.post(f"/behoeften/{need.id}/antwoord", data={"kind": "referred", "text": "het buurtteam West"})
    assert ok.status_code == 302
    page = client.get(f"/behoeften/{need.id}").get_data(as_text=True)
    assert "Doorverwezen naar het buurtteam West" in page
    assert client.post(f"/behoeften/{need.id}/verbergen", data={"reason": "Spam"}).status_code == 303
    assert client.post(f"/behoeften/{need.id}/tonen", data={}).status_code == 303
    assert db.session.get(Need, need.id).hidden_at is None


def test_staff_make_a_theme_of_a_cell_of_needs(client) -> None:
    a = _need(title="Samen koken")
    b = _need(title="Samen eten")
    rnd = f.round_(Phase.UPCOMING, themes=[])
    staff = f.user(Role.STAFF)
    _login(client, staff)
    page = client.get(f"/beheer/behoeften/thema?gebied={a.district_id}&bouwsteen={a.block_id}").get_data(as_text=True)
    assert "Samen koken" in page and "Samen eten" in page and rnd.name in page
    refused = client.post("/beheer/behoeften/thema", data={"needs": [a.id], "round": rnd.id, "title": ""})
    assert refused.status_code == 422 and "minstens 3 tekens" in refused.get_data(as_text=True)
    resp = client.post(
        "/beheer/behoeften/thema", data={"needs": [a.id, b.id], "round": rnd.id, "title": "Samen koken en eten"}
    )
    assert resp.status_code == 303
    assert [t.name_nl for t in rnd.themes] == ["Samen koken en eten"]
    assert "Meegenomen in het thema „Samen koken en eten”" in client.get(f"/behoeften/{a.id}").get_data(as_text=True)


def test_the_menu_has_the_board_and_staff_see_the_matrix(client) -> None:
    home = client.get("/").get_data(as_text=True)
    assert 'href="/behoeften/"' in home and "/beheer/behoeften" not in home
    _login(client, f.user(Role.STAFF))
    assert 'href="/beheer/behoeften"' in client.get("/").get_data(as_text=True)


def test_links_service_matches_the_form(app) -> None:
    """The plan form lists visible needs (hidden ones only when already linked)."""
    need = _need()
    hidden = _need(title="Verborgen")
    moderation.hide(hidden, f.user(Role.STAFF), "spam")
    assert [n.id for n in links.choices()] == [need.id]
    assert {n.id for n in links.choices([hidden.id])} == {need.id, hidden.id}


def test_reported_needs_show_on_the_moderation_queue(client) -> None:
    need = _need(title="Een gemelde behoefte")
    moderation.report(need, None, f.user(), "Klopt niet", limit=(10, 3600))
    _login(client, f.user(Role.STAFF))
    queue = client.get("/moderatie/").get_data(as_text=True)
    assert "Gemelde behoeften" in queue and "Een gemelde behoefte" in queue and "1 open melding" in queue


def test_editing_a_plan_keeps_and_changes_its_needs(client) -> None:
    first = _need(title="Eerste behoefte")
    second = _need(title="Tweede behoefte")
    rnd = f.round_(Phase.SUBMISSION)
    me = f.user()
    ini = f.initiative(rnd, me, district_slug="de-baarsjes")
    links.set_needs(ini, [first.id], actor=me)
    _login(client, me)
    form = client.get(f"/initiatieven/{ini.id}/bewerken").get_data(as_text=True)
    assert f'id="need-{first.id}" value="{first.id}" checked' in form
    assert f'id="need-{second.id}" value="{second.id}" aria' in form
    data = fr.initiative_form(rnd, title=ini.title, needs=[str(second.id)])
    assert client.post(f"/initiatieven/{ini.id}/bewerken", data=data).status_code == 302
    assert links.linked_ids(ini) == [second.id]
    assert client.post(f"/initiatieven/{ini.id}/bewerken", data=fr.initiative_form(rnd)).status_code == 302
    assert links.linked_ids(ini) == []


def test_the_deletion_page_says_what_happens_on_the_needs_board(client) -> None:
    me = f.user()
    _need(author=me)
    board.recognise(_need(), me)
    _login(client, me)
    page = client.get("/privacy/account-verwijderen").get_data(as_text=True)
    assert "Uw behoeften en verhalen (1) en uw reacties daarop (0)" in page
    assert "Waar u ‘herkenbaar’ zei (1 keer), vervalt dat." in page
