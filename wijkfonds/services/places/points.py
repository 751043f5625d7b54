"""A plan's point: read from what a person typed, and checked against its district.

Both coordinates or neither; in degrees (WGS 84); inside the district's outline, or, for a
district without an outline, inside the stadsdeel's bounding box (``MAP_BOUNDS``).
"""

from __future__ import annotations

import re

from sqlalchemy import select

from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.models import District, Initiative, Status
from wijkfonds.services.places.geometry import contains
from wijkfonds.services.places.outlines import shape, stadsdeel_bounds

DECIMALS = 6  # about 10 cm: more than anyone can point at
# "52,3731", "52.3731", "-4.5", "4": a decimal number with a comma or a point.
_NUMBER = re.compile(r"^[+-]?\d{1,3}([.,]\d{1,15})?$", re.ASCII)

Errors = list[tuple[str | None, str]]


def parse_degrees(raw: str) -> float | None:
    """Degrees from form text ("52,3731" or "52.3731"); None for an empty field; ValueError otherwise."""
    text = raw.strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if not _NUMBER.match(text):
        raise ValueError(text)
    return float(text.replace(",", "."))


def check_point(district: District | None, latitude: float | None, longitude: float | None) -> Errors:
    """What is wrong with this point for this district (empty when it is fine, or when there is none)."""
    if latitude is None and longitude is None:
        return []
    if latitude is None:
        return [("latitude", _("Vul ook de breedtegraad in, of laat beide velden leeg."))]
    if longitude is None:
        return [("longitude", _("Vul ook de lengtegraad in, of laat beide velden leeg."))]
    errors: Errors = []
    if not -90 <= latitude <= 90:
        errors.append(("latitude", _("De breedtegraad ligt tussen −90 en 90 (in Amsterdam ongeveer 52,37).")))
    if not -180 <= longitude <= 180:
        errors.append(("longitude", _("De lengtegraad ligt tussen −180 en 180 (in Amsterdam ongeveer 4,87).")))
    if errors or district is None:
        return errors
    found = shape(district.id)
    if found is not None:
        box, polygons = found
        if not (box.contains(longitude, latitude) and contains(polygons, (longitude, latitude))):
            errors.append(
                (
                    "latitude",
                    _(
                        "Dit punt ligt buiten het gebied %(name)s. Kies een punt binnen %(name)s, "
                        "kies het gebied waar het punt in ligt, of laat beide velden leeg.",
                        name=district.name,
                    ),
                )
            )
    elif not stadsdeel_bounds().contains(longitude, latitude):
        errors.append(
            (
                "latitude",
                _(
                    "Dit punt ligt buiten het stadsdeel. Van %(name)s is de grens nog niet bekend, dus elk punt "
                    "binnen het stadsdeel is goed, maar niet daarbuiten. Of laat beide velden leeg.",
                    name=district.name,
                ),
            )
        )
    return errors


def rounded(value: float | None) -> float | None:
    """A coordinate as stored: rounded to DECIMALS places."""
    return None if value is None else round(value, DECIMALS)


def outside_outline(district: District) -> list[Initiative]:
    """The district's plans (not withdrawn) whose point lies outside its outline as it is now."""
    found = shape(district.id)
    if found is None:
        return []
    _box, polygons = found
    rows = db.session.scalars(
        select(Initiative)
        .where(
            Initiative.district_id == district.id,
            Initiative.latitude.is_not(None),
            Initiative.longitude.is_not(None),
            Initiative.status != Status.WITHDRAWN.value,
        )
        .order_by(Initiative.id)
    )
    return [i for i in rows if not contains(polygons, (i.longitude or 0.0, i.latitude or 0.0))]
