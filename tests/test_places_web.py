"""The map on the site: outline uploads (staff), a plan's point on the form, the GeoJSON endpoints, the map view."""

from __future__ import annotations

import io
import json

import pytest
from flask import Flask
from sqlalchemy import select

from tests import factories as f
from tests import factories_resident as fr
from wijkfonds.demo.places import OUTLINES, outline_geojson
from wijkfonds.extensions import db
from wijkfonds.models import AuditEvent, DistrictOutline, Initiative, Phase, Role, Status

MERCATORPLEIN = ("52.3668", "4.8530")  # in De Baarsjes
TEN_KATEMARKT = ("52.3688", "4.8667")  # in Oud-West
AMSTERDAM_NOORD = ("52.3990", "4.9150")  # outside stadsdeel West's box


def _staff(auth):
    u = f.user(Role.STAFF)
    db.session.commit()
    auth.login(u)
    return u


def _upload(client, slug: str, raw: bytes, name: str = "gebied.geojson"):
    district = f.district(slug)
    return client.post(
        f"/beheer/gebieden/{district.id}/omtrek",
        data={"file": (io.BytesIO(raw), name)},
        content_type="multipart/form-data",
    )


def _outline(slug: str = "de-baarsjes") -> None:
    """Give a district its (approximate, demo) outline, as staff would."""
    from wijkfonds.services.places.outlines import set_outline

    set_outline(f.district(slug), outline_geojson(slug), actor=f.user(Role.STAFF))
    db.session.commit()


# --- outlines: upload, serve, remove ------------------------------------------------------------


def test_staff_upload_an_outline_and_anyone_reads_it(client, auth) -> None:
    _staff(auth)
    resp = _upload(client, "de-baarsjes", outline_geojson("de-baarsjes"))
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/beheer/gebieden/omtrekken")
    district = f.district("de-baarsjes")
    row = db.session.get(DistrictOutline, district.id)
    assert row is not None and row.positions == len(OUTLINES["de-baarsjes"])
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert event.kind == "district.outline_set"
    listing = client.get("/beheer/gebieden/omtrekken").get_data(as_text=True)
    assert f"{row.positions} punten" in listing

    auth.logout()
    one = client.get(f"/gebieden/{district.id}/omtrek.geojson")
    assert one.status_code == 200 and one.mimetype == "application/geo+json"
    data = one.get_json(force=True)
    assert data["type"] == "Feature" and data["properties"]["name"] == "De Baarsjes"
    assert data["geometry"]["type"] == "MultiPolygon"
    assert data["geometry"]["coordinates"][0][0][0] == list(OUTLINES["de-baarsjes"][0])
    everything = client.get("/kaart/gebieden.geojson")
    assert everything.mimetype == "application/geo+json"
    assert [x["properties"]["name"] for x in everything.get_json(force=True)["features"]] == ["De Baarsjes"]
    again = client.get("/kaart/gebieden.geojson", headers={"If-None-Match": everything.headers["ETag"]})
    assert again.status_code == 304


def test_a_district_without_outline_has_no_geojson(client) -> None:
    resp = client.get(f"/gebieden/{f.district('oud-west').id}/omtrek.geojson")
    assert resp.status_code == 404 and "grens (nog) niet bekend" in resp.get_data(as_text=True)
    assert client.get("/gebieden/999999/omtrek.geojson").status_code == 404
    assert client.get("/kaart/gebieden.geojson").get_json(force=True) == {"type": "FeatureCollection", "features": []}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"{niet json", "Het bestand is geen geldige JSON"),
        (json.dumps({"type": "Point", "coordinates": [4.86, 52.37]}).encode(), "‘Point’ kan geen omtrek zijn"),
        (
            json.dumps(
                {
                    "type": "Polygon",
                    "coordinates": [[[120000, 487000], [121000, 487000], [121000, 488000], [120000, 487000]]],
                }
            ).encode(),
            "RD-coördinaten",
        ),
        # Latitude and longitude swapped: valid degrees, but in the Indian Ocean.
        (
            json.dumps(
                {"type": "Polygon", "coordinates": [[[lat, lon] for lon, lat in OUTLINES["oud-west"]]]}
            ).encode(),
            "Staan lengte- en breedtegraad misschien omgewisseld?",
        ),
    ],
)
def test_a_bad_outline_is_refused_with_what_is_wrong(client, auth, raw: bytes, expected: str) -> None:
    _staff(auth)
    resp = _upload(client, "oud-west", raw)
    assert resp.status_code == 422
    assert expected in resp.get_data(as_text=True)
    assert db.session.scalars(select(DistrictOutline)).first() is None


def test_no_file_and_a_file_too_large(app: Flask, client, auth) -> None:
    _staff(auth)
    district = f.district("oud-west")
    resp = client.post(f"/beheer/gebieden/{district.id}/omtrek", data={}, content_type="multipart/form-data")
    assert resp.status_code == 422 and "Kies een GeoJSON-bestand." in resp.get_data(as_text=True)
    app.config["MAP_OUTLINE_MAX_BYTES"] = 200
    resp = _upload(client, "oud-west", outline_geojson("oud-west") + b" " * 400)
    assert resp.status_code == 422
    assert "Het bestand is te groot" in resp.get_data(as_text=True)
    assert db.session.get(DistrictOutline, district.id) is None


def test_remove_an_outline(client, auth) -> None:
    _outline("westerpark")
    _staff(auth)
    district = f.district("westerpark")
    page = client.get(f"/beheer/gebieden/{district.id}/omtrek").get_data(as_text=True)
    assert "Omtrek verwijderen" in page
    resp = client.post(f"/beheer/gebieden/{district.id}/omtrek/verwijderen")
    assert resp.status_code == 302
    assert db.session.get(DistrictOutline, district.id) is None
    assert client.get(f"/gebieden/{district.id}/omtrek.geojson").status_code == 404
    again = client.post(f"/beheer/gebieden/{district.id}/omtrek/verwijderen")
    assert again.status_code == 409 and "Dit gebied heeft geen omtrek." in again.get_data(as_text=True)


def test_a_new_outline_warns_about_plans_left_outside(client, auth) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    f.initiative(
        rnd, district_slug="de-baarsjes", title="Bankjes bij de Ten Katemarkt", latitude=52.3688, longitude=4.8667
    )
    f.initiative(rnd, district_slug="de-baarsjes", title="Mercatorplein", latitude=52.3668, longitude=4.8530)
    db.session.commit()
    _staff(auth)
    resp = _upload(client, "de-baarsjes", outline_geojson("de-baarsjes"))
    assert resp.status_code == 302
    page = client.get("/beheer/gebieden/omtrekken").get_data(as_text=True)
    assert "1 plan in dit gebied heeft een punt buiten de nieuwe omtrek: ‘Bankjes bij de Ten Katemarkt’" in page


def test_outline_pages_are_for_staff(client, auth) -> None:
    resident = f.user()
    db.session.commit()
    auth.login(resident)
    assert client.get("/beheer/gebieden/omtrekken").status_code == 403
    assert _upload(client, "oud-west", outline_geojson("oud-west")).status_code == 403
    assert db.session.scalars(select(DistrictOutline)).first() is None


# --- a plan's point on the form ------------------------------------------------------------------


def _resident(auth):
    u = f.user()
    db.session.commit()
    auth.login(u)
    return u


def _submit(client, rnd, **over):
    return client.post("/initiatieven/nieuw", data=fr.initiative_form(rnd, **over))


def test_a_point_inside_the_district_is_stored(client, auth) -> None:
    _outline("de-baarsjes")
    rnd = f.round_(Phase.SUBMISSION)
    _resident(auth)
    resp = _submit(client, rnd, latitude="52,36684449", longitude=" 4.853 ")
    assert resp.status_code == 302
    ini = db.session.scalars(select(Initiative)).one()
    assert (ini.latitude, ini.longitude, ini.location) == (52.366844, 4.853, "Mercatorplein")
    page = client.get(f"/initiatieven/{ini.id}").get_data(as_text=True)
    assert "Mercatorplein" in page and "breedtegraad 52,36684, lengtegraad 4,85300" in page
    assert 'data-map="point"' in page and 'data-lat="52.366844"' in page
    assert "vendor/leaflet/leaflet.js" in page


def test_a_point_outside_the_district_names_it(client, auth) -> None:
    _outline("de-baarsjes")
    rnd = f.round_(Phase.SUBMISSION)
    _resident(auth)
    resp = _submit(client, rnd, latitude=TEN_KATEMARKT[0], longitude=TEN_KATEMARKT[1])
    assert resp.status_code == 422
    body = resp.get_data(as_text=True)
    assert "Dit punt ligt buiten het gebied De Baarsjes." in body
    assert 'id="latitude-error"' in body and 'aria-invalid="true"' in body
    assert 'value="52.3688"' in body  # what was typed stays
    assert db.session.scalars(select(Initiative)).first() is None
    # The same point is fine for the district it lies in (which has no outline: the stadsdeel's box).
    ok = _submit(client, rnd, district=f.district("oud-west").id, latitude=TEN_KATEMARKT[0], longitude=TEN_KATEMARKT[1])
    assert ok.status_code == 302


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        (
            {"latitude": "52.3668", "longitude": ""},
            "longitude",
            "Vul ook de lengtegraad in, of laat beide velden leeg.",
        ),
        ({"latitude": "", "longitude": "4.853"}, "latitude", "Vul ook de breedtegraad in, of laat beide velden leeg."),
        ({"latitude": "52°22'", "longitude": "4.853"}, "latitude", "Vul een getal in graden in"),
        ({"latitude": "52.3668", "longitude": "vier"}, "longitude", "Vul een getal in graden in"),
        ({"latitude": "1e3", "longitude": "4.853"}, "latitude", "Vul een getal in graden in"),
        ({"latitude": "95", "longitude": "4.853"}, "latitude", "De breedtegraad ligt tussen −90 en 90"),
        ({"latitude": "52.3668", "longitude": "-190"}, "longitude", "De lengtegraad ligt tussen −180 en 180"),
    ],
)
def test_both_or_neither_and_numbers(client, auth, over, field, message) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    _resident(auth)
    resp = _submit(client, rnd, **over)
    assert resp.status_code == 422
    body = resp.get_data(as_text=True)
    assert message in body and f'id="{field}-error"' in body
    assert db.session.scalars(select(Initiative)).first() is None


def test_without_an_outline_the_stadsdeel_box_counts_and_the_form_says_so(client, auth) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    _resident(auth)
    form = client.get("/initiatieven/nieuw").get_data(as_text=True)
    assert "is de grens nog niet bekend: daar is elk punt binnen het stadsdeel goed" in form
    assert 'inputmode="decimal"' in form and 'data-map="picker"' in form
    resp = _submit(client, rnd, latitude=AMSTERDAM_NOORD[0], longitude=AMSTERDAM_NOORD[1])
    assert resp.status_code == 422
    assert "Dit punt ligt buiten het stadsdeel. Van De Baarsjes is de grens nog niet bekend" in resp.get_data(
        as_text=True
    )
    assert _submit(client, rnd, latitude=TEN_KATEMARKT[0], longitude=TEN_KATEMARKT[1]).status_code == 302


def test_no_point_at_all_is_fine(client, auth) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    _resident(auth)
    assert _submit(client, rnd, latitude="", longitude="  ").status_code == 302
    ini = db.session.scalars(select(Initiative)).one()
    assert ini.latitude is None and ini.longitude is None
    page = client.get(f"/initiatieven/{ini.id}").get_data(as_text=True)
    assert "Mercatorplein" in page and 'data-map="point"' not in page and "leaflet.js" not in page


def test_edit_moves_and_clears_the_point(client, auth) -> None:
    _outline("de-baarsjes")
    rnd = f.round_(Phase.SUBMISSION)
    me = _resident(auth)
    ini = f.initiative(rnd, me, district_slug="de-baarsjes", latitude=52.3668, longitude=4.853)
    db.session.commit()
    form = client.get(f"/initiatieven/{ini.id}/bewerken").get_data(as_text=True)
    assert 'value="52.3668"' in form and 'value="4.853"' in form
    data = fr.initiative_form(rnd, latitude="52.3642", longitude="4.8515")
    assert client.post(f"/initiatieven/{ini.id}/bewerken", data=data).status_code == 302
    db.session.refresh(ini)
    assert (ini.latitude, ini.longitude) == (52.3642, 4.8515)
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert {"latitude", "longitude"} <= set(json.loads(event.payload)["fields"])
    outside = fr.initiative_form(rnd, latitude=TEN_KATEMARKT[0], longitude=TEN_KATEMARKT[1])
    assert client.post(f"/initiatieven/{ini.id}/bewerken", data=outside).status_code == 422
    cleared = fr.initiative_form(rnd, latitude="", longitude="")
    assert client.post(f"/initiatieven/{ini.id}/bewerken", data=cleared).status_code == 302
    db.session.refresh(ini)
    assert ini.latitude is None and ini.longitude is None


# --- plans as points, the map view ---------------------------------------------------------------


def _plans():
    rnd = f.round_(Phase.SUBMISSION)
    a = f.initiative(
        rnd,
        district_slug="de-baarsjes",
        title="Zomeravonden",
        location="Mercatorplein",
        latitude=52.3668,
        longitude=4.853,
    )
    b = f.initiative(
        rnd, district_slug="oud-west", title="Schaken", location="Bellamyplein", latitude=52.3695, longitude=4.869
    )
    c = f.initiative(rnd, district_slug="oud-west", title="Zonder punt", location="Kinkerstraat")
    d = f.initiative(
        rnd, district_slug="oud-west", title="Ingetrokken", status=Status.WITHDRAWN, latitude=52.37, longitude=4.87
    )
    db.session.commit()
    return rnd, a, b, c, d


def test_plans_as_points(client) -> None:
    _rnd, a, b, _c, _d = _plans()
    resp = client.get("/kaart/plannen.geojson")
    assert resp.status_code == 200 and resp.mimetype == "application/geo+json"
    data = resp.get_json(force=True)
    assert data["type"] == "FeatureCollection"
    by_id = {x["id"]: x for x in data["features"]}
    assert set(by_id) == {a.id, b.id}  # no point, withdrawn: not on the map
    point = by_id[a.id]
    assert point["geometry"] == {"type": "Point", "coordinates": [4.853, 52.3668]}
    assert point["properties"] == {
        "id": a.id,
        "title": "Zomeravonden",
        "status": "submitted",
        "status_label": "Ingediend",
        "district": "De Baarsjes",
        "location": "Mercatorplein",
        "url": f"/initiatieven/{a.id}",
    }
    only = client.get(f"/kaart/plannen.geojson?district={f.district('oud-west').id}").get_json(force=True)
    assert [x["id"] for x in only["features"]] == [b.id]
    withdrawn = client.get("/kaart/plannen.geojson?status=withdrawn").get_json(force=True)
    assert [x["properties"]["title"] for x in withdrawn["features"]] == ["Ingetrokken"]


def test_plans_as_points_without_a_round(client) -> None:
    assert client.get("/kaart/plannen.geojson").get_json(force=True) == {"type": "FeatureCollection", "features": []}


def test_the_map_view_works_without_javascript(client) -> None:
    _rnd, a, b, c, d = _plans()
    resp = client.get("/?weergave=kaart")
    assert resp.status_code == 200
    body = resp.get_data(as_text=True)
    assert 'aria-current="page">Kaart</a>' in body and 'href="/">Lijst</a>' in body
    assert '<p class="notice" id="map-note">De kaart heeft JavaScript nodig' in body
    assert "3 plannen gevonden" in body and "2 met een punt op de kaart" in body
    for ini in (a, b, c):
        assert f'href="/initiatieven/{ini.id}"' in body
    assert f'href="/initiatieven/{d.id}"' not in body
    assert "Oud-West · Kinkerstraat" in body and "(niet op de kaart)" in body
    assert 'data-map="overview"' in body and 'data-points-url="/kaart/plannen.geojson"' in body
    assert "Legenda" in body and "map-symbol--funded" in body
    assert 'name="weergave" value="kaart"' in body  # the filters keep the view
    assert "vendor/leaflet/leaflet.css" in body
    listing = client.get("/").get_data(as_text=True)
    assert "leaflet" not in listing and 'href="/?weergave=kaart">Kaart</a>' in listing


def test_the_map_view_filters_and_its_htmx_fragment(client) -> None:
    _rnd, a, b, _c, _d = _plans()
    oud_west = f.district("oud-west").id
    headers = {"HX-Request": "true", "HX-Target": "initiative-list"}
    resp = client.get(f"/?weergave=kaart&district={oud_west}", headers=headers)
    body = resp.get_data(as_text=True)
    assert body.lstrip().startswith('<div id="initiative-list"') and "<html" not in body
    assert f'data-points-url="/kaart/plannen.geojson?district={oud_west}"' in body
    assert f'href="/initiatieven/{b.id}"' in body and f'href="/initiatieven/{a.id}"' not in body
    assert "weergave=kaart" in client.get(f"/?weergave=kaart&district={oud_west}").get_data(as_text=True)


def test_an_unknown_view_is_the_list(client) -> None:
    _plans()
    body = client.get("/?weergave=globe").get_data(as_text=True)
    assert 'aria-current="page">Lijst</a>' in body and 'data-map="overview"' not in body


# --- tiles and the Content-Security-Policy -------------------------------------------------------


def test_by_default_tiles_come_from_this_site_and_the_csp_allows_only_self(client) -> None:
    csp = client.get("/").headers["Content-Security-Policy"]
    assert "img-src 'self' data:;" in csp and "openstreetmap" not in csp
    assert "style-src 'self';" in csp and "script-src 'self';" in csp


def test_an_external_tile_url_is_allowed_by_the_csp(database_url: str) -> None:
    from tests.conftest import make_app

    app = make_app(database_url, MAP_TILE_URL="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    with app.app_context():
        resp = app.test_client().get("/")
        assert "img-src 'self' data: https://tile.openstreetmap.org;" in resp.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("template", "source"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.example.nl:8443/{z}/{x}/{y}{r}.png", "https://*.tile.example.nl:8443"),
        ("http://127.0.0.1:5000/tiles/{z}/{x}/{y}.png", "http://127.0.0.1:5000"),
        ("/kaart/tegels/{z}/{x}/{y}.png", None),
        ("", None),
    ],
)
def test_tile_source(template: str, source: str | None) -> None:
    from wijkfonds.web.maps import tile_source

    assert tile_source(template) == source


@pytest.mark.parametrize(
    "template",
    [
        "ftp://tiles.example.nl/{z}/{x}/{y}.png",
        "https://tiles.example.nl; script-src *;/{z}.png",
        "https://user@tiles.example.nl/{z}/{x}/{y}.png",
        "//tiles.example.nl/{z}/{x}/{y}.png",
        "tiles.example.nl/{z}/{x}/{y}.png",
    ],
)
def test_a_tile_url_that_could_bend_the_policy_is_refused(template: str) -> None:
    from wijkfonds.web.maps import tile_source

    with pytest.raises(ValueError, match="MAP_TILE_URL"):
        tile_source(template)


def test_bad_map_bounds_stop_the_start(database_url: str) -> None:
    from tests.conftest import make_app

    with pytest.raises(RuntimeError, match="MAP_BOUNDS"):
        make_app(database_url, MAP_BOUNDS="4.9,52.3")


# --- the demo's places ---------------------------------------------------------------------------


def test_demo_points_lie_in_their_demo_districts() -> None:
    """Every point the demo gives a plan (nudged apart as the loader does) lies in that plan's district only."""
    from wijkfonds.demo import content
    from wijkfonds.demo.places import PLACES, VOTING_PLACES, _point
    from wijkfonds.demo.voting import PLANS
    from wijkfonds.services.places.geometry import contains

    named = [(i.district, i.location) for i in content.INITIATIVES if i.location]
    named += [(slug, VOTING_PLACES[title]) for slug, title, *_rest in PLANS if title in VOTING_PLACES]
    assert len(named) >= 40
    seen: dict[str, int] = {}
    for slug, location in named:
        assert location in PLACES, location
        point = _point(location, seen)
        assert point is not None
        lat, lon = point
        inside = [s for s, ring in OUTLINES.items() if contains([[ring]], (lon, lat))]
        assert inside == [slug], (location, inside)
