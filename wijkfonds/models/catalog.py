"""Themes and building blocks (bouwstenen)."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from wijkfonds.common.reference_names import BLOCK, BLOCK_ABOUT, THEME, THEME_ABOUT, in_language
from wijkfonds.extensions import Model


class Theme(Model):
    """A theme a round accepts (the demo uses the five functions of social infrastructure)."""

    __tablename__ = "theme"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name_nl: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    description_nl: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")

    def name(self, lang: str) -> str:
        """Name in a site language (common/reference_names: the catalogue's beyond nl and en)."""
        return in_language(THEME, lang, self.name_nl, self.name_en)

    def description(self, lang: str) -> str:
        """What the theme is about, in a site language."""
        return in_language(THEME_ABOUT, lang, self.description_nl, self.description_en)


class BuildingBlock(Model):
    """One of the 21 bouwstenen, or a custom one added by staff."""

    __tablename__ = "building_block"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(default=0)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name_nl: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    description_nl: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    custom: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)

    def name(self, lang: str) -> str:
        """Name in a site language (common/reference_names: the catalogue's beyond nl and en)."""
        return in_language(BLOCK, lang, self.name_nl, self.name_en)

    def description(self, lang: str) -> str:
        """What the building block is, in a site language."""
        return in_language(BLOCK_ABOUT, lang, self.description_nl, self.description_en)
