"""Method of Equal Shares: equality with pabutools on real elections, hand-checked instances."""

from __future__ import annotations

import json
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from pabulib_paths import file_id, shared_pabulib_files

from wijkfonds.allocation import AllocationError, BallotType, Instance, Profile, Project
from wijkfonds.allocation.explain import render, render_reason
from wijkfonds.allocation.rules import run_rule
from wijkfonds.allocation.rules.mes import equal_shares

EXPECTED_DIR = Path(__file__).resolve().parent / "expected"
KEYS = {"none": "mes", "add1": "mes_add1", "add1-greedy": "mes_add1_greedy"}


def make_round(
    costs: dict[str, int],
    ballots: Sequence[dict[str, int] | Sequence[str]],
    budget: int,
    *,
    ballot_type: BallotType = BallotType.APPROVAL,
    districts: dict[str, str] | None = None,
    district_budgets: dict[str, int] | None = None,
    voter_districts: Sequence[str] | None = None,
    **bounds: object,
) -> tuple[Instance, Profile]:
    """An instance and profile built by hand: ballots are id lists or {id: points}."""
    districts = districts or {}
    district_budgets = district_budgets or {"D": budget}
    projects = tuple(
        Project(pid, cost, district=districts.get(pid, "D"), **_extra(pid, bounds)) for pid, cost in costs.items()
    )
    instance = Instance(
        projects=projects,
        budget=budget,
        district_budgets=district_budgets,
        **{k: v for k, v in bounds.items() if k != "project_fields"},
    )  # type: ignore[arg-type]
    index = instance.index_of()
    indptr, indices, values = [0], [], []
    for b in ballots:
        items = b.items() if isinstance(b, dict) else [(pid, 1) for pid in b]
        for pid, pts in items:
            indices.append(index[pid])
            values.append(pts)
        indptr.append(len(indices))
    names = tuple(district_budgets)
    vd = [names.index(d) for d in voter_districts] if voter_districts else [0] * len(ballots)
    profile = Profile(
        ballot_type=ballot_type,
        districts=names,
        indptr=np.array(indptr, dtype=np.int64),
        indices=np.array(indices, dtype=np.int32),
        values=np.array(values, dtype=np.int64),
        voter_district=np.array(vd, dtype=np.int32),
    )
    return instance, profile


def _extra(pid: str, bounds: dict[str, object]) -> dict[str, object]:
    fields = bounds.get("project_fields", {})
    assert isinstance(fields, dict)
    return dict(fields.get(pid, {}))


# --- equality with pabutools on the real elections ---------------------------------------


def _expected(path: Path, key: str) -> list[str]:
    store = EXPECTED_DIR / f"{path.parent.name}.json"
    if not store.exists():
        pytest.skip(f"{store} is absent; run scripts/pabutools_expected.py")
    entry = json.loads(store.read_text()).get(path.name, {}).get(key, {})
    if "selected" not in entry:
        pytest.skip(f"no pabutools result for {key} on {path.name}: {entry}")
    return list(entry["selected"])


REAL = shared_pabulib_files("netherlands") + shared_pabulib_files("warszawa-2023")


@pytest.mark.parametrize("completion", ["none", "add1", "add1-greedy"])
@pytest.mark.parametrize("path", REAL, ids=[file_id(p) for p in REAL])
def test_equals_pabutools(path: Path, completion: str) -> None:
    from wijkfonds.allocation.pabulib import read_election

    expected = _expected(path, KEYS[completion])
    instance, profile = read_election([path], ignore_caps=True)
    result = equal_shares(instance, profile, completion=completion)
    assert sorted(result.selected) == expected
    assert result.cost <= instance.budget


# --- hand-checked instances --------------------------------------------------------------


def test_basic_round_and_explanations() -> None:
    # 4 voters x 25. A (60, everyone) costs 15 each; then C (16) is split 8/8 by v3, v4;
    # B (24) needs v1+v2, who have only 10 + 10 left.
    inst, prof = make_round({"A": 60, "B": 24, "C": 16}, [["A", "B"], ["A", "B"], ["A", "C"], ["A", "C"]], 100)
    res = equal_shares(inst, prof)
    assert res.selected == ("A", "C")
    assert res.cost == 76
    out = res.outcomes
    assert out["A"].funded and out["A"].reason == "mes.funded"
    assert out["A"].explanation == (
        "funded (Equal Shares): its 4 supporters each put EUR 15 of their share of the budget into it"
    )
    assert render(out["A"], "nl") == (
        "gefinancierd (Equal Shares): de 4 voorstanders zetten elk € 15 van hun deel van het budget in"
    )
    assert out["C"].params["share"] == 8
    assert not out["B"].funded and out["B"].reason == "mes.insufficient_support"
    assert out["B"].explanation == (
        "not funded (Equal Shares): its 2 supporters had EUR 20 left of their shares of the budget together, "
        "it costs EUR 24"
    )
    assert render(out["B"], "nl") == (
        "niet gefinancierd (Equal Shares): de 2 voorstanders hadden van hun delen van het budget samen nog € 20 "
        "over, het kost € 24"
    )
    for o in out.values():  # nobody pays: voters put in their share of the budget
        assert "paid" not in o.explanation and "betaald" not in render(o, "nl")
    # every outcome carries the district's equal share per voter, for the sentence that explains it
    assert out["B"].params["voters"] == 4 and out["B"].params["voter_share"] == 25
    assert render_reason("mes.voter_share", out["B"].params, "nl") == (
        "Bij Equal Shares krijgt elke stemmer in D een gelijk deel van het budget: € 25 (€ 100 gedeeld door 4 "
        "stemmers)."
    )
    assert render_reason("mes.voter_share", out["B"].params, "en") == (
        "With Equal Shares every voter in D gets an equal share of the budget: EUR 25 (EUR 100 divided by 4 voters)."
    )
    d = res.details["mes"]["D"]
    assert d["per_voter_budget"] == "25" and d["increments"] == 0 and d["order"] == ["A", "C"]


def test_add1_stops_when_exhaustive_and_breaks_ties_by_id() -> None:
    # Per-voter 27 (two increments): v1, v2 keep 12 each after A and B (24) becomes
    # affordable at the same price per euro as C (0.5): a tie, B goes first by id.
    inst, prof = make_round({"A": 60, "B": 24, "C": 16}, [["A", "B"], ["A", "B"], ["A", "C"], ["A", "C"]], 100)
    res = equal_shares(inst, prof, completion="add1")
    assert sorted(res.selected) == ["A", "B", "C"]
    d = res.details["mes"]["D"]
    assert d["increments"] == 2 and d["effective_per_voter_budget"] == "27"
    params = res.outcomes["A"].params
    assert params["voter_share"] == 25 and params["voter_share_used"] == 27
    assert "stap voor stap verhoogd tot € 27" in render_reason("mes.voter_share_raised", params, "nl")
    assert d["order"] == ["A", "B", "C"]


def test_add1_keeps_previous_outcome_when_overspending_and_greedy_completes() -> None:
    # B and C (30 each) become affordable together at per-voter 30, which would cost 120:
    # add1 returns the outcome of per-voter 29, {A}; greedy then adds B (tie with C by id).
    inst, prof = make_round({"A": 60, "B": 30, "C": 30}, [["A", "B"], ["A", "B"], ["A", "C"], ["A", "C"]], 100)
    assert equal_shares(inst, prof, completion="add1").selected == ("A",)
    assert equal_shares(inst, prof, completion="add1").details["mes"]["D"]["increments"] == 4
    res = equal_shares(inst, prof, completion="add1-greedy")
    assert res.selected == ("A", "B")
    assert res.outcomes["B"].reason == "mes.completion_greedy_funded"
    assert res.outcomes["B"].params["left"] == 40
    assert res.outcomes["C"].reason == "mes.completion_no_room.total"  # broadest bound on ties
    assert res.outcomes["C"].params["left"] == 10


def test_cumulative_ballots_use_points_and_fund_free_projects() -> None:
    # Checked against pabutools with Additive_Cardinal_Sat: D (free) first, then C
    # (price 6 per point), then B (v1 pays 22, v3 all its 18); at the end A's supporters
    # hold 8 + 12 = 20 < 50.
    inst, prof = make_round(
        {"A": 50, "B": 40, "C": 30, "D": 0},
        [{"A": 3, "B": 1}, {"A": 1, "C": 3}, {"B": 2, "C": 2, "D": 1}],
        90,
        ballot_type=BallotType.CUMULATIVE,
    )
    res = equal_shares(inst, prof)
    assert res.details["mes"]["D"]["order"] == ["D", "C", "B"]
    assert res.outcomes["D"].reason == "mes.funded_free"
    assert res.outcomes["C"].reason == "mes.funded_points"
    assert res.outcomes["A"].params["left"] == 20


def test_approval_free_project_is_never_funded_like_pabutools() -> None:
    # With cost utilities a free project gives nobody any utility, as in pabutools' Cost_Sat.
    inst, prof = make_round({"A": 10, "F": 0}, [["A", "F"], ["F"]], 20)
    res = equal_shares(inst, prof)
    assert res.selected == ("A",)
    assert res.outcomes["F"].reason == "mes.no_support"


def test_caps_skip_the_project_and_supporters_keep_their_money() -> None:
    # A would be first, but neighbourhood N may receive at most 50; its supporters keep
    # their money and fund B and C instead.
    inst, prof = make_round(
        {"A": 60, "B": 40, "C": 30},
        [["A", "B"], ["A", "B"], ["A", "C"], ["A", "C"]],
        100,
        neighbourhood_caps={"N": 50},
        project_fields={"A": {"neighbourhood": "N"}},
    )
    res = equal_shares(inst, prof)
    assert sorted(res.selected) == ["B", "C"]
    assert res.outcomes["A"].reason == "mes.bound_skipped.neighbourhood"
    assert res.outcomes["A"].params["left"] == 50
    assert "under the cap for neighbourhood N" in res.outcomes["A"].explanation


def test_category_max_share_is_respected() -> None:
    inst, prof = make_round(
        {"A": 40, "B": 40, "C": 20},
        [["A", "B", "C"]] * 4,
        100,
        category_max_share={"green": Fraction(1, 2)},
        project_fields={"A": {"categories": ("green",)}, "B": {"categories": ("green",)}},
    )
    res = equal_shares(inst, prof)
    assert sorted(res.selected) == ["A", "C"]
    assert res.outcomes["B"].reason == "mes.bound_skipped.category_share"


def test_districts_are_independent() -> None:
    costs = {"A": 60, "B": 24, "C": 16, "X": 50, "Y": 50}
    ballots = [["A", "B"], ["A", "B"], ["A", "C"], ["A", "C"], ["X"], ["X", "Y"]]
    inst, prof = make_round(
        costs,
        ballots,
        200,
        districts={"X": "East", "Y": "East"},
        district_budgets={"D": 100, "East": 100},
        voter_districts=["D"] * 4 + ["East"] * 2,
    )
    res = equal_shares(inst, prof)
    # East: X costs 25 for each of its two voters; v6 then has 25 left, Y costs 50.
    assert sorted(res.selected) == ["A", "C", "X"]
    assert res.district_spend == {"D": 76, "East": 50}
    assert res.details["mes"]["East"]["per_voter_budget"] == "50"


def test_district_without_voters_funds_nothing() -> None:
    inst, prof = make_round(
        {"A": 10, "X": 10},
        [["A"]],
        40,
        districts={"X": "East"},
        district_budgets={"D": 20, "East": 20},
        voter_districts=["D"],
    )
    res = run_rule("mes", inst, prof, completion="add1")
    assert res.selected == ("A",)
    assert res.outcomes["X"].reason == "mes.no_support"


def test_unknown_completion_is_refused() -> None:
    inst, prof = make_round({"A": 10}, [["A"]], 10)
    with pytest.raises(AllocationError, match="unknown completion"):
        equal_shares(inst, prof, completion="add2")
