"""The fairness report: voters with a funded plan, spend per district and group, EJR up to one project.

EJR up to one project is checked against pabutools' ``is_EJR_one_approval`` (with ``Cost_Sat``)
on small random elections and on small pieces of the shared files: pabutools enumerates
every group of voters, so it only works for a handful of voters.
"""

from __future__ import annotations

import random
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from helpers import make_round
from pabulib_paths import shared_pabulib_files

from wijkfonds.allocation import BallotType, Instance, Profile, Project
from wijkfonds.allocation.fairness import check_ejr_up_to_one, fairness_report
from wijkfonds.allocation.pabulib import read_pb, round_from_elections
from wijkfonds.allocation.rules import run_rule

pabutools = pytest.importorskip("pabutools")


def _pabutools_ejr_one(instance: Instance, profile: Profile, selected: list[str]) -> bool:
    from pabutools.analysis.justifiedrepresentation import is_EJR_one_approval
    from pabutools.election import ApprovalBallot, ApprovalProfile, Cost_Sat
    from pabutools.election import Instance as PInstance
    from pabutools.election import Project as PProject

    projects = [PProject(p.id, p.cost) for p in instance.projects]
    pinst = PInstance(projects, budget_limit=instance.budget)
    ballots = []
    for v in range(profile.num_voters):
        idx, _ = profile.ballot(v)
        ballots.append(ApprovalBallot([projects[int(i)] for i in idx], name=f"v{v}"))
    pprof = ApprovalProfile(ballots, instance=pinst)
    chosen = [projects[instance.index_of()[pid]] for pid in selected]
    return bool(is_EJR_one_approval(pinst, pprof, Cost_Sat, chosen))


def _example() -> tuple[Instance, Profile]:
    # Six voters want the big A; four want B and C (cheap) and also D, which is funded.
    projects = [Project("A", 10), Project("B", 2), Project("C", 2), Project("D", 1)]
    ballots = [["A"]] * 6 + [["B", "C", "D"]] * 4
    return make_round(projects, ballots, budget=11)


def test_share_with_funded_and_districts() -> None:
    instance, profile = _example()
    report = fairness_report(instance, profile, run_rule("greedy", instance, profile), ejr=False)
    assert report.num_voters == 10
    # greedy funds A (6 votes) and then only D fits
    assert report.voters_with_funded == 10
    assert report.share_with_funded == 1
    assert report.cost == 11
    (row,) = report.districts
    assert (row.voters, row.voter_share, row.spend, row.spend_share) == (10, 1, 11, 1)
    nobody = fairness_report(instance, profile, run_rule("greedy", instance, profile), ejr=False)
    assert nobody.ejr is None


def test_groups_spend_and_supporters() -> None:
    projects = [
        Project("A", 10, categories=("Groen",)),
        Project("B", 2, categories=("Spelen", "Groen")),
        Project("C", 2, categories=("Spelen",), extra={"target": "kinderen, ouderen"}),
    ]
    instance, profile = make_round(projects, [["A"], ["A"], ["B"], ["C"]], budget=12)
    alloc = run_rule("greedy", instance, profile)
    assert alloc.selected == ("A", "B")
    report = fairness_report(instance, profile, alloc, ejr=False)
    rows = {r.name: r for r in report.groups["category"]}
    assert (rows["Groen"].spend, rows["Groen"].spend_share, rows["Groen"].voters) == (12, 1, 3)
    assert (rows["Spelen"].spend, rows["Spelen"].spend_share, rows["Spelen"].voter_share) == (
        2,
        Fraction(1, 6),
        Fraction(1, 2),
    )
    targets = {r.name: r for r in report.groups["target"]}
    assert set(targets) == {"kinderen", "ouderen"}
    assert targets["kinderen"].spend == 0 and targets["kinderen"].voters == 1
    assert report.share_with_funded == Fraction(3, 4)
    custom = fairness_report(instance, profile, alloc, groups={"functie": {"C": ("ontmoeten",)}}, ejr=False)
    assert list(custom.groups) == ["functie"]


def test_ejr_violation_found_by_the_integer_program() -> None:
    instance, profile = _example()
    result = check_ejr_up_to_one(instance, profile, ["A", "D"])
    assert result.satisfied is False
    assert result.method == "search"
    assert set(result.witness_projects) == {"B", "C"}
    assert result.witness_voters == ("6", "7", "8", "9")
    assert _pabutools_ejr_one(instance, profile, ["A", "D"]) is False


def test_ejr_violation_with_nothing_funded_for_the_group() -> None:
    instance, profile = _example()
    result = check_ejr_up_to_one(instance, profile, ["A"])
    assert result.satisfied is False
    assert len(result.witness_projects) == 2
    _assert_witness(instance, profile, ["A"], result.witness_projects, result.witness_voters)


def test_a_single_project_never_violates() -> None:
    # two voters could afford B alone, but u_i(W) + cost(B) >= cost(B) always holds
    instance, profile = make_round([Project("A", 3), Project("B", 3)], [["A"], ["B"]], budget=3)
    assert check_ejr_up_to_one(instance, profile, ["A"]).satisfied is True


def test_ejr_holds_for_equal_shares_on_the_example() -> None:
    instance, profile = _example()
    alloc = run_rule("mes", instance, profile)
    result = check_ejr_up_to_one(instance, profile, list(alloc.selected))
    assert result.satisfied is True
    assert _pabutools_ejr_one(instance, profile, list(alloc.selected)) is True


def test_ejr_not_checked_for_cumulative_ballots() -> None:
    instance, profile = make_round(
        [Project("A", 1), Project("B", 1)], [["A", "B"]], budget=1, points=[[2, 1]], ballot_type=BallotType.CUMULATIVE
    )
    result = check_ejr_up_to_one(instance, profile, ["A"])
    assert result.satisfied is None and "cumulative" in result.note


def _random_round(rng: random.Random) -> tuple[Instance, Profile, list[str]]:
    m, n = rng.randint(2, 5), rng.randint(1, 7)
    projects = [Project(f"p{k}", rng.randint(1, 6)) for k in range(m)]
    ballots = [rng.sample([p.id for p in projects], rng.randint(1, m)) for _ in range(n)]
    instance, profile = make_round(projects, ballots, budget=rng.randint(3, 12))
    selected = [p.id for p in projects if rng.random() < 0.4]
    return instance, profile, selected


@pytest.mark.parametrize("seed", range(60))
def test_ejr_agrees_with_pabutools_on_random_elections(seed: int) -> None:
    instance, profile, selected = _random_round(random.Random(seed))
    ours = check_ejr_up_to_one(instance, profile, selected)
    assert ours.satisfied is _pabutools_ejr_one(instance, profile, selected)
    if ours.satisfied is False:
        _assert_witness(instance, profile, selected, ours.witness_projects, ours.witness_voters)


def _assert_witness(
    instance: Instance, profile: Profile, selected: list[str], projects: tuple[str, ...], voters: tuple[str, ...]
) -> None:
    """The witness group approves T, can afford it, and each member fails EJR up to one (exactly)."""
    cost = {p.id: p.cost for p in instance.projects}
    ids = [p.id for p in instance.projects]
    names = list(profile.voter_ids) if profile.voter_ids else [str(v) for v in range(profile.num_voters)]
    t_cost = sum(cost[p] for p in projects)
    assert len(voters) * instance.budget >= profile.num_voters * t_cost
    top = max(cost[p] for p in projects if p not in selected)
    for name in voters:
        approved = {ids[int(i)] for i in profile.ballot(names.index(name))[0]}
        assert set(projects) <= approved
        assert sum(cost[p] for p in approved if p in selected) + top < t_cost


def _piece(path: Path, voters: int, projects: int) -> tuple[Instance, Profile]:
    """The first ``voters`` ballots of a file, on its ``projects`` most supported projects."""
    instance, profile = round_from_elections([read_pb(path)])
    scores = np.bincount(profile.indices, minlength=len(instance.projects))
    keep = sorted(np.argsort(-scores, kind="stable")[:projects].tolist())
    ballots = [[instance.projects[int(i)].id for i in profile.ballot(v)[0] if int(i) in keep] for v in range(voters)]
    kept = [instance.projects[i] for i in keep]
    budget = int(sum(p.cost for p in kept) // 2)
    return make_round([Project(p.id, p.cost) for p in kept], [b for b in ballots if b] or [[kept[0].id]], budget=budget)


# Approval files small enough for pabutools' parser to take well under a second each.
APPROVAL_FILES = [
    p
    for p in shared_pabulib_files()
    if p.stat().st_size < 400_000 and "vote_type;approval" in p.read_text(encoding="utf-8", errors="replace")[:3000]
][:8]


@pytest.mark.parametrize("path", APPROVAL_FILES, ids=lambda p: p.stem)
def test_share_with_funded_and_ejr_agree_with_pabutools_on_shared_files(path: Path) -> None:
    from pabutools.analysis.votersatisfaction import percent_non_empty_handed
    from pabutools.election import parse_pabulib

    instance, profile = round_from_elections([read_pb(path)])
    alloc = run_rule("greedy", instance, profile)
    report = fairness_report(instance, profile, alloc, ejr=False)
    pinst, pprof = parse_pabulib(str(path))
    chosen = [p for p in pinst if p.name in set(alloc.selected)]
    assert float(report.share_with_funded) == pytest.approx(float(percent_non_empty_handed(pinst, pprof, chosen)))
    # EJR up to one on a piece small enough for pabutools' enumeration, for greedy and mes.
    small, small_profile = _piece(path, voters=7, projects=5)
    for rule in ("greedy", "mes"):
        sel = list(run_rule(rule, small, small_profile).selected)
        ours = check_ejr_up_to_one(small, small_profile, sel)
        assert ours.satisfied is _pabutools_ejr_one(small, small_profile, sel)


def test_several_districts_are_checked_one_by_one() -> None:
    # District Noord repeats the example (a violation when A and D are funded); Zuid is fine.
    projects = [
        Project("A", 10, district="Noord"),
        Project("B", 2, district="Noord"),
        Project("C", 2, district="Noord"),
        Project("D", 1, district="Noord"),
        Project("Z", 5, district="Zuid"),
    ]
    ballots = [["A"]] * 6 + [["B", "C", "D"]] * 4 + [["Z"]] * 3
    instance, profile = make_round(projects, ballots, budget=16, district_budgets={"Noord": 11, "Zuid": 5})
    result = check_ejr_up_to_one(instance, profile, ["A", "D", "Z"])
    assert result.satisfied is False and result.note == "district Noord"
    assert set(result.witness_projects) == {"B", "C"} and result.witness_voters == ("6", "7", "8", "9")
    fine = check_ejr_up_to_one(instance, profile, ["B", "C", "D", "Z"])
    assert fine.satisfied is True and "every district (2)" in fine.note


def test_ejr_on_shared_files_mes_holds_and_greedy_witness_is_exact() -> None:
    """Equal Shares satisfies EJR up to one project (a theorem); greedy fails on Ursus 2023 with a true witness."""
    from pabulib_paths import shared_pabulib_path

    path = shared_pabulib_path("warszawa-2023", "Poland_Warszawa_2023_Ursus.pb")
    instance, profile = round_from_elections([read_pb(path)])
    mes = run_rule("mes", instance, profile)
    assert check_ejr_up_to_one(instance, profile, list(mes.selected)).satisfied is True
    greedy = list(run_rule("greedy", instance, profile).selected)
    result = check_ejr_up_to_one(instance, profile, greedy)
    assert result.satisfied is False
    _assert_witness(instance, profile, greedy, result.witness_projects, result.witness_voters)


def test_cli_fairness_side_by_side() -> None:
    from cli_helpers import cli, cli_json
    from pabulib_paths import shared_pabulib_path

    path = shared_pabulib_path("warszawa-2023", "Poland_Warszawa_2023_Ursus.pb")
    done = cli(path, "--rule", "greedy", "--rule", "mes", "--fairness")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["greedy", "mes"]
    ejr = next(line for line in lines if line.startswith("EJR up to one project"))
    assert "no:" in ejr and ejr.rstrip().endswith("yes")
    assert any(line.startswith("greedy: witness group") for line in lines)
    out = cli_json(path, "--rule", "greedy", "--rule", "mes", "--fairness")
    greedy, mes = out["fairness"]
    assert greedy["rule"] == "greedy" and mes["rule"] == "mes"
    assert greedy["ejr_up_to_one"]["satisfied"] is False and greedy["ejr_up_to_one"]["witness"]["voters"]
    assert mes["ejr_up_to_one"]["satisfied"] is True and 0 < mes["share_with_funded"] <= 1
    refused = cli(path, "--rule", "greedy", "--rule", "mes")
    assert refused.returncode == 2 and "--fairness" in refused.stderr
