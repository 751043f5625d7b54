"""The exact ILP: equality with pabutools' maximum welfare, bounds, tie-break, errors, time limits."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from conftest import file_id, shared_pabulib_files
from helpers import expected, make_round, share

from wijkfonds.allocation import AllocationError, BallotType, Instance, Profile, Project
from wijkfonds.allocation.explain import render
from wijkfonds.allocation.pabulib import read_election
from wijkfonds.allocation.rules import run_rule
from wijkfonds.allocation.rules.common import violated_bounds

COMPARED = shared_pabulib_files("netherlands") + shared_pabulib_files("warszawa-2023")


@pytest.mark.pabulib
@pytest.mark.parametrize("path", COMPARED, ids=file_id)
def test_ilp_utility_equals_pabutools_max_welfare(path: Path) -> None:
    want = expected(path.parent.name).get(path.name, {}).get("max_welfare", {})
    if "utility" not in want:
        pytest.skip(f"no pabutools max-welfare result stored for {path.name}")
    instance, profile = read_election([path], ignore_caps=True)
    got = run_rule("ilp", instance, profile)
    assert got.optimal is True and got.status == "optimal"
    assert got.utility == want["utility"]
    assert got.utility >= run_rule("greedy", instance, profile).utility
    assert got.cost <= instance.budget


def _fund(selected: tuple[str, ...]) -> set[str]:
    return set(selected)


def test_district_floor_moves_money_to_a_district() -> None:
    projects = [
        Project("a", 60, district="Oud-West"),
        Project("b", 40, district="Oud-West"),
        Project("c", 30, district="Bos en Lommer"),
        Project("d", 50, district="Bos en Lommer"),
    ]
    ballots = [["a", "b"]] * 9 + [["c"]] * 2 + [["d"]]
    budgets = {"Oud-West": 100, "Bos en Lommer": 100}
    instance, profile = make_round(projects, ballots, budget=120, district_budgets=budgets)
    free = run_rule("ilp", instance, profile)
    assert _fund(free.selected) == {"a", "b"}  # 60*9 + 40*9 = 900 beats anything with c or d
    instance, profile = make_round(
        projects, ballots, budget=120, district_budgets=budgets, district_floors={"Bos en Lommer": 30}
    )
    floored = run_rule("ilp", instance, profile)
    # 90 left for Oud-West: a (540) beats b (360); c (60) beats d (50) and fits next to a
    assert _fund(floored.selected) == {"a", "c"}
    assert floored.district_spend == {"Oud-West": 60, "Bos en Lommer": 30}
    assert floored.utility == 60 * 9 + 30 * 2 and floored.optimal is True


def test_minimum_and_maximum_category_shares() -> None:
    projects = [
        Project("m1", 12_000, categories=("Maaltijdservices",)),
        Project("m2", 8_000, categories=("Maaltijdservices", "Maatjes")),
        Project("e1", 50_000, categories=("Evenementen",)),
        Project("e2", 40_000, categories=("Evenementen",)),
        Project("w1", 30_000, categories=("Wijkcentrum",)),
    ]
    ballots = [["e1", "e2", "w1"]] * 10 + [["m1"]] * 2 + [["m2"]]
    base = {"budget": 100_000}
    instance, profile = make_round(projects, ballots, **base)
    assert _fund(run_rule("ilp", instance, profile).selected) == {"e1", "e2", "m2"}
    instance, profile = make_round(projects, ballots, **base, category_min_share={"Maaltijdservices": share("1/5")})
    got = run_rule("ilp", instance, profile)
    # 20% = EUR 20,000 needs both meal projects; then 80,000 left: e1 + w1 (800k) beats e2 + w1 (700k)
    assert _fund(got.selected) == {"m1", "m2", "e1", "w1"}
    assert got.category_spend["Maaltijdservices"] == 20_000
    assert got.category_spend["Maatjes"] == 8_000
    instance, profile = make_round(projects, ballots, budget=110_000, category_max_share={"Evenementen": share("1/2")})
    got = run_rule("ilp", instance, profile)
    # without the maximum e1 + e2 + m1 + m2 (932k) would win; 50% = EUR 55,000 allows one of e1, e2
    assert _fund(got.selected) == {"e1", "w1", "m1", "m2"}
    assert got.category_spend["Evenementen"] == 50_000
    blocked = got.outcomes["e2"]
    assert blocked.reason == "ilp.no_room.category_share"
    assert "only EUR 5,000 is left under the maximum share for Evenementen" in blocked.explanation


def test_caps_bind_the_ilp() -> None:
    projects = [
        Project("a", 50, neighbourhood="Kolenkit"),
        Project("b", 50, neighbourhood="Kolenkit"),
        Project("c", 30, categories=("Groen",)),
        Project("d", 30, categories=("Groen",)),
    ]
    ballots = [["a", "b", "c", "d"]] * 3
    instance, profile = make_round(
        projects, ballots, budget=200, neighbourhood_caps={"Kolenkit": 60}, category_caps={"Groen": 59}
    )
    got = run_rule("ilp", instance, profile)
    assert _fund(got.selected) == {"a", "c"}  # ties broken by rank: ids a < b, c < d
    assert got.outcomes["b"].reason == "ilp.no_room.neighbourhood"
    assert got.outcomes["d"].reason == "ilp.no_room.category_cap"
    assert "neighbourhood Kolenkit" in got.outcomes["b"].explanation


def test_tie_break_prefers_higher_ranked_projects_and_spends_leftovers() -> None:
    projects = [Project("b", 100), Project("a", 100), Project("z", 10), Project("y", 500)]
    ballots = [["a", "b"]] * 4
    instance, profile = make_round(projects, ballots, budget=115)
    results = {run_rule("ilp", instance, profile).selected for _ in range(3)}
    assert results == {("a", "z")}  # a and b tie; a ranks first by id; z (no votes) still fits
    got = run_rule("ilp", instance, profile)
    assert got.details["tie_break"] == "applied"
    assert got.outcomes["b"].explanation == (
        "not funded: next to the projects of the optimal plan "
        "only EUR 5 is left of the total budget, and it costs "
        "EUR 100 (rank 2 by votes)"
    )
    assert render(got.outcomes["a"], "nl") == "gefinancierd: onderdeel van het beste plan (plaats 1 op stemmen)"


def test_obvious_conflicts_are_named_before_solving() -> None:
    projects = [
        Project("m1", 12_000, district="West", categories=("Maaltijdservices",)),
        Project("e1", 200_000, district="West", categories=("Evenementen",)),
        Project("o1", 50_000, district="Oost"),
    ]
    ballots = [["m1", "e1"], ["o1"]]
    budgets = {"West": 250_000, "Oost": 50_000}

    def error(**bounds: object) -> str:
        instance, profile = make_round(projects, ballots, budget=300_000, district_budgets=budgets, **bounds)
        with pytest.raises(AllocationError) as info:
            run_rule("ilp", instance, profile)
        return str(info.value)

    assert error(category_min_share={"Maaltijdservices": share("1/10")}) == (
        "the constraints cannot be met: minimum 10% for Maaltijdservices needs EUR 30,000 but its "
        "projects cost EUR 12,000 in total"
    )
    assert "the floor of EUR 60,000 for Oost is above its budget of EUR 50,000" in error(
        district_floors={"Oost": 60_000}
    )
    assert "floor of EUR 240,000 for West needs more than its projects cost in total (EUR 212,000)" in error(
        district_floors={"West": 240_000}
    )
    assert "maximum share of 5% allows EUR 15,000" in error(
        category_min_share={"Evenementen": share("1/10")}, category_max_share={"Evenementen": share("1/20")}
    )
    message = error(category_min_share={"Maaltijdservices": share("1/10"), "Zorg": share("1/100")})
    assert (
        "Maaltijdservices" in message and "minimum 1% for Zorg needs EUR 3,000 but its projects cost EUR 0" in message
    )


def test_conflict_only_the_solver_sees_lists_every_lower_bound() -> None:
    projects = [
        Project("a", 60, categories=("A",)),
        Project("b", 60, categories=("B",)),
        Project("c", 20, categories=("A", "B")),
    ]
    instance, profile = make_round(
        projects, [["a", "b", "c"]], budget=100, category_min_share={"A": share("3/5"), "B": share("3/5")}
    )
    with pytest.raises(AllocationError) as info:
        run_rule("ilp", instance, profile)
    text = str(info.value)
    assert text.startswith("the constraints cannot all be met at once")
    assert "minimum 60% (EUR 60) for A" in text and "minimum 60% (EUR 60) for B" in text


def _large(n: int, seed: int, *, min_share: Fraction | None) -> tuple[Instance, Profile]:
    rng = np.random.default_rng(seed)
    districts = [f"D{k}" for k in range(10)]
    blocks = [f"B{k}" for k in range(21)]
    projects = tuple(
        Project(
            str(i),
            int(rng.integers(5, 200)) * 500,
            district=districts[i % 10],
            categories=(blocks[i % 21], blocks[(i * 7 + 3) % 21]),
        )
        for i in range(n)
    )
    per = {d: sum(p.cost for p in projects if p.district == d) // 3 for d in districts}
    bounds: dict[str, object] = {"category_max_share": {b: Fraction(12, 100) for b in blocks}}
    if min_share is not None:
        bounds["category_min_share"] = dict.fromkeys(blocks, min_share)
    instance = Instance(projects, sum(per.values()), per, **bounds)  # type: ignore[arg-type]
    voters = 5_000
    indices = rng.integers(0, n, size=voters * 4).astype(np.int32)
    profile = Profile(
        BallotType.APPROVAL,
        tuple(districts),
        np.arange(0, voters * 4 + 1, 4, dtype=np.int64),
        indices,
        np.ones(voters * 4, dtype=np.int64),
        np.zeros(voters, dtype=np.int32),
    )
    return instance, profile


def test_time_limit_reports_a_plan_that_is_not_proven_optimal() -> None:
    instance, profile = _large(1000, 7, min_share=None)
    got = run_rule("ilp", instance, profile, time_limit=0.01)
    # SCIP's trivial heuristic has the empty plan before presolving ends; no proof in 10 ms
    assert got.optimal is False
    assert "not proven optimal" in got.status and got.status.startswith("timelimit")
    assert violated_bounds(instance, [instance.index_of()[i] for i in got.selected]) == []
    assert all(
        o.reason in ("ilp.funded_best_found", "ilp.not_chosen") or o.reason.startswith("ilp.no_room")
        for o in got.outcomes.values()
    )


def test_time_limit_without_any_plan_is_a_clear_error() -> None:
    instance, profile = _large(1000, 8, min_share=Fraction(1, 100))
    try:
        got = run_rule("ilp", instance, profile, time_limit=0.01)
    except AllocationError as exc:
        assert "no plan within the time limit of 0.01 s" in str(exc)
    else:  # a heuristic was quick after all: then it must say it is not proven
        assert got.optimal is False and "not proven optimal" in got.status


def test_medium_round_with_shares_is_optimal_and_within_every_bound() -> None:
    instance, profile = _large(100, 3, min_share=Fraction(1, 100))
    got = run_rule("ilp", instance, profile)
    assert got.optimal is True
    assert violated_bounds(instance, [instance.index_of()[i] for i in got.selected]) == []
    greedy = run_rule("greedy", instance, profile)
    greedy_problems = violated_bounds(instance, [instance.index_of()[i] for i in greedy.selected])
    # greedy knows no minimum shares; where its plan happens to meet them, the ILP is at least as good
    assert greedy_problems or got.utility >= greedy.utility
    again = run_rule("ilp", instance, profile)
    assert again.selected == got.selected


def _two_goals() -> tuple[Instance, Profile]:
    """One dear plan with three supporters against two cheap plans with two each (budget 100)."""
    projects = [Project("big", 100), Project("s1", 50), Project("s2", 50)]
    ballots = [["big"], ["big"], ["big", "s1"], ["s1"], ["s2"], ["s2"]]
    return make_round(projects, ballots, budget=100)


def test_goal_cost_approval_funds_money_to_supported_plans() -> None:
    instance, profile = _two_goals()
    default = run_rule("ilp", instance, profile)
    explicit = run_rule("ilp", instance, profile, goal="cost-approval")
    # 100 x 3 = 300 against 50 x 2 + 50 x 2 = 200.
    assert default.selected == explicit.selected == ("big",)
    assert default.details["goal"] == "cost-approval" and default.details["objective"] == 300


def test_goal_approval_reaches_the_most_supporters() -> None:
    instance, profile = _two_goals()
    got = run_rule("ilp", instance, profile, goal="approval")
    # 2 + 2 = 4 approvals of funded plans against 3.
    assert sorted(got.selected) == ["s1", "s2"]
    assert got.details["goal"] == "approval" and got.details["objective"] == 4 and got.optimal


def test_goal_approval_counts_points_on_points_ballots() -> None:
    projects = [Project("big", 100), Project("s1", 50), Project("s2", 50)]
    ballots = [["big", "s1"], ["s2"]]
    points = [[9, 1], [3]]  # big gets 9 points; s1 and s2 together 4
    instance, profile = make_round(projects, ballots, budget=100, points=points, ballot_type=BallotType.CUMULATIVE)
    assert run_rule("ilp", instance, profile, goal="approval").selected == ("big",)


def test_goal_is_checked() -> None:
    instance, profile = _two_goals()
    with pytest.raises(AllocationError, match="unknown goal"):
        run_rule("ilp", instance, profile, goal="cheapest")
    with pytest.raises(AllocationError, match="a goal applies only to rule 'ilp'"):
        run_rule("greedy", instance, profile, goal="approval")
