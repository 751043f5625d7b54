"""Paths to our own and to the shared pabulib files (importable by name: ``from pabulib_paths import ...``).

The real elections live in ``../shared/pabulib`` (relative to the repository root). They
are not part of the repository, so every test that needs them must skip cleanly when the
directory is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent
DATA_DIR = TESTS_DIR / "data"
REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_PABULIB = (REPO_ROOT / ".." / "shared" / "pabulib").resolve()
# Real elections with their official outcomes (PROJECTS `selected`), kept apart (see its README).
SHARED_OFFICIAL = (REPO_ROOT / ".." / "shared" / "pabulib-official").resolve()


def shared_pabulib_available() -> bool:
    """True when ``../shared/pabulib`` exists next to the repository."""
    return SHARED_PABULIB.is_dir()


def shared_pabulib_files(subdir: str | None = None) -> list[Path]:
    """Sorted ``.pb`` files of ``../shared/pabulib[/subdir]`` (recursive); [] when absent."""
    if not shared_pabulib_available():
        return []
    base = SHARED_PABULIB / subdir if subdir else SHARED_PABULIB
    return sorted(base.rglob("*.pb")) if base.is_dir() else []


def shared_official_files() -> list[Path]:
    """Sorted ``.pb`` files of ``../shared/pabulib-official``; [] when absent."""
    return sorted(SHARED_OFFICIAL.glob("*.pb")) if SHARED_OFFICIAL.is_dir() else []


def every_shared_file() -> list[Path]:
    """Every shared file, ``../shared/pabulib`` then ``pabulib-official``; skips the calling test when there is none."""
    files = shared_pabulib_files() + shared_official_files()
    if not files:
        pytest.skip("../shared/pabulib is absent")
    return files


def shared_pabulib_path(*parts: str) -> Path:
    """Path inside ``../shared/pabulib``; skips the calling test when it does not exist."""
    path = SHARED_PABULIB.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared/pabulib not available)")
    return path


def file_id(path: Path) -> str:
    """Readable pytest id for a parametrized pabulib file: ``subdir/stem``."""
    return f"{path.parent.name}/{path.stem}"
