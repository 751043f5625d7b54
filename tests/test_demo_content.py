"""Invariants of the demo content that the `flask demo` loader relies on."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from wijkfonds.demo import content as dc
from wijkfonds.services.catalog import data as ref

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"

# Copied from ../shared/domain.md so the test also runs without the shared folder.
EXPECTED_BLOCK_NAMES = (
    "Behoeften en verhalen",
    "Buurtassistent",
    "Leefstijlactiviteiten",
    "Burenhulp en praktische hulpdienst",
    "Training en coaching",
    "Buurtontmoetingsplekken",
    "Leer- en werkplekken",
    "Infopunt, digitaal platform en community manager",
    "Buurt- en conflictbemiddeling",
    "Kleinschalig vervoer",
    "Maaltijdservices",
    "Mantelzorgondersteuning",
    "Maatjes",
    "Aanbieden fysieke hulpmiddelen",
    "Aanbieden digitale hulpmiddelen",
    "Dagbesteding",
    "Gemeenschappelijk aanmeldpunt wonen",
    "Debat en dialoog",
    "Evenementen",
    "Wijkcentrum",
    "Coördinatie, organisatie en administratie",
)
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _unique(values: list[str]) -> bool:
    """True when no value occurs twice."""
    return len(values) == len(set(values))


def test_districts_are_the_four_areas_of_west_with_plausible_populations() -> None:
    names = [d.name for d in ref.DISTRICTS]
    assert names == ["Bos en Lommer", "De Baarsjes", "Oud-West", "Westerpark"]
    assert _unique([d.slug for d in ref.DISTRICTS])
    for district in ref.DISTRICTS:
        assert SLUG.match(district.slug)
        assert type(district.population) is int and 30_000 <= district.population <= 45_000


def test_five_themes_with_both_languages() -> None:
    assert len(ref.THEMES) == 5
    assert _unique([t.slug for t in ref.THEMES])
    for theme in ref.THEMES:
        assert SLUG.match(theme.slug)
        assert theme.name_nl and theme.name_en and theme.description_nl and theme.description_en


def test_building_blocks_match_domain_in_order() -> None:
    assert tuple(b.name_nl for b in ref.BUILDING_BLOCKS) == EXPECTED_BLOCK_NAMES
    assert [b.number for b in ref.BUILDING_BLOCKS] == list(range(1, 22))
    assert _unique([b.slug for b in ref.BUILDING_BLOCKS])
    for block in ref.BUILDING_BLOCKS:
        assert SLUG.match(block.slug)
        assert block.name_en and block.description_nl and block.description_en


def test_building_block_names_match_shared_domain_file() -> None:
    domain = SHARED / "domain.md"
    if not domain.is_file():
        pytest.skip("../shared/domain.md is absent")
    text = domain.read_text(encoding="utf-8")
    section = text.split("## The 21 building blocks", 1)[1].split("\n## ", 1)[0]
    names = re.findall(r"^\d+\. (.+?) — ", section, flags=re.MULTILINE)
    assert tuple(names) == tuple(b.name_nl for b in ref.BUILDING_BLOCKS)


def test_residents_are_unique_and_live_in_known_districts() -> None:
    districts = {d.slug for d in ref.DISTRICTS}
    assert 10 <= len(dc.RESIDENTS) <= 15
    assert _unique([r.key for r in dc.RESIDENTS])
    assert _unique([r.email.lower() for r in dc.RESIDENTS])
    for resident in dc.RESIDENTS:
        assert resident.district in districts
        assert re.fullmatch(r"[a-z.]+@voorbeeld\.nl", resident.email)
    assert {r.district for r in dc.RESIDENTS} == districts


def test_initiatives_reference_existing_reference_data() -> None:
    districts = {d.slug for d in ref.DISTRICTS}
    themes = {t.slug for t in ref.THEMES}
    blocks = {b.slug for b in ref.BUILDING_BLOCKS}
    residents = {r.key for r in dc.RESIDENTS}
    assert 38 <= len(dc.INITIATIVES) <= 46
    assert _unique([i.key for i in dc.INITIATIVES])
    assert _unique([i.title for i in dc.INITIATIVES])
    for ini in dc.INITIATIVES:
        assert SLUG.match(ini.key), ini.key
        assert ini.district in districts, ini.key
        assert ini.theme in themes, ini.key
        assert ini.block in blocks, ini.key
        assert ini.author in residents, ini.key


def test_initiative_texts_and_money_are_within_limits() -> None:
    for ini in dc.INITIATIVES:
        assert 0 < len(ini.title) <= 80, ini.key
        assert 0 < len(ini.summary) <= 280, ini.key
        assert len(ini.description) >= 300, ini.key
        assert ini.title == ini.title.strip() and "  " not in ini.description, ini.key
        assert type(ini.cost) is int and 1_500 <= ini.cost <= 45_000, ini.key
        assert ini.cost <= dc.ROUND_BUDGET
        assert type(ini.support) is int and 0 <= ini.support <= 90, ini.key
        assert ini.location is None or ini.location.strip() == ini.location != ""


def test_initiatives_are_spread_over_districts_themes_and_blocks() -> None:
    per_district = Counter(i.district for i in dc.INITIATIVES)
    assert all(per_district[d.slug] >= 9 for d in ref.DISTRICTS), per_district
    assert {i.theme for i in dc.INITIATIVES} == {t.slug for t in ref.THEMES}
    assert len({i.block for i in dc.INITIATIVES}) >= 15
    supports = [i.support for i in dc.INITIATIVES]
    assert any(s >= dc.SUPPORT_THRESHOLD for s in supports)
    assert any(s < dc.SUPPORT_THRESHOLD for s in supports)


def test_demand_exceeds_each_district_share_so_the_vote_matters() -> None:
    population = sum(d.population for d in ref.DISTRICTS)
    for district in ref.DISTRICTS:
        share = dc.ROUND_BUDGET * district.population // population
        requested = sum(i.cost for i in dc.INITIATIVES if i.district == district.slug)
        assert requested > share, district.slug


def test_comments_reference_existing_initiatives_and_residents() -> None:
    initiatives = {i.key for i in dc.INITIATIVES}
    residents = {r.key for r in dc.RESIDENTS}
    assert len(dc.COMMENTS) >= 50
    assert len({c.initiative for c in dc.COMMENTS}) >= 30
    for comment in dc.COMMENTS:
        assert comment.initiative in initiatives, comment.initiative
        assert comment.author in residents, comment.author
        assert comment.text.strip() and len(comment.text) <= 1_000
        for reply in comment.replies:
            assert reply.author in residents, reply.author
            assert reply.text.strip() and len(reply.text) <= 1_000
    assert sum(len(c.replies) for c in dc.COMMENTS) >= 10


def test_the_past_round_shows_every_state_after_the_vote(app) -> None:
    """The demo's published past round has funded plans in every implementation state."""
    from sqlalchemy import select

    from wijkfonds.demo import implementation as di
    from wijkfonds.demo.load import load_demo
    from wijkfonds.extensions import db
    from wijkfonds.models import Round
    from wijkfonds.services.implementation import overview
    from wijkfonds.services.results.publication import published_run

    assert set(di.STORIES) == {p.story for p in di.PLANS if p.story}
    load_demo()
    db.session.commit()
    rnd = db.session.scalars(select(Round).where(Round.slug == di.ROUND_SLUG)).one()
    assert published_run(rnd.id) is not None
    summary = overview.summary(rnd.id)
    states = {(p.status, p.account_status) for p in summary.plans}
    assert {
        ("granted", None),
        ("started", None),
        ("in_progress", None),
        ("completed", "approved"),
        ("completed", "sent_back"),
        ("completed", "submitted"),
        ("stopped", "approved"),
    } <= states
    stopped = next(p for p in summary.plans if p.status == "stopped")
    assert stopped.stop_reason
    assert any(p.overdue.milestones and p.overdue.update for p in summary.plans)  # one plan is behind
    assert all(p.paid <= p.granted for p in summary.plans) and summary.paid > 0 and summary.spent > 0
    assert sum(p.updates for p in summary.plans) >= 6 and sum(p.milestones_total for p in summary.plans) >= 10


def test_every_demo_round_shows_plans_with_photos_and_loading_twice_adds_none(app) -> None:
    """Plan pages, the overview and the ballot cards of the demo show real stored photos with alt text."""
    from sqlalchemy import func, select

    from wijkfonds.demo import pictures
    from wijkfonds.demo.load import load_demo
    from wijkfonds.extensions import db
    from wijkfonds.models import Initiative, Photo, Round
    from wijkfonds.services.media import photos

    load_demo()
    db.session.commit()
    plan_photos = select(Photo).where(Photo.owner_kind == photos.OWNER_INITIATIVE)
    for rnd in db.session.scalars(select(Round)):
        ids = set(db.session.scalars(select(Initiative.id).where(Initiative.round_id == rnd.id)))
        shown = [p for p in db.session.scalars(plan_photos) if p.owner_id in ids]
        assert len(shown) == pictures.PER_ROUND, rnd.name
        assert all(p.alt in pictures.MOTIFS.values() and p.width == 960 and not p.hidden_reason for p in shown)
    before = db.session.scalar(select(func.count()).select_from(Photo))
    assert load_demo()["photos"] == 0
    assert db.session.scalar(select(func.count()).select_from(Photo)) == before


def test_demo_needs_are_in_every_district_some_answered_some_open() -> None:
    from wijkfonds.demo import needs as dn

    plans = {i.key: i for i in dc.INITIATIVES}
    residents = {r.key for r in dc.RESIDENTS}
    blocks = {b.slug for b in ref.BUILDING_BLOCKS}
    functions = {t.slug for t in ref.THEMES}
    assert {n.district for n in dn.NEEDS} == {d.slug for d in ref.DISTRICTS}
    for district in ref.DISTRICTS:
        mine = [n for n in dn.NEEDS if n.district == district.slug]
        assert any(n.plans for n in mine) and any(not n.plans for n in mine), district.slug
    for n in dn.NEEDS:
        assert n.author in residents or n.author == "staff"
        assert n.block is None or n.block in blocks
        assert n.function is None or n.function in functions
        assert 3 <= len(n.title) <= 120 and 0 < len(n.body) <= 2000
        for key in n.plans:  # a plan answers needs of its own district only
            assert plans[key].district == n.district
    assert any(n.author == "staff" for n in dn.NEEDS) and any(n.block is None for n in dn.NEEDS)
    assert _unique([n.key for n in dn.NEEDS]) and _unique([n.title for n in dn.NEEDS])


def test_the_demo_has_plans_translated_into_turkish_and_arabic(app, client) -> None:
    """A newcomer who switches to Türkçe or العربية sees a demo plan in that language, marked as a translation."""
    from sqlalchemy import select

    from wijkfonds.demo import translations as dt
    from wijkfonds.demo.load import load_demo
    from wijkfonds.extensions import db
    from wijkfonds.models import ContentTranslation, Initiative

    load_demo()
    db.session.commit()
    rows = db.session.scalars(select(ContentTranslation)).all()
    assert {(r.language, r.kind) for r in rows} == {("tr", "plan"), ("ar", "plan")}
    assert len(rows) == sum(len(v) for v in dt.TRANSLATIONS.values())
    ini = db.session.scalars(
        select(Initiative).where(Initiative.external_id == "demo:taalcafe-bos-en-lommerplein")
    ).one()
    client.get("/taal/ar?next=/")
    page = client.get(f"/initiatieven/{ini.id}").get_data(as_text=True)
    assert dt.TRANSLATIONS["taalcafe-bos-en-lommerplein"]["ar"][0] in page and 'dir="rtl"' in page
    assert f"/initiatieven/{ini.id}?origineel=1" in page
    assert load_demo()["translations"] == 0  # loading again adds none
