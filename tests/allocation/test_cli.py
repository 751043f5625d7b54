"""The command line, run in a subprocess as a user would: output, overrides, --output, errors."""

from __future__ import annotations

import json
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from cli_helpers import cli, cli_json
from pabulib_paths import shared_pabulib_files

from wijkfonds.allocation.pabulib import read_election, read_pb

DATA = Path(__file__).resolve().parent / "data"
NOORD, ZUID, CAPS = DATA / "approval_small.pb", DATA / "district_zuid.pb", DATA / "caps_centrum.pb"


def test_greedy_json_on_two_districts() -> None:
    out = cli_json(NOORD, ZUID, "--rule", "greedy")
    assert {"rule", "completion", "selected", "cost", "utility", "optimal", "districts", "seconds"} <= set(out)
    assert out["rule"] == "greedy" and out["completion"] == "none" and out["optimal"] is None
    # Noord: p1 (4 votes) 6,000 then p2 (3) 3,000; p3 (3) 4,000 no longer fits; p4 500 does.
    assert out["districts"] == {
        "Noord": {"budget": 10000, "cost": 9500, "selected": ["p1", "p2", "p4"]},
        "Zuid": {"budget": 8000, "cost": 4000, "selected": ["z2"]},
    }
    assert sorted(out["selected"]) == ["p1", "p2", "p4", "z2"] and out["cost"] == 13500
    assert out["utility"] == 6000 * 4 + 3000 * 3 + 500 * 1 + 4000 * 2
    assert all(isinstance(s, str) for s in out["selected"]) and out["seconds"] >= 0
    assert out["outcomes"]["p3"]["funded"] is False and "Noord" in out["outcomes"]["p3"]["explanation"]


def test_readable_table() -> None:
    done = cli(NOORD, ZUID, "--rule", "greedy-stop")
    assert done.returncode == 0 and done.stderr == ""
    text = done.stdout
    assert "Rule greedy-stop" in text
    lines = text.splitlines()
    assert any(line.split()[:5] == ["Noord", "10,000", "9,000", "1,000", "2"] for line in lines if line.strip())
    assert any(line.startswith("Total") for line in lines)
    for pid in ("p1", "p2", "p3", "p4", "z1", "z2"):  # every project with its explanation
        row = next(line for line in lines if line.startswith(pid + " "))
        assert ("funded" in row) and len(row.split()) > 5


def test_ilp_is_optimal_and_not_worse_than_greedy() -> None:
    ilp = cli_json(NOORD, ZUID, "--rule", "ilp", "--time-limit", "30")
    greedy = cli_json(NOORD, ZUID, "--rule", "greedy")
    assert ilp["optimal"] is True and ilp["utility"] >= greedy["utility"]
    assert ilp["districts"]["Noord"]["cost"] <= 10000 and ilp["districts"]["Zuid"]["cost"] <= 8000


def test_mes_with_completions() -> None:
    pytest.importorskip("wijkfonds.allocation.rules.mes")
    for completion in ("none", "add1", "add1-greedy"):
        out = cli_json(NOORD, ZUID, "--rule", "mes", "--completion", completion)
        assert out["completion"] == completion and out["cost"] <= 18000
        assert sum(d["cost"] for d in out["districts"].values()) == out["cost"]


def test_budget_overrides() -> None:
    out = cli_json(NOORD, ZUID, "--rule", "greedy", "--district-budget", "Noord=3000", "--district-budget", "Zuid=5000")
    assert out["districts"]["Noord"] == {"budget": 3000, "cost": 3000, "selected": ["p2"]}
    assert out["districts"]["Zuid"]["budget"] == 5000 and out["budget"] == 8000
    capped = cli_json(NOORD, ZUID, "--rule", "ilp", "--budget", "5000")
    assert capped["cost"] <= 5000 and capped["budget"] == 5000


def test_category_shares_bind_the_ilp() -> None:
    free = cli_json(NOORD, ZUID, "--rule", "ilp")
    out = cli_json(NOORD, ZUID, "--rule", "ilp", "--category-max", "Groen=0.3", "--category-min", "Ontmoeting=10%")
    inst, _ = read_election([NOORD, ZUID])
    cost = {p.id: p.cost for p in inst.projects}
    groen = sum(cost[p.id] for p in inst.projects if "Groen" in p.categories and p.id in out["selected"])
    ontmoeting = sum(cost[p.id] for p in inst.projects if "Ontmoeting" in p.categories and p.id in out["selected"])
    assert groen <= Fraction(3, 10) * 18000 and ontmoeting >= Fraction(1, 10) * 18000
    assert out["utility"] <= free["utility"]


def test_caps_from_the_file_and_ignore_caps() -> None:
    capped = cli_json(CAPS, "--rule", "greedy")
    free = cli_json(CAPS, "--rule", "greedy", "--ignore-caps")
    assert sorted(free["selected"]) == ["c1", "c2", "c3"]  # 20,000 fits the budget exactly
    assert not {"c1", "c3"} <= set(capped["selected"])  # together 13,000 > the Groen cap of 10,000


def test_output_writes_selected_column(tmp_path: Path) -> None:
    target = tmp_path / "result.pb"
    out = cli_json(NOORD, "--rule", "greedy", "--output", target)
    written = read_pb(target)
    assert {p["project_id"]: p["selected"] for p in written.projects} == {
        pid: "1" if pid in out["selected"] else "0" for pid in ("p1", "p2", "p3", "p4")
    }
    original = read_pb(NOORD)
    assert written.voter_ids == original.voter_ids and (written.indices == original.indices).all()


def test_output_directory_for_several_files(tmp_path: Path) -> None:
    target = tmp_path / "results"
    out = cli_json(NOORD, ZUID, "--rule", "greedy", "--output", target)
    zuid = read_pb(target / ZUID.name)
    assert [p["selected"] for p in zuid.projects] == ["1" if p in out["selected"] else "0" for p in ("z1", "z2")]
    assert (target / NOORD.name).is_file()


BAD = [
    ("no-rule", [NOORD], "the following arguments are required: --rule"),
    ("unknown-rule", [NOORD, "--rule", "best"], "invalid choice: 'best'"),
    ("no-file", ["--rule", "greedy"], "the following arguments are required: FILE.pb"),
    ("missing-file", ["nope.pb", "--rule", "greedy"], "nope.pb: cannot read the file"),
    ("binary", [sys.executable, "--rule", "greedy"], "binary data"),
    (
        "bad-budget",
        [NOORD, "--rule", "greedy", "--budget", "ten"],
        "argument --budget: 'ten' is not a non-negative amount",
    ),
    ("negative-budget", [NOORD, "--rule", "greedy", "--budget", "-5"], "'-5' is not a non-negative amount"),
    ("comma-budget", [NOORD, "--rule", "greedy", "--budget", "10,50"], "'10,50' is not a non-negative amount"),
    ("bad-time-limit", [NOORD, "--rule", "ilp", "--time-limit", "-1"], "must be a positive number of seconds"),
    ("time-limit-greedy", [NOORD, "--rule", "greedy", "--time-limit", "5"], "applies only to rule 'ilp'"),
    ("completion-greedy", [NOORD, "--rule", "greedy", "--completion", "add1"], "applies only to rule 'mes'"),
    (
        "unknown-district",
        [NOORD, "--rule", "greedy", "--district-budget", "Oost=5"],
        "no district 'Oost' (districts: Noord)",
    ),
    ("pair-syntax", [NOORD, "--rule", "greedy", "--district-budget", "Noord"], "is not of the form NAME=VALUE"),
    ("bad-share", [NOORD, "--rule", "ilp", "--category-min", "Groen=1.5"], "a share must lie between 0 and 1"),
    ("bad-fraction", [NOORD, "--rule", "ilp", "--category-max", "Groen=x"], "is not a fraction"),
    ("unknown-category", [NOORD, "--rule", "ilp", "--category-max", "Gron=0.5"], "no project has category 'Gron'"),
    ("infeasible", [NOORD, "--rule", "ilp", "--category-min", "Ontmoeting=0.5"], "minimum 50% for Ontmoeting"),
    ("mixed-types", [NOORD, DATA / "cumulative_small.pb", "--rule", "greedy"], "differs from approval"),
    ("same-file-twice", [NOORD, NOORD, "--rule", "greedy"], "district 'Noord' is also the district of"),
    ("output-over-input", [NOORD, "--rule", "greedy", "--output", NOORD], "refusing to overwrite the input file"),
    ("output-pb-for-two", [NOORD, ZUID, "--rule", "greedy", "--output", "x.pb"], "names a directory"),
    (
        "output-dir-is-a-file",
        [NOORD, ZUID, "--rule", "greedy", "--output", DATA / "README"],
        "cannot create the directory",
    ),
    ("output-unwritable", [NOORD, "--rule", "greedy", "--output", "/proc/nope/x.pb"], "cannot write the file"),
]


@pytest.mark.parametrize(("args", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_input_exits_2_with_one_line(args: list[object], message: str) -> None:
    before = NOORD.read_bytes()
    done = cli(*args)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: "), done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr
    assert NOORD.read_bytes() == before


def test_malformed_file_reports_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pb"
    bad.write_text(NOORD.read_text().replace("v4;p1;", "v4;p9;"))
    done = cli(bad, "--rule", "greedy", "--json")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == f"error: {bad}:25: the vote names an unknown project 'p9'\n"


def test_help_works() -> None:
    done = cli("--help")
    assert done.returncode == 0 and "--district-budget NAME=N" in done.stdout


@pytest.mark.pabulib
def test_warsaw_2023_round_from_the_command_line() -> None:
    files = shared_pabulib_files("warszawa-2023")
    if not files:
        pytest.skip("../shared/pabulib is absent")
    out = cli_json(*files, "--rule", "greedy")
    assert len(out["districts"]) == 18
    assert all(d["cost"] <= d["budget"] for d in out["districts"].values())
    assert sum(len(d["selected"]) for d in out["districts"].values()) == len(out["selected"])


@pytest.mark.pabulib
def test_amsterdam_neighbourhood_caps_from_the_command_line() -> None:
    files = {p.stem: p for p in shared_pabulib_files("netherlands")}
    if "Netherlands_Amsterdam_252" not in files:
        pytest.skip("../shared/pabulib is absent")
    path = files["Netherlands_Amsterdam_252"]
    inst, _ = read_election([path])
    capped = cli_json(path, "--rule", "greedy")
    spend: dict[str, int] = {}
    for p in inst.projects:
        if p.id in capped["selected"] and p.neighbourhood:
            spend[p.neighbourhood] = spend.get(p.neighbourhood, 0) + p.cost
    assert all(spend[n] <= cap for n, cap in inst.neighbourhood_caps.items() if n in spend)
    free = cli_json(path, "--rule", "greedy", "--ignore-caps")
    assert free["cost"] <= 500000


def test_district_floor_option_is_honoured_by_ilp(tmp_path: Path) -> None:
    """A floor forces spend in a district; an unknown district is a usage error."""
    a = tmp_path / "a.pb"
    b = tmp_path / "b.pb"
    for path, name, projects, votes in (
        (a, "Noord", [("1", 60), ("2", 40)], ["1", "1", "1", "2"]),
        (b, "Zuid", [("3", 50)], ["3"]),
    ):
        lines = [
            "META",
            "key;value",
            f"description;{name}",
            f"district;{name}",
            f"num_projects;{len(projects)}",
            f"num_votes;{len(votes)}",
            "budget;100",
            "vote_type;approval",
            "PROJECTS",
            "project_id;cost;name",
        ]
        lines += [f"{pid};{cost};Project {pid}" for pid, cost in projects]
        lines += ["VOTES", "voter_id;vote"] + [f"{name}{i};{v}" for i, v in enumerate(votes)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    base = [a, b, "--rule", "ilp", "--budget", "100"]
    free = cli_json(*base)
    assert free["selected"] == ["1", "2"]
    floored = cli_json(*base, "--district-floor", "Zuid=50")
    assert "3" in floored["selected"] and floored["districts"]["Zuid"]["cost"] >= 50
    bad = cli(*base, "--json", "--district-floor", "Oost=5")
    assert bad.returncode == 2 and "no district 'Oost'" in bad.stderr


def test_disagreeing_projects_columns_are_warned_about_on_stderr(tmp_path: Path) -> None:
    bad = tmp_path / "noord.pb"
    bad.write_text(NOORD.read_text().replace("p1;6000;4;", "p1;6000;7;"))
    done = cli(bad, "--rule", "greedy", "--json")
    assert done.returncode == 0
    warning = f"{bad}:16: project 'p1': PROJECTS says votes 7, but 4 ballots in VOTES name it"
    assert done.stderr.startswith(f"warning: {warning}") and done.stderr.count("\n") == 1
    out = json.loads(done.stdout)
    assert len(out["warnings"]) == 1 and out["warnings"][0].startswith(warning)
    assert out["selected"] == cli_json(NOORD, "--rule", "greedy")["selected"]  # the VOTES section decided
    assert cli_json(NOORD, "--rule", "greedy")["warnings"] == []


def test_goal_option_changes_what_the_ilp_maximises(tmp_path: Path) -> None:
    path = tmp_path / "goals.pb"
    path.write_text(
        "META\nkey;value\ndescription;goals\ncountry;Netherlands\nunit;test\ninstance;1\nnum_projects;3\n"
        "num_votes;6\nbudget;100\nvote_type;approval\nrule;greedy\n"
        "PROJECTS\nproject_id;cost;votes\nbig;100;3\ns1;50;2\ns2;50;2\n"
        "VOTES\nvoter_id;vote\n1;big\n2;big\n3;big,s1\n4;s1\n5;s2\n6;s2\n",
        encoding="utf-8",
    )
    assert cli_json(path, "--rule", "ilp")["selected"] == ["big"]
    assert cli_json(path, "--rule", "ilp", "--goal", "cost-approval")["selected"] == ["big"]
    assert sorted(cli_json(path, "--rule", "ilp", "--goal", "approval")["selected"]) == ["s1", "s2"]
    wrong = cli(path, "--rule", "greedy", "--goal", "approval")
    assert wrong.returncode == 2 and "a goal applies only to rule 'ilp'" in wrong.stderr
