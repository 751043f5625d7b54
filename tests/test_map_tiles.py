"""The tile route /kaart/tegels/<z>/<x>/<y>.png: strict coordinates, a bounded cache, an upstream that may fail.

The upstream is a real HTTP server on 127.0.0.1 in this process (http.server in a thread);
no test reaches the network.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests import factories as f
from tests.conftest import make_app
from wijkfonds.extensions import db
from wijkfonds.models import Phase

# A tile of the default MAP_BOUNDS (Amsterdam-West) at zoom 15, and its parent at 12.
NEAR = "15/16826/10768"
NEAR_12 = "12/2103/1346"
# Far from the stadsdeel (the Pacific at zoom 15): never fetched.
FAR = "15/0/0"


def png(size: int = 8) -> bytes:
    """A small grey PNG."""
    rows = b"".join(b"\x00" + bytes((220, 220, 220)) * size for _ in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


TILE = png()


class Upstream(BaseHTTPRequestHandler):
    """A tile server whose first path segment says how it answers: png, html, huge, endless, slow, moved, error."""

    requests: list[tuple[str, str]]  # (path, User-Agent), set per server

    def do_GET(self) -> None:
        self.requests.append((self.path, self.headers.get("User-Agent", "")))
        kind = self.path.split("/")[1]
        if kind == "png":
            self.answer(200, TILE, "image/png")
        elif kind == "html":
            self.answer(200, b"<!doctype html><title>Tile</title><script>alert(1)</script>", "image/png")
        elif kind == "huge":  # a PNG's start, then far more than a tile may have
            self.answer(200, TILE + b"\x00" * (2 * 1024 * 1024), "image/png")
        elif kind == "endless":  # no Content-Length: the body ends when the connection does
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(TILE)
                for _ in range(64):
                    self.wfile.write(b"\x00" * 65536)
        elif kind == "slow":
            time.sleep(1.5)
            self.answer(200, TILE, "image/png")
        elif kind == "moved":
            self.send_response(302)
            self.send_header("Location", "/png/0/0/0.png")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.answer(500, b"kapot", "text/plain")

    def answer(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the app stopped reading
            self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        """No access log."""


@pytest.fixture()
def upstream() -> Iterator[dict[str, Any]]:
    """A local tile server: its base URL and the requests it saw."""
    seen: list[tuple[str, str]] = []
    handler = type("Handler", (Upstream,), {"requests": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield {"base": f"http://127.0.0.1:{server.server_port}", "requests": seen}
    finally:
        server.shutdown()
        server.server_close()


def tile_app(database_url: str, tmp_path: Path, upstream: str, **overrides: Any) -> Flask:
    """An app whose tile route caches in tmp_path and fetches from ``upstream`` (a URL template or "")."""
    return make_app(
        database_url,
        MAP_TILE_UPSTREAM=upstream,
        MAP_TILE_CACHE_DIR=str(tmp_path / "tiles"),
        MAP_TILE_TIMEOUT=0.5,
        MAP_TILE_MAX_BYTES=64 * 1024,
        MAP_TILE_CONTACT="kaart@wijkfonds.example",
        **overrides,
    )


def cached_files(tmp_path: Path) -> list[str]:
    """The tiles in the cache (and any half-written file), as relative paths."""
    root = tmp_path / "tiles"
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_tile_is_fetched_once_then_served_from_the_cache(database_url, tmp_path, upstream) -> None:
    app = tile_app(database_url, tmp_path, upstream["base"] + "/png/{z}/{x}/{y}.png")
    client = app.test_client()
    first = client.get(f"/kaart/tegels/{NEAR}.png")
    second = client.get(f"/kaart/tegels/{NEAR}.png")
    for resp in (first, second):
        assert resp.status_code == 200 and resp.data == TILE
        assert resp.mimetype == "image/png"
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert resp.headers["Cache-Control"] == "public, max-age=2592000"
        assert resp.headers["Cross-Origin-Resource-Policy"] == "same-origin"
        assert resp.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert [path for path, _ua in upstream["requests"]] == [f"/png/{NEAR}.png"]
    agent = upstream["requests"][0][1]
    assert agent.startswith("Wijkfonds/") and "kaart@wijkfonds.example" in agent
    assert cached_files(tmp_path) == [f"{NEAR}.png"]
    # The browser's revalidation is answered without the body.
    again = client.get(f"/kaart/tegels/{NEAR}.png", headers={"If-None-Match": second.headers["ETag"]})
    assert again.status_code == 304 and len(upstream["requests"]) == 1


@pytest.mark.parametrize(
    "coordinates",
    [
        "20/0/0",  # above MAP_MAX_ZOOM (19)
        "0/1/0",  # x >= 2**z
        "0/0/1",
        "3/8/0",
        "3/0/8",
        "-1/0/0",
        "01/0/0",  # no leading zeros: one tile, one name
        "1/0/+1",
        "1/0/0x1",
        "1/ 0/0",
        "a/b/c",
        "1.0/0/0",
        "99999999999999999999/0/0",
        "1/0/0.png",  # /kaart/tegels/1/0/0.png.png
        "1/0/١",  # an Arabic-Indic digit is a digit to int(), not to us
    ],
)
def test_bad_coordinates_are_404_and_never_fetched(database_url, tmp_path, upstream, coordinates) -> None:
    app = tile_app(database_url, tmp_path, upstream["base"] + "/png/{z}/{x}/{y}.png")
    resp = app.test_client().get(f"/kaart/tegels/{coordinates}.png")
    assert resp.status_code == 404 and len(resp.data) < 100
    assert upstream["requests"] == [] and cached_files(tmp_path) == []


def test_the_highest_zoom_is_configured(database_url, tmp_path, upstream) -> None:
    app = tile_app(database_url, tmp_path, upstream["base"] + "/png/{z}/{x}/{y}.png", MAP_MAX_ZOOM=12)
    client = app.test_client()
    assert client.get(f"/kaart/tegels/{NEAR_12}.png").status_code == 200
    assert client.get(f"/kaart/tegels/{NEAR}.png").status_code == 404
    assert len(upstream["requests"]) == 1


def test_a_tile_far_from_the_stadsdeel_is_not_fetched(database_url, tmp_path, upstream) -> None:
    app = tile_app(database_url, tmp_path, upstream["base"] + "/png/{z}/{x}/{y}.png")
    client = app.test_client()
    assert client.get(f"/kaart/tegels/{FAR}.png").status_code == 404
    assert upstream["requests"] == []
    # The whole world at zoom 0 and 3 contains the stadsdeel: those are fetched.
    assert client.get("/kaart/tegels/0/0/0.png").status_code == 200
    assert client.get("/kaart/tegels/3/4/2.png").status_code == 200
    assert len(upstream["requests"]) == 2


@pytest.mark.parametrize("kind", ["html", "huge", "endless", "moved", "error"])
def test_an_upstream_answer_that_is_not_a_tile_is_refused_and_not_cached(
    database_url, tmp_path, upstream, kind
) -> None:
    app = tile_app(database_url, tmp_path, upstream["base"] + f"/{kind}/{{z}}/{{x}}/{{y}}.png")
    resp = app.test_client().get(f"/kaart/tegels/{NEAR}.png")
    assert resp.status_code == 502 and resp.mimetype == "text/plain" and len(resp.data) < 100
    assert resp.headers["Cache-Control"] == "no-store"
    assert len(upstream["requests"]) == 1  # a redirect is not followed either
    assert cached_files(tmp_path) == []


def test_a_slow_upstream_is_a_504(database_url, tmp_path, upstream) -> None:
    app = tile_app(database_url, tmp_path, upstream["base"] + "/slow/{z}/{x}/{y}.png")
    started = time.monotonic()
    resp = app.test_client().get(f"/kaart/tegels/{NEAR}.png")
    assert resp.status_code == 504 and len(resp.data) < 100
    assert time.monotonic() - started < 1.4  # the timeout (0.5 s), not the upstream's 1.5 s
    assert cached_files(tmp_path) == []


def test_an_upstream_that_is_down_is_a_502_never_a_500(database_url, tmp_path) -> None:
    with socket.socket() as probe:  # a port on which nobody listens once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = tile_app(database_url, tmp_path, f"http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png")
    resp = app.test_client().get(f"/kaart/tegels/{NEAR}.png")
    assert resp.status_code == 502 and resp.data == b"tile not available\n"
    assert cached_files(tmp_path) == []


def test_offline_serves_only_cached_tiles(database_url, tmp_path, upstream) -> None:
    app = tile_app(database_url, tmp_path, "")
    kept = tmp_path / "tiles" / "12" / "2103" / "1346.png"
    kept.parent.mkdir(parents=True)
    kept.write_bytes(TILE)
    client = app.test_client()
    resp = client.get(f"/kaart/tegels/{NEAR_12}.png")
    assert resp.status_code == 200 and resp.data == TILE and resp.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"/kaart/tegels/{NEAR}.png").status_code == 404
    assert upstream["requests"] == []


@pytest.mark.parametrize(
    "bound",
    [
        {"MAP_TILE_CACHE_MAX_FILES": 1},
        # Room for one tile, then less than the largest tile (MAP_TILE_MAX_BYTES) left.
        {"MAP_TILE_CACHE_MAX_BYTES": 64 * 1024 + len(TILE) - 1},
    ],
)
def test_a_full_cache_fetches_nothing_more(database_url, tmp_path, upstream, bound) -> None:
    app = tile_app(database_url, tmp_path, upstream["base"] + "/png/{z}/{x}/{y}.png", **bound)
    client = app.test_client()
    assert client.get(f"/kaart/tegels/{NEAR}.png").status_code == 200
    for _ in range(2):  # a full cache is offline for new tiles: the upstream is not asked
        resp = client.get(f"/kaart/tegels/{NEAR_12}.png")
        assert resp.status_code == 404 and len(resp.data) < 100
    assert client.get(f"/kaart/tegels/{NEAR}.png").status_code == 200  # kept tiles are still served
    assert cached_files(tmp_path) == [f"{NEAR}.png"]
    assert len(upstream["requests"]) == 1


def test_a_tile_that_no_longer_fits_is_served_but_not_kept(database_url, tmp_path, upstream) -> None:
    # Another worker filled the cache between the check and the store: the visitor still gets it.
    from wijkfonds.blueprints.public.tiles import settings
    from wijkfonds.services.places import tiles

    app = tile_app(database_url, tmp_path, upstream["base"] + "/png/{z}/{x}/{y}.png")
    conf = settings(app)
    assert tiles.store(conf, tiles.Tile(0, 0, 0), TILE) is not None
    full = tiles.TileSettings(**{**conf.__dict__, "max_files": 1})
    path, data = tiles.fetch(conf, tiles.Tile(3, 4, 2))
    assert path is not None and data == TILE
    assert tiles.store(full, tiles.Tile(3, 4, 3), TILE) is None
    assert cached_files(tmp_path) == ["0/0/0.png", "3/4/2.png"]


def test_an_upstream_that_is_not_a_url_template_stops_the_start(database_url) -> None:
    for bad in ("ftp://tiles.example.nl/{z}/{x}/{y}.png", "https://tiles.example.nl/tile.png", "/kaart/{z}/{x}/{y}"):
        with pytest.raises(RuntimeError, match="MAP_TILE_UPSTREAM"):
            make_app(database_url, MAP_TILE_UPSTREAM=bad)


def test_tests_are_offline_unless_they_name_an_upstream(app) -> None:
    assert app.config["MAP_TILE_UPSTREAM"] == ""


def test_the_page_map_points_to_the_local_tile_route(app, client) -> None:
    f.round_(Phase.SUBMISSION)
    db.session.commit()
    body = client.get("/?weergave=kaart").get_data(as_text=True)
    assert 'data-map="overview"' in body
    assert 'data-tile-url="/kaart/tegels/{z}/{x}/{y}.png"' in body
    assert "openstreetmap.org/{z}" not in body


def test_the_privacy_statement_says_tiles_come_from_this_site(client) -> None:
    body = client.get("/privacy/").get_data(as_text=True)
    assert "De achtergrond van de kaart (de kaarttegels) komt van dit platform zelf" in body
    client.get("/taal/en?next=/privacy/")
    english = client.get("/privacy/").get_data(as_text=True)
    assert "The map's background (the map tiles) comes from this platform itself" in english


def test_the_privacy_statement_names_an_external_tile_server(database_url) -> None:
    app = make_app(database_url, MAP_TILE_URL="https://{s}.tiles.example.nl/{z}/{x}/{y}.png")
    with app.app_context():
        body = app.test_client().get("/privacy/").get_data(as_text=True)
    assert "laadt uw browser van *.tiles.example.nl." in body and "De kaartdienst *.tiles.example.nl." in body
    assert "komt van dit platform zelf" not in body
