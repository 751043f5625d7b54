"""Home page browsing (filters, search, sort, pages, htmx fragment) and the initiative page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests import factories as f
from tests import factories_resident as fr
from wijkfonds.extensions import db
from wijkfonds.models import Phase, Revision, Round, Status


def _titles(body: str, titles: list[str]) -> set[str]:
    return {t for t in titles if f">{t}</a>" in body}


@pytest.fixture()
def listed(app) -> dict[str, object]:
    """A submission round with a spread of initiatives."""
    rnd = f.round_(Phase.SUBMISSION)
    a = f.initiative(rnd, f.user(district_slug="oud-west"), title="Moestuin Oud-West", support_count=3)
    a.description = "Samen GROENTE kweken op het plein."
    b = f.initiative(rnd, f.user(district_slug="westerpark"), title="Taalcafé Westerpark", support_count=9)
    b.summary = "Nederlands oefenen met koffie, 100% gezellig."
    c = f.initiative(
        rnd,
        f.user(district_slug="bos-en-lommer"),
        title="Buurtbus Bos en Lommer",
        support_count=1,
        status=Status.WITHDRAWN,
    )
    d = f.initiative(
        rnd,
        f.user(district_slug="de-baarsjes"),
        title="Reparatiecafé Baarsjes",
        support_count=5,
        status=Status.NOT_FEASIBLE,
        infeasible_reason="Dit valt buiten het budget van het stadsdeel.",
    )
    c.theme_id = rnd.themes[1].id
    db.session.commit()
    return {
        "round": rnd,
        "a": a,
        "b": b,
        "c": c,
        "d": d,
        "titles": ["Moestuin Oud-West", "Taalcafé Westerpark", "Buurtbus Bos en Lommer", "Reparatiecafé Baarsjes"],
    }


def test_home_shows_round_timeline_and_initiatives_without_withdrawn(client, listed) -> None:
    body = client.get("/").get_data(as_text=True)
    assert listed["round"].name in body and 'aria-current="step"' in body and "Plannen indienen" in body
    assert _titles(body, listed["titles"]) == {"Moestuin Oud-West", "Taalcafé Westerpark", "Reparatiecafé Baarsjes"}
    assert "nog 41 steunbetuigingen nodig voor beoordeling" in body  # threshold 50, 9 supporters
    assert body.count("<h1") == 1 and 'hx-get="/"' in body and 'hx-push-url="true"' in body


def test_filters(client, listed) -> None:
    t = listed["titles"]
    oud_west = f.district("oud-west").id
    assert _titles(client.get(f"/?district={oud_west}").get_data(as_text=True), t) == {"Moestuin Oud-West"}
    assert _titles(client.get("/?status=withdrawn").get_data(as_text=True), t) == {"Buurtbus Bos en Lommer"}
    assert _titles(client.get("/?status=not_feasible").get_data(as_text=True), t) == {"Reparatiecafé Baarsjes"}
    blk = listed["b"].block_id
    assert "Taalcafé Westerpark" in _titles(client.get(f"/?block={blk}").get_data(as_text=True), t)
    theme1 = listed["round"].themes[1].id
    assert _titles(client.get(f"/?theme={theme1}&status=withdrawn").get_data(as_text=True), t) == {
        "Buurtbus Bos en Lommer"
    }


def test_search_is_case_insensitive_and_literal(client, listed) -> None:
    t = listed["titles"]
    assert _titles(client.get("/?q=moestuin").get_data(as_text=True), t) == {"Moestuin Oud-West"}
    assert _titles(client.get("/?q=groente").get_data(as_text=True), t) == {"Moestuin Oud-West"}  # description
    assert _titles(client.get("/?q=KOFFIE").get_data(as_text=True), t) == {"Taalcafé Westerpark"}  # summary
    assert _titles(client.get("/?q=100%25").get_data(as_text=True), t) == {"Taalcafé Westerpark"}
    assert _titles(client.get("/?q=%25").get_data(as_text=True), t) == {"Taalcafé Westerpark"}  # % is not a wildcard
    assert _titles(client.get("/?q=_").get_data(as_text=True), t) == set()
    assert "Geen plannen gevonden" in client.get("/?q=onvindbaar").get_data(as_text=True)


def test_sort_by_support_and_newest(client, listed) -> None:
    body = client.get("/?sort=support").get_data(as_text=True)
    assert body.index("Taalcafé Westerpark") < body.index("Reparatiecafé Baarsjes") < body.index("Moestuin Oud-West")
    newest = client.get("/").get_data(as_text=True)
    assert newest.index("Reparatiecafé Baarsjes") < newest.index("Moestuin Oud-West")


def test_nul_in_filters_is_a_clear_400(client) -> None:
    for query in ("district=%00", "q=a%00b"):
        resp = client.get(f"/?{query}")
        assert resp.status_code == 400, query
        assert "De invoer bevat ongeldige tekens." in resp.get_data(as_text=True)


def test_bad_filter_values_never_fail(client, listed) -> None:
    t = listed["titles"]
    visible = {"Moestuin Oud-West", "Taalcafé Westerpark", "Reparatiecafé Baarsjes"}
    for query in (
        "district=999999",
        "district=abc",
        "theme=-1",
        "block=1e5",
        "status=kwijt",
        "sort=random",
        "page=0",
        "page=abc",
        "page=-3",
        "q=" + "x" * 5000,
        "district=٣",
    ):
        resp = client.get(f"/?{query}")
        assert resp.status_code == 200, query
        body = resp.get_data(as_text=True)
        if not query.startswith("q="):
            assert _titles(body, t) == visible, query
    assert "genegeerd" in client.get("/?district=999999").get_data(as_text=True)


def test_pagination_and_pages_beyond_the_end(client, app) -> None:
    app.config["PER_PAGE"] = 2
    rnd = f.round_(Phase.SUBMISSION)
    for n in range(5):
        f.initiative(rnd, title=f"Plan nummer {n}")
    db.session.commit()
    first = client.get("/").get_data(as_text=True)
    assert "5 plannen gevonden" in first and "pagina 1 van 3" in first and 'rel="next"' in first
    third = client.get("/?page=3").get_data(as_text=True)
    assert "Plan nummer 0" in third and "Plan nummer 4" not in third
    for page in ("4", "99999", "9" * 40):
        resp = client.get(f"/?page={page}")
        assert resp.status_code == 404, page
        assert "Deze pagina van de lijst bestaat niet" in resp.get_data(as_text=True)


def test_htmx_gets_only_the_list_fragment(client, listed) -> None:
    headers = {"HX-Request": "true", "HX-Target": "initiative-list"}
    resp = client.get("/?q=moestuin", headers=headers)
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and body.lstrip().startswith('<div id="initiative-list"')
    assert "<html" not in body and "Moestuin Oud-West" in body
    assert "HX-Request" in resp.headers.get("Vary", "")
    restore = client.get("/?q=moestuin", headers={**headers, "HX-History-Restore-Request": "true"})
    assert "<html" in restore.get_data(as_text=True)


def test_home_without_a_round(client) -> None:
    resp = client.get("/")
    assert resp.status_code == 200 and "Er is nog geen ronde" in resp.get_data(as_text=True)


def test_detail_shows_everything(client, listed) -> None:
    d = listed["d"]
    d.estimated_cost = 7_250
    d.edited_by_staff = True
    db.session.add(
        Revision(
            initiative_id=d.id,
            by_staff=True,
            title="Reparatiecafé (eerste versie)",
            summary="Oud",
            description="Oude tekst",
            note="Kosten aangepast",
        )
    )
    db.session.commit()
    body = client.get(f"/initiatieven/{d.id}").get_data(as_text=True)
    for text in (
        "Reparatiecafé Baarsjes",
        "Niet haalbaar",
        "Dit valt buiten het budget van het stadsdeel.",
        "€ 5.000",
        "€ 7.250",
        "Schatting van het stadsdeel",
        "aangepast door het stadsdeel",
        "Reparatiecafé (eerste versie)",
        "Kosten aangepast",
        "5 steunbetuigingen",
        "De Baarsjes",
    ):
        assert text in body, text
    assert body.count("<h1") == 1


def test_detail_escapes_html(client, app) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    ini = f.initiative(rnd, title="<script>alert(1)</script>")
    ini.description = "<b>vet</b>"
    db.session.commit()
    body = client.get(f"/initiatieven/{ini.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<b>vet</b>" not in body


def test_detail_of_unknown_initiative_is_404(client, app) -> None:
    assert client.get("/initiatieven/424242").status_code == 404
    assert client.get("/initiatieven/abc").status_code == 404


def test_english_home_page(client, listed) -> None:
    client.get("/taal/en?next=/")
    body = client.get("/").get_data(as_text=True)
    assert 'lang="en"' in body and "Plans in this round" in body
    assert db.session.scalars(select(Round)).first() is not None
    assert fr.snapshot()["initiative"] == 4
