"""Districts (gebieden) of the stadsdeel, and their outlines on the map."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import Model


class District(Model):
    """An area with its own budget share and its own voters."""

    __tablename__ = "district"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    population: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    # The languages that its voting-code letters repeat the key sentence in, besides Dutch:
    # site codes of i18n/offer.py, comma-separated ("" = Dutch only).
    letter_languages: Mapped[str] = mapped_column(String(64), default="", server_default="")


class DistrictOutline(Model):
    """A district's outline as staff uploaded it, checked and stored as one GeoJSON MultiPolygon.

    A table of its own rather than a column of District: districts are read on nearly every
    page, an outline only by the map and by the check of a plan's point. The bounding box is
    kept beside the geometry, so that a point far away is refused without parsing it.
    """

    __tablename__ = "district_outline"

    district_id: Mapped[int] = mapped_column(ForeignKey("district.id", ondelete="CASCADE"), primary_key=True)
    # The "coordinates" of a GeoJSON MultiPolygon ([[[[lon, lat], ...]]]) as compact JSON.
    coordinates: Mapped[str] = mapped_column(Text)
    positions: Mapped[int] = mapped_column(default=0)
    west: Mapped[float] = mapped_column()
    south: Mapped[float] = mapped_column()
    east: Mapped[float] = mapped_column()
    north: Mapped[float] = mapped_column()
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
