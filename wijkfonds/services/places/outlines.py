"""District outlines: staff upload GeoJSON per district; the map and the point check read it."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flask import current_app
from sqlalchemy import select

from wijkfonds.common.timeutil import utcnow
from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.models import District, DistrictOutline, User
from wijkfonds.services.audit import log as audit
from wijkfonds.services.errors import DomainError, ValidationFailed
from wijkfonds.services.places.geojson import GeoJSONError, outline_from_json, parse_outline
from wijkfonds.services.places.geometry import Bounds, Position, parse_bbox

Shape = tuple[Bounds, list[list[list[Position]]]]


def stadsdeel_bounds() -> Bounds:
    """The configured bounding box of the stadsdeel (``MAP_BOUNDS``)."""
    return parse_bbox(current_app.config["MAP_BOUNDS"])


def get(district_id: int) -> DistrictOutline | None:
    """The district's outline row, or None."""
    return db.session.get(DistrictOutline, district_id)


def shape(district_id: int) -> Shape | None:
    """The district's outline as (bounding box, polygons), or None when it has none."""
    row = get(district_id)
    if row is None:
        return None
    return Bounds(row.west, row.south, row.east, row.north), outline_from_json(row.coordinates)


def with_outline() -> set[int]:
    """Ids of the districts that have an outline."""
    return set(db.session.scalars(select(DistrictOutline.district_id)))


def set_outline(district: District, raw: bytes, *, actor: User) -> DistrictOutline:
    """Check the uploaded GeoJSON and make it the district's outline (replacing one); audited.

    ValidationFailed (on the field ``file``) says what is wrong with the file; an outline
    wholly outside the stadsdeel is refused too (usually longitude and latitude swapped).
    """
    try:
        outline = parse_outline(raw, max_bytes=int(current_app.config["MAP_OUTLINE_MAX_BYTES"]))
    except GeoJSONError as err:
        raise ValidationFailed([("file", err.message)]) from None
    if not outline.bounds.intersects(stadsdeel_bounds()):
        b = outline.bounds
        raise ValidationFailed(
            [
                (
                    "file",
                    _(
                        "De omtrek ligt helemaal buiten het stadsdeel (lengtegraad %(w)s tot %(e)s, breedtegraad "
                        "%(s)s tot %(n)s). Staan lengte- en breedtegraad misschien omgewisseld? GeoJSON noemt eerst "
                        "de lengtegraad (in Amsterdam ongeveer 4,9), dan de breedtegraad (ongeveer 52,4).",
                        w=round(b.west, 4),
                        e=round(b.east, 4),
                        s=round(b.south, 4),
                        n=round(b.north, 4),
                    ),
                )
            ]
        )
    coordinates = outline.coordinates_json()
    row = get(district.id)
    if row is None:
        row = DistrictOutline(district_id=district.id)
        db.session.add(row)
    row.coordinates = coordinates
    row.positions = outline.positions
    b = outline.bounds
    row.west, row.south, row.east, row.north = b.west, b.south, b.east, b.north
    row.uploaded_at = utcnow()
    row.uploaded_by_id = actor.id
    db.session.flush()
    audit.record(
        "district.outline_set",
        actor=actor,
        district_id=district.id,
        positions=outline.positions,
        sha256=hashlib.sha256(coordinates.encode()).hexdigest(),
    )
    return row


def remove_outline(district: District, *, actor: User) -> None:
    """Remove the district's outline (points are then checked against the stadsdeel's box); audited."""
    row = get(district.id)
    if row is None:
        raise DomainError(_("Dit gebied heeft geen omtrek."), 409)
    db.session.delete(row)
    db.session.flush()
    audit.record("district.outline_removed", actor=actor, district_id=district.id)


def feature(district: District, row: DistrictOutline) -> dict[str, Any]:
    """The outline as a GeoJSON Feature (RFC 7946) with the district's id and name."""
    return {
        "type": "Feature",
        "id": district.id,
        "properties": {"id": district.id, "name": district.name, "slug": district.slug},
        "bbox": [row.west, row.south, row.east, row.north],
        "geometry": {"type": "MultiPolygon", "coordinates": json.loads(row.coordinates)},
    }


def collection() -> dict[str, Any]:
    """The outlines of every active district that has one, as a GeoJSON FeatureCollection."""
    rows = db.session.execute(
        select(District, DistrictOutline)
        .join(DistrictOutline, DistrictOutline.district_id == District.id)
        .where(District.active.is_(True))
        .order_by(District.name)
    ).all()
    return {"type": "FeatureCollection", "features": [feature(d, o) for d, o in rows]}
