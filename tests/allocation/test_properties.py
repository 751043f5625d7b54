"""Property tests on random small rounds: bounds hold, ilp is optimal (brute force), results repeat."""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest
from helpers import make_round
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wijkfonds.allocation import AllocationError, Instance, Profile, Project
from wijkfonds.allocation.rules import run_rule

DISTRICTS = ("Noord", "Zuid", "West")
NEIGHBOURHOODS = ("Kolenkit", "Landlust")
CATEGORIES = ("Maatjes", "Evenementen", "Wijkcentrum")


@st.composite
def rounds(draw: st.DrawFn, max_projects: int = 10, lower_bounds: bool = True) -> tuple[Instance, Profile]:
    """A random round with every kind of bound and exclusive groups (each one present or not)."""
    n = draw(st.integers(1, max_projects))
    districts = DISTRICTS[: draw(st.integers(1, 3))]
    projects = [
        Project(
            id=str(draw(st.integers(0, 40))) + f"-{i}" if draw(st.booleans()) else str(i),
            cost=draw(st.integers(0, 60)),
            district=draw(st.sampled_from(districts)),
            categories=tuple(draw(st.sets(st.sampled_from(CATEGORIES), max_size=2))),
            neighbourhood=draw(st.none() | st.sampled_from(NEIGHBOURHOODS)),
        )
        for i in range(n)
    ]
    ids = [p.id for p in projects]
    if len(set(ids)) < n:  # the drawn ids collided: fall back to plain ones
        projects = [
            Project(str(i), p.cost, p.name, p.district, p.categories, p.neighbourhood) for i, p in enumerate(projects)
        ]
        ids = [p.id for p in projects]
    budget = draw(st.integers(0, 200))
    money = st.integers(0, 150)
    frac = st.fractions(0, 1, max_denominator=10)
    bounds: dict[str, object] = {
        "district_budgets": {d: draw(money) for d in districts},
        "neighbourhood_caps": draw(st.dictionaries(st.sampled_from(NEIGHBOURHOODS), money, max_size=2)),
        "category_caps": draw(st.dictionaries(st.sampled_from(CATEGORIES), money, max_size=2)),
        "category_max_share": draw(st.dictionaries(st.sampled_from(CATEGORIES), frac, max_size=2)),
    }
    if lower_bounds:
        bounds["district_floors"] = draw(st.dictionaries(st.sampled_from(districts), st.integers(0, 60), max_size=2))
        bounds["category_min_share"] = draw(
            st.dictionaries(
                st.sampled_from(CATEGORIES), st.fractions(0, Fraction(1, 2), max_denominator=10), max_size=2
            )
        )
    if len(ids) >= 2:
        group = st.lists(st.sampled_from(ids), min_size=2, max_size=3, unique=True)
        bounds["exclusive_groups"] = draw(st.lists(group, max_size=2))
    ballots = draw(st.lists(st.lists(st.sampled_from(ids), min_size=1, max_size=4, unique=True), max_size=12))
    return make_round(projects, ballots, budget=budget, **bounds)  # type: ignore[arg-type]


def problems(instance: Instance, chosen: set[str], *, lower: bool = True) -> list[str]:
    """Every bound a plan breaks, computed directly from the definitions (independent of the engine)."""
    picked = [p for p in instance.projects if p.id in chosen]
    found = []

    def in_district(d: str) -> int:
        return sum(p.cost for p in picked if p.district == d)

    def in_category(c: str) -> int:
        return sum(p.cost for p in picked if c in p.categories)

    if sum(p.cost for p in picked) > instance.budget:
        found.append("total")
    for d, b in instance.district_budgets.items():
        if in_district(d) > b:
            found.append(f"district {d}")
    for nb, cap in instance.neighbourhood_caps.items():
        if sum(p.cost for p in picked if p.neighbourhood == nb) > cap:
            found.append(f"neighbourhood {nb}")
    for c, cap in instance.category_caps.items():
        if in_category(c) > cap:
            found.append(f"category cap {c}")
    for c, s in instance.category_max_share.items():
        if in_category(c) > s * instance.budget:
            found.append(f"max share {c}")
    for group in instance.exclusive_groups:
        if len(chosen & set(group)) > 1:
            found.append(f"exclusive {','.join(group)}")
    if lower:
        for d, f in instance.district_floors.items():
            if in_district(d) < f:
                found.append(f"floor {d}")
        for c, s in instance.category_min_share.items():
            if in_category(c) < s * instance.budget:
                found.append(f"min share {c}")
    return found


def brute_force(instance: Instance, profile: Profile) -> int | None:
    """The best utility over all plans that meet every bound (None if no plan does)."""
    support = {p.id: 0 for p in instance.projects}
    for v in range(profile.num_voters):
        for i in profile.ballot(v)[0]:
            support[instance.projects[i].id] += 1
    best: int | None = None
    ids = [p.id for p in instance.projects]
    cost = {p.id: p.cost for p in instance.projects}
    for r in range(len(ids) + 1):
        for plan in itertools.combinations(ids, r):
            if not problems(instance, set(plan)):
                value = sum(cost[i] * support[i] for i in plan)
                best = value if best is None else max(best, value)
    return best


FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SOLVER = settings(max_examples=70, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(rounds(max_projects=14))
def test_greedy_rules_never_break_an_upper_bound(r: tuple[Instance, Profile]) -> None:
    instance, profile = r
    for rule in ("greedy", "greedy-stop"):
        got = run_rule(rule, instance, profile)
        assert problems(instance, set(got.selected), lower=False) == []
        assert got.cost == sum(p.cost for p in instance.projects if p.id in got.selected)
        assert set(got.outcomes) == {p.id for p in instance.projects}
        assert {i for i, o in got.outcomes.items() if o.funded} == set(got.selected)
        assert _same(run_rule(rule, instance, profile), got)


def _same(a, b) -> bool:  # type: ignore[no-untyped-def]
    """Equal results apart from the measured time."""
    return (a.selected, a.cost, a.utility, a.outcomes) == (b.selected, b.cost, b.utility, b.outcomes)


@FAST
@given(rounds(max_projects=14, lower_bounds=False))
def test_greedy_stop_is_a_prefix_of_greedy_in_one_district_without_caps(r: tuple[Instance, Profile]) -> None:
    instance, profile = r
    if (
        len(instance.districts) > 1
        or instance.neighbourhood_caps
        or instance.category_caps
        or instance.category_max_share
    ):
        return  # with several bounds a stop in one place leaves money for projects elsewhere
    skip = run_rule("greedy", instance, profile).selected
    stop = run_rule("greedy-stop", instance, profile).selected
    assert skip[: len(stop)] == stop


@SOLVER
@given(rounds(max_projects=9))
def test_ilp_equals_brute_force_and_meets_every_bound(r: tuple[Instance, Profile]) -> None:
    instance, profile = r
    best = brute_force(instance, profile)
    if best is None:
        with pytest.raises(AllocationError, match="cannot"):
            run_rule("ilp", instance, profile)
        return
    got = run_rule("ilp", instance, profile)
    assert got.optimal is True
    assert problems(instance, set(got.selected)) == []
    assert got.utility == best
    greedy = run_rule("greedy", instance, profile)
    if not problems(instance, set(greedy.selected)):
        assert got.utility >= greedy.utility
    assert run_rule("ilp", instance, profile).selected == got.selected


@settings(max_examples=8, deadline=None)
@given(rounds(max_projects=12, lower_bounds=False))
def test_ilp_equals_brute_force_on_twelve_projects(r: tuple[Instance, Profile]) -> None:
    instance, profile = r
    best = brute_force(instance, profile)
    got = run_rule("ilp", instance, profile)
    assert best is not None and got.utility == best
    assert got.utility >= run_rule("greedy", instance, profile).utility
    assert got.seconds >= 0
