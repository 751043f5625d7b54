"""Reference data as open data: districts, themes and building blocks (bouwstenen)."""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import select

from wijkfonds.common.reference_names import BLOCK, BLOCK_ABOUT, THEME, THEME_ABOUT, every_language
from wijkfonds.extensions import db
from wijkfonds.models import BuildingBlock, District, Theme


def district_dict(d: District) -> dict[str, Any]:
    """One district: id, slug, name, residents, whether it takes part."""
    return {"id": d.id, "slug": d.slug, "name": d.name, "population": d.population, "active": d.active}


def districts() -> list[dict[str, Any]]:
    """Every district, by name (inactive ones too: old rounds and plans refer to them)."""
    return [district_dict(d) for d in db.session.scalars(select(District).order_by(District.name, District.id))]


def languages() -> list[str]:
    """The site's languages (config LANGUAGES): the keys a name may have beyond nl and en."""
    return list(current_app.config["LANGUAGES"])


def theme_dict(t: Theme) -> dict[str, Any]:
    """One theme in Dutch, English and each offered language that has its translation."""
    codes = languages()
    return {
        "id": t.id,
        "slug": t.slug,
        "name": every_language(THEME, t.name_nl, t.name_en, codes),
        "description": every_language(THEME_ABOUT, t.description_nl, t.description_en, codes),
    }


def themes() -> list[dict[str, Any]]:
    """Every theme (the five functions of social infrastructure, and any staff added)."""
    return [theme_dict(t) for t in db.session.scalars(select(Theme).order_by(Theme.id))]


def block_dict(b: BuildingBlock) -> dict[str, Any]:
    """One building block in Dutch, English and each offered language that has its translation;
    ``custom`` for those staff added to the 21."""
    codes = languages()
    return {
        "id": b.id,
        "number": b.number,
        "slug": b.slug,
        "name": every_language(BLOCK, b.name_nl, b.name_en, codes),
        "description": every_language(BLOCK_ABOUT, b.description_nl, b.description_en, codes),
        "custom": b.custom,
        "active": b.active,
    }


def building_blocks() -> list[dict[str, Any]]:
    """Every building block, by number (the 21 first, then staff's own)."""
    rows = db.session.scalars(
        select(BuildingBlock).order_by(BuildingBlock.custom, BuildingBlock.number, BuildingBlock.id)
    )
    return [block_dict(b) for b in rows]
