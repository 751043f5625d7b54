"""Shared fixtures of the allocation tests: paths to our own and to the shared pabulib files.

The real elections live in ``../shared/pabulib`` (relative to the repository root). They
are not part of the repository, so every test that needs them must skip cleanly when the
directory is absent: use the ``shared_pabulib`` fixture, ``shared_pabulib_path(...)``, or
parametrize over ``shared_pabulib_files(...)`` (an empty list makes pytest skip the test).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pabulib_paths import (  # re-exported for `from conftest import ...`
    DATA_DIR,
    REPO_ROOT,
    SHARED_PABULIB,
    TESTS_DIR,
    file_id,
    shared_pabulib_available,
    shared_pabulib_files,
    shared_pabulib_path,
)

__all__ = [
    "DATA_DIR",
    "REPO_ROOT",
    "SHARED_PABULIB",
    "TESTS_DIR",
    "file_id",
    "shared_pabulib_available",
    "shared_pabulib_files",
    "shared_pabulib_path",
]


@pytest.fixture
def shared_pabulib() -> Path:
    """The ``../shared/pabulib`` directory; skips the test when it is absent."""
    if not shared_pabulib_available():
        pytest.skip(f"{SHARED_PABULIB} is absent")
    return SHARED_PABULIB


@pytest.fixture
def data_dir() -> Path:
    """Our own small hand-made ``.pb`` files (tests/allocation/data)."""
    return DATA_DIR
