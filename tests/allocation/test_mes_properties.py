"""Property tests of the Method of Equal Shares on random small rounds (hypothesis)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_mes import make_round

from wijkfonds.allocation import BallotType
from wijkfonds.allocation.rules.common import violated_bounds
from wijkfonds.allocation.rules.mes import equal_shares
from wijkfonds.allocation.rules.mes_core import prepare_district, run_mes

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def rounds(draw: st.DrawFn, cumulative: bool | None = None) -> tuple[dict[str, int], list, int, BallotType]:
    """A single-district round: costs, ballots, budget and ballot type."""
    n_proj = draw(st.integers(1, 7))
    costs = {f"p{i}": draw(st.integers(0 if cumulative else 1, 40)) for i in range(n_proj)}
    kind = draw(st.booleans()) if cumulative is None else cumulative
    ids = list(costs)
    ballots: list = []
    for _ in range(draw(st.integers(1, 9))):
        chosen = draw(st.lists(st.sampled_from(ids), unique=True, max_size=n_proj))
        ballots.append({p: draw(st.integers(1, 4)) for p in chosen} if kind else chosen)
    budget = draw(st.integers(1, 120))
    return costs, ballots, budget, BallotType.CUMULATIVE if kind else BallotType.APPROVAL


def reference_mes(costs: dict[str, int], ballots: list, b0: Fraction, cost_utility: bool) -> list[str]:
    """Textbook MES with a Fraction per voter: the slow, obvious reading of the rule."""
    util = [
        {
            p: (costs[p] if cost_utility else pts)
            for p, pts in (b.items() if isinstance(b, dict) else ((q, 1) for q in b))
        }
        for b in ballots
    ]
    budget = [b0] * len(ballots)
    supporters = {p: [i for i, u in enumerate(util) if u.get(p, 0) > 0] for p in costs}
    chosen = sorted(p for p in costs if costs[p] == 0 and supporters[p])
    left = {p for p in costs if costs[p] > 0 and supporters[p]}
    while True:
        best: tuple[Fraction, str] | None = None
        for p in sorted(left):
            sup = sorted(supporters[p], key=lambda i: budget[i] / util[i][p])
            if sum(budget[i] for i in sup) < costs[p]:
                continue
            paid, denom = Fraction(0), sum(util[i][p] for i in sup)
            for i in sup:
                rho = (costs[p] - paid) / denom
                if rho * util[i][p] <= budget[i]:
                    break
                paid += budget[i]
                denom -= util[i][p]
            if best is None or (rho, p) < best:
                best = (rho, p)
        if best is None:
            return chosen
        rho, p = best
        for i in supporters[p]:
            budget[i] -= min(budget[i], rho * util[i][p])
        chosen.append(p)
        left.discard(p)


def _district_data(costs: dict[str, int], ballots: list, cost_utility: bool):  # type: ignore[no-untyped-def]
    ids = list(costs)
    voter, project, utility = [], [], []
    for v, b in enumerate(ballots):
        for p, pts in b.items() if isinstance(b, dict) else ((q, 1) for q in b):
            voter.append(v)
            project.append(ids.index(p))
            utility.append(costs[p] if cost_utility else pts)
    return prepare_district(
        num_voters=len(ballots),
        voter=np.array(voter, dtype=np.int64),
        project=np.array(project, dtype=np.int64),
        utility=np.array(utility, dtype=np.int64),
        cost=np.array([costs[p] for p in ids], dtype=np.int64),
        ids=ids,
    )


@SETTINGS
@given(rounds())
def test_matches_textbook_mes(r: tuple) -> None:
    costs, ballots, budget, kind = r
    inst, prof = make_round(costs, ballots, budget, ballot_type=kind)
    res = equal_shares(inst, prof)
    expected = reference_mes(costs, ballots, Fraction(budget, len(ballots)), kind == BallotType.APPROVAL)
    assert list(res.details["mes"]["D"]["order"]) == expected
    assert res.cost <= budget


@SETTINGS
@given(rounds())
def test_float_and_exact_runs_agree_and_payments_are_exact(r: tuple) -> None:
    costs, ballots, budget, kind = r
    cost_utility = kind == BallotType.APPROVAL
    data = _district_data(costs, ballots, cost_utility)
    b0 = Fraction(budget, len(ballots))
    fast, exact = run_mes(data, b0), run_mes(data, b0, exact=True)
    assert fast.selected == exact.selected
    budgets = [b0] * len(ballots)
    for j, rho in zip(exact.selected, exact.rhos, strict=True):
        lo, hi = int(data.sup_ptr[j]), int(data.sup_ptr[j + 1])
        payments = [
            min(budgets[v], rho * int(w))
            for v, w in zip(data.sup_voter[lo:hi].tolist(), data.sup_w[lo:hi].tolist(), strict=True)
        ]
        assert sum(payments) == int(data.cost[j])  # supporters cover the cost exactly
        for v, pay in zip(data.sup_voter[lo:hi].tolist(), payments, strict=True):
            budgets[v] -= pay
            assert budgets[v] >= 0  # nobody pays more than they have


@SETTINGS
@given(rounds(cumulative=False), st.sampled_from(["add1", "add1-greedy"]))
def test_add1_matches_textbook_loop(r: tuple, completion: str) -> None:
    costs, ballots, budget, kind = r
    inst, prof = make_round(costs, ballots, budget, ballot_type=kind)
    res = equal_shares(inst, prof, completion=completion)
    # pabutools' loop: raise the per-voter budget by 1 until over budget or exhaustive.
    n, k, previous = len(ballots), 0, []
    supported = [p for p in costs if any(p in b for b in ballots)]
    while True:
        out = reference_mes(costs, ballots, Fraction(budget, n) + k, True)
        spent = sum(costs[p] for p in out)
        if spent > budget:
            out = previous
            break
        if all(p in out or spent + costs[p] > budget for p in supported):
            break
        previous, k = out, k + 1
    if completion == "add1-greedy":
        votes = {p: sum(p in b for b in ballots) for p in costs}
        spent = sum(costs[p] for p in out)
        for p in sorted(costs, key=lambda q: (-votes[q], q)):
            if p not in out and spent + costs[p] <= budget:
                out = [*out, p]
                spent += costs[p]
    assert sorted(res.selected) == sorted(out)


@SETTINGS
@given(rounds(), st.integers(0, 80), st.integers(1, 3), st.booleans())
def test_bounds_hold_and_results_are_deterministic(r: tuple, cap: int, share_den: int, two: bool) -> None:
    costs, ballots, budget, kind = r
    ids = list(costs)
    districts = dict.fromkeys(ids[::2], "E") if two else {}
    district_budgets = {"D": budget, "E": budget // 2 + 1} if two else {"D": budget}
    inst, prof = make_round(
        costs,
        ballots,
        sum(district_budgets.values()) - 1,
        ballot_type=kind,
        districts=districts,
        district_budgets=district_budgets,
        voter_districts=["E" if two and v % 2 else "D" for v in range(len(ballots))],
        neighbourhood_caps={"N": cap},
        category_max_share={"green": Fraction(1, share_den + 1)},
        project_fields={
            p: {"neighbourhood": "N" if i % 2 else None, "categories": ("green",) if i % 3 == 0 else ()}
            for i, p in enumerate(ids)
        },
    )
    for completion in ("none", "add1", "add1-greedy"):
        a = equal_shares(inst, prof, completion=completion)
        b = equal_shares(inst, prof, completion=completion)
        index = inst.index_of()
        assert violated_bounds(inst, [index[p] for p in a.selected]) == []
        assert a.selected == b.selected and a.outcomes == b.outcomes
        assert set(a.outcomes) == set(costs)
