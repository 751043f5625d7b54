"""Reference data: the districts, themes and the 21 building blocks (idempotent seeding)."""

from __future__ import annotations

from sqlalchemy import select

from wijkfonds.common.reference_names import BLOCK, BLOCK_ABOUT, THEME, THEME_ABOUT, translated
from wijkfonds.extensions import db
from wijkfonds.models import BuildingBlock, District, Theme
from wijkfonds.services.catalog import data as content


def ensure_reference_data() -> None:
    """Create missing districts, themes and building blocks; never overwrite staff edits."""
    have = set(db.session.scalars(select(District.slug)))
    for d in content.DISTRICTS:
        if d.slug not in have:
            db.session.add(District(slug=d.slug, name=d.name, population=d.population))
    have = set(db.session.scalars(select(Theme.slug)))
    for t in content.THEMES:
        if t.slug not in have:
            db.session.add(
                Theme(
                    slug=t.slug,
                    name_nl=t.name_nl,
                    name_en=t.name_en,
                    description_nl=t.description_nl,
                    description_en=t.description_en,
                )
            )
    have = set(db.session.scalars(select(BuildingBlock.slug)))
    for b in content.BUILDING_BLOCKS:
        if b.slug not in have:
            db.session.add(
                BuildingBlock(
                    number=b.number,
                    slug=b.slug,
                    name_nl=b.name_nl,
                    name_en=b.name_en,
                    description_nl=b.description_nl,
                    description_en=b.description_en,
                )
            )
    db.session.flush()


def district_choices() -> list[tuple[int, str]]:
    """(id, name) of the active districts, for select fields."""
    rows = db.session.scalars(select(District).where(District.active.is_(True)).order_by(District.name))
    return [(d.id, d.name) for d in rows]


def untranslated(lang: str) -> list[str]:
    """The built-in building blocks' and functions' names and explanations that ``lang`` lacks
    (English: in data.py itself; the other languages: in their catalogue's reference.po)."""
    texts = [(BLOCK, b.name_nl, b.name_en) for b in content.BUILDING_BLOCKS]
    texts += [(BLOCK_ABOUT, b.description_nl, b.description_en) for b in content.BUILDING_BLOCKS]
    texts += [(THEME, t.name_nl, t.name_en) for t in content.THEMES]
    texts += [(THEME_ABOUT, t.description_nl, t.description_en) for t in content.THEMES]
    if lang == "en":
        return [f"{context}: {nl}" for context, nl, en in texts if not en.strip()]
    return [f"{context}: {nl}" for context, nl, _en in texts if not translated(context, lang, nl)]
