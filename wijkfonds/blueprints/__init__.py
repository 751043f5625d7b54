"""Blueprints, one package per audience.

Each subpackage defines ``bp`` and ``URL_PREFIX`` in its ``__init__.py``; they are found
here automatically, so adding an audience never edits a shared list.
"""

from __future__ import annotations

import importlib
import pkgutil

from flask import Blueprint


def registered() -> list[tuple[Blueprint, str | None]]:
    """(blueprint, url_prefix) for every blueprint package, in name order."""
    found: list[tuple[Blueprint, str | None]] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not info.ispkg:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.append((module.bp, getattr(module, "URL_PREFIX", None)))
    return found
