"""Real image files for the photo tests, made with Pillow in memory."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112
LATITUDE = (52.0, 22.0, 12.5)  # somewhere in Amsterdam-West


def jpeg(size: tuple[int, int] = (1600, 1200), colour: tuple[int, int, int] = (40, 120, 200), **save: object) -> bytes:
    """A plain JPEG."""
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, "JPEG", **save)
    return buf.getvalue()


def gps_exif(orientation: int | None = None) -> Image.Exif:
    """EXIF with a camera make, a GPS position (the GPS IFD) and optionally an orientation."""
    exif = Image.Exif()
    exif[0x010F] = "Telefoonmerk"  # Make
    exif[0x0110] = "Model X"  # Model
    if orientation is not None:
        exif[ORIENTATION] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = LATITUDE
    gps[3] = "E"
    gps[4] = (4.0, 51.0, 40.0)
    return exif


def jpeg_with_gps(size: tuple[int, int] = (1600, 1200), orientation: int | None = None) -> bytes:
    """A JPEG whose EXIF says where it was taken (and, optionally, how to turn it)."""
    return jpeg(size, exif=gps_exif(orientation), comment=b"<script>alert(1)</script>")


def png(size: tuple[int, int] = (800, 600), mode: str = "RGB", colour: object = (10, 160, 90)) -> bytes:
    """A PNG (mode RGBA with a translucent colour keeps real transparency)."""
    buf = io.BytesIO()
    Image.new(mode, size, colour).save(buf, "PNG")  # type: ignore[arg-type]
    return buf.getvalue()


def webp(size: tuple[int, int] = (900, 600)) -> bytes:
    """A WebP image."""
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 60, 60)).save(buf, "WEBP")
    return buf.getvalue()


def gif(size: tuple[int, int] = (300, 200)) -> bytes:
    """A GIF: a real image, but not a format the site takes."""
    buf = io.BytesIO()
    Image.new("RGB", size, (1, 2, 3)).save(buf, "GIF")
    return buf.getvalue()


PHP = b"<?php system($_GET['c']); ?>"


def png_with_php() -> bytes:
    """A valid PNG with a PHP web shell appended after its IEND chunk (a classic polyglot)."""
    return png() + PHP


SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200">'
    b'<script>alert(document.cookie)</script><rect width="200" height="200" fill="red"/></svg>'
)


def bomb(width: int = 9_000, height: int = 9_000) -> bytes:
    """A one-bit PNG of 81 million pixels that is only a few kilobytes on disk."""
    buf = io.BytesIO()
    Image.new("1", (width, height), 0).save(buf, "PNG", optimize=True)
    return buf.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` x ``height`` (RGBA) over a tiny, broken image body."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )
