"""Districts (gebieden) of the stadsdeel."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from wijkfonds.extensions import Model


class District(Model):
    """An area with its own budget share and its own voters."""

    __tablename__ = "district"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    population: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
