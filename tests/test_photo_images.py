"""Uploads are untrusted: what services.media.images keeps of a file (its pixels) and what it refuses."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from PIL import Image

from tests import factories_media as fm
from wijkfonds.services.media.images import ImageRefused, process, target_widths

WIDTHS = (320, 640, 1280)
LIMIT = 40_000_000


def _run(data: bytes):
    return process(data, max_pixels=LIMIT, widths=WIDTHS)


def _open(data: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(data))
    im.load()
    return im


def test_a_jpeg_with_gps_comes_back_without_any_exif(app: Flask) -> None:
    original = fm.jpeg_with_gps()
    assert _open(original).getexif().get_ifd(fm.GPS_IFD)[2] == fm.LATITUDE  # the upload does say where
    result = _run(original)
    assert [v.width for v in result.variants] == [320, 640, 1280]
    for variant in result.variants:
        stored = _open(variant.data)
        assert stored.format == "JPEG"
        assert dict(stored.getexif()) == {} and stored.getexif().get_ifd(fm.GPS_IFD) == {}
        assert "exif" not in stored.info and "comment" not in stored.info and "icc_profile" not in stored.info
        assert b"Exif" not in variant.data and b"Telefoonmerk" not in variant.data and b"<script>" not in variant.data
        assert stored.size == (variant.width, variant.height)


def test_the_exif_orientation_is_applied_before_it_is_dropped(app: Flask) -> None:
    """A phone photo held upright is stored landscape with 'turn 90°' in EXIF: it is stored upright."""
    result = _run(fm.jpeg_with_gps(size=(1600, 1200), orientation=6))
    assert (result.largest.width, result.largest.height) == (1200, 1600)
    stored = _open(result.largest.data)
    assert stored.size == (1200, 1600) and fm.ORIENTATION not in stored.getexif()


def test_a_png_with_php_appended_is_re_encoded_and_the_payload_is_gone(app: Flask) -> None:
    data = fm.png_with_php()
    assert data.endswith(fm.PHP) and _open(data).format == "PNG"  # Pillow opens it: it is a real PNG
    result = _run(data)
    assert result.fmt == "jpeg"  # opaque: stored as JPEG
    for variant in result.variants:
        assert b"<?php" not in variant.data and b"system(" not in variant.data
        assert _open(variant.data).format == "JPEG"


def test_an_svg_with_a_script_is_refused(app: Flask) -> None:
    with pytest.raises(ImageRefused) as err:
        _run(fm.SVG)
    assert "geen foto die we kunnen lezen" in err.value.message and "JPEG-, PNG- of WebP" in err.value.message


@pytest.mark.parametrize(
    "data",
    [
        b"Dit is gewoon tekst, met de naam foto.jpg.\n" * 20,
        b"",
        fm.jpeg()[:400],  # a JPEG cut off after its headers
        fm.gif(),  # a real image, in a format the site does not take
        b"<html><script>alert(1)</script></html>",
        b"GIF89a<script>alert(1)</script>",
    ],
    ids=["text-named-jpg", "empty", "truncated-jpeg", "gif", "html", "gif-html-polyglot"],
)
def test_anything_that_is_not_a_readable_jpeg_png_or_webp_is_refused(app: Flask, data: bytes) -> None:
    with pytest.raises(ImageRefused) as err:
        _run(data)
    assert "geen foto die we kunnen lezen" in err.value.message


def test_a_decompression_bomb_is_refused_before_its_pixels_are_decoded(app: Flask) -> None:
    data = fm.bomb()  # 9000 x 9000: 81 million pixels in about 10 KB
    assert len(data) < 100_000
    with pytest.raises(ImageRefused) as err:
        _run(data)
    assert "9000 × 9000 beeldpunten" in err.value.message and "40 miljoen" in err.value.message


def test_a_header_that_claims_a_giant_image_is_refused_without_decoding(app: Flask) -> None:
    """50,000 x 50,000 is past Pillow's own bomb limit: refused, with the pixel message."""
    with pytest.raises(ImageRefused) as err:
        _run(fm.png_header_only(50_000, 50_000))
    assert "te veel beeldpunten" in err.value.message


def test_a_png_whose_header_lies_about_its_body_is_refused(app: Flask) -> None:
    with pytest.raises(ImageRefused) as err:
        _run(fm.png_header_only(800, 600))
    assert "geen foto die we kunnen lezen" in err.value.message


def test_a_lying_png_is_refused_even_when_a_library_let_pillow_load_truncated_files(app: Flask, monkeypatch) -> None:
    """WeasyPrint (the year report's PDF) sets Pillow's global LOAD_TRUNCATED_IMAGES on import."""
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    with pytest.raises(ImageRefused):
        _run(fm.png_header_only(800, 600))
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # put back as it was


def test_transparency_is_kept_as_png_and_opaque_images_become_jpeg(app: Flask) -> None:
    clear = _run(fm.png(mode="RGBA", colour=(10, 160, 90, 100)))
    assert clear.fmt == "png" and _open(clear.largest.data).mode == "RGBA"
    opaque_alpha = _run(fm.png(mode="RGBA", colour=(10, 160, 90, 255)))
    assert opaque_alpha.fmt == "jpeg"
    assert _run(fm.webp()).fmt == "jpeg"
    grey16 = _run(fm.png(size=(400, 300), mode="I;16", colour=40_000))
    assert grey16.fmt == "jpeg" and _open(grey16.largest.data).mode == "RGB"


def test_widths_never_exceed_the_original(app: Flask) -> None:
    assert target_widths(2000, WIDTHS) == [320, 640, 1280]
    assert target_widths(500, WIDTHS) == [320, 500]
    assert target_widths(200, WIDTHS) == [200]
    small = _run(fm.jpeg(size=(500, 250)))
    assert [(v.width, v.height) for v in small.variants] == [(320, 160), (500, 250)]


def test_the_name_is_the_content_hash_and_the_same_photo_gets_the_same_name(app: Flask) -> None:
    import hashlib

    one, two = _run(fm.jpeg_with_gps()), _run(fm.jpeg_with_gps())
    assert one.digest == two.digest == hashlib.sha256(one.largest.data).hexdigest()[:32]
    assert _run(fm.jpeg(colour=(1, 2, 3))).digest != one.digest


def test_an_embedded_colour_profile_is_applied_and_not_stored(app: Flask) -> None:
    from PIL import ImageCms

    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buf = io.BytesIO()
    Image.new("RGB", (400, 300), (200, 50, 50)).save(buf, "JPEG", icc_profile=srgb)
    assert _open(buf.getvalue()).info["icc_profile"] == srgb
    result = _run(buf.getvalue())
    stored = _open(result.largest.data)
    assert "icc_profile" not in stored.info
    red, green, blue = stored.getpixel((200, 150))
    assert abs(red - 200) < 8 and abs(green - 50) < 8 and abs(blue - 50) < 8  # sRGB to sRGB keeps the colour
