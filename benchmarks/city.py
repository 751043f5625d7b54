"""A generated city-scale round for the benchmark: many districts, building blocks, approval ballots.

Deterministic for a given seed. Projects belong to one of ``districts`` districts and to one
building block (one in ten to two); each district's budget is a quarter of what its
projects cost together; every block has a minimum and a maximum share of the total budget.
Voters approve 1 to 10 projects of their own district, popular projects more often.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from wijkfonds.allocation.model import BallotType, Instance, Profile, Project

__all__ = ["city_round"]


def city_round(
    *,
    projects: int = 1000,
    voters: int = 500_000,
    districts: int = 30,
    blocks: int = 21,
    min_share: Fraction = Fraction(3, 200),
    max_share: Fraction = Fraction(9, 100),
    seed: int = 2025,
) -> tuple[Instance, Profile]:
    """Build the round (see the module docstring); money in whole euros."""
    rng = np.random.default_rng(seed)
    names = [f"Stadsdeel {d + 1:02d}" for d in range(districts)]
    block_names = [f"Bouwsteen {b + 1:02d}" for b in range(blocks)]
    district_of = np.arange(projects) % districts
    cost = rng.integers(5, 200, projects) * 1000
    block = rng.integers(0, blocks, projects)
    second = np.where(rng.random(projects) < 0.1, rng.integers(0, blocks, projects), -1)
    items = []
    for i in range(projects):
        cats = [block_names[block[i]]]
        if second[i] >= 0 and second[i] != block[i]:
            cats.append(block_names[second[i]])
        items.append(
            Project(
                id=f"P{i:04d}",
                cost=int(cost[i]),
                name=f"Initiatief {i}",
                district=names[district_of[i]],
                categories=tuple(cats),
            )
        )
    budgets = {names[d]: int(cost[district_of == d].sum()) // 4 for d in range(districts)}
    instance = Instance(
        projects=tuple(items),
        budget=sum(budgets.values()),
        district_budgets=budgets,
        category_min_share=dict.fromkeys(block_names, min_share),
        category_max_share=dict.fromkeys(block_names, max_share),
    )
    # Ballots: each entry draws a project of the voter's district by popularity (inverse CDF).
    popularity = rng.pareto(1.2, projects) + 0.05
    order = np.argsort(district_of, kind="stable")
    sorted_district = district_of[order]
    cum = np.cumsum(popularity[order])
    start = np.searchsorted(sorted_district, np.arange(districts))
    before = np.where(start > 0, cum[start - 1], 0.0)
    total = np.bincount(sorted_district, weights=popularity[order], minlength=districts)
    cdf = sorted_district + (cum - before[sorted_district]) / total[sorted_district]
    voter_district = rng.integers(0, districts, voters).astype(np.int32)
    lengths = rng.integers(1, 11, voters)
    entry_voter = np.repeat(np.arange(voters, dtype=np.int64), lengths)
    draw = voter_district[entry_voter] + rng.random(entry_voter.shape[0])
    picked = order[np.minimum(np.searchsorted(cdf, draw), projects - 1)]
    keys = np.unique(entry_voter * projects + picked)  # drops repeats; sorted by voter
    voter, indices = keys // projects, (keys % projects).astype(np.int32)
    indptr = np.zeros(voters + 1, dtype=np.int64)
    np.cumsum(np.bincount(voter, minlength=voters), out=indptr[1:])
    profile = Profile(
        ballot_type=BallotType.APPROVAL,
        districts=tuple(names),
        indptr=indptr,
        indices=indices,
        values=np.ones(indices.shape[0], dtype=np.int64),
        voter_district=voter_district,
    )
    return instance, profile
