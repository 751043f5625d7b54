"""From an uploaded file to safe image files: open with Pillow, verify, re-encode, resize.

Nothing of the upload is kept but its pixels. The file must open as JPEG, PNG or WebP
(no other decoder is tried), pass Pillow's ``verify()``, and stay under the pixel limit
before anything is decoded (a decompression bomb is a small file that unpacks to
gigabytes). It is then reopened (``verify()`` leaves an image unusable), turned upright
by its EXIF orientation, converted to sRGB, and written anew at a few widths: EXIF (GPS
included), XMP, comments, ICC profiles and whatever was appended to the file are gone.
Opaque images become JPEG, images with real transparency PNG.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

from wijkfonds.common.translation import gettext as _

ACCEPTED = ("JPEG", "PNG", "WEBP")  # what Pillow may try to decode; nothing else is opened
EXTENSIONS = {"jpeg": "jpg", "png": "png", "webp": "webp"}
MIMETYPES = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
JPEG_QUALITY = 82
_SRGB = ImageCms.createProfile("sRGB")
_HIGH_BIT = ("I", "I;16", "I;16B", "I;16L", "I;16N", "F")


class ImageRefused(Exception):
    """The upload is not an image this site accepts; ``message`` says why, for the form."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Variant:
    """One stored width of a photo."""

    width: int
    height: int
    data: bytes


@dataclass(frozen=True)
class Processed:
    """The re-encoded photo: its content-hash name, format and widths (ascending)."""

    digest: str
    fmt: str
    variants: tuple[Variant, ...]

    @property
    def largest(self) -> Variant:
        """The widest stored file (its size goes into width/height attributes)."""
        return self.variants[-1]


def not_an_image() -> str:
    """The message for anything that is not a JPEG, PNG or WebP image we can read."""
    return _("Dit bestand is geen foto die we kunnen lezen. Kies een foto in JPEG-, PNG- of WebP-formaat.")


def _open(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data), formats=ACCEPTED)


def _check(data: bytes, max_pixels: int) -> None:
    """Identify and verify the file without decoding its pixels; refuse too many pixels."""
    try:
        with _strict_decoding(), _open(data) as probe:
            width, height = probe.size
            probe.verify()
    except Image.DecompressionBombError:
        raise ImageRefused(_too_many(None, None, max_pixels)) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as err:
        raise ImageRefused(not_an_image()) from err
    if width * height > max_pixels:
        raise ImageRefused(_too_many(width, height, max_pixels))
    if width < 1 or height < 1:
        raise ImageRefused(not_an_image())


def _too_many(width: int | None, height: int | None, max_pixels: int) -> str:
    limit = max_pixels // 1_000_000
    if width is None or height is None:
        return _("Deze foto heeft te veel beeldpunten: hoogstens %(n)d miljoen.", n=limit)
    return _(
        "Deze foto is %(w)d × %(h)d beeldpunten; dat mag hoogstens %(n)d miljoen beeldpunten zijn. "
        "Verklein de foto en probeer het opnieuw.",
        w=width,
        h=height,
        n=limit,
    )


@contextlib.contextmanager
def _strict_decoding() -> Iterator[None]:
    """Pillow refuses truncated files while we decode, whatever the process-wide flag says.

    ``ImageFile.LOAD_TRUNCATED_IMAGES`` is global, and a library may set it on import
    (WeasyPrint does, for the year report's PDF): in a worker that once rendered a PDF, a
    PNG whose header lies about its body would otherwise be padded and accepted. Web workers
    are single-threaded, so setting it around our own decoding is enough.
    """
    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before


def _decode(data: bytes, target: int) -> Image.Image:
    """The image's first frame, decoded, upright, in sRGB (RGB or RGBA)."""
    try:
        im = _open(data)
        if im.format == "JPEG":
            im.draft("RGB", (target, target))  # decode at 1/2, 1/4 or 1/8 where that is still large enough
        with _strict_decoding():
            im.load()
        im = ImageOps.exif_transpose(im)
        return _normalize(im)
    # Pillow's decoders raise many kinds of errors on a damaged file; each means the same here.
    except Image.DecompressionBombError:
        raise ImageRefused(not_an_image()) from None
    except Exception as err:
        raise ImageRefused(not_an_image()) from err


def _normalize(im: Image.Image) -> Image.Image:
    if im.mode in _HIGH_BIT:
        im = im.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    transparent = im.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in im.info
    icc = im.info.get("icc_profile")
    if transparent:
        im = im.convert("RGBA")
        alpha_min, _max = im.getchannel("A").getextrema()
        if alpha_min == 255:  # an alpha channel that hides nothing
            im = im.convert("RGB")
    elif im.mode != "RGB":
        converted = _to_srgb(im, icc, "RGB") if im.mode == "CMYK" and icc else None
        im = converted if converted is not None else im.convert("RGB")
        icc = None if converted is not None else icc
    if icc:
        converted = _to_srgb(im, icc, im.mode)
        if converted is not None:
            im = converted
    return im


def _to_srgb(im: Image.Image, icc: bytes, mode: str) -> Image.Image | None:
    """The image converted from its embedded colour profile to sRGB (None: profile unusable)."""
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(im, source, _SRGB, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None


def target_widths(width: int, widths: Sequence[int]) -> list[int]:
    """The widths to store for an image ``width`` wide: each smaller one, and the largest that fits."""
    largest = min(width, max(widths))
    return sorted({w for w in widths if w < largest} | {largest})


def _encode(im: Image.Image, fmt: str) -> bytes:
    im.info = {}  # nothing of the upload's metadata may ride along (Pillow copies info by default)
    buf = io.BytesIO()
    if fmt == "jpeg":
        im.save(buf, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    else:
        im.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def process(data: bytes, *, max_pixels: int, widths: Sequence[int]) -> Processed:
    """Check ``data`` and re-encode it at each of ``widths`` (never wider than the original).

    ImageRefused, with a message for the form, when it is not an accepted image.
    """
    _check(data, max_pixels)
    im = _decode(data, max(widths))
    fmt = "png" if im.mode == "RGBA" else "jpeg"
    variants: list[Variant] = []
    source = im
    for width in sorted(target_widths(im.width, widths), reverse=True):
        height = max(1, round(im.height * width / im.width))
        if (width, height) != source.size:
            # Each smaller width from the one above it: fewer pixels to resample.
            source = source.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        variants.append(Variant(width, height, _encode(source.copy(), fmt)))
    variants.reverse()
    digest = hashlib.sha256(variants[-1].data).hexdigest()[:32]
    return Processed(digest, fmt, tuple(variants))
