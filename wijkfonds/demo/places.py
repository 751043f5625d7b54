"""Demo places: rough outlines of stadsdeel West's four areas and points for the demo plans.

The outlines are APPROXIMATE: polygons of a dozen corners drawn from the general layout of
Amsterdam-West (the Kostverlorenvaart between Bos en Lommer and De Baarsjes on one side and
Westerpark and Oud-West on the other, the Jan van Galenstraat between Bos en Lommer and De
Baarsjes, the Singelgracht in the east, the IJ in the north, the Vondelpark in the south),
not the municipality's official boundaries. They are good enough to try the map with;
a real installation uploads the official outlines (*Gebiedsgrenzen*). The points of the
plans are near the places their texts name, inside these outlines.
"""

from __future__ import annotations

import json

from sqlalchemy import select

from wijkfonds.demo import content
from wijkfonds.demo.voting import PLANS as VOTING_PLANS
from wijkfonds.extensions import db
from wijkfonds.models import District, DistrictOutline, Initiative, User
from wijkfonds.services.places.outlines import set_outline

# Corners as (longitude, latitude), GeoJSON's order; each ring closes on its first corner.
# Neighbouring areas share the corners of their common border.
_KVV_SOUTH = (4.8605, 52.3588)  # Kostverlorenvaart at the Overtoom
_KVV_CLERCQ = (4.8622, 52.3715)  # Kostverlorenvaart at the De Clercqstraat
_KVV_GALEN = (4.8628, 52.3757)  # Kostverlorenvaart at the Jan van Galenstraat
_KVV_NORTH = (4.8655, 52.3835)
_HAARLEMMERWEG = (4.8625, 52.3872)
_GALEN_WEST = (4.8450, 52.3752)
_OUDWEST_BORDER = (4.8720, 52.3732)
_SINGEL_NORTH = (4.8800, 52.3745)

OUTLINES: dict[str, list[tuple[float, float]]] = {
    "bos-en-lommer": [
        _GALEN_WEST,
        _KVV_GALEN,
        _KVV_NORTH,
        _HAARLEMMERWEG,
        (4.8500, 52.3885),
        (4.8375, 52.3870),
        (4.8370, 52.3755),
        _GALEN_WEST,
    ],
    "de-baarsjes": [
        _KVV_SOUTH,
        _KVV_CLERCQ,
        _KVV_GALEN,
        _GALEN_WEST,
        (4.8445, 52.3640),
        (4.8460, 52.3575),
        (4.8530, 52.3572),
        _KVV_SOUTH,
    ],
    "oud-west": [
        _KVV_SOUTH,
        (4.8700, 52.3602),
        (4.8800, 52.3625),
        (4.8800, 52.3700),
        _SINGEL_NORTH,
        _OUDWEST_BORDER,
        _KVV_CLERCQ,
        _KVV_SOUTH,
    ],
    "westerpark": [
        _KVV_CLERCQ,
        _OUDWEST_BORDER,
        _SINGEL_NORTH,
        (4.8815, 52.3780),
        (4.8840, 52.3830),
        (4.8885, 52.3870),
        (4.8880, 52.3920),
        (4.8700, 52.3955),
        (4.8580, 52.3905),
        (4.8600, 52.3878),
        _HAARLEMMERWEG,
        _KVV_NORTH,
        _KVV_GALEN,
        _KVV_CLERCQ,
    ],
}

# Where the places that the demo plans name lie, roughly: (longitude, latitude).
PLACES: dict[str, tuple[float, float]] = {
    "OBA Bos en Lommer, Bos en Lommerplein": (4.8480, 52.3780),
    "Bos en Lommerplein": (4.8488, 52.3774),
    "Erasmuspark, kant Erasmusgracht": (4.8548, 52.3786),
    "Erasmuspark": (4.8525, 52.3797),
    "Kolenkitbuurt": (4.8418, 52.3800),
    "Bos en Lommerweg en omgeving": (4.8500, 52.3806),
    "Speeltuin Landlust": (4.8560, 52.3832),
    "Bestevaerstraat": (4.8468, 52.3815),
    "Portiekflats rond de Leeuwendalersweg": (4.8428, 52.3832),
    "Mercatorplein": (4.8530, 52.3668),
    "Postjesweg": (4.8515, 52.3642),
    "Jan Evertsenstraat": (4.8535, 52.3696),
    "Buurthuis aan het Columbusplein": (4.8565, 52.3640),
    "Chassépark": (4.8578, 52.3722),
    "Hoofdweg": (4.8540, 52.3618),
    "Balboaplein": (4.8522, 52.3608),
    "Rembrandtpark, kant Postjesweg": (4.8470, 52.3652),
    "Ten Katemarkt": (4.8667, 52.3688),
    "Jan Pieter Heijestraat": (4.8640, 52.3630),
    "Bellamyplein": (4.8690, 52.3695),
    "De Hallen, Hannie Dankbaarpassage": (4.8685, 52.3668),
    "Kinkerstraat": (4.8700, 52.3660),
    "OBA Kinkerstraat": (4.8712, 52.3664),
    "Bilderdijkstraat": (4.8735, 52.3690),
    "Kwakersplein": (4.8705, 52.3712),
    "Westerpark, ingang Haarlemmerweg": (4.8785, 52.3850),
    "Zaandammerplein": (4.8805, 52.3890),
    "Van Limburg Stirumplein": (4.8715, 52.3815),
    "Frederik Hendrikbuurt": (4.8770, 52.3770),
    "Staatsliedenbuurt en Spaarndammerbuurt": (4.8730, 52.3845),
    "Hugo de Grootplein": (4.8730, 52.3762),
    "Frederik Hendrikplantsoen": (4.8780, 52.3790),
    "Spaarndammerbuurt": (4.8790, 52.3895),
    "Westerpark, bij de Westergasfabriek": (4.8745, 52.3862),
    "Wijkcentrum in de Staatsliedenbuurt": (4.8690, 52.3800),
}

# The voting round's plans (by title) get a place name and a point too.
VOTING_PLACES: dict[str, str] = {
    "Buurtkamer aan het Bos en Lommerplein": "Bos en Lommerplein",
    "Fietsmaatjes voor ouderen": "Erasmuspark",
    "Taalcafé in de bibliotheek": "OBA Bos en Lommer, Bos en Lommerplein",
    "Samen koken op het Mercatorplein": "Mercatorplein",
    "Digitaal spreekuur in het buurthuis": "Buurthuis aan het Columbusplein",
    "Zomerfeest in het Rembrandtpark": "Rembrandtpark, kant Postjesweg",
    "Mantelzorgcafé Ten Kate": "Ten Katemarkt",
    "Buurtbus naar de markt": "Kinkerstraat",
    "Verhalen van de Kinkerbuurt": "Bilderdijkstraat",
    "Moestuin voor iedereen in het Westerpark": "Westerpark, bij de Westergasfabriek",
    "Buurtassistent in de Spaarndammerbuurt": "Spaarndammerbuurt",
    "Dagbesteding in het wijkcentrum": "Wijkcentrum in de Staatsliedenbuurt",
}
# Plans that share a place are moved apart a little (about 25 m each), so each marker shows.
_NUDGE = 0.00035


def outline_geojson(slug: str) -> bytes:
    """A district's demo outline as a GeoJSON Feature, as staff would upload it."""
    feature = {
        "type": "Feature",
        "properties": {"slug": slug, "note": "approximate outline for the demo"},
        "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in OUTLINES[slug]]]},
    }
    return json.dumps(feature).encode()


def _point(location: str, seen: dict[str, int]) -> tuple[float, float] | None:
    """(latitude, longitude) for a named place, nudged east for each earlier plan at the same place."""
    if location not in PLACES:
        return None
    lon, lat = PLACES[location]
    n = seen.get(location, 0)
    seen[location] = n + 1
    return lat, round(lon + n * _NUDGE, 6)


def load_places(actor: User) -> dict[str, int]:
    """Outlines for the demo districts that have none, points for demo plans that have none."""
    created = {"outlines": 0, "points": 0}
    districts = {d.slug: d for d in db.session.scalars(select(District))}
    for slug in OUTLINES:
        district = districts.get(slug)
        if district is not None and db.session.get(DistrictOutline, district.id) is None:
            set_outline(district, outline_geojson(slug), actor=actor)
            created["outlines"] += 1
    seen: dict[str, int] = {}
    by_key = {f"demo:{item.key}": item.location or "" for item in content.INITIATIVES}
    by_key.update({title: VOTING_PLACES.get(title, "") for _slug, title, *_rest in VOTING_PLANS})
    demo = db.session.scalars(
        select(Initiative)
        .where(Initiative.external_id.like("demo%"))
        .order_by(Initiative.round_id, Initiative.district_id, Initiative.id)
    )
    for ini in demo:
        location = by_key.get(ini.external_id or "") or by_key.get(ini.title, "")
        point = _point(location, seen)
        if point is None or ini.latitude is not None:
            continue
        ini.latitude, ini.longitude = point
        if not ini.location:
            ini.location = location
        created["points"] += 1
    db.session.flush()
    return created
