"""The map's background tiles from this site (services/places/tiles): a visitor's browser asks no tile server."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, Response, current_app, send_file
from flask.typing import ResponseReturnValue

from wijkfonds.blueprints.public import bp
from wijkfonds.services.places import tiles
from wijkfonds.services.places.geometry import parse_bbox

SETTINGS = "wijkfonds.map_tiles"
# A tile needs nothing else; opened on its own it may run nothing and load nothing.
TILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def settings(app: Flask) -> tiles.TileSettings:
    """The tile settings from the app's config, made once per app."""
    found: tiles.TileSettings | None = app.extensions.get(SETTINGS)
    if found is None:
        cfg = app.config
        found = tiles.TileSettings(
            cache_dir=Path(cfg["MAP_TILE_CACHE_DIR"]),
            upstream=tiles.check_upstream(cfg["MAP_TILE_UPSTREAM"]),
            user_agent=f"Wijkfonds/1.0 (participatory budgeting platform; tile cache; contact: {cfg['MAP_TILE_CONTACT']})",
            timeout=float(cfg["MAP_TILE_TIMEOUT"]),
            max_zoom=int(cfg["MAP_MAX_ZOOM"]),
            max_tile_bytes=int(cfg["MAP_TILE_MAX_BYTES"]),
            max_files=int(cfg["MAP_TILE_CACHE_MAX_FILES"]),
            max_cache_bytes=int(cfg["MAP_TILE_CACHE_MAX_BYTES"]),
            # map.js keeps the view within MAP_BOUNDS widened by half its size (maxBounds: box.pad(0.5)).
            area=tiles.widen(parse_bbox(cfg["MAP_BOUNDS"]), 0.5),
            margin=int(cfg["MAP_TILE_AREA_MARGIN"]),
        )
        app.extensions[SETTINGS] = found
    return found


def small(status: int, text: str) -> Response:
    """A tiny plain answer that no cache keeps: the map shows outlines and points without the tile."""
    response = Response(text + "\n", status=status, mimetype="text/plain")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def as_tile(response: Response, max_age: int) -> Response:
    """The headers of every tile: PNG only, never sniffed, cached long by browsers."""
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = TILE_CSP
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@bp.route("/kaart/tegels/<z>/<x>/<y>.png")
def map_tile(z: str, x: str, y: str) -> ResponseReturnValue:
    """One tile: from the cache, else fetched from the upstream (404 bad or unknown, 502/504 upstream failed)."""
    conf = settings(current_app)
    tile = tiles.parse_tile(z, x, y, conf.max_zoom)
    if tile is None:
        return small(404, "no such tile")
    max_age = int(current_app.config["MAP_TILE_MAX_AGE"])
    path = tiles.cached(conf, tile)
    if path is None:
        try:
            path, data = tiles.fetch(conf, tile)
        except LookupError:
            return small(404, "tile not available")
        except tiles.TileUnavailable as err:
            current_app.logger.warning("map tile %s: %s", tile.name, err.reason)
            return small(err.status, "tile not available")
        if path is None:  # the cache filled up meanwhile: this visitor still gets the tile
            return as_tile(Response(data, mimetype="image/png"), max_age)
    response = send_file(path, mimetype="image/png", conditional=True, etag=True, max_age=None)
    return as_tile(response, max_age)
