"""Reference data as open data: districts, themes and building blocks (bouwstenen)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from wijkfonds.extensions import db
from wijkfonds.models import BuildingBlock, District, Theme


def district_dict(d: District) -> dict[str, Any]:
    """One district: id, slug, name, residents, whether it takes part."""
    return {"id": d.id, "slug": d.slug, "name": d.name, "population": d.population, "active": d.active}


def districts() -> list[dict[str, Any]]:
    """Every district, by name (inactive ones too: old rounds and plans refer to them)."""
    return [district_dict(d) for d in db.session.scalars(select(District).order_by(District.name, District.id))]


def theme_dict(t: Theme) -> dict[str, Any]:
    """One theme in both languages."""
    return {
        "id": t.id,
        "slug": t.slug,
        "name": {"nl": t.name_nl, "en": t.name_en},
        "description": {"nl": t.description_nl, "en": t.description_en},
    }


def themes() -> list[dict[str, Any]]:
    """Every theme (the five functions of social infrastructure, and any staff added)."""
    return [theme_dict(t) for t in db.session.scalars(select(Theme).order_by(Theme.id))]


def block_dict(b: BuildingBlock) -> dict[str, Any]:
    """One building block in both languages; ``custom`` for those staff added to the 21."""
    return {
        "id": b.id,
        "number": b.number,
        "slug": b.slug,
        "name": {"nl": b.name_nl, "en": b.name_en},
        "description": {"nl": b.description_nl, "en": b.description_en},
        "custom": b.custom,
        "active": b.active,
    }


def building_blocks() -> list[dict[str, Any]]:
    """Every building block, by number (the 21 first, then staff's own)."""
    rows = db.session.scalars(
        select(BuildingBlock).order_by(BuildingBlock.custom, BuildingBlock.number, BuildingBlock.id)
    )
    return [block_dict(b) for b in rows]
