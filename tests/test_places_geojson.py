"""Reading an uploaded district outline (services/places/geojson.py): what is accepted, what is refused and why."""

from __future__ import annotations

import json

import pytest

from wijkfonds.services.places.geojson import GeoJSONError, outline_from_json, parse_outline
from wijkfonds.services.places.geometry import Bounds

RING = [[4.85, 52.36], [4.87, 52.36], [4.87, 52.38], [4.85, 52.38], [4.85, 52.36]]
HOLE = [[4.855, 52.365], [4.86, 52.365], [4.86, 52.37], [4.855, 52.365]]
POLYGON = {"type": "Polygon", "coordinates": [RING]}
LIMIT = 64 * 1024


def feature(geometry: object, **props: object) -> dict:
    return {"type": "Feature", "properties": props, "geometry": geometry}


def parse(doc: object, *, max_bytes: int = LIMIT, **kw: int):
    raw = doc if isinstance(doc, bytes) else json.dumps(doc).encode()
    return parse_outline(raw, max_bytes=max_bytes, **kw)


def refused(doc: object, **kw: int) -> str:
    with pytest.raises(GeoJSONError) as err:
        parse(doc, **kw)
    return err.value.message


def test_a_polygon_feature(app) -> None:
    outline = parse(feature(POLYGON, name="Oud-West"))
    assert outline.positions == 5
    assert outline.bounds == Bounds(4.85, 52.36, 4.87, 52.38)
    assert outline.polygons == [[[tuple(p) for p in RING]]]
    assert outline_from_json(outline.coordinates_json()) == outline.polygons


def test_a_feature_collection_becomes_one_multipolygon(app) -> None:
    east = [[x + 0.05, y] for x, y in RING]
    doc = {
        "type": "FeatureCollection",
        "features": [
            feature({"type": "Polygon", "coordinates": [RING, HOLE]}),
            feature({"type": "MultiPolygon", "coordinates": [[east]]}),
        ],
    }
    outline = parse(doc)
    assert len(outline.polygons) == 2
    assert len(outline.polygons[0]) == 2  # the hole is kept
    assert outline.positions == 14
    assert outline.bounds.east == pytest.approx(4.92)


def test_a_bare_geometry_a_bom_and_altitudes_are_accepted(app) -> None:
    assert parse(POLYGON).positions == 5
    assert parse(b"\xef\xbb\xbf" + json.dumps(POLYGON).encode()).positions == 5
    with_altitude = {"type": "Polygon", "coordinates": [[[*p, 2.0] for p in RING]]}
    assert parse(with_altitude).polygons == parse(POLYGON).polygons


def test_the_wgs84_crs_is_accepted_and_others_refused(app) -> None:
    doc = {**feature(POLYGON), "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}}
    assert parse(doc).positions == 5
    rd = {**feature(POLYGON), "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}}
    message = refused(rd)
    assert "EPSG::28992" in message and "WGS 84" in message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"", "Het bestand is leeg."),
        (b"   \n", "Het bestand is leeg."),
        (b"\xff\xfe{}", "geen tekst in UTF-8"),
        (b'{"type": "Feature",', "geen geldige JSON"),
        (b"{'type': 'Feature'}", "geen geldige JSON"),
        (b"[" * 5000 + b"]" * 5000, "te diep genest"),
        (b'{"type": "Polygon", "coordinates": [[[NaN, 52.3]]]}', "NaN"),
    ],
)
def test_what_is_not_json(app, raw: bytes, expected: str) -> None:
    assert expected in refused(raw)


def test_bad_json_names_line_and_column(app) -> None:
    message = refused(b'{\n  "type": "Feature"\n  "geometry": null\n}')
    assert "regel 3" in message and "kolom 3" in message


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        ([1, 2, 3], "een lijst, geen GeoJSON-object"),
        ("Feature", "een tekst, geen GeoJSON-object"),
        ({"coordinates": []}, "‘object zonder type’ kan geen omtrek zijn"),
        ({"type": "Point", "coordinates": [4.86, 52.37]}, "‘Point’ kan geen omtrek zijn"),
        ({"type": "GeometryCollection", "geometries": [POLYGON]}, "‘GeometryCollection’ kan geen omtrek zijn"),
        (feature({"type": "LineString", "coordinates": RING}), "De geometrie is een LineString"),
        (feature(None), "De geometrie is een null"),
        ({"type": "FeatureCollection", "features": []}, "bevat geen features"),
        ({"type": "FeatureCollection"}, "bevat geen features"),
        ({"type": "FeatureCollection", "features": [feature(POLYGON), POLYGON]}, "Feature 2: dit is een Polygon"),
        (
            {
                "type": "FeatureCollection",
                "features": [feature(POLYGON), feature({"type": "Point", "coordinates": [1, 2]})],
            },
            "Feature 2: de geometrie is een Point",
        ),
    ],
)
def test_wrong_types(app, doc: object, expected: str) -> None:
    assert expected in refused(doc)


def polygon_with(ring: list) -> dict:
    return feature({"type": "Polygon", "coordinates": [ring]})


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        # Out of range: RD coordinates (metres) instead of degrees, and latitude past the pole.
        (
            polygon_with([[120000, 487000], [121000, 487000], [121000, 488000], [120000, 487000]]),
            "Ring 1, punt 1: de coördinaten 120000, 487000 liggen buiten het bereik",
        ),
        (
            polygon_with([[4.85, 52.36], [4.87, 95.0], [4.87, 52.38], [4.85, 52.36]]),
            "Ring 1, punt 2: de coördinaten 4.87, 95.0",
        ),
        (
            polygon_with([[4.85, 52.36], [-181, 52.36], [4.87, 52.38], [4.85, 52.36]]),
            "punt 2: de coördinaten -181, 52.36",
        ),
        (
            polygon_with([[4.85, 52.36], [4.87], [4.87, 52.38], [4.85, 52.36]]),
            "punt 2: een punt moet [lengtegraad, breedtegraad] zijn",
        ),
        (
            polygon_with([[4.85, 52.36], ["4.87", 52.36], [4.87, 52.38], [4.85, 52.36]]),
            "een coördinaat is geen getal (4.87)",
        ),
        (
            polygon_with([[4.85, 52.36], [True, 52.36], [4.87, 52.38], [4.85, 52.36]]),
            "een coördinaat is geen getal (True)",
        ),
        (polygon_with([[4.85, 52.36], [4.87, 52.36], [4.85, 52.36]]), "Ring 1: een ring heeft minstens 4 punten nodig"),
        (polygon_with(RING[:-1]), "Ring 1: de ring is niet gesloten"),
        (
            polygon_with([[4.85, 52.36], [4.86, 52.37], [4.87, 52.38], [4.85, 52.36]]),
            "Ring 1: de ring heeft geen oppervlak",
        ),
        (feature({"type": "Polygon", "coordinates": []}), "Een polygoon moet een lijst van ringen zijn"),
        (
            feature({"type": "Polygon", "coordinates": [RING, "ring"]}),
            "Ring 2: een ring moet een lijst van punten zijn",
        ),
        (feature({"type": "MultiPolygon", "coordinates": []}), "De MultiPolygon bevat geen polygonen"),
        (
            feature({"type": "MultiPolygon", "coordinates": [[RING], [RING[:-1]]]}),
            "Polygoon 2, ring 1: de ring is niet gesloten",
        ),
    ],
)
def test_bad_coordinates_say_where(app, doc: object, expected: str) -> None:
    assert expected in refused(doc)


def test_where_names_the_feature_too(app) -> None:
    doc = {"type": "FeatureCollection", "features": [feature(POLYGON), polygon_with(RING[:-1])]}
    assert refused(doc).startswith("Feature 2, ring 1: de ring is niet gesloten")


def test_too_large(app) -> None:
    doc = feature(POLYGON, padding="x" * 2000)
    message = refused(doc, max_bytes=1024)
    assert "te groot (3 kB)" in message and "hoogstens 1 kB" in message
    assert parse(doc, max_bytes=4096).positions == 5


def test_too_many_positions(app) -> None:
    many = [[4.85 + i * 1e-5, 52.36 + (i % 2) * 1e-5] for i in range(50)]
    ring = [[4.85, 52.30], *many, [4.85, 52.30]]
    message = refused(polygon_with(ring), max_positions=40)
    assert "52 punten; hoogstens 40" in message


def test_messages_in_english(app) -> None:
    from wijkfonds.i18n.text import force_locale

    with app.test_request_context(), force_locale("en"):
        message = refused(polygon_with(RING[:-1]))
    assert message.startswith("Ring 1: the ring is not closed")
