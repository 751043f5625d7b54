"""Building blocks (staff, with custom ones) and districts (admin): edits, audit, bad input."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests import factories as f
from tests import factories_review as fr
from wijkfonds.extensions import db
from wijkfonds.models import AuditEvent, BlockQuota, BuildingBlock, District, Phase
from wijkfonds.services.catalog.admin import slugify

BLOCKS = "/beheer/bouwstenen"
DISTRICTS = "/beheer/gebieden"


def _blocks() -> tuple:
    db.session.expire_all()
    rows = db.session.execute(
        select(
            BuildingBlock.id,
            BuildingBlock.slug,
            BuildingBlock.name_nl,
            BuildingBlock.name_en,
            BuildingBlock.description_nl,
            BuildingBlock.active,
        ).order_by(BuildingBlock.id)
    )
    return tuple(rows.all()), fr.count(AuditEvent)


def _districts() -> tuple:
    db.session.expire_all()
    rows = db.session.execute(
        select(District.id, District.slug, District.name, District.population).order_by(District.id)
    )
    return tuple(rows.all()), fr.count(AuditEvent)


def _block_form(**over: str) -> dict[str, str]:
    data = {
        "name_nl": "Buurtmoestuinen",
        "name_en": "Community gardens",
        "description_nl": "Samen tuinieren.",
        "description_en": "Gardening together.",
        "active": "y",
    }
    data.update(over)
    return data


def test_slugify() -> None:
    assert slugify("Coördinatie, organisatie & administratie") == "coordinatie-organisatie-administratie"
    assert slugify("!!!") == "item"


def test_list_shows_21_blocks_and_usage(client, auth) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    ini = f.initiative(rnd)
    auth.login(fr.staff())
    page = client.get(BLOCKS).get_data(as_text=True)
    assert page.count('href="/beheer/bouwstenen/') == 21 + 1  # 21 edit links and the "add" link
    assert ini.block.name_nl in page


def test_add_custom_block_with_unique_slug(client, auth) -> None:
    auth.login(fr.staff())
    resp = client.post(f"{BLOCKS}/nieuw", data=_block_form())
    assert resp.status_code == 302
    block = db.session.scalars(select(BuildingBlock).where(BuildingBlock.name_nl == "Buurtmoestuinen")).one()
    assert block.custom and block.active and block.slug == "buurtmoestuinen" and block.number == 22
    # A different name that slugifies the same gets a suffix.
    client.post(f"{BLOCKS}/nieuw", data=_block_form(name_nl="Buurtmoestuinen!", name_en=""))
    second = db.session.scalars(select(BuildingBlock).where(BuildingBlock.name_nl == "Buurtmoestuinen!")).one()
    assert second.slug == "buurtmoestuinen-2" and second.name_en == "Buurtmoestuinen!"
    assert fr.audit_kinds()[-2:] == ["block.created", "block.created"]


def test_edit_and_deactivate_standard_block(client, auth) -> None:
    block = f.block(5)
    auth.login(fr.staff())
    assert block.name_nl in client.get(f"{BLOCKS}/{block.id}").get_data(as_text=True)
    resp = client.post(
        f"{BLOCKS}/{block.id}",
        data={
            "name_nl": "Ontmoetingsplekken in de buurt",
            "name_en": "Meeting places",
            "description_nl": "",
            "description_en": "",
        },
    )
    assert resp.status_code == 302
    db.session.expire_all()
    assert block.name_nl == "Ontmoetingsplekken in de buurt" and block.active is False and not block.custom
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert event.kind == "block.updated" and '"active"' in event.payload and '"name_nl"' in event.payload


def test_delete_unused_custom_block(client, auth) -> None:
    auth.login(fr.staff())
    client.post(f"{BLOCKS}/nieuw", data=_block_form())
    block = db.session.scalars(select(BuildingBlock).where(BuildingBlock.custom.is_(True))).one()
    resp = client.post(f"{BLOCKS}/{block.id}/verwijderen")
    assert resp.status_code == 302
    assert db.session.get(BuildingBlock, block.id) is None
    assert fr.audit_kinds()[-1] == "block.deleted"


def test_block_in_use_cannot_be_deleted(client, auth) -> None:
    auth.login(fr.staff())
    client.post(f"{BLOCKS}/nieuw", data=_block_form())
    block = db.session.scalars(select(BuildingBlock).where(BuildingBlock.custom.is_(True))).one()
    rnd = f.round_(Phase.SUBMISSION)
    ini = f.initiative(rnd)
    ini.block_id = block.id
    db.session.commit()
    before = _blocks()
    resp = client.post(f"{BLOCKS}/{block.id}/verwijderen")
    assert resp.status_code == 409 and "wordt gebruikt" in resp.get_data(as_text=True)
    standard = client.post(f"{BLOCKS}/{f.block(0).id}/verwijderen")
    assert standard.status_code == 409 and "standaardbouwstenen" in standard.get_data(as_text=True)
    assert _blocks() == before


def test_block_used_by_a_quota_counts_as_in_use(client, auth) -> None:
    auth.login(fr.staff())
    client.post(f"{BLOCKS}/nieuw", data=_block_form())
    block = db.session.scalars(select(BuildingBlock).where(BuildingBlock.custom.is_(True))).one()
    rnd = f.round_(Phase.SUBMISSION)
    db.session.add(BlockQuota(round_id=rnd.id, block_id=block.id, min_bp=500))
    db.session.commit()
    resp = client.post(f"{BLOCKS}/{block.id}/verwijderen")
    assert resp.status_code == 409
    assert db.session.get(BuildingBlock, block.id) is not None


@pytest.mark.parametrize(
    "data,message",
    [
        ({"name_nl": ""}, "Vul een naam in."),
        ({"name_nl": "   "}, "Vul een naam in."),
        ({"name_nl": "Maaltijdservices"}, "Er bestaat al een bouwsteen met deze naam."),
        ({"name_nl": "MAATJES"}, "Er bestaat al een bouwsteen met deze naam."),
        ({"name_nl": "x" * 121}, "hoogstens 120 tekens"),
        ({"description_nl": "x" * 2001}, "hoogstens 2000 tekens"),
    ],
)
def test_bad_block_input_changes_nothing(client, auth, data, message) -> None:
    auth.login(fr.staff())
    before = _blocks()
    resp = client.post(f"{BLOCKS}/nieuw", data=_block_form(**data))
    assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    target = f.block(3)
    resp = client.post(f"{BLOCKS}/{target.id}", data=_block_form(**data))
    if data.get("name_nl", "").upper() != target.name_nl.upper():
        assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    assert _blocks() == before


def test_renaming_a_block_to_its_own_name_is_allowed(client, auth) -> None:
    block = f.block(2)
    auth.login(fr.staff())
    resp = client.post(f"{BLOCKS}/{block.id}", data=_block_form(name_nl=block.name_nl.upper()))
    assert resp.status_code == 302


def test_unknown_block_is_404(client, auth) -> None:
    auth.login(fr.staff())
    for resp in (
        client.get(f"{BLOCKS}/999999"),
        client.post(f"{BLOCKS}/999999", data=_block_form()),
        client.post(f"{BLOCKS}/999999/verwijderen"),
    ):
        assert resp.status_code == 404 and "Deze bouwsteen bestaat niet." in resp.get_data(as_text=True)


def test_residents_cannot_edit_blocks(client, auth) -> None:
    resident = f.user()
    db.session.commit()
    auth.login(resident)
    before = _blocks()
    assert client.post(f"{BLOCKS}/nieuw", data=_block_form()).status_code == 403
    assert _blocks() == before


def test_admin_edits_and_adds_districts(client, auth) -> None:
    auth.login(fr.admin())
    d = f.district("westerpark")
    page = client.get(DISTRICTS).get_data(as_text=True)
    assert "Westerpark" in page and "De Baarsjes" in page
    assert 'value="' + str(d.population) + '"' in client.get(f"{DISTRICTS}/{d.id}").get_data(as_text=True)
    resp = client.post(f"{DISTRICTS}/{d.id}", data={"name": "Westerpark-Spaarndammerbuurt", "population": "37.512"})
    assert resp.status_code == 302
    db.session.expire_all()
    assert d.name == "Westerpark-Spaarndammerbuurt" and d.population == 37_512 and d.slug == "westerpark"
    resp = client.post(f"{DISTRICTS}/nieuw", data={"name": "Sloterdijk", "population": "4100"})
    assert resp.status_code == 302
    new = db.session.scalars(select(District).where(District.name == "Sloterdijk")).one()
    assert new.slug == "sloterdijk" and new.population == 4100
    assert fr.audit_kinds()[-2:] == ["district.updated", "district.created"]


@pytest.mark.parametrize(
    "data,message",
    [
        ({"name": "", "population": "1000"}, "Vul een naam in."),
        ({"name": "oud-west", "population": "1000"}, "Er bestaat al een gebied met deze naam."),
        ({"name": "Nieuw gebied", "population": "-5"}, "heel getal"),
        ({"name": "Nieuw gebied", "population": "veel"}, "heel getal"),
        ({"name": "Nieuw gebied", "population": "12,5"}, "heel getal"),
        ({"name": "Nieuw gebied", "population": ""}, "heel getal"),
    ],
)
def test_bad_district_input_changes_nothing(client, auth, data, message) -> None:
    auth.login(fr.admin())
    before = _districts()
    resp = client.post(f"{DISTRICTS}/nieuw", data=data)
    assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    resp = client.post(f"{DISTRICTS}/{f.district('westerpark').id}", data=data)
    assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    assert _districts() == before


def test_staff_cannot_edit_districts(client, auth) -> None:
    auth.login(fr.staff())
    before = _districts()
    assert client.post(f"{DISTRICTS}/nieuw", data={"name": "X", "population": "1"}).status_code == 403
    assert _districts() == before
