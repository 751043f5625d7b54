"""Map settings for templates and the Content-Security-Policy: the tile host and the stadsdeel's box.

Leaflet loads background tiles as <img> elements from ``MAP_TILE_URL``, so the policy's
img-src must allow exactly that origin and nothing more. It is derived from the configured
template once, when the app is made: ``https://tile.openstreetmap.org/{z}/{x}/{y}.png``
gives ``https://tile.openstreetmap.org``; a ``{s}`` subdomain gives ``https://*.host``; a
path on this site (``/...``) needs nothing beyond 'self' (the default: this site's own tile
route, ``/kaart/tegels/...``, blueprints/public/tiles.py); an empty template, no tiles.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, url_for

from wijkfonds.i18n.languages import request_language
from wijkfonds.i18n.text import gettext as _
from wijkfonds.services.places.geometry import parse_bbox
from wijkfonds.services.places.tiles import check_upstream

_HOST = re.compile(r"(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d{1,5})?")


def tile_source(template: str) -> str | None:
    """The CSP source that lets the browser load tiles from ``template`` (None: 'self' suffices).

    Raises ValueError for a template that is not an http(s) URL or a path on this site, or
    whose host could smuggle anything else into the policy.
    """
    template = template.strip()
    if not template or (template.startswith("/") and not template.startswith("//")):
        return None
    parts = urlsplit(template)
    host = parts.netloc
    if host.startswith("{s}."):
        host = "*." + host[len("{s}.") :]
    if parts.scheme not in ("http", "https") or not _HOST.fullmatch(host):
        raise ValueError(f"MAP_TILE_URL must be an http(s) URL template or a path on this site, not {template!r}")
    return f"{parts.scheme}://{host}"


def init_maps(app: Flask) -> str:
    """Check the map settings (a clear error at start-up), expose ``map_data`` to templates;
    return the img-src sources of the Content-Security-Policy."""
    source = tile_source(app.config["MAP_TILE_URL"])
    try:
        check_upstream(app.config["MAP_TILE_UPSTREAM"])
    except ValueError as err:
        raise RuntimeError(f"WIJKFONDS_{err}") from None
    try:
        box = parse_bbox(app.config["MAP_BOUNDS"])
    except ValueError as err:
        raise RuntimeError(f"MAP_BOUNDS (WIJKFONDS_MAP_BOUNDS): {err}") from None
    bbox = f"{box.west},{box.south},{box.east},{box.north}"

    def map_data(kind: str, **extra: Any) -> dict[str, Any]:
        """The data-* attributes of a map container (see static/js/map.js), for ``|xmlattr``."""
        attrs = {
            "data-map": kind,
            "data-tile-url": app.config["MAP_TILE_URL"].strip(),
            "data-attribution": app.config["MAP_TILE_ATTRIBUTION"],
            "data-attribution-url": app.config["MAP_TILE_ATTRIBUTION_URL"],
            "data-max-zoom": app.config["MAP_MAX_ZOOM"],
            "data-bounds": bbox,
            "data-outlines-url": url_for("public.outlines_geojson"),
            "data-zoom-in": _("Inzoomen"),
            "data-zoom-out": _("Uitzoomen"),
            "data-close": _("Sluiten"),
        }
        attrs.update({f"data-{k.replace('_', '-')}": v for k, v in extra.items() if v is not None})
        return attrs

    app.jinja_env.globals["map_data"] = map_data
    app.jinja_env.globals["format_point"] = format_point
    app.jinja_env.globals["map_bounds"] = box
    app.jinja_env.filters["degrees"] = degrees
    return "'self' data:" + (f" {source}" if source else "")


def degrees(value: float, places: int = 5) -> str:
    """Degrees as a decimal in the page's language (a comma in Dutch): 52,37310."""
    text = f"{value:.{places}f}"
    return text.replace(".", ",") if request_language().decimal == "," else text


def format_point(latitude: float, longitude: float) -> str:
    """A point as text in the page's language: "breedtegraad 52,37310, lengtegraad 4,86500"."""
    return _("breedtegraad %(lat)s, lengtegraad %(lon)s", lat=degrees(latitude), lon=degrees(longitude))
