"""The allocation engine as a source package of its own, for the auditor's zip (``engine/``).

``wijkfonds.allocation`` imports nothing of the platform (``tests/allocation/test_purity.py``),
so its files plus a small ``pyproject.toml`` install on their own as ``wijkfonds-allocation``:
``python -m pip install ./engine`` in the unzipped folder, and ``python -m wijkfonds.allocation``
is the same command as on the platform. ``wijkfonds`` is then a namespace package holding only
the engine. The dependencies are pinned to the versions this platform runs with.
"""

from __future__ import annotations

import functools
import hashlib
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from flask import current_app

import wijkfonds.allocation

ENGINE_DIR = "engine"
DISTRIBUTION = "wijkfonds-allocation"
PINNED = ("numpy", "pyscipopt")  # what the engine imports beyond the standard library
OPTIONAL = ("gmpy2",)  # makes exact Equal Shares faster; Fraction gives the same outcome
_PACKAGE = Path(wijkfonds.allocation.__file__).resolve().parent
_ROOT = _PACKAGE.parent.parent


@dataclass(frozen=True)
class EngineInfo:
    """Which engine made the export: version, commit (when known), pinned requirements and a digest of its source."""

    version: str
    commit: str | None
    modified: bool  # the engine's files differ from that commit
    requires: tuple[str, ...]
    optional: tuple[str, ...]
    source_sha256: str
    source_url: str | None = None  # the public repository, when configured

    def as_json(self) -> dict[str, object]:
        """The JSON export's ``recompute.engine``."""
        return {
            "distribution": DISTRIBUTION,
            "directory": ENGINE_DIR,
            "version": self.version,
            "commit": self.commit,
            "commit_modified": self.modified,
            "requires": list(self.requires),
            "optional": list(self.optional),
            "source_sha256": self.source_sha256,
            "source_url": self.source_url,
        }


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _git(*args: str) -> str | None:
    if not (_ROOT / ".git").exists():
        return None
    try:
        done = subprocess.run(["git", "-C", str(_ROOT), *args], capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


# The engine's files: its modules, and the quick path's C parts with their type stubs.
_SOURCE_SUFFIXES = (".py", ".c", ".pyi")


def source_files() -> list[tuple[str, bytes]]:
    """(path under the engine folder, content) of every source file of ``wijkfonds.allocation``, sorted."""
    return [
        (path.relative_to(_ROOT).as_posix(), path.read_bytes())
        for path in sorted(p for p in _PACKAGE.rglob("*") if p.suffix in _SOURCE_SUFFIXES)
        if "__pycache__" not in path.parts
    ]


def _extensions() -> str:
    """The pyproject tables that build the C parts; optional, so that a machine without a
    compiler still installs the engine (its command line then runs the same in plain Python)."""
    return "".join(
        f"""
[[tool.setuptools.ext-modules]]
name = "{name[: -len(".c")].replace("/", ".")}"
sources = ["{name}"]
optional = true
extra-compile-args = ["-O3", "-ffp-contract=off"]
"""
        for name in sorted(path.relative_to(_ROOT).as_posix() for path in _PACKAGE.rglob("*.c"))
    )


@functools.cache
def _scan() -> tuple[str, str | None, bool]:
    """(source digest, git commit, engine modified since it) once per process: it reads files and asks git."""
    digest = hashlib.sha256()
    for name, content in source_files():
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(content).hexdigest().encode("ascii") + b"\n")
    commit = _git("rev-parse", "HEAD")
    status = _git("status", "--porcelain", "--", str(_PACKAGE.relative_to(_ROOT))) if commit else None
    return digest.hexdigest(), commit, bool(status)


def info() -> EngineInfo:
    """The running engine: SOURCE_COMMIT from the configuration, else the git checkout's commit."""
    digest, commit, modified = _scan()
    configured = current_app.config.get("SOURCE_COMMIT")
    return EngineInfo(
        version=_version("wijkfonds") or "0+unknown",
        commit=configured or commit,
        modified=modified and not configured,
        requires=tuple(f"{n}=={v}" for n in PINNED if (v := _version(n))),
        optional=tuple(f"{n}=={v}" for n in OPTIONAL if (v := _version(n))),
        source_sha256=digest,
        source_url=current_app.config.get("SOURCE_URL"),
    )


def pyproject_text(engine: EngineInfo) -> str:
    """``engine/pyproject.toml``: the engine alone, with its dependencies pinned."""
    quoted = ", ".join(f'"{r}"' for r in engine.requires)
    optional = ", ".join(f'"{r}"' for r in engine.optional)
    commit = engine.commit or "unknown"
    return f"""\
# The Wijkfonds allocation engine on its own, exactly as it ran on the platform that made
# this export (wijkfonds {engine.version}, commit {commit}).
# Install it in a virtual environment with:  python -m pip install ./engine
# and run it with:                           python -m wijkfonds.allocation --help

[build-system]
requires = ["setuptools>=77"]
build-backend = "setuptools.build_meta"

[project]
name = "{DISTRIBUTION}"
version = "{engine.version}"
description = "Wijkfonds allocation engine: greedy, Equal Shares and an exact ILP on pabulib files"
requires-python = ">=3.11"
license = "AGPL-3.0-or-later"
dependencies = [{quoted}]

[project.optional-dependencies]
fast = [{optional}]

[tool.setuptools.packages.find]
include = ["wijkfonds.allocation*"]
namespaces = true
""" + _extensions()


def zip_files(engine: EngineInfo) -> list[tuple[str, bytes]]:
    """Every file of ``engine/`` in the zip: the pyproject and the engine's modules."""
    files = [(f"{ENGINE_DIR}/pyproject.toml", pyproject_text(engine).encode("utf-8"))]
    files += [(f"{ENGINE_DIR}/{name}", content) for name, content in source_files()]
    return files
