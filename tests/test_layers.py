"""What may import what (ARCHITECTURE.md, "What may import what"), checked on the source."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "wijkfonds"

# For each part of the package: the parts of wijkfonds it may import (besides itself).
ALLOWED: dict[str, set[str]] = {
    "allocation": set(),
    "integrity": set(),
    "common": {"i18n"},
    "models": {"extensions", "common"},
    "database": {"extensions"},
    "i18n": {"config", "extensions"},
    "services": {"models", "extensions", "common", "database", "allocation", "integrity", "config", "i18n"},
    "blueprints": {"services", "models", "web", "common", "extensions", "i18n", "allocation", "database"},
    "web": {"blueprints", "cli", "common", "config", "database", "extensions", "i18n", "models", "services", "tasks"},
}


def _part(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "wijkfonds" else None


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            if node.module == "wijkfonds":
                found.extend((node.lineno, f"wijkfonds.{alias.name}") for alias in node.names)
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
    return found


@pytest.mark.parametrize("part", sorted(ALLOWED))
def test_each_part_imports_only_what_it_may(part: str) -> None:
    bad = []
    for path in sorted((PACKAGE / part).rglob("*.py")):
        for lineno, module in _imports(path):
            target = _part(module)
            if target is not None and target != part and target not in ALLOWED[part]:
                bad.append(f"{path.relative_to(PACKAGE.parent)}:{lineno} imports {module}")
    assert not bad, "\n".join(bad)


def test_blueprints_do_not_import_each_others_routes() -> None:
    bad = []
    for path in sorted((PACKAGE / "blueprints").rglob("*.py")):
        own = path.relative_to(PACKAGE / "blueprints").parts[0]
        for lineno, module in _imports(path):
            parts = module.split(".")
            if parts[:2] == ["wijkfonds", "blueprints"] and len(parts) > 3 and parts[2] != own and parts[3] == "routes":
                bad.append(f"{path.relative_to(PACKAGE.parent)}:{lineno} imports {module}")
    assert not bad, "\n".join(bad)


def test_the_rule_sees_imports() -> None:
    """The check itself finds an import that breaks a rule (so it cannot pass by finding nothing)."""
    found = _imports(PACKAGE / "services" / "voting" / "ballots.py")
    assert any(_part(m) == "models" for _, m in found)
