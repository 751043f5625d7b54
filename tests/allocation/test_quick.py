"""The command line's quick path (``wijkfonds.allocation.quick``) prints what the full engine prints.

Whenever the quick path answers, its output (the JSON object and the table) is the full
path's, apart from the seconds the rule took; whenever the full path refuses a file, the
quick path declines. Checked on every shared pabulib file, on our own test files and on
random small files with and without mistakes in them.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pabulib_paths import DATA_DIR, REPO_ROOT, shared_official_files, shared_pabulib_files

from wijkfonds.allocation import quick
from wijkfonds.allocation.cli import main as full_main


def _capture(fn, argv: list[str]) -> tuple[object, str, str]:  # type: ignore[no-untyped-def]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = fn(argv)
    return status, out.getvalue(), err.getvalue()


def _without_seconds(text: str, as_json: bool) -> object:
    if as_json:
        data = json.loads(text)
        data.pop("seconds")
        return data
    return re.sub(r"; [0-9.]+ s$", "; S s", text, flags=re.MULTILINE)


def compare(path: Path, *, as_json: bool = True) -> bool:
    """Run both paths on ``path``; assert they agree when the quick path answers. True when it did."""
    argv = [str(path), "--rule", "mes"] + (["--json"] if as_json else [])
    status, out, err = _capture(quick.run, argv)
    full_status, full_out, full_err = _capture(full_main, argv)
    if status is None:
        assert out == "" and err == "", "a declining quick path must print nothing"
        return False
    assert full_status == status == 0, f"{path}: the full path refused what the quick path answered: {full_err}"
    assert _without_seconds(out, as_json) == _without_seconds(full_out, as_json), path
    assert err == full_err, path
    return True


SHARED = shared_pabulib_files() + shared_official_files()


@pytest.mark.skipif(not SHARED, reason="../shared/pabulib is absent")
def test_every_shared_file_gives_the_full_paths_output() -> None:
    taken = [p.name for p in SHARED if compare(p)]
    # The quick path must actually serve the small city files it exists for.
    assert "Poland_Katowice_2020.pb" in taken
    assert len(taken) >= len(SHARED) // 3, f"only {len(taken)} of {len(SHARED)} shared files took the quick path"


@pytest.mark.skipif(not SHARED, reason="../shared/pabulib is absent")
def test_the_table_is_the_full_paths_table_too() -> None:
    taken = [p for p in SHARED[:40] if compare(p, as_json=False)]
    assert taken


def test_our_test_files() -> None:
    taken = {p.name for p in sorted(DATA_DIR.glob("*.pb")) if compare(p)}
    assert {"approval_small.pb", "cumulative_small.pb", "ordinal_small.pb", "choose1_small.pb"} <= taken


def test_other_options_and_rules_go_to_the_full_engine() -> None:
    small = str(DATA_DIR / "approval_small.pb")
    for argv in (
        [small, "--rule", "greedy"],
        [small, "--rule", "mes", "--completion", "add1"],
        [small, "--rule", "mes", "--margins"],
        [small, small, "--rule", "mes"],
        [small],
        ["--rule", "mes"],
        [small, "--rule", "mes", "--rule", "mes"],
    ):
        assert quick.run(argv) is None, argv


def test_a_tie_is_settled_by_the_full_engine(tmp_path: Path) -> None:
    """Two projects with the same cost and supporters: floats cannot tell them apart, exact arithmetic can."""
    path = tmp_path / "tie.pb"
    path.write_text(
        "META\nkey;value\ndescription;tie\ncountry;Nederland\nunit;Test\ninstance;2026\nnum_projects;3\n"
        "num_votes;4\nbudget;600\nvote_type;approval\nrule;equalshares\n"
        "PROJECTS\nproject_id;cost\nb;200\na;200\nc;100\n"
        "VOTES\nvoter_id;vote\n1;a,b\n2;a,b\n3;c\n4;c\n",
        encoding="utf-8",
    )
    assert quick.run([str(path), "--rule", "mes", "--json"]) is None
    status, out, _ = _capture(full_main, [str(path), "--rule", "mes", "--json"])
    assert status == 0 and json.loads(out)["selected"][0] == "a"  # the smaller id wins the tie


def test_a_quick_run_loads_no_numpy() -> None:
    script = (
        "import sys, io, contextlib\n"
        "from wijkfonds.allocation import quick\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    status = quick.run([{str(DATA_DIR / 'cumulative_small.pb')!r}, '--rule', 'mes', '--json'])\n"
        "print(status, 'numpy' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["0", "False"]


def test_the_module_entry_point_uses_it_and_falls_back(tmp_path: Path) -> None:
    """``python -m wijkfonds.allocation`` answers both ways, and a refused file gets the full path's error."""
    small = str(DATA_DIR / "approval_small.pb")
    for argv in ([small, "--rule", "mes", "--json"], [small, "--rule", "greedy", "--json"]):
        done = subprocess.run(
            [sys.executable, "-m", "wijkfonds.allocation", *argv],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0 and json.loads(done.stdout)["selected"]
    bad = tmp_path / "bad.pb"
    bad.write_text((DATA_DIR / "approval_small.pb").read_text(encoding="utf-8") + "x;y;z;w\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "wijkfonds.allocation", str(bad), "--rule", "mes", "--json"],
        cwd=REPO_ROOT,
        check=False,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and done.stderr.startswith(f"error: {bad}:")


# Random small files, with and without the mistakes the quick path must leave to the full reader.
_MISTAKES = (
    "none",
    "blank line",
    "duplicate voter",
    "empty voter",
    "unknown project",
    "repeated project",
    "extra field",
    "missing field",
    "quoted field",
    "bad points",
    "points count",
    "negative points",
    "too long",
    "spaces in vote",
    "trailing blank lines",
    "votes column wrong",
)


@st.composite
def pb_files(draw: st.DrawFn) -> tuple[str, str]:
    kind = draw(st.sampled_from(["approval", "cumulative", "ordinal", "ordinal-points", "choose-1"]))
    m = draw(st.integers(1, 6))
    ids = [draw(st.sampled_from(["", "p", "P-"])) + str(k) for k in range(m)]
    costs = [draw(st.integers(1, 90)) for _ in ids]
    n = draw(st.integers(1, 14))
    max_length = 1 if kind == "choose-1" else draw(st.integers(1, m))
    ballots = []
    for _ in range(n):
        chosen = draw(st.lists(st.sampled_from(ids), max_size=max_length, unique=True))
        points = [draw(st.integers(0 if kind == "cumulative" else 1, 4)) for _ in chosen]
        if kind == "ordinal-points":
            points = sorted(points, reverse=True)
        ballots.append((chosen, points))
    mistake = draw(st.sampled_from(_MISTAKES))
    with_points = kind in ("cumulative", "ordinal-points")
    header = ["voter_id", "vote"] + (["points"] if with_points else []) + ["age"]
    rows = []
    for v, (chosen, points) in enumerate(ballots):
        fields = [str(v + 1), ",".join(chosen)] + ([",".join(map(str, points))] if with_points else []) + ["30"]
        rows.append(fields)
    k = draw(st.integers(0, len(rows) - 1))
    if mistake == "duplicate voter" and len(rows) > 1:
        rows[k][0] = rows[(k + 1) % len(rows)][0]
    elif mistake == "empty voter":
        rows[k][0] = ""
    elif mistake == "unknown project":
        rows[k][1] = (rows[k][1] + ",zz") if rows[k][1] else "zz"
    elif mistake == "repeated project" and rows[k][1]:
        rows[k][1] = rows[k][1] + "," + rows[k][1].split(",")[0]
        if with_points:
            rows[k][2] = rows[k][2] + ",1"
    elif mistake == "extra field":
        rows[k].append("x")
    elif mistake == "missing field":
        rows[k].pop()
    elif mistake == "quoted field":
        rows[k][-1] = '"30"'
    elif mistake == "bad points" and with_points and rows[k][2]:
        rows[k][2] = rows[k][2].replace(rows[k][2][0], "x", 1)
    elif mistake == "points count" and with_points:
        rows[k][2] = rows[k][2] + ",1"
    elif mistake == "negative points" and with_points and rows[k][2]:
        rows[k][2] = "-" + rows[k][2]
    elif mistake == "too long":
        rows[k][1] = ",".join(ids)
        if with_points:
            rows[k][2] = ",".join("1" for _ in ids)
    elif mistake == "spaces in vote" and rows[k][1]:
        rows[k][1] = " " + rows[k][1]
    elif mistake == "votes column wrong":
        header[1] = "votes"
    lines = [";".join(r) for r in rows]
    if mistake == "blank line":
        lines.insert(k, "")
    vote_type = {"ordinal-points": "ordinal"}.get(kind, kind)
    meta = [
        "description;random",
        "country;Nederland",
        "unit;Test",
        "instance;2026",
        f"num_projects;{m}",
        f"num_votes;{n}",
        f"budget;{draw(st.integers(1, 200))}",
        f"vote_type;{vote_type}",
    ]
    if kind != "choose-1" and draw(st.booleans()):
        meta.append(f"max_length;{max_length}")
    text = "META\nkey;value\n" + "\n".join(meta) + "\nPROJECTS\nproject_id;cost\n"
    text += "\n".join(f"{pid};{c}" for pid, c in zip(ids, costs, strict=True))
    text += "\nVOTES\n" + ";".join(header) + "\n" + "\n".join(lines) + "\n"
    if mistake == "trailing blank lines":
        text += "\n \n"
    return text, mistake


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pb_files())
def test_random_files_agree_or_the_quick_path_declines(tmp_path: Path, made: tuple[str, str]) -> None:
    text, _ = made
    path = tmp_path / "random.pb"
    path.write_text(text, encoding="utf-8")
    for as_json in (True, False):
        compare(path, as_json=as_json)


def test_a_reader_that_goes_away_is_no_error() -> None:
    """``... | head``: the quick path, like the full engine, ends quietly with status 0 when stdout closes."""
    done = subprocess.Popen(
        [sys.executable, "-m", "wijkfonds.allocation", str(DATA_DIR / "cumulative_small.pb"), "--rule", "mes"],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "0"},
    )
    assert done.stdout is not None and done.stderr is not None
    done.stdout.close()
    err = done.stderr.read()
    assert done.wait(timeout=60) == 0
    assert b"Traceback" not in err and b"BrokenPipe" not in err
