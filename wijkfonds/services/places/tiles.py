"""Map tiles from this site: a bounded cache on disk, filled server-side from one upstream.

A visitor's browser asks only us for tiles (``/kaart/tegels/<z>/<x>/<y>.png``), so no tile
server learns residents' addresses or which streets they look at, and the upstream sees one
request per tile, not one per visitor (OpenStreetMap's tile usage policy asks heavy users
not to hot-link). What keeps the route from becoming an open proxy or filling the disk:

- coordinates are strict decimals, ``0 <= z <= max_zoom`` and ``0 <= x, y < 2**z``;
- only tiles near the stadsdeel (``area`` widened by ``margin`` tiles at every zoom) are
  fetched; anything else is served only when it is already cached;
- a fetched body is stored only when it is a PNG (its signature and IHDR chunk) of at most
  ``max_tile_bytes``; once the cache holds ``max_files`` files or has no room for one more
  such tile within ``max_cache_bytes``, nothing new is fetched (cached tiles only);
- the upstream gets a short timeout (for the whole answer, not per read) and no redirects.

An empty upstream is offline: cached tiles only.
"""

from __future__ import annotations

import contextlib
import logging
import math
import re
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wijkfonds.services.places.geometry import Bounds

log = logging.getLogger(__name__)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_DECIMAL = re.compile(r"0|[1-9][0-9]{0,7}")
# How long a count of the cache's files stays trusted; other workers' stores show after this.
USAGE_TTL = 60.0


@dataclass(frozen=True)
class Tile:
    """One tile of the Web Mercator pyramid (the slippy map's z/x/y)."""

    z: int
    x: int
    y: int

    @property
    def name(self) -> str:
        """The tile as a relative path: z/x/y.png."""
        return f"{self.z}/{self.x}/{self.y}.png"


@dataclass(frozen=True)
class TileSettings:
    """Where tiles are kept and fetched; built once per app from its config."""

    cache_dir: Path
    upstream: str  # a URL template with {z}, {x}, {y}; "" is offline
    user_agent: str
    timeout: float
    max_zoom: int
    max_tile_bytes: int
    max_files: int
    max_cache_bytes: int
    area: Bounds | None  # the tiles that may be fetched (None: any)
    margin: int  # tiles around the area, at every zoom


class TileUnavailable(Exception):
    """The upstream gave no usable tile: ``status`` is 502 (a bad answer) or 504 (no answer in time)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def check_upstream(template: str) -> str:
    """The template stripped, or ValueError when it is neither empty nor an http(s) URL with {z}, {x} and {y}."""
    template = template.strip()
    if not template:
        return ""
    if not re.match(r"https?://[^/?#@\s]+/", template) or not all(k in template for k in ("{z}", "{x}", "{y}")):
        raise ValueError(
            f"MAP_TILE_UPSTREAM must be empty or an http(s) URL template with {{z}}, {{x}}, {{y}}: {template!r}"
        )
    return template


def parse_tile(z: str, x: str, y: str, max_zoom: int) -> Tile | None:
    """The tile named by the URL's parts, or None when any part is not a plain decimal in range."""
    if not all(_DECIMAL.fullmatch(part) for part in (z, x, y)):
        return None
    zoom, col, row = int(z), int(x), int(y)
    if zoom > max_zoom or col >= (1 << zoom) or row >= (1 << zoom):
        return None
    return Tile(zoom, col, row)


def _column(lon: float, zoom: int) -> int:
    return min((1 << zoom) - 1, max(0, math.floor((lon + 180.0) / 360.0 * (1 << zoom))))


def _row(lat: float, zoom: int) -> int:
    lat = max(-85.0511, min(85.0511, lat))
    rad = math.radians(lat)
    value = (1.0 - math.asinh(math.tan(rad)) / math.pi) / 2.0 * (1 << zoom)
    return min((1 << zoom) - 1, max(0, math.floor(value)))


def near_area(tile: Tile, area: Bounds | None, margin: int) -> bool:
    """True when ``tile`` lies within ``margin`` tiles of ``area`` at its zoom (always, without an area)."""
    if area is None:
        return True
    west, east = _column(area.west, tile.z), _column(area.east, tile.z)
    north, south = _row(area.north, tile.z), _row(area.south, tile.z)
    return west - margin <= tile.x <= east + margin and north - margin <= tile.y <= south + margin


def widen(box: Bounds, ratio: float) -> Bounds:
    """``box`` with ``ratio`` of its width and height added on every side (Leaflet's LatLngBounds.pad)."""
    dx, dy = (box.east - box.west) * ratio, (box.north - box.south) * ratio
    return Bounds(
        max(-180.0, box.west - dx), max(-90.0, box.south - dy), min(180.0, box.east + dx), min(90.0, box.north + dy)
    )


def is_png(data: bytes) -> bool:
    """True when ``data`` starts as a PNG does: the signature, then an IHDR chunk of 13 bytes."""
    return data[:8] == PNG_SIGNATURE and data[8:16] == b"\x00\x00\x00\x0dIHDR"


def cached(settings: TileSettings, tile: Tile) -> Path | None:
    """The cached file of ``tile``, if there is one."""
    path = settings.cache_dir / tile.name
    return path if path.is_file() else None


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # urllib then raises the 3xx as an HTTPError: a bad answer


_OPENER = urllib.request.build_opener(_NoRedirects)


def download(settings: TileSettings, tile: Tile) -> bytes:
    """The tile's PNG from the upstream; TileUnavailable when it does not give one in time."""
    url = settings.upstream.replace("{z}", str(tile.z)).replace("{x}", str(tile.x)).replace("{y}", str(tile.y))
    request = urllib.request.Request(url, headers={"User-Agent": settings.user_agent, "Accept": "image/png"})
    deadline = time.monotonic() + settings.timeout
    try:
        with _OPENER.open(request, timeout=settings.timeout) as response:
            if response.status != 200:
                raise TileUnavailable(502, f"upstream answered {response.status}")
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > settings.max_tile_bytes:
                raise TileUnavailable(502, f"upstream tile of {declared} bytes")
            body = bytearray()
            while len(body) <= settings.max_tile_bytes:
                if time.monotonic() > deadline:
                    raise TileUnavailable(504, "upstream too slow")
                chunk = response.read1(65536)
                if not chunk:
                    break
                body += chunk
    except TileUnavailable:
        raise
    except urllib.error.HTTPError as err:
        raise TileUnavailable(502, f"upstream answered {err.code}") from None
    except TimeoutError:
        raise TileUnavailable(504, "upstream timed out") from None
    except urllib.error.URLError as err:
        status = 504 if isinstance(err.reason, TimeoutError) else 502
        raise TileUnavailable(status, f"upstream unreachable: {err.reason}") from None
    except OSError as err:  # a connection reset half-way, a malformed answer
        raise TileUnavailable(502, f"upstream failed: {err}") from None
    if len(body) > settings.max_tile_bytes:
        raise TileUnavailable(502, f"upstream tile over {settings.max_tile_bytes} bytes")
    if not is_png(bytes(body)):
        raise TileUnavailable(502, "upstream answer is not a PNG")
    return bytes(body)


# Per cache directory: (when counted, files, bytes). Stores in this process add to it at once.
_usage: dict[Path, tuple[float, int, int]] = {}
_usage_lock = threading.Lock()


def usage(cache_dir: Path, *, fresh: bool = False) -> tuple[int, int]:
    """(files, bytes) in the cache, counted again at most every USAGE_TTL seconds (or when ``fresh``)."""
    with _usage_lock:
        known = _usage.get(cache_dir)
        if known is not None and not fresh and time.monotonic() - known[0] < USAGE_TTL:
            return known[1], known[2]
        files = size = 0
        for tile_file in cache_dir.glob("*/*/*.png"):
            with contextlib.suppress(OSError):  # removed meanwhile
                size += tile_file.stat().st_size
                files += 1
        _usage[cache_dir] = (time.monotonic(), files, size)
        return files, size


def store(settings: TileSettings, tile: Tile, data: bytes) -> Path | None:
    """Keep ``data`` as the tile's file (written whole, then renamed); None when the cache is full."""
    files, size = usage(settings.cache_dir)
    if files + 1 > settings.max_files or size + len(data) > settings.max_cache_bytes:
        log.warning(
            "map tile cache %s is full (%d files, %d bytes): %s not stored", settings.cache_dir, files, size, tile.name
        )
        return None
    path = settings.cache_dir / tile.name
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".", suffix=".part", delete=False) as part:
        part_path = Path(part.name)
        try:
            part.write(data)
        except OSError:
            part_path.unlink(missing_ok=True)
            raise
    part_path.replace(path)  # whole or not at all, for a reader in another worker
    with _usage_lock:
        counted, known_files, known_size = _usage.get(settings.cache_dir, (time.monotonic(), files, size))
        _usage[settings.cache_dir] = (counted, known_files + 1, known_size + len(data))
    return path


def is_full(settings: TileSettings) -> bool:
    """True when the cache may have no room for one more tile of the largest size."""
    files, size = usage(settings.cache_dir)
    return files + 1 > settings.max_files or size + settings.max_tile_bytes > settings.max_cache_bytes


def fetch(settings: TileSettings, tile: Tile) -> tuple[Path | None, bytes]:
    """Download ``tile`` and keep it: (its file, or None when another worker filled the cache meanwhile; its bytes).

    Raises TileUnavailable (the upstream failed) and LookupError (offline, the tile is far
    from the stadsdeel, or the cache is full: a full cache is offline for new tiles, so the
    route never passes one visitor's requests on to the upstream again and again).
    """
    if not settings.upstream or not near_area(tile, settings.area, settings.margin):
        raise LookupError(tile.name)
    if is_full(settings):
        files, size = usage(settings.cache_dir)
        log.warning(
            "map tile cache %s is full (%d files, %d bytes): %s not fetched", settings.cache_dir, files, size, tile.name
        )
        raise LookupError(tile.name)
    data = download(settings, tile)
    return store(settings, tile, data), data
