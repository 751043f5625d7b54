"""--rule official: the rule named in META with its parameters, reproducing the official outcomes."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest
from cli_helpers import cli, cli_json
from helpers import EXPECTED_DIR, make_round
from pabulib_paths import file_id, shared_official_files, shared_pabulib_files

from wijkfonds.allocation import AllocationError, Instance, Profile, Project
from wijkfonds.allocation.cli_check import check_selected, official_selected
from wijkfonds.allocation.pabulib import PabulibError, read_election, read_pb, round_from_elections
from wijkfonds.allocation.rules import run_rule
from wijkfonds.allocation.rules.comparison import equal_shares_with_comparison
from wijkfonds.allocation.rules.official import OFFICIAL_RULES, official, official_rule

KNOWN = json.loads((EXPECTED_DIR / "official.json").read_text())
CANNOT: dict[str, dict[str, object]] = KNOWN["cannot"]
EXCLUSIVE: dict[str, dict[str, object]] = KNOWN["exclusive"]


def _with_official_outcome(paths: list[Path]) -> list[Path]:
    """Files with a PROJECTS selected column whose META rule is one --rule official knows (or greedy-exclusive)."""
    out = []
    for path in paths:
        e = read_pb(path)
        if "selected" in e.project_columns and e.meta.get("rule") in (*OFFICIAL_RULES, "greedy-exclusive"):
            out.append(path)
    return out


OFFICIAL_FILES = shared_official_files()
WITH_OUTCOME = OFFICIAL_FILES + _with_official_outcome(shared_pabulib_files())


def test_every_official_file_has_an_outcome_to_reproduce() -> None:
    if not OFFICIAL_FILES:
        pytest.skip("../shared/pabulib-official is absent")
    assert set(OFFICIAL_FILES) <= set(WITH_OUTCOME)  # each names a rule of the list and has `selected`


@pytest.mark.pabulib
@pytest.mark.parametrize("path", WITH_OUTCOME, ids=file_id)
def test_the_official_outcome_is_reproduced(path: Path) -> None:
    e = read_pb(path)
    instance, profile = round_from_elections([e])
    if path.name in EXCLUSIVE:  # the groups the file describes in words (see official.json)
        groups = EXCLUSIVE[path.name]["groups"]
        instance = dataclasses.replace(instance, exclusive_groups=groups)  # type: ignore[arg-type]
    if path.name in CANNOT:
        _documented_difference(path, instance, profile, CANNOT[path.name])
        return
    allocation = official(instance, profile)
    check = check_selected(instance, allocation, [e])
    assert check.same, (check.only_here, check.only_official)
    assert allocation.details["official"]["rule"] == e.meta["rule"]  # type: ignore[index]


def _documented_difference(path: Path, instance: Instance, profile: Profile, known: dict[str, object]) -> None:
    """The file is listed as not reproducible: check that it really is not, and that the reason holds."""
    e = read_pb(path)
    try:
        allocation = official(instance, profile)
    except AllocationError as exc:
        assert e.meta["rule"] in str(exc)  # refused by name (the reason in official.json says why)
        return
    assert not check_selected(instance, allocation, [e]).same  # else remove it from official.json
    if "tie" in known:  # a tie the city broke the other way: breaking it their way reproduces the outcome
        first, second = known["tie"]  # type: ignore[misc]
        counts = np.bincount(profile.indices, minlength=len(instance.projects)).tolist()
        scores = dict(zip([p.id for p in instance.projects], counts, strict=True))
        assert scores[first] == scores[second]
        winner = known["official_first"]
        renamed = "!" + str(winner)  # sorts before every id made of digits
        projects = tuple(dataclasses.replace(p, id=renamed) if p.id == winner else p for p in instance.projects)
        again = official(dataclasses.replace(instance, projects=projects), profile)
        assert {renamed if pid == winner else pid for pid in official_selected([e])} == set(again.selected)


def _pb(tmp_path: Path, name: str, meta: str, projects: str, votes: str) -> Path:
    path = tmp_path / name
    path.write_text(f"META\nkey;value\n{meta}PROJECTS\n{projects}VOTES\n{votes}", encoding="utf-8")
    return path


GREEDY_FILE = (
    "budget;10\nvote_type;approval\nrule;{rule}\n{extra}",
    "project_id;cost;votes;selected\na;6;4;1\nb;5;3;0\nc;3;2;1\nd;1;1;0\n",
    "voter_id;vote\n1;a,b\n2;a,b,c\n3;a,b\n4;a,c,d\n",
)


def _greedy_file(tmp_path: Path, rule: str, extra: str = "", name: str = "g.pb") -> Path:
    meta, projects, votes = GREEDY_FILE
    return _pb(tmp_path, name, meta.format(rule=rule, extra=extra), projects, votes)


def test_greedy_variants_from_meta(tmp_path: Path) -> None:
    inst, prof = read_election([_greedy_file(tmp_path, "greedy")])
    assert official(inst, prof).selected == run_rule("greedy", inst, prof).selected == ("a", "c", "d")
    inst, prof = read_election([_greedy_file(tmp_path, "greedy-no-skip")])
    # a (6) fits, b (5) does not: the count stops there, c and d are never reached
    assert official(inst, prof).selected == run_rule("greedy-stop", inst, prof).selected == ("a",)
    inst, prof = read_election([_greedy_file(tmp_path, "greedy-threshold", "min_project_score_threshold;2\n")])
    got = official(inst, prof)
    assert got.selected == ("a", "c") and got.details["official"] == {  # d has 1 vote, below 2
        "rule": "greedy-threshold",
        "min_project_score_threshold": {"g": 2},
    }
    assert got.outcomes["d"].reason == "greedy.below_threshold"
    assert "its support (1) is below the minimum of 2" in got.outcomes["d"].explanation
    # with no-skip, a project below the threshold does not stop the count
    inst, prof = read_election([_greedy_file(tmp_path, "greedy-no-skip", "min_project_score_threshold;3\n")])
    assert official(inst, prof).selected == ("a",)
    assert official(inst, prof).outcomes["c"].reason == "greedy.below_threshold"


def test_threshold_per_district_and_greedy_stop_skips_ineligible_projects() -> None:
    projects = [Project("a", 6, district="N"), Project("x", 9, district="N"), Project("b", 3, district="N")]
    projects.append(Project("z", 5, district="Z"))
    ballots = [["a", "x"], ["a", "x"], ["a", "b"], ["z"]]
    inst, prof = make_round(projects, ballots, budget=15, district_budgets={"N": 10, "Z": 5})
    # x (2 votes) is below 3 in N: it neither gets funded nor stops the count, so b is reached
    got = run_rule("greedy-stop", inst, prof, min_score={"N": 3})
    assert got.selected == ("a", "z") and got.outcomes["x"].reason == "greedy.below_threshold"
    assert got.outcomes["b"].reason == "greedy.below_threshold"  # 1 vote
    got = run_rule("greedy-stop", inst, prof, min_score={"N": 1})
    assert got.selected == ("a", "z") and got.outcomes["b"].reason == "greedy_stop.after_stop"  # x stopped N
    assert run_rule("greedy", inst, prof, min_score=2).selected == ("a",)  # x does not fit, b and z have 1 vote
    with pytest.raises(AllocationError, match="not a district of this round"):
        run_rule("greedy", inst, prof, min_score={"Oost": 1})
    with pytest.raises(AllocationError, match="applies only to rules 'greedy' and 'greedy-stop'"):
        run_rule("mes", inst, prof, min_score=1)


def test_equal_shares_rules_from_meta(tmp_path: Path) -> None:
    inst, prof = read_election([_greedy_file(tmp_path, "equalshares/add1")])
    assert official(inst, prof).selected == run_rule("mes", inst, prof, completion="add1").selected
    inst, prof = read_election([_greedy_file(tmp_path, "equalshares/add1-comparison")])
    got = official(inst, prof)
    assert got.completion == "add1-comparison" and got.details["official"] == {"rule": "equalshares/add1-comparison"}


COMPARISONS = [
    # (costs, ballots, budget, outcome): found by a search over small rounds; see the satisfaction counts below
    ({"a": 1, "b": 1, "c": 2, "d": 2}, [["a", "d"], ["c"], ["b", "d"]], 4, "greedy"),
    ({"a": 4, "b": 1, "c": 2}, [["b", "a"], ["c", "b"], ["a", "c"], ["c", "a"], ["b"]], 4, "mes"),
    ({"a": 1, "b": 2, "c": 1, "d": 3}, [["c", "d"], ["d"], ["a"]], 3, "mes"),  # one voter each way: MES stays
]


@pytest.mark.parametrize(("costs", "ballots", "budget", "outcome"), COMPARISONS)
def test_comparison_step(costs: dict[str, int], ballots: list[list[str]], budget: int, outcome: str) -> None:
    inst, prof = make_round([Project(p, c) for p, c in costs.items()], ballots, budget=budget)
    mes = run_rule("mes", inst, prof, completion="add1").selected
    grd = run_rule("greedy", inst, prof).selected
    assert set(mes) != set(grd)
    # satisfaction as equalshares.net counts it: funded projects on the voter's ballot
    prefer_mes = sum(len(set(b) & set(mes)) > len(set(b) & set(grd)) for b in ballots)
    prefer_greedy = sum(len(set(b) & set(grd)) > len(set(b) & set(mes)) for b in ballots)
    got = equal_shares_with_comparison(inst, prof)
    assert got.details["comparison"]["voters_preferring_mes"] == prefer_mes  # type: ignore[index]
    assert got.details["comparison"]["voters_preferring_greedy"] == prefer_greedy  # type: ignore[index]
    assert got.selected == (grd if prefer_greedy > prefer_mes else mes)
    assert got.details["comparison"]["outcome"] == outcome  # type: ignore[index]
    assert f"{prefer_greedy} voters prefer the greedy outcome" in got.status


# (META rule, more META, message, line of the file the command line names: 5 the rule, 6 the threshold)
REFUSED = [
    ("greedy-custom", "", "cannot be run: the city used its own variant of greedy", 5),
    ("unknown", "", "cannot be run: the file does not know which rule", 5),
    ("phragmen", "", "the META rule 'phragmen' is not one the engine can run", 5),
    ("greedy-threshold", "", "needs META 'min_project_score_threshold', which is missing", None),
    (
        "equalshares/add1",
        "min_project_score_threshold;2\n",
        "together with rule 'equalshares/add1' is not supported",
        6,
    ),
    ("greedy-threshold", "min_project_score_threshold;many\n", "is 'many', not a whole number", 6),
]


@pytest.mark.parametrize(
    ("rule", "extra", "message", "line"), REFUSED, ids=[f"{r[0]}-{k}" for k, r in enumerate(REFUSED)]
)
def test_rules_that_cannot_run_are_refused_by_name(
    tmp_path: Path, rule: str, extra: str, message: str, line: int | None
) -> None:
    path = _greedy_file(tmp_path, rule, extra)
    inst, prof = read_election([path])
    with pytest.raises(AllocationError, match=message):
        official(inst, prof)
    done = cli(path, "--rule", "official")
    where = f"{path}:{line}" if line else str(path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith(f"error: {where}: ") and message in done.stderr, done.stderr


def test_a_round_needs_one_rule(tmp_path: Path) -> None:
    a = _greedy_file(tmp_path, "greedy", "district;A\n", "a.pb")
    b = _pb(
        tmp_path,
        "b.pb",
        "budget;5\nvote_type;approval\nrule;greedy-no-skip\ndistrict;B\n",
        "project_id;cost\nz;5\n",
        "voter_id;vote\n9;z\n",
    )
    inst, prof = read_election([a, b])
    with pytest.raises(AllocationError, match=r"different META rules \('greedy' in A; 'greedy-no-skip' in B\)"):
        official_rule(inst)
    bare = _pb(tmp_path, "c.pb", "budget;5\nvote_type;approval\n", "project_id;cost\nz;5\n", "voter_id;vote\n9;z\n")
    inst, prof = read_election([bare])
    with pytest.raises(AllocationError, match="its file has no META 'rule'"):
        official(inst, prof)


def test_check_selected_on_the_command_line(tmp_path: Path) -> None:
    path = _greedy_file(tmp_path, "greedy")  # the file's selected column says a and c, greedy funds a, c and d
    done = cli(path, "--rule", "official", "--check-selected")
    assert done.returncode == 3, done.stderr
    assert "Official outcome (PROJECTS selected): differs\n  funded here, not officially: d\n" in done.stdout
    done = cli(path, "--rule", "official", "--check-selected", "--json")
    assert done.returncode == 3
    assert json.loads(done.stdout)["check_selected"] == {"same": False, "only_here": ["d"], "only_official": []}
    same = _greedy_file(tmp_path, "greedy-threshold", "min_project_score_threshold;2\n", "t.pb")
    done = cli(same, "--rule", "official", "--check-selected")
    assert done.returncode == 0 and "Official outcome (PROJECTS selected): the same 2 projects" in done.stdout
    assert cli_json(same, "--rule", "official", "--check-selected")["check_selected"]["same"] is True
    assert "check_selected" not in cli_json(same, "--rule", "official")


def test_check_selected_needs_a_good_selected_column(tmp_path: Path) -> None:
    meta, projects, votes = GREEDY_FILE
    bad = _pb(tmp_path, "bad.pb", meta.format(rule="greedy", extra=""), projects.replace("c;3;2;1", "c;3;2;yes"), votes)
    with pytest.raises(PabulibError, match=r"bad\.pb:10: PROJECTS selected of project 'c' is 'yes', not 0 or 1"):
        official_selected([read_pb(bad)])
    done = cli(bad, "--rule", "greedy", "--check-selected")
    assert done.returncode == 2 and "bad.pb:10: PROJECTS selected of project 'c'" in done.stderr
    without = _pb(tmp_path, "w.pb", "budget;5\nvote_type;approval\n", "project_id;cost\nz;5\n", "voter_id;vote\n9;z\n")
    done = cli(without, "--rule", "greedy", "--check-selected")
    assert done.returncode == 2 and "w.pb: PROJECTS has no column 'selected'" in done.stderr


def test_official_takes_no_rule_options(tmp_path: Path) -> None:
    path = _greedy_file(tmp_path, "greedy")
    for option in (["--completion", "add1"], ["--time-limit", "5"]):
        done = cli(path, "--rule", "official", *option)
        assert done.returncode == 2 and "does not apply to --rule official" in done.stderr


@pytest.mark.pabulib
def test_check_selected_from_the_command_line_on_official_files() -> None:
    files = {p.name: p for p in OFFICIAL_FILES}
    if "Poland_Lodz_2024_Karolew-Retkinia_Wschod.pb" not in files:
        pytest.skip("../shared/pabulib-official is absent")
    done = cli(files["Poland_Lodz_2024_Karolew-Retkinia_Wschod.pb"], "--rule", "official", "--check-selected")
    assert done.returncode == 0 and "Official outcome (PROJECTS selected): the same 6 projects" in done.stdout


@pytest.mark.pabulib
def test_warsaw_2026_needs_its_threshold() -> None:
    """48 projects have fewer than 3,000 votes: plain greedy would fund some of them, the city did not."""
    large = {p.stem: p for p in shared_pabulib_files("large")}
    if "Poland_Warszawa_2026" not in large:
        pytest.skip("../shared/pabulib is absent")
    path = large["Poland_Warszawa_2026"]
    assert read_pb(path).meta["min_project_score_threshold"] == "3000"
    plain = cli(path, "--rule", "greedy", "--check-selected")
    assert plain.returncode == 3 and "funded here, not officially" in plain.stdout
    out = cli_json(path, "--rule", "official", "--check-selected")
    assert out["check_selected"]["same"] is True
    below = [pid for pid, o in out["outcomes"].items() if o["reason"] == "greedy.below_threshold"]
    assert len(below) == 48 and all("below the minimum of 3000" in out["outcomes"][pid]["explanation"] for pid in below)
