"""Equal Shares with district floors and minimum shares (mes-bounds): examples and property tests."""

from __future__ import annotations

import dataclasses
import itertools
from fractions import Fraction

import pytest
from helpers import make_round
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import problems, rounds

from wijkfonds.allocation import AllocationError, Instance, Profile, Project
from wijkfonds.allocation.explain import render
from wijkfonds.allocation.rules import run_rule
from wijkfonds.allocation.rules.feasibility import Feasibility

PROPS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
COMPLETION = st.sampled_from(("none", "add1", "add1-greedy"))


def feasible(instance: Instance) -> bool:
    """Whether any plan meets every bound, by trying all of them."""
    ids = [p.id for p in instance.projects]
    return any(
        not problems(instance, set(plan)) for r in range(len(ids) + 1) for plan in itertools.combinations(ids, r)
    )


def _same_outcome(a, b) -> bool:  # type: ignore[no-untyped-def]
    keep = ("completion", "selected", "cost", "utility", "district_spend", "category_spend", "outcomes", "details")
    return all(getattr(a, k) == getattr(b, k) for k in keep)


def _small() -> tuple[Instance, Profile]:
    projects = [
        Project("a", 40, categories=("Groen",)),
        Project("b", 30, categories=("Spelen",)),
        Project("c", 30, categories=("Spelen",)),
        Project("d", 20, categories=("Groen",)),
    ]
    ballots = [["a"], ["a"], ["a", "b"], ["b"], ["c"], ["d"]]
    return make_round(projects, ballots, budget=100, category_min_share={"Spelen": Fraction(6, 10)})


def test_minimum_share_is_met_and_the_explanation_says_why() -> None:
    instance, profile = _small()
    plain = run_rule("mes", instance, profile)
    assert plain.selected == ("a",)
    got = run_rule("mes-bounds", instance, profile)
    assert got.rule == "mes-bounds"
    assert got.selected == ("a", "b", "c")
    assert not problems(instance, set(got.selected))
    assert got.outcomes["a"] == plain.outcomes["a"]
    b = got.outcomes["b"]
    assert b.funded and b.reason == "mes_bounds.funded_for_minimum"
    assert render(b, "nl").startswith("gefinancierd om de minimumbedragen te halen")
    assert "Spelen" in render(b, "nl")
    assert got.details["bounds"]["funded_for_minimums"] == ["b", "c"]


def test_a_winner_that_would_block_the_minimum_is_refused() -> None:
    # Equal Shares would buy "a" (60 of 100), after which the floor of 50 in Zuid cannot be met.
    projects = [Project("a", 60, district="Noord"), Project("z", 50, district="Zuid")]
    ballots = [["a"]] * 5 + [["z"]]
    instance, profile = make_round(
        projects,
        ballots,
        budget=100,
        district_budgets={"Noord": 100, "Zuid": 100},
        district_floors={"Zuid": 50},
    )
    instance = dataclasses.replace(instance, budget=100)
    got = run_rule("mes-bounds", instance, profile)
    assert got.selected == ("z",)
    a = got.outcomes["a"]
    assert not a.funded and a.reason == "mes_bounds.lower_veto"
    assert "minimumbedragen" in render(a, "nl")
    assert got.details["bounds"]["refused"] == ["a"]


def test_infeasible_bounds_name_the_conflicting_minimums_only() -> None:
    projects = [
        Project("a", 40, categories=("Groen",)),
        Project("b", 70, categories=("Spelen",)),
        Project("c", 10, categories=("Cultuur",)),
    ]
    instance, profile = make_round(
        projects,
        [["a"], ["b"], ["c"]],
        budget=100,
        category_min_share={"Groen": Fraction(4, 10), "Spelen": Fraction(7, 10), "Cultuur": Fraction(1, 10)},
    )
    with pytest.raises(AllocationError) as err:
        run_rule("mes-bounds", instance, profile)
    text = str(err.value)
    assert "Groen" in text and "Spelen" in text
    assert "Cultuur" not in text  # Cultuur fits with either: Groen and Spelen are what conflict


def test_a_minimum_that_cannot_be_met_on_its_own_is_named() -> None:
    projects = [Project("a", 40, categories=("Groen",)), Project("b", 60)]
    instance, profile = make_round(projects, [["a"], ["b"]], budget=100, category_min_share={"Groen": Fraction(1, 2)})
    with pytest.raises(AllocationError, match="minimum 50% for Groen needs EUR 50 but its projects cost EUR 40"):
        run_rule("mes-bounds", instance, profile)


@PROPS
@given(rounds(max_projects=8), COMPLETION)
def test_mes_bounds_meets_every_feasible_bound(r: tuple[Instance, Profile], completion: str) -> None:
    instance, profile = r
    if not feasible(instance):
        with pytest.raises(AllocationError, match="cannot"):
            run_rule("mes-bounds", instance, profile, completion=completion)
        return
    got = run_rule("mes-bounds", instance, profile, completion=completion)
    assert problems(instance, set(got.selected)) == []
    assert len(set(got.selected)) == len(got.selected)
    assert {pid for pid, o in got.outcomes.items() if o.funded} == set(got.selected)


@PROPS
@given(rounds(max_projects=9, lower_bounds=False), COMPLETION)
def test_without_lower_bounds_it_is_plain_equal_shares(r: tuple[Instance, Profile], completion: str) -> None:
    instance, profile = r
    plain = run_rule("mes", instance, profile, completion=completion)
    got = run_rule("mes-bounds", instance, profile, completion=completion)
    assert _same_outcome(plain, got)
    # zero floors and zero shares are no bounds either
    zeros = dataclasses.replace(
        instance,
        district_floors=dict.fromkeys(instance.districts, 0),
        category_min_share={c: Fraction(0) for p in instance.projects for c in p.categories},
    )
    assert _same_outcome(plain, run_rule("mes-bounds", zeros, profile, completion=completion))


@PROPS
@given(rounds(max_projects=8))
def test_when_plain_equal_shares_meets_the_minimums_nothing_changes(r: tuple[Instance, Profile]) -> None:
    instance, profile = r
    plain = run_rule("mes", instance, profile)
    if problems(instance, set(plain.selected)):
        return
    got = run_rule("mes-bounds", instance, profile)
    assert got.selected == plain.selected
    assert got.outcomes == plain.outcomes


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rounds(max_projects=7))
def test_the_diagnosis_names_an_irreducible_conflict(r: tuple[Instance, Profile]) -> None:
    instance, _ = r
    check = Feasibility(instance)
    if not check.has_lower_bounds or check.witness([]) is not None:
        return
    if check.diagnosis().startswith("the constraints cannot be met:"):
        return  # a bound that fails on its own (the ILP's precheck wording)
    named = check.conflict()
    assert named

    def only(keep: list[int]) -> Instance:
        lowers = [check.lowers[k] for k in keep]
        return dataclasses.replace(
            instance,
            district_floors={b.name: instance.district_floors[b.name] for b in lowers if b.kind == "floor"},
            category_min_share={
                b.name: instance.category_min_share[b.name] for b in lowers if b.kind == "category_min"
            },
        )

    assert not feasible(only(named))
    for k in named:
        assert feasible(only([j for j in named if j != k]))
