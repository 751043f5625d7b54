"""Themes and building blocks (bouwstenen)."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

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
        """Name in the given language."""
        return self.name_en if lang == "en" else self.name_nl


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
        """Name in the given language."""
        return self.name_en if lang == "en" else self.name_nl
