"""greedy and greedy-stop: equality with pabutools, caps, districts, ties and explanations."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from conftest import file_id, shared_pabulib_files
from helpers import expected, make_round, share

from wijkfonds.allocation import AllocationError, BallotType, Project
from wijkfonds.allocation.explain import reasons, register_reasons, render, render_reason
from wijkfonds.allocation.pabulib import read_election
from wijkfonds.allocation.rules import run_rule
from wijkfonds.allocation.rules.common import format_money, project_scores, violated_bounds

COMPARED = shared_pabulib_files("netherlands") + shared_pabulib_files("warszawa-2023")
CAPPED = [p for p in shared_pabulib_files("netherlands") if "budget_per_" in p.read_text("utf-8-sig")]


@pytest.mark.pabulib
@pytest.mark.parametrize("path", COMPARED, ids=file_id)
def test_greedy_equals_pabutools(path: Path) -> None:
    want = expected(path.parent.name).get(path.name, {}).get("greedy", {})
    if "selected" not in want:
        pytest.skip(f"no pabutools greedy result stored for {path.name}")
    instance, profile = read_election([path], ignore_caps=True)
    got = run_rule("greedy", instance, profile)
    assert sorted(got.selected) == want["selected"]
    assert got.cost <= instance.budget


def _reference_greedy(instance, profile) -> list[str]:  # type: ignore[no-untyped-def]
    """A plain re-statement of greedy with caps, independent of BoundTracker."""
    scores = project_scores(instance, profile)
    order = sorted(range(len(instance.projects)), key=lambda i: (-int(scores[i]), instance.projects[i].id))
    spent_total, spent_nb, spent_cat, chosen = 0, {}, {}, []
    for i in order:
        p = instance.projects[i]
        if spent_total + p.cost > instance.budget:
            continue
        nb = p.neighbourhood
        if nb in instance.neighbourhood_caps and spent_nb.get(nb, 0) + p.cost > instance.neighbourhood_caps[nb]:
            continue
        if any(
            c in instance.category_caps and spent_cat.get(c, 0) + p.cost > instance.category_caps[c]
            for c in p.categories
        ):
            continue
        spent_total += p.cost
        spent_nb[nb] = spent_nb.get(nb, 0) + p.cost
        for c in p.categories:
            spent_cat[c] = spent_cat.get(c, 0) + p.cost
        chosen.append(p.id)
    return chosen


@pytest.mark.pabulib
def test_caps_of_the_amsterdam_files() -> None:
    if not CAPPED:
        pytest.skip("no capped files in ../shared/pabulib/netherlands")
    changed = 0
    for path in CAPPED:
        instance, profile = read_election([path])
        assert instance.neighbourhood_caps or instance.category_caps, path.name
        for rule in ("greedy", "greedy-stop", "ilp"):
            got = run_rule(rule, instance, profile)
            assert violated_bounds(instance, [instance.index_of()[i] for i in got.selected]) == []
        got = run_rule("greedy", instance, profile)
        assert list(got.selected) == _reference_greedy(instance, profile), path.name
        uncapped = run_rule("greedy", *read_election([path], ignore_caps=True))
        if uncapped.selected != got.selected:
            changed += 1
            blocked = [
                o
                for o in got.outcomes.values()
                if o.reason in ("greedy.no_room.neighbourhood", "greedy.no_room.category_cap")
            ]
            assert blocked and all(str(o.params["name"]) in o.explanation for o in blocked)
    assert changed >= 1  # the caps matter on at least one real election


def test_ties_follow_pabutools_lexicographic_order_of_ids() -> None:
    projects = [Project(i, 100, district="") for i in ("9", "10", "2", "b", "A")]
    instance, profile = make_round(projects, [["9", "10", "2", "b", "A"]], budget=300)
    got = run_rule("greedy", instance, profile)
    # pabutools compares project names as strings: "10" < "2" < "9" < "A" < "b"
    assert got.selected == ("10", "2", "9")
    assert got.details["order"] == ["10", "2", "9", "A", "b"]


def test_free_projects_first_and_projects_without_votes_still_funded() -> None:
    projects = [Project("z", 0), Project("a", 50), Project("b", 40), Project("c", 10), Project("d", 0)]
    instance, profile = make_round(projects, [["a", "z"], ["a", "b"], ["b"]], budget=60)
    got = run_rule("greedy", instance, profile)
    # z (free, supported) first; a and b tie on 2 votes -> "a"; c and d have no votes (density 0, by id)
    assert got.details["order"] == ["z", "a", "b", "c", "d"]
    assert got.selected == ("z", "a", "c", "d")
    assert got.cost == 60 and got.utility == 0 * 1 + 50 * 2


def test_district_budgets_and_the_explanation_names_the_district() -> None:
    projects = [
        Project("1", 20_000, "Speeltuin", "De Baarsjes"),
        Project("2", 11_600, "Moestuin", "De Baarsjes"),
        Project("3", 5_000, "Bankjes", "Westerpark"),
        Project("4", 9_000, "Buurtfeest", "Westerpark"),
    ]
    ballots = [["1", "2"]] * 5 + [["1"]] * 3 + [["3", "4"]] * 2 + [["4"]]
    instance, profile = make_round(
        projects, ballots, budget=100_000, district_budgets={"De Baarsjes": 28_400, "Westerpark": 20_000}
    )
    got = run_rule("greedy", instance, profile)
    assert got.selected == ("1", "4", "3")
    assert got.district_spend == {"De Baarsjes": 20_000, "Westerpark": 14_000}
    out = got.outcomes["2"]
    assert not out.funded and out.reason == "greedy.no_room.district"
    assert out.explanation == (
        "not funded: when it was reached (rank 2 by votes) only EUR 8,400 was "
        "left in De Baarsjes, and it costs EUR 11,600"
    )
    assert "€ 8.400" in render(out, "nl") and "De Baarsjes" in render(out, "nl")
    assert got.outcomes["1"].explanation == "funded: rank 1 by votes, it fits the budget"
    assert got.outcomes["1"].funded and got.outcomes["1"].rank == 1 and got.outcomes["1"].support == 8


def test_greedy_stop_stops_the_count_and_says_why() -> None:
    projects = [
        Project("a", 60, "A", "W"),
        Project("b", 50, "B", "W"),
        Project("c", 10, "C", "W"),
        Project("d", 30, "D", "O"),
        Project("e", 10, "E", "O"),
    ]
    ballots = [["a", "b", "c"]] * 3 + [["b", "c"]] * 2 + [["c"]] + [["d", "e"]] * 2 + [["e"]]
    instance, profile = make_round(projects, ballots, budget=1000, district_budgets={"W": 100, "O": 40})
    skip = run_rule("greedy", instance, profile)
    stop = run_rule("greedy-stop", instance, profile)
    assert set(skip.selected) == {"c", "b", "e", "d"}
    # W: c (6 votes), b (5), a does not fit -> stop; O is not affected
    assert set(stop.selected) == {"c", "b", "e", "d"}
    projects[1] = Project("b", 95, "B", "W")
    instance, profile = make_round(projects, ballots, budget=1000, district_budgets={"W": 100, "O": 40})
    stop = run_rule("greedy-stop", instance, profile)
    skip = run_rule("greedy", instance, profile)
    assert set(skip.selected) == {"c", "a", "e", "d"}
    assert set(stop.selected) == {"c", "e", "d"}
    assert stop.outcomes["b"].reason == "greedy_stop.stopper.district"
    assert "the count stopped here" in stop.outcomes["b"].explanation
    after = stop.outcomes["a"]
    assert after.reason == "greedy_stop.after_stop"
    assert after.explanation == (
        "not funded: the count in W stopped at rank 2 (B), before this project "
        "(rank 3) was reached; EUR 90 stayed unspent"
    )
    assert stop.details["stopped_at"] == {"W": "b"}


def test_greedy_stop_on_the_total_budget_stops_every_district() -> None:
    projects = [Project("a", 60, district="W"), Project("b", 50, district="O"), Project("c", 5, district="W")]
    ballots = [["a"]] * 3 + [["b"]] * 2 + [["c"]]
    instance, profile = make_round(projects, ballots, budget=100, district_budgets={"W": 100, "O": 100})
    stop = run_rule("greedy-stop", instance, profile)
    assert stop.selected == ("a",)
    assert stop.outcomes["b"].reason == "greedy_stop.stopper.total"
    assert stop.outcomes["c"].reason == "greedy_stop.after_stop"
    assert run_rule("greedy", instance, profile).selected == ("a", "c")


def test_category_caps_and_maximum_shares_bind_greedy() -> None:
    projects = [
        Project("a", 40, categories=("Evenementen",)),
        Project("b", 30, categories=("Evenementen", "Maatjes")),
        Project("c", 30, categories=("Maatjes",)),
        Project("d", 20, neighbourhood="Kolenkit"),
    ]
    ballots = [["a", "b", "c", "d"]] * 4 + [["a", "b", "c"]] * 3 + [["a", "b"]] * 2 + [["a"]]
    instance, profile = make_round(
        projects,
        ballots,
        budget=200,
        category_max_share={"Evenementen": share("1/4")},
        neighbourhood_caps={"Kolenkit": 19},
    )
    got = run_rule("greedy", instance, profile)
    assert got.selected == ("a", "c")  # b would bring Evenementen to 70 > 50; d exceeds its cap
    assert got.outcomes["b"].reason == "greedy.no_room.category_share"
    assert got.outcomes["d"].reason == "greedy.no_room.neighbourhood"
    assert "EUR 10 was left under the maximum share for Evenementen" in got.outcomes["b"].explanation
    assert got.category_spend == {"Evenementen": 40, "Maatjes": 30}


def test_cumulative_points_order_greedy() -> None:
    projects = [Project("a", 10), Project("b", 10), Project("c", 10)]
    instance, profile = make_round(
        projects, [["a", "b"], ["c", "b"]], budget=20, points=[[1, 5], [4, 1]], ballot_type=BallotType.CUMULATIVE
    )
    got = run_rule("greedy", instance, profile)
    assert got.selected == ("b", "c")  # b 6 points, c 4, a 1
    assert got.utility == 10 * 6 + 10 * 4


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rule": "majority"}, "unknown rule 'majority'"),
        ({"rule": "mes", "completion": "add2"}, "unknown completion 'add2'"),
        ({"rule": "greedy", "completion": "add1"}, "applies only to rule 'mes'"),
        ({"rule": "greedy", "time_limit": 5}, "time limit applies only to rule 'ilp'"),
        ({"rule": "ilp", "time_limit": 0}, "must be a positive number"),
    ],
)
def test_run_rule_rejects_bad_options(kwargs: dict, message: str) -> None:
    instance, profile = make_round([Project("a", 1)], [["a"]], budget=1)
    rule = kwargs.pop("rule")
    with pytest.raises(AllocationError, match=message):
        run_rule(rule, instance, profile, **kwargs)


def test_every_reason_renders_in_both_languages() -> None:
    sample = {
        "rank": 3,
        "support": 7,
        "cost": 12_000,
        "left": 8_400,
        "name": "De Baarsjes",
        "district": "West",
        "stop_rank": 2,
        "stopper": "Speeltuin",
    }
    codes = reasons()
    assert {"greedy.funded", "greedy.no_room.district", "ilp.funded"} <= set(codes)
    for code, by_lang in codes.items():
        for lang, template in by_lang.items():
            fields = {f for _, f, _, _ in string.Formatter().parse(template) if f}
            params = {f: sample.get(f, 1) for f in fields}
            text = render_reason(code, params, lang)
            assert "{" not in text and text, (code, lang)


def test_explain_rejects_unknown_codes_languages_and_half_templates() -> None:
    with pytest.raises(AllocationError, match="unknown reason code"):
        render_reason("nope.nothing", {}, "en")
    with pytest.raises(AllocationError, match="unknown language"):
        render_reason("greedy.funded", {"rank": 1}, "de")
    with pytest.raises(AllocationError, match="cannot be written"):
        render_reason("greedy.funded", {}, "en")
    with pytest.raises(ValueError, match="no template for nl"):
        register_reasons({"test.half": {"en": "only English"}})


def test_money_formatting() -> None:
    assert format_money(8400) == "EUR 8,400"
    assert format_money(8400, "nl") == "€ 8.400"
    assert format_money(1_234_567, "nl") == "€ 1.234.567"
    assert format_money(-5, "en", "PLN") == "-PLN 5"
    assert format_money(0, "nl", "PLN") == "PLN 0"
