"""Reading a district outline that staff upload as GeoJSON (RFC 7946): checked, then normalised.

Accepted: a Feature or a FeatureCollection whose geometries are Polygons or MultiPolygons
(a bare Polygon or MultiPolygon geometry too); every polygon of every feature becomes one
MultiPolygon. Refused, each with a message that says what and where: more bytes than the
limit, text that is not UTF-8 or not JSON, another type, positions that are not two (or
three) finite numbers, longitudes outside -180..180 or latitudes outside -90..90 (with a
hint about RD coordinates, the usual mistake with Dutch data), rings that are not closed,
have fewer than four positions or no area, and more positions than the limit.

Nothing here touches Flask or the database; messages come in the request's language.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from wijkfonds.common.translation import gettext as _
from wijkfonds.services.places.geometry import Bounds, Position, bounds, ring_area

MAX_POSITIONS = 100_000
# Square degrees: about 0.01 m² in Amsterdam. Below it, a ring is a line (collinear positions).
MIN_AREA = 1e-12
_POLYGONAL = ("Polygon", "MultiPolygon")
_WGS84 = {"urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84", "EPSG:4326", "urn:ogc:def:crs:EPSG::4326"}


class GeoJSONError(ValueError):
    """The upload is not a usable outline; ``message`` says why, for the person who uploaded it."""

    def __init__(self, message: str, where: tuple[str, ...] = ()) -> None:
        text = f"{', '.join(where)}: {message}" if where else message
        text = text[:1].upper() + text[1:]
        super().__init__(text)
        self.message = text


Where = tuple[str, ...]  # e.g. ("feature 2", "polygoon 1", "ring 1", "punt 5")


@dataclass(frozen=True)
class Outline:
    """A checked outline: the polygons of one MultiPolygon, as (lon, lat) positions."""

    polygons: list[list[list[Position]]]
    positions: int
    bounds: Bounds

    def coordinates_json(self) -> str:
        """The MultiPolygon's ``coordinates`` as compact JSON."""
        return json.dumps([[[list(p) for p in ring] for ring in polygon] for polygon in self.polygons])


def _reject_constant(name: str) -> float:
    raise GeoJSONError(_("Het bestand bevat %(name)s; dat is geen getal in JSON.", name=name))


def _load(raw: bytes, max_bytes: int) -> Any:
    if len(raw) > max_bytes:
        raise GeoJSONError(
            _(
                "Het bestand is te groot (%(size)s kB); een omtrek mag hoogstens %(max)s kB zijn. "
                "Vereenvoudig de vorm, bijvoorbeeld met minder punten of minder decimalen.",
                size=-(-len(raw) // 1024),
                max=max_bytes // 1024,
            )
        )
    if not raw.strip():
        raise GeoJSONError(_("Het bestand is leeg."))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise GeoJSONError(_("Het bestand is geen tekst in UTF-8; GeoJSON is altijd UTF-8.")) from None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as err:
        raise GeoJSONError(
            _(
                "Het bestand is geen geldige JSON: %(reason)s (regel %(line)s, kolom %(col)s).",
                reason=err.msg,
                line=err.lineno,
                col=err.colno,
            )
        ) from None
    except RecursionError:
        raise GeoJSONError(_("Het bestand is te diep genest om GeoJSON te zijn.")) from None


def _type_name(value: Any) -> str:
    if isinstance(value, dict) and isinstance(value.get("type"), str):
        return str(value["type"])[:40]
    if isinstance(value, dict):
        return _("object zonder type")
    if isinstance(value, list):
        return _("lijst")
    if isinstance(value, str):
        return _("tekst")
    if isinstance(value, bool):
        return _("waar/onwaar")
    if isinstance(value, int | float):
        return _("getal")
    return "null"


def _check_crs(doc: dict[str, Any]) -> None:
    crs = doc.get("crs")
    if crs is None:
        return
    name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
    if not isinstance(name, str) or name not in _WGS84:
        raise GeoJSONError(
            _(
                "Het bestand gebruikt een ander coördinatenstelsel (%(crs)s). Gebruik lengte- en breedtegraden "
                "in WGS 84 (EPSG:4326), zoals GeoJSON voorschrijft; QGIS kan het bestand zo opslaan.",
                crs=str(name)[:60] if name else _("onbekend"),
            )
        )


def _geometries(doc: Any) -> list[tuple[Where, dict[str, Any]]]:
    """(where, geometry) for every geometry of the upload; GeoJSONError for another type."""
    kind = _type_name(doc)
    if not isinstance(doc, dict):
        raise GeoJSONError(_("Het bestand bevat een %(kind)s, geen GeoJSON-object.", kind=kind))
    _check_crs(doc)
    if kind in _POLYGONAL:
        return [((), doc)]
    if kind == "Feature":
        return [((), _feature_geometry(doc, ()))]
    if kind == "FeatureCollection":
        features = doc.get("features")
        if not isinstance(features, list) or not features:
            raise GeoJSONError(_("De FeatureCollection bevat geen features."))
        out: list[tuple[Where, dict[str, Any]]] = []
        for n, feature in enumerate(features, start=1):
            where = (_("feature %(n)s", n=n),)
            if _type_name(feature) != "Feature":
                raise GeoJSONError(_("dit is een %(kind)s, geen Feature.", kind=_type_name(feature)), where)
            out.append((where, _feature_geometry(feature, where)))
        return out
    raise GeoJSONError(
        _(
            "Het type ‘%(kind)s’ kan geen omtrek zijn. Upload een Feature of FeatureCollection "
            "met een Polygon of MultiPolygon.",
            kind=kind,
        )
    )


def _feature_geometry(feature: dict[str, Any], where: Where) -> dict[str, Any]:
    geometry = feature.get("geometry")
    kind = _type_name(geometry)
    if not isinstance(geometry, dict) or kind not in _POLYGONAL:
        raise GeoJSONError(
            _("de geometrie is een %(kind)s; een omtrek moet een Polygon of MultiPolygon zijn.", kind=kind), where
        )
    return geometry


def _position(value: Any, where: Where) -> Position:
    if not isinstance(value, list) or len(value) not in (2, 3):
        raise GeoJSONError(_("een punt moet [lengtegraad, breedtegraad] zijn."), where)
    for number in value:
        if isinstance(number, bool) or not isinstance(number, int | float) or not math.isfinite(number):
            raise GeoJSONError(_("een coördinaat is geen getal (%(value)s).", value=str(number)[:40]), where)
    lon, lat = float(value[0]), float(value[1])
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise GeoJSONError(
            _(
                "de coördinaten %(lon)s, %(lat)s liggen buiten het bereik (lengtegraad −180 tot 180, "
                "breedtegraad −90 tot 90). Gebruik graden in WGS 84; RD-coördinaten (EPSG:28992, in "
                "meters) moeten eerst worden omgezet, bijvoorbeeld met QGIS.",
                lon=value[0],
                lat=value[1],
            ),
            where,
        )
    return (round(lon, 7), round(lat, 7))


def _ring(value: Any, where: Where) -> list[Position]:
    if not isinstance(value, list):
        raise GeoJSONError(_("een ring moet een lijst van punten zijn."), where)
    ring = [_position(p, (*where, _("punt %(n)s", n=n))) for n, p in enumerate(value, start=1)]
    if len(ring) < 4:
        raise GeoJSONError(_("een ring heeft minstens 4 punten nodig (het laatste gelijk aan het eerste)."), where)
    if ring[0] != ring[-1]:
        raise GeoJSONError(_("de ring is niet gesloten: het laatste punt moet gelijk zijn aan het eerste."), where)
    if abs(ring_area(ring)) < MIN_AREA:
        raise GeoJSONError(_("de ring heeft geen oppervlak (alle punten liggen op één lijn)."), where)
    return ring


def _polygon(value: Any, where: Where) -> list[list[Position]]:
    if not isinstance(value, list) or not value:
        raise GeoJSONError(_("een polygoon moet een lijst van ringen zijn."), where)
    return [_ring(r, (*where, _("ring %(n)s", n=n))) for n, r in enumerate(value, start=1)]


def _count(coordinates: Any, depth: int) -> int:
    """Positions in nested coordinates (lists ``depth`` levels deep), without checking them."""
    if not isinstance(coordinates, list):
        return 0
    if depth == 0:
        return 1
    return sum(_count(c, depth - 1) for c in coordinates)


def parse_outline(raw: bytes, *, max_bytes: int, max_positions: int = MAX_POSITIONS) -> Outline:
    """The outline in ``raw`` (the uploaded file's bytes), checked; GeoJSONError says what is wrong."""
    geometries = _geometries(_load(raw, max_bytes))
    total = sum(_count(g.get("coordinates"), 2 if g["type"] == "Polygon" else 3) for _w, g in geometries)
    if total > max_positions:
        raise GeoJSONError(
            _(
                "De omtrek heeft %(n)s punten; hoogstens %(max)s. Vereenvoudig de vorm (bijvoorbeeld in "
                "QGIS met ‘Vereenvoudigen’).",
                n=total,
                max=max_positions,
            )
        )
    polygons: list[list[list[Position]]] = []
    for where, geometry in geometries:
        coordinates = geometry.get("coordinates")
        if geometry["type"] == "Polygon":
            polygons.append(_polygon(coordinates, where))
            continue
        if not isinstance(coordinates, list) or not coordinates:
            raise GeoJSONError(_("de MultiPolygon bevat geen polygonen."), where)
        polygons += [_polygon(c, (*where, _("polygoon %(n)s", n=n))) for n, c in enumerate(coordinates, start=1)]
    positions = sum(len(ring) for polygon in polygons for ring in polygon)
    return Outline(polygons, positions, bounds(polygons))


def outline_from_json(coordinates: str) -> list[list[list[Position]]]:
    """The polygons of stored MultiPolygon coordinates (written by :meth:`Outline.coordinates_json`)."""
    return [[[(float(p[0]), float(p[1])) for p in ring] for ring in polygon] for polygon in json.loads(coordinates)]
