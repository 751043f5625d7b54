"""The command line's mes-bounds rule and --margins option."""

from __future__ import annotations

import time
from pathlib import Path

from cli_helpers import cli, cli_json
from pabulib_paths import shared_pabulib_path

DATA = Path(__file__).resolve().parent / "data"
NOORD, ZUID = DATA / "approval_small.pb", DATA / "district_zuid.pb"


def test_mes_bounds_meets_a_category_minimum_from_the_command_line() -> None:
    plain = cli_json(NOORD, "--rule", "mes")
    got = cli_json(NOORD, "--rule", "mes-bounds", "--category-min", "Groen=0.9")
    assert got["rule"] == "mes-bounds"
    assert sum(c for p, c in (("p1", 6000), ("p3", 4000)) if p in got["selected"]) >= 9000
    assert plain["selected"] != got["selected"]
    reasons = {o["reason"] for o in got["outcomes"].values()}
    assert "mes_bounds.funded_for_minimum" in reasons
    same = cli_json(NOORD, "--rule", "mes-bounds")
    assert same["selected"] == plain["selected"] and same["outcomes"] == plain["outcomes"]


def test_mes_bounds_names_the_conflict() -> None:
    bad = cli(NOORD, "--rule", "mes-bounds", "--category-min", "Groen=0.9", "--category-min", "Ontmoeting=0.35")
    assert bad.returncode == 2
    assert bad.stderr.startswith("error: the constraints cannot all be met at once")
    assert "Groen" in bad.stderr and "Ontmoeting" in bad.stderr


def test_margins_table_and_json() -> None:
    done = cli(NOORD, ZUID, "--rule", "greedy", "--margins")
    assert done.returncode == 0, done.stderr
    assert "Margins (votes" in done.stdout
    out = cli_json(NOORD, ZUID, "--rule", "greedy", "--margins")
    # p3 (3 votes, 4,000) does not fit after p1 and p2; with 4 votes it comes before p2 (ties by id)
    assert out["margins"]["p3"]["needed"] == 1
    assert out["margins"]["p3"]["text"]["nl"] == "het had 1 stem meer nodig gehad"
    assert out["outcomes"]["p3"]["explanation"].endswith("it needed 1 more vote to be funded")
    assert out["margins"]["p1"]["funded"] and out["margins"]["p1"]["exact"]


def test_margins_do_not_apply_to_the_official_rule() -> None:
    bad = cli(NOORD, "--rule", "official", "--margins")
    assert bad.returncode == 2 and "--margins does not apply to --rule official" in bad.stderr


def test_margins_on_a_real_amsterdam_file_are_quick_for_greedy() -> None:
    path = shared_pabulib_path("netherlands", "Netherlands_Amsterdam_285.pb")
    started = time.perf_counter()
    out = cli_json(path, "--rule", "greedy", "--margins")
    assert len(out["margins"]) == len(out["outcomes"]) >= 90
    assert time.perf_counter() - started < 30  # about half a second on an idle machine, start-up included
