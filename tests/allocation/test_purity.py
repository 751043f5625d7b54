"""The allocation engine is a pure library: importing all of it loads no web framework or ORM."""

from __future__ import annotations

import ast
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import wijkfonds.allocation

REPO_ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("flask", "sqlalchemy", "werkzeug", "jinja2", "pabutools")


def _all_modules() -> list[str]:
    """Every module of wijkfonds.allocation (rules included), found on disk.

    ``__main__`` is left out: importing it runs the command line, and it only imports ``cli``.
    """
    package = wijkfonds.allocation
    return [
        package.__name__,
        *sorted(
            m.name
            for m in pkgutil.walk_packages(package.__path__, prefix=package.__name__ + ".")
            if not m.name.endswith(".__main__")
        ),
    ]


def _python(script: str) -> subprocess.CompletedProcess[str]:
    """Run ``script`` in a fresh interpreter from the repository root (its exit status is checked by the caller)."""
    return subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=False
    )


def test_allocation_modules_import_without_web_or_orm() -> None:
    modules = _all_modules()
    assert "wijkfonds.allocation.rules.greedy" in modules and "wijkfonds.allocation.explain" in modules
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})))\n"
    )
    done = _python(script)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def test_package_import_does_not_load_the_solver() -> None:
    script = "import sys, wijkfonds.allocation, wijkfonds.allocation.rules\nprint('pyscipopt' in sys.modules)\n"
    done = _python(script)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def _imports(path: Path) -> list[tuple[str, list[str], bool]]:
    """(module, imported names, under TYPE_CHECKING) for every ``from ... import`` of a module."""
    found: list[tuple[str, list[str], bool]] = []

    def visit(node: ast.AST, typing_only: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                visit(child, True)
            elif isinstance(child, ast.ImportFrom):
                module = "." * child.level + (child.module or "")
                found.append((module, [a.name for a in child.names], typing_only))
            else:
                visit(child, typing_only)

    visit(ast.parse(path.read_text()), False)
    return found


def test_no_module_imports_another_modules_private_names() -> None:
    """Private names stay in their module, also for type checking: shared types live in a module of their own."""
    package = Path(wijkfonds.allocation.__file__).parent
    offenders = [
        f"{path.relative_to(package)}: from {module} import {name}"
        for path in sorted(package.rglob("*.py"))
        for module, names, _ in _imports(path)
        for name in names
        if name.startswith("_") and not name.startswith("__")
    ]
    typing_only = [
        f"{path.relative_to(package)}: from {module}"
        for path in sorted(package.rglob("*.py"))
        for module, _, under_type_checking in _imports(path)
        # Other libraries (numpy, pathlib) may be imported for types only: the quick path
        # of the command line must not load them (wijkfonds.allocation.quick).
        if under_type_checking and module.startswith((".", "wijkfonds"))
    ]
    assert offenders == []
    assert typing_only == []  # an own module imported only for typing hides an import circle


def _absolute(module: str, level: int, path: Path, package: Path) -> str:
    """The absolute name of ``from <level dots><module> import ...`` in ``path``, a file of ``package``."""
    if not level:
        return module
    # the package that holds the file: wijkfonds.allocation[.rules]
    here = ["wijkfonds", *path.parent.relative_to(package.parent).parts]
    base = here[: len(here) - (level - 1)]
    return ".".join([*base, module] if module else base)


def test_the_engine_imports_nothing_of_the_platform() -> None:
    """Every import of wijkfonds.allocation stays inside it, so the auditor's zip can ship it alone (engine/)."""
    package = Path(wijkfonds.allocation.__file__).parent
    outside = []
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [_absolute(node.module or "", node.level, path, package)]
            outside += [
                f"{path.relative_to(package)}: {name}"
                for name in names
                if name.split(".")[0] == "wijkfonds" and not (name + ".").startswith("wijkfonds.allocation.")
            ]
    assert outside == []
    from wijkfonds.allocation import explain

    assert all(name.startswith("wijkfonds.allocation.") for name in explain._RULE_MODULES)
