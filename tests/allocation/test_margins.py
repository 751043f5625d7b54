"""Margins (how close each plan came): examples, and property tests against re-running the rule."""

from __future__ import annotations

import pytest
from helpers import make_round
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import rounds

from wijkfonds.allocation import AllocationError, BallotType, Instance, Profile, Project
from wijkfonds.allocation.explain import render
from wijkfonds.allocation.rules import run_rule
from wijkfonds.allocation.rules.common import project_scores
from wijkfonds.allocation.rules.margins import compute_margins, margins_json, with_delta, with_margins

EXACT = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SEARCH = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def funded_after(rule: str, instance: Instance, profile: Profile, pid: str, delta: int, **opts: object) -> bool:
    """Whether ``pid`` is funded when its support changes by ``delta`` (the rule re-run from scratch)."""
    p = instance.index_of()[pid]
    return pid in run_rule(rule, instance, with_delta(instance, profile, p, delta), **opts).selected  # type: ignore[arg-type]


def _feasible(rule: str, instance: Instance, profile: Profile) -> bool:
    try:
        run_rule(rule, instance, profile)
    except AllocationError:
        return False
    return True


def test_with_delta_changes_one_projects_support_only() -> None:
    projects = [Project("a", 10), Project("b", 20)]
    instance, profile = make_round(projects, [["a", "b"], ["a"], ["b"]], budget=30)
    before = project_scores(instance, profile).tolist()
    assert project_scores(instance, with_delta(instance, profile, 0, 3)).tolist() == [before[0] + 3, before[1]]
    assert project_scores(instance, with_delta(instance, profile, 1, -2)).tolist() == [before[0], 0]
    assert with_delta(instance, profile, 0, 3).num_voters == profile.num_voters + 3


def test_greedy_margins_and_the_dutch_sentences() -> None:
    projects = [Project("a", 60), Project("b", 50), Project("c", 40)]
    ballots = [["a"]] * 7 + [["b"]] * 5 + [["c"]] * 2
    instance, profile = make_round(projects, ballots, budget=100)
    got = run_rule("greedy", instance, profile)
    assert got.selected == ("a", "c")
    m = compute_margins("greedy", instance, profile, got)
    assert m["b"].needed == 3  # 8 votes put b before a (7)
    assert m["a"].spare == 2  # with 5 votes a still comes first (ties: "a" < "b"); with 4 it does not
    assert m["c"].spare == 2  # c is funded whatever its support: b never fits next to a
    shown = with_margins(got, m)
    assert render(shown.outcomes["b"], "nl").endswith("het had 3 stemmen meer nodig gehad")
    assert render(shown.outcomes["a"], "nl").endswith("het had 2 stemmen minder kunnen missen")
    assert "needed 3 more votes" in shown.outcomes["b"].explanation
    assert shown.details["margins"]["b"]["needed"] == 3
    assert margins_json(m)["c"]["text"]["nl"] == "het was ook zonder zijn 2 stemmen gefinancierd"


def test_a_plan_that_never_fits_is_unreachable() -> None:
    projects = [Project("a", 60), Project("big", 500)]
    instance, profile = make_round(projects, [["a"], ["big"]], budget=100)
    for rule in ("greedy", "ilp"):
        got = run_rule(rule, instance, profile)
        m = compute_margins(rule, instance, profile, got)
        assert m["big"].needed is None
        assert "met alleen meer stemmen" in render(with_margins(got, m).outcomes["big"], "nl")


def test_points_ballots_count_points() -> None:
    projects = [Project("a", 60), Project("b", 50)]
    ballots = [["a"], ["b"]]
    instance, profile = make_round(projects, ballots, budget=100, points=[[5], [3]], ballot_type=BallotType.CUMULATIVE)
    got = run_rule("greedy", instance, profile)
    m = compute_margins("greedy", instance, profile, got)
    assert m["b"].needed == 3 and m["b"].unit == "points"
    assert render(with_margins(got, m).outcomes["b"], "nl").endswith("het had 3 punten meer nodig gehad")


@EXACT
@given(rounds(max_projects=6), st.sampled_from(("greedy", "greedy-stop")), st.sampled_from((None, 2)))
def test_greedy_margins_are_exact(r: tuple[Instance, Profile], rule: str, min_score: int | None) -> None:
    instance, profile = r
    got = run_rule(rule, instance, profile, min_score=min_score)
    margins = compute_margins(rule, instance, profile, got, min_score=min_score)
    scores = project_scores(instance, profile)
    top = int(scores.sum()) + 6
    for i, p in enumerate(instance.projects):
        m = margins[p.id]
        assert m.exact and m.support == int(scores[i])

        def at(d: int, pid: str = p.id) -> bool:
            return funded_after(rule, instance, profile, pid, d, min_score=min_score)

        if m.funded:
            assert m.spare is not None
            assert all(at(-d) for d in range(m.spare + 1))
            if m.spare < m.support:
                assert not at(-(m.spare + 1))
        elif m.needed is None:
            assert not at(top)
        else:
            assert at(m.needed)
            assert not any(at(d) for d in range(m.needed))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rounds(max_projects=5))
def test_ilp_margins_are_exact(r: tuple[Instance, Profile]) -> None:
    instance, profile = r
    if not _feasible("ilp", instance, profile):
        return
    got = run_rule("ilp", instance, profile)
    margins = compute_margins("ilp", instance, profile, got)
    top = int(project_scores(instance, profile).sum()) + 6
    for p in instance.projects:
        m = margins[p.id]

        def at(d: int, pid: str = p.id) -> bool:
            return funded_after("ilp", instance, profile, pid, d)

        if m.funded:
            assert m.spare is not None and at(-m.spare)
            if m.spare < m.support:
                assert not at(-(m.spare + 1))
            if m.exact:
                assert all(at(-d) for d in range(m.spare))
        elif m.needed is None:
            assert not at(top)
        else:
            assert at(m.needed) and not at(m.needed - 1)
            if m.exact:
                assert not any(at(d) for d in range(m.needed - 1))


@SEARCH
@given(rounds(max_projects=5, lower_bounds=False), st.sampled_from(("none", "add1")))
def test_mes_margins_flip_the_outcome(r: tuple[Instance, Profile], completion: str) -> None:
    instance, profile = r
    got = run_rule("mes", instance, profile, completion=completion)
    margins = compute_margins("mes", instance, profile, got, completion=completion)
    for p in instance.projects:
        m = margins[p.id]
        assert m.method == "search"

        def at(d: int, pid: str = p.id) -> bool:
            return funded_after("mes", instance, profile, pid, d, completion=completion)

        if m.funded:
            assert m.spare is not None and at(-m.spare)
            if m.spare < m.support:
                assert not at(-(m.spare + 1))
            if m.exact:  # small margins are exact: every smaller removal keeps it funded
                assert m.spare <= 8 and all(at(-r) for r in range(m.spare))
        elif m.needed is not None:
            assert at(m.needed) and not at(m.needed - 1)
            if m.exact:
                assert m.needed <= 8 and not any(at(k) for k in range(m.needed))
        else:  # never (it breaks a bound on its own) or not within the search limit
            assert not at(m.searched_to if m.searched_to is not None else 3 * profile.num_voters + 20)


@SEARCH
@given(rounds(max_projects=5))
def test_mes_bounds_margins_flip_the_outcome(r: tuple[Instance, Profile]) -> None:
    instance, profile = r
    if not _feasible("mes-bounds", instance, profile):
        return
    got = run_rule("mes-bounds", instance, profile)
    margins = compute_margins("mes-bounds", instance, profile, got)
    for p in instance.projects:
        m = margins[p.id]
        if m.funded:
            assert m.spare is not None and funded_after("mes-bounds", instance, profile, p.id, -m.spare)
        elif m.needed is not None:
            assert funded_after("mes-bounds", instance, profile, p.id, m.needed)
            assert not funded_after("mes-bounds", instance, profile, p.id, m.needed - 1)
        else:
            far = m.searched_to if m.searched_to is not None else 3 * profile.num_voters + 20
            assert not funded_after("mes-bounds", instance, profile, p.id, far)


def test_margins_refuse_an_unknown_rule() -> None:
    instance, profile = make_round([Project("a", 1)], [["a"]], budget=1)
    got = run_rule("greedy", instance, profile)
    with pytest.raises(AllocationError, match="not available"):
        compute_margins("official", instance, profile, got)


def test_min_score_margin_counts_up_to_the_threshold() -> None:
    projects = [Project("a", 10), Project("b", 10)]
    instance, profile = make_round(projects, [["a"]] * 3 + [["b"]], budget=100)
    got = run_rule("greedy", instance, profile, min_score=3)
    m = compute_margins("greedy", instance, profile, got, min_score=3)
    assert m["b"].needed == 2 and m["a"].spare == 0
