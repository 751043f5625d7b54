"""The auditor's recompute from the export alone: one command everywhere, the engine in the zip, pabutools.

The slow test follows LEESMIJ.txt literally in a fresh virtual environment made by
``python3.11 -m venv``: it runs the lines that LEESMIJ.txt gives after "$" (so a wrong line
fails it), which install the engine from the zip's ``engine/`` folder, and compares the
command's selection with the published one. pip finds numpy, pyscipopt and setuptools through
the machine's own pip configuration (on this machine a local index: no network needed).
"""

from __future__ import annotations

import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from tests import factories as f
from tests import factories_results as fr
from wijkfonds.allocation.pabulib import read_pb
from wijkfonds.extensions import db
from wijkfonds.models import BlockQuota, Role
from wijkfonds.services.results import engine_source, recompute
from wijkfonds.services.results.publication import publish

ROOT = Path(__file__).resolve().parents[1]
COMMAND = re.compile(r"^    \$ (.+)$", re.MULTILINE)


def _published(rule: str = "greedy", completion: str = "none", *, seed: int = 11, max_share: bool = False):
    rnd, inis = fr.closed_round(seed=seed, per_district=6, voters=15, total=120_000)
    if max_share:
        # a building block whose name has a space (most of the 21 have), so that the option needs quoting
        spaced = min((i for i in inis if " " in i.block.name_nl), key=lambda i: i.cost)
        db.session.add(BlockQuota(round_id=rnd.id, block_id=spaced.block_id, max_bp=500))
    staff = f.user(Role.STAFF)
    run = fr.finished_run(rnd, staff, rule, completion)
    assert run.status == "done", run.error
    publish(run, reason="", actor=staff)
    db.session.commit()
    return rnd, run


def _unzip(client, auth, rnd_id: int, into: Path) -> Path:
    auth.login(f.user(Role.AUDITOR))
    db.session.commit()
    resp = client.get(f"/controle/ronde/{rnd_id}/export.zip")
    assert resp.status_code == 200
    with zipfile.ZipFile(io.BytesIO(resp.data)) as zf:
        zf.extractall(into)
    return into


def _sections(readme: str) -> tuple[str, str]:
    """The Dutch and the English part of LEESMIJ.txt."""
    nl, sep, en = readme.partition("README (English)")
    assert sep, "LEESMIJ.txt has no English part"
    return nl, en


def _json(folder: Path) -> dict:
    return json.loads(next(folder.glob("*.json")).read_text(encoding="utf-8"))


def _expected(run) -> dict[str, set[str]]:
    """Published selection per district name."""
    out: dict[str, set[str]] = {}
    for pid in run.result["selected"]:
        out.setdefault(run.result["outcomes"][pid]["district"], set()).add(pid)
    return out


def test_page_json_and_leesmij_give_the_identical_command(client, auth, tmp_path: Path) -> None:
    rnd, _run = _published("mes", "add1")
    folder = _unzip(client, auth, rnd.id, tmp_path)
    command = _json(folder)["recompute"]["command"]
    pb_files = sorted(p.name for p in (folder / "pb").glob("*.pb"))
    assert command.startswith("python -m wijkfonds.allocation ")
    # every district file by its exact name in the zip, in order, then the published rule
    assert command.split(" --rule ")[0].split()[3:] == [f"pb/{name}" for name in pb_files]
    assert "--rule mes --completion add1 --budget 120000" in command and command.endswith("--check-selected --json")
    page = html.unescape(client.get(f"/controle/ronde/{rnd.id}").get_data(as_text=True))
    nl, en = _sections((folder / "LEESMIJ.txt").read_text(encoding="utf-8"))
    assert f"$ {command}\n" in page
    assert command in COMMAND.findall(nl) and command in COMMAND.findall(en)
    assert COMMAND.findall(nl) == COMMAND.findall(en)  # the English part gives the same lines
    assert _json(folder)["recompute"]["steps"] == [*recompute.INSTALL_STEPS, command]
    assert COMMAND.findall(nl)[: len(recompute.INSTALL_STEPS) + 1] == _json(folder)["recompute"]["steps"]


def test_a_category_with_a_space_is_quoted_once_for_all_three(client, auth, tmp_path: Path) -> None:
    rnd, run = _published("greedy", max_share=True)
    folder = _unzip(client, auth, rnd.id, tmp_path)
    data = _json(folder)["recompute"]
    option = data["argv"][data["argv"].index("--category-max") + 1]
    assert " " in option  # building blocks have names of several words
    assert f"--category-max '{option}'" in data["command"]
    readme = (folder / "LEESMIJ.txt").read_text(encoding="utf-8")
    assert data["command"] in COMMAND.findall(readme)
    # the command as the shell splits it runs in this venv and reproduces the published run
    argv = [sys.executable, *data["argv"][1:]]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # this checkout's engine, whatever the venv's install points at
    done = subprocess.run(argv, cwd=folder, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert set(out["selected"]) == set(run.result["selected"]) and out["check_selected"]["same"] is True
    # the bound pabutools does not know is named as a reason it may differ
    assert any("maximum share" in r for r in data["pabutools"]["reasons"])
    assert "maximumaandeel per bouwsteen" in readme


def test_leesmij_lists_the_zip_the_engine_and_the_expected_selection(client, auth, tmp_path: Path) -> None:
    rnd, run = _published("greedy")
    folder = _unzip(client, auth, rnd.id, tmp_path)
    nl, en = _sections((folder / "LEESMIJ.txt").read_text(encoding="utf-8"))
    engine = engine_source.info()
    for part in (nl, en):
        assert f"{rnd.slug}.csv" in part and f"{rnd.slug}.json" in part and "controle/" in part
        assert engine.source_sha256 in part and run.input_digest in part
        assert "numpy==" in part and "pyscipopt==" in part
    assert "Python 3.11" in nl and "Python 3.11" in en
    by_district = _expected(run)
    for line in (ln for ln in nl.splitlines() if ln.startswith("  pb/") and "): " in ln):
        name, district = re.match(r"  (pb/\S+) \((.+)\): ", line).groups()
        funded = line.split("): ", 1)[1]
        assert (folder / name).exists()
        listed = set() if funded == "geen plannen gefinancierd" else set(funded.split())
        assert listed == by_district.get(district, set()), district
    assert sum(1 for ln in nl.splitlines() if ln.startswith("  pb/") and "): " in ln) == len(list(folder.glob("pb/*")))


def test_the_engine_folder_is_the_running_engine_with_pinned_requirements(client, auth, tmp_path: Path) -> None:
    rnd, _run = _published("greedy")
    folder = _unzip(client, auth, rnd.id, tmp_path)
    engine = folder / "engine"
    package = Path(engine_source.__file__).resolve().parents[2] / "allocation"
    ours = sorted(p.relative_to(package).as_posix() for p in package.rglob("*.py") if "__pycache__" not in p.parts)
    shipped = engine / "wijkfonds" / "allocation"
    assert sorted(p.relative_to(shipped).as_posix() for p in shipped.rglob("*.py")) == ours
    assert all((shipped / name).read_bytes() == (package / name).read_bytes() for name in ours)
    assert not (engine / "wijkfonds" / "__init__.py").exists()  # the platform itself is not in the zip
    pyproject = (engine / "pyproject.toml").read_text(encoding="utf-8")
    for name in ("numpy", "pyscipopt"):
        assert f'"{name}=={metadata.version(name)}"' in pyproject
    assert _json(folder)["recompute"]["engine"]["requires"] == list(engine_source.info().requires)


def test_no_command_before_publication(client, auth, tmp_path: Path) -> None:
    rnd, _inis = fr.closed_round(seed=3)
    db.session.commit()
    folder = _unzip(client, auth, rnd.id, tmp_path)
    assert _json(folder)["recompute"]["command"] is None
    readme = (folder / "LEESMIJ.txt").read_text(encoding="utf-8")
    assert "nog geen uitslag gepubliceerd" in readme and "No outcome has been published yet" in readme
    assert COMMAND.findall(readme) == []
    assert "wijkfonds.allocation pb/" not in client.get(f"/controle/ronde/{rnd.id}").get_data(as_text=True)


def _pabutools_selection(folder: Path) -> dict[str, set[str]]:
    """Run the zip's pabutools script in this venv (pabutools is a dev dependency): file name -> selection."""
    done = subprocess.run(
        [sys.executable, recompute.PABUTOOLS_SCRIPT],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = {}
    for line in done.stdout.splitlines():
        name, _sep, ids = line.partition(": ")
        out[name.rstrip(":")] = set(ids.split())
    return out


@pytest.mark.parametrize(
    "case",
    [
        ("greedy", "none", 11),
        ("greedy", "none", 5),
        ("mes", "none", 11),
        ("mes", "add1", 11),
        ("mes", "add1-greedy", 7),
    ],
    ids=lambda c: "-".join(map(str, c)),
)
def test_pabutools_script_reproduces_greedy_and_equal_shares(client, auth, tmp_path: Path, case) -> None:
    rule, completion, seed = case
    assert metadata.version("pabutools") == recompute.PABUTOOLS.split("==")[1]  # the version LEESMIJ names
    rnd, run = _published(rule, completion, seed=seed)
    folder = _unzip(client, auth, rnd.id, tmp_path)
    readme = (folder / "LEESMIJ.txt").read_text(encoding="utf-8")
    script = (folder / recompute.PABUTOOLS_SCRIPT).read_text(encoding="utf-8")
    nl, en = _sections(readme)
    # LEESMIJ shows the script as it is in the zip, and how to run it
    for part in (nl, en):
        assert "\n".join("    " + ln if ln else "" for ln in script.splitlines()) in part.replace("    \n", "\n")
        assert f"python -m pip install {recompute.PABUTOOLS}" in COMMAND.findall(part)
        assert f"python {recompute.PABUTOOLS_SCRIPT}" in COMMAND.findall(part)
    data = _json(folder)["recompute"]["pabutools"]
    assert data["possible"] is True and data["call"] in script and data["reasons"] == []
    found = _pabutools_selection(folder)
    files = {f"pb/{p.name}": read_pb(p).meta["district"] for p in (folder / "pb").glob("*.pb")}
    assert sorted(found) == sorted(files)  # pabutools names the zip's own files
    expected = _expected(run)
    for name, district in files.items():
        assert found[name] == expected.get(district, set()), name
    assert set().union(*found.values()) == set(run.result["selected"])


@pytest.mark.parametrize("rule", ["ilp", "greedy-stop"])
def test_rules_pabutools_cannot_reproduce_say_so(client, auth, tmp_path: Path, rule) -> None:
    rnd, _run = _published(rule)
    folder = _unzip(client, auth, rnd.id, tmp_path)
    assert not (folder / recompute.PABUTOOLS_SCRIPT).exists()
    data = _json(folder)["recompute"]["pabutools"]
    assert data["possible"] is False and data["call"] is None and data["reasons"]
    nl, en = _sections((folder / "LEESMIJ.txt").read_text(encoding="utf-8"))
    assert f"Deze uitslag ({rule}) kan pabutools niet narekenen" in nl
    assert f"pabutools cannot recompute this outcome ({rule})" in en
    assert not any("pabutools" in c for c in COMMAND.findall(nl))


def _fresh_env() -> dict[str, str]:
    """The environment without this venv: PATH without its bin, no VIRTUAL_ENV or PYTHONPATH."""
    here = str(Path(sys.executable).parent)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p and p != here)
    return env


@pytest.mark.slow
@pytest.mark.parametrize("rule,completion", [("mes", "add1"), ("ilp", "none")])
def test_leesmij_recomputes_the_published_selection_in_a_fresh_venv(
    client, auth, tmp_path: Path, rule, completion
) -> None:
    if shutil.which("python3.11", path=_fresh_env()["PATH"]) is None:
        pytest.skip("no python3.11 on PATH")
    rnd, run = _published(rule, completion)
    folder = _unzip(client, auth, rnd.id, tmp_path / "export")
    nl, _en = _sections((folder / "LEESMIJ.txt").read_text(encoding="utf-8"))
    lines = COMMAND.findall(nl)
    last = next(k for k, line in enumerate(lines) if line.startswith("python -m wijkfonds.allocation "))
    script = "\n".join(
        [
            "set -eu",
            *lines[:last],
            # proof that the engine comes from the fresh venv, not from this checkout
            'python -c "import sys, wijkfonds.allocation as a; print(sys.prefix); print(a.__file__)" > where.txt',
            f"set +e; {lines[last]} > out.json 2> err.txt; echo $? > status.txt",
        ]
    )
    done = subprocess.run(
        ["bash", "-c", script], cwd=folder, env=_fresh_env(), capture_output=True, text=True, timeout=900, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    prefix, module = (folder / "where.txt").read_text().split()
    assert Path(prefix).resolve() == (folder / ".venv").resolve()
    assert Path(module).resolve().is_relative_to((folder / ".venv").resolve())
    assert (folder / "status.txt").read_text().strip() == "0", (folder / "err.txt").read_text()
    out = json.loads((folder / "out.json").read_text())
    assert set(out["selected"]) == set(run.result["selected"]) and out["rule"] == rule
    assert out["check_selected"]["same"] is True


def test_leesmij_compares_the_engine_with_the_public_source(app, client, auth, tmp_path: Path) -> None:
    """With SOURCE_URL and SOURCE_COMMIT, the git lines LEESMIJ gives find the zip's engine equal to that commit."""
    if shutil.which("git") is None:
        pytest.skip("no git")
    public = tmp_path / "public.git"
    package = Path(engine_source.__file__).resolve().parents[2] / "allocation"
    shutil.copytree(package, public / "wijkfonds" / "allocation", ignore=shutil.ignore_patterns("__pycache__", "*.so"))

    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(public), *args], capture_output=True, text=True, check=True)
        return done.stdout.strip()

    git("init", "-q")
    git("add", "-A")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "engine")
    commit = git("rev-parse", "HEAD")
    app.config.update(SOURCE_URL=str(public), SOURCE_COMMIT=commit)
    rnd, _run = _published("greedy")
    folder = _unzip(client, auth, rnd.id, tmp_path / "export")
    engine = _json(folder)["recompute"]["engine"]
    assert engine["commit"] == commit and engine["source_url"] == str(public) and engine["commit_modified"] is False
    nl, en = _sections((folder / "LEESMIJ.txt").read_text(encoding="utf-8"))
    assert f"commit {commit}" in nl and f"commit {commit}" in en
    lines = [line for line in COMMAND.findall(nl) if line.startswith(("git ", "diff "))]
    assert len(lines) == 3 and lines == [line for line in COMMAND.findall(en) if line.startswith(("git ", "diff "))]
    assert f'"wijkfonds @ git+{public}@{commit}"' in nl
    done = subprocess.run(
        ["bash", "-c", "set -eu\n" + "\n".join(lines)],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0 and "diff" not in done.stdout, done.stdout + done.stderr
    # a changed file in the zip's engine is what the same lines then show
    (folder / "engine" / "wijkfonds" / "allocation" / "money.py").write_text("changed\n", encoding="utf-8")
    done = subprocess.run(
        ["bash", "-c", lines[-1]], cwd=folder, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 1 and "money.py" in done.stdout
