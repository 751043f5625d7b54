"""Reference data in the reader's language: the 21 building blocks and the five functions in every
offered language (reference.po), on the pages residents read, the ballot, the staff matrix, the
year report and the API; staff's own blocks in Dutch and English only."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests import factories as f
from tests import factories_implementation as fi
from tests import factories_vote as fv
from wijkfonds.common.reference_names import BLOCK, THEME, in_language
from wijkfonds.extensions import db
from wijkfonds.i18n.offer import offered_codes
from wijkfonds.models import Role
from wijkfonds.services.catalog import admin as catalog_admin
from wijkfonds.services.catalog import data
from wijkfonds.services.catalog.reference import untranslated
from wijkfonds.services.needs import board
from wijkfonds.services.report import year

# Block 12 and the function "Verbinden & includeren", in the languages the pages are read in.
CARERS = {
    "nl": "Mantelzorgondersteuning",
    "en": "Support for informal carers",
    "tr": "Yakınına bakım verenlere destek",
    "ar": "دعم مقدّمي الرعاية من الأهل والأصدقاء",
    "pl": "Wsparcie dla opiekunów bliskich",
    "b1": "Hulp voor mantelzorgers",
}
CONNECT = {
    "nl": "Verbinden & includeren",
    "tr": "Bağ kurma ve dahil etme",
    "ar": "الربط والإدماج",
    "pl": "Łączenie i włączanie",
}


@pytest.mark.parametrize("lang", [code for code in offered_codes() if code != "nl"])
def test_every_built_in_block_and_function_has_its_name_and_explanation_in_every_offered_language(lang: str) -> None:
    gaps = untranslated(lang)
    assert not gaps, f"{len(gaps)} without a {lang} text (translations/{lang}/reference.po): {gaps[:10]}"


def test_the_check_names_every_text_a_language_without_entries_lacks() -> None:
    gaps = untranslated("xx")  # a language with no catalogue at all
    assert len(gaps) == 2 * len(data.BUILDING_BLOCKS) + 2 * len(data.THEMES)
    assert "bouwsteen: Mantelzorgondersteuning" in gaps and "thema: Verbinden & includeren" in gaps


def test_dutch_and_english_come_from_the_columns_and_the_others_from_the_catalogue() -> None:
    for lang, name in CARERS.items():
        assert in_language(BLOCK, lang, CARERS["nl"], CARERS["en"]) == name
    assert in_language(THEME, "ar", "Een thema van staf", "A staff theme") == "Een thema van staf"
    assert in_language(BLOCK, "en", "Alleen Nederlands", "") == "Alleen Nederlands"


def _world() -> tuple[object, object, object]:
    """A voting round with a plan under block 12 and the function "Verbinden & includeren", and a
    need under the same block on the board."""
    carers, connect = f.block(11), next(t for t in board.function_themes() if t.slug == "verbinden-includeren")
    assert carers.name_nl == CARERS["nl"] and connect.name_nl == CONNECT["nl"]
    rnd = fv.voting_round(themes=[connect])
    plan = fv.feasible(rnd, title="Koffie voor wie zorgt")
    plan.block_id, plan.theme_id = carers.id, connect.id
    author = f.user()
    board.post(
        board.NeedData(
            title="Even rust voor mantelzorgers",
            body="Wie voor een ouder zorgt, heeft weinig tijd voor zichzelf.",
            district_id=author.district_id,
            block_id=carers.id,
            theme_id=connect.id,
        ),
        author=author,
    )
    db.session.commit()
    return rnd, plan, carers


def _page(client: FlaskClient, url: str) -> str:
    resp = client.get(url)
    assert resp.status_code == 200, url
    return resp.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["tr", "ar", "pl"])
def test_residents_read_the_block_and_function_in_their_language_instead_of_dutch(app: Flask, lang: str) -> None:
    rnd, plan, carers = _world()
    code = fv.voting_code(rnd)
    db.session.commit()
    client = app.test_client()
    client.get(f"/taal/{lang}?next=/")
    pages = {
        "home": _page(client, "/"),
        "filter": _page(client, f"/?block={carers.id}"),
        "plan": _page(client, f"/initiatieven/{plan.id}"),
        "needs board": _page(client, "/behoeften/"),
    }
    assert client.post(f"/stemmen/{rnd.id}/code", data={"code": code}).status_code == 303
    pages["ballot"] = _page(client, f"/stemmen/{rnd.id}/stembiljet")
    for where, page in pages.items():
        assert CARERS[lang] in page, f"{where}: no {lang} name of the block"
        assert CARERS["nl"] not in page, f"{where}: the Dutch name of the block"
    for where in ("home", "plan", "needs board"):  # the filter, the plan's facts, the board's filter
        assert CONNECT[lang] in pages[where] and CONNECT["nl"] not in pages[where], where


def test_b1_readers_get_the_simpler_dutch_name_and_english_readers_the_english_one(client: FlaskClient) -> None:
    _rnd, plan, _carers = _world()
    client.get("/taal/b1?next=/")
    assert CARERS["b1"] in _page(client, f"/initiatieven/{plan.id}")
    client.get("/taal/en?next=/")
    page = _page(client, f"/initiatieven/{plan.id}")
    assert CARERS["en"] in page and CARERS["nl"] not in page


def test_a_block_staff_add_shows_its_dutch_name_to_turkish_readers_and_the_api_gives_nl_and_en(
    client: FlaskClient,
) -> None:
    staff = f.user(Role.STAFF)
    own = catalog_admin.create_block(
        catalog_admin.BlockData(name_nl="Buurtmoestuin", name_en="Community garden"), actor=staff
    )
    rnd = f.round_()
    plan = f.initiative(rnd, title="Moestuin achter de school")
    plan.block_id = own.id
    db.session.commit()
    client.get("/taal/tr?next=/")
    assert "Yapı taşı" in (page := _page(client, f"/initiatieven/{plan.id}")) and "Buurtmoestuin" in page
    blocks = {b["slug"]: b for b in client.get("/api/v1/building-blocks").get_json()["items"]}
    assert blocks[own.slug]["name"] == {"nl": "Buurtmoestuin", "en": "Community garden"}
    carers = blocks["mantelzorgondersteuning"]
    assert {k: carers["name"][k] for k in CARERS} == CARERS
    assert carers["description"]["pl"].startswith("Wsparcie i chwila wytchnienia")
    themes = {t["slug"]: t for t in client.get("/api/v1/themes").get_json()["items"]}
    assert themes["verbinden-includeren"]["name"]["ar"] == CONNECT["ar"]


def test_staff_read_the_needs_matrix_rows_in_their_language(client: FlaskClient, auth) -> None:
    _world()
    auth.login(f.user(Role.STAFF))
    client.get("/taal/pl?next=/")
    by_block = _page(client, "/beheer/behoeften")
    assert f"12. {CARERS['pl']}" in by_block and CARERS["nl"] not in by_block
    by_function = _page(client, "/beheer/behoeften?per=functie")
    assert CONNECT["pl"] in by_function


def test_the_year_report_names_blocks_and_functions_in_the_readers_language(client: FlaskClient) -> None:
    rnd, _staff, impls = fi.published()
    blocks = {i.initiative.block.name_nl for i in impls}
    report = year.build(rnd, lang="ar")
    arabic = {s.label for s in report.blocks}
    assert {in_language(BLOCK, "ar", nl, "") for nl in blocks} <= arabic and not blocks & arabic
    functions = [s.label for s in report.functions if s.slug is not None]
    assert functions[: len(data.THEMES)] == [in_language(THEME, "ar", t.name_nl, t.name_en) for t in data.THEMES]
    assert "الربط والإدماج" in functions
    client.get("/taal/tr?next=/")
    page = _page(client, f"/verslag/ronde/{rnd.id}")
    assert "Bağ kurma ve dahil etme" in page and "Verbinden &amp; includeren" not in page
