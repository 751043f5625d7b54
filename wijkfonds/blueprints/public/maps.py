"""The map's data: district outlines and the listed plans as GeoJSON (application/geo+json)."""

from __future__ import annotations

import json
from typing import Any

from flask import Response, abort, current_app, request, url_for
from flask.typing import ResponseReturnValue

from wijkfonds.blueprints.public import bp, browse
from wijkfonds.blueprints.public.context import get_or_404
from wijkfonds.i18n.text import gettext as _
from wijkfonds.models import District, Initiative
from wijkfonds.services.labels import STATUSES
from wijkfonds.services.places import outlines
from wijkfonds.services.rounds.lookup import current_round

GEOJSON = "application/geo+json"


def geojson_response(data: dict[str, Any]) -> ResponseReturnValue:
    """``data`` as GeoJSON with an ETag: a browser asks again each time and gets a 304 when nothing changed."""
    response = Response(json.dumps(data, ensure_ascii=False, separators=(",", ":")), mimetype=GEOJSON)
    response.headers["Cache-Control"] = "no-cache"
    response.add_etag()
    return response.make_conditional(request)


@bp.route("/kaart/gebieden.geojson")
def outlines_geojson() -> ResponseReturnValue:
    """The outlines of every active district that has one, as a FeatureCollection."""
    return geojson_response(outlines.collection())


@bp.route("/gebieden/<int:district_id>/omtrek.geojson")
def district_outline(district_id: int) -> ResponseReturnValue:
    """One district's outline as a Feature (404 when it has none)."""
    district = get_or_404(District, district_id, _("Dit gebied bestaat niet."))
    row = outlines.get(district.id)
    if row is None or not district.active:
        abort(404, description=_("Van dit gebied is de grens (nog) niet bekend."))
    return geojson_response(outlines.feature(district, row))


def plan_feature(ini: Initiative) -> dict[str, Any]:
    """A plan with a point as a GeoJSON Feature: what a marker and its pop-up show."""
    return {
        "type": "Feature",
        "id": ini.id,
        "geometry": {"type": "Point", "coordinates": [ini.longitude, ini.latitude]},
        "properties": {
            "id": ini.id,
            "title": ini.title,
            "status": ini.status,
            "status_label": str(STATUSES.get(ini.status, ini.status)),
            "district": ini.district.name,
            "location": ini.location,
            "url": url_for("public.detail", initiative_id=ini.id),
        },
    }


@bp.route("/kaart/plannen.geojson")
def plan_points() -> ResponseReturnValue:
    """The current round's plans that have a point, with the overview's filters, as a FeatureCollection."""
    rnd = current_round()
    features: list[dict[str, Any]] = []
    if rnd is not None:
        filters = browse.parse(request.args, rnd)
        stmt = browse.query(rnd, filters).where(Initiative.latitude.is_not(None), Initiative.longitude.is_not(None))
        items, _total = browse.places(stmt, current_app.config["MAP_MAX_POINTS"])
        features = [plan_feature(i) for i in items]
    return geojson_response({"type": "FeatureCollection", "features": features})
