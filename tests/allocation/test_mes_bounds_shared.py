"""mes-bounds on real files (skipped when ../shared/pabulib is absent)."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

from pabulib_paths import shared_pabulib_path

from wijkfonds.allocation.pabulib import read_pb, round_from_elections
from wijkfonds.allocation.rules import run_rule
from wijkfonds.allocation.rules.common import violated_bounds


def test_two_warsaw_districts_with_floors_and_minimum_shares() -> None:
    files = [shared_pabulib_path("warszawa-2023", f"Poland_Warszawa_2023_{name}.pb") for name in ("Bielany", "Bemowo")]
    instance, profile = round_from_elections([read_pb(f) for f in files])
    plain = run_rule("mes", instance, profile)
    same = run_rule("mes-bounds", instance, profile)
    assert (same.selected, same.outcomes) == (plain.selected, plain.outcomes)
    # the two categories plain Equal Shares spends least on get 1.5 times that, plus 1%
    cats = sorted({c for p in instance.projects for c in p.categories}, key=lambda c: plain.category_spend.get(c, 0))
    shares = {c: Fraction(3, 2) * plain.category_spend.get(c, 0) / instance.budget + Fraction(1, 100) for c in cats[:2]}
    first = instance.districts[0]
    floor = plain.district_spend[first] + 1 if plain.district_spend[first] < instance.district_budgets[first] else 0
    bounded = dataclasses.replace(instance, category_min_share=shares, district_floors={first: floor})
    assert violated_bounds(bounded, [bounded.index_of()[p] for p in plain.selected])  # plain MES misses them
    got = run_rule("mes-bounds", bounded, profile)
    index = bounded.index_of()
    assert violated_bounds(bounded, [index[p] for p in got.selected]) == []
    assert got.details["bounds"]["funded_for_minimums"]
    for pid in got.details["bounds"]["funded_for_minimums"]:
        assert got.outcomes[pid].reason == "mes_bounds.funded_for_minimum"
