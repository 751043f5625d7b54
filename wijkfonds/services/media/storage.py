"""Where photo files live: UPLOAD_DIR/photos/<first two digits>/<digest>-<width>.<ext>.

The directory is outside static/, so nothing there is ever served by the static route;
the file route serves only names that a photo row holds. Names come from the content,
so a file is written once and never changes (a long browser cache is safe).
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from wijkfonds.services.media.images import EXTENSIONS, Processed

_FORMATS = {ext: fmt for fmt, ext in EXTENSIONS.items()}
NAME = re.compile(r"^(?P<digest>[0-9a-f]{32})-(?P<width>[1-9][0-9]{0,4})\.(?P<ext>jpg|png|webp)$")


@dataclass(frozen=True)
class FileName:
    """A photo file's name taken apart."""

    digest: str
    width: int
    fmt: str


def parse_name(name: str) -> FileName | None:
    """The parts of a stored file's name, or None for any other name."""
    match = NAME.fullmatch(name)
    if match is None:
        return None
    return FileName(match["digest"], int(match["width"]), _FORMATS[match["ext"]])


def file_name(digest: str, width: int, fmt: str) -> str:
    """The name of one stored width of a photo."""
    return f"{digest}-{width}.{EXTENSIONS[fmt]}"


def root() -> Path:
    """The photos' directory under the configured UPLOAD_DIR."""
    return Path(current_app.config["UPLOAD_DIR"]) / "photos"


def path_of(name: str) -> Path:
    """Where the file with this (checked) name is kept."""
    return root() / name[:2] / name


def save(processed: Processed) -> None:
    """Write every width of a photo (atomically; a file that already exists is the same file)."""
    for variant in processed.variants:
        target = path_of(file_name(processed.digest, variant.width, processed.fmt))
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}")
        try:
            with tmp.open("wb") as fh:
                fh.write(variant.data)
                fh.flush()
                os.fsync(fh.fileno())
            tmp.replace(target)
        finally:
            tmp.unlink(missing_ok=True)


def exists(digest: str, fmt: str, widths: tuple[int, ...]) -> bool:
    """True when every width of this photo is on disk."""
    return all(path_of(file_name(digest, w, fmt)).is_file() for w in widths)


def remove(digest: str, fmt: str, widths: tuple[int, ...]) -> int:
    """Delete a photo's files; returns how many were there."""
    removed = 0
    for width in widths:
        path = path_of(file_name(digest, width, fmt))
        if path.is_file():
            path.unlink()
            removed += 1
    return removed
