"""Small builders for hand-made allocation instances and access to pabutools' expected results."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from wijkfonds.allocation import BallotType, Instance, Profile, Project

EXPECTED_DIR = Path(__file__).resolve().parent / "expected"


def make_round(
    projects: Sequence[Project],
    ballots: Sequence[Sequence[str]],
    *,
    budget: int,
    district_budgets: Mapping[str, int] | None = None,
    points: Sequence[Sequence[int]] | None = None,
    ballot_type: BallotType = BallotType.APPROVAL,
    **bounds: Any,
) -> tuple[Instance, Profile]:
    """An instance plus a profile from ballots given as project ids (district of voter = first project's)."""
    budgets = dict(district_budgets or {"": budget})
    instance = Instance(tuple(projects), budget, budgets, **bounds)
    index = instance.index_of()
    districts = tuple(budgets)
    indptr = np.cumsum([0] + [len(b) for b in ballots]).astype(np.int64)
    indices = np.array([index[p] for b in ballots for p in b], dtype=np.int32)
    if points is None:
        values = np.ones(len(indices), dtype=np.int64)
    else:
        values = np.array([v for row in points for v in row], dtype=np.int64)
    voter_district = np.array(
        [districts.index(instance.projects[index[b[0]]].district) if b else 0 for b in ballots],
        dtype=np.int32,
    )
    profile = Profile(ballot_type, districts, indptr, indices, values, voter_district)
    return instance, profile


def share(text: str) -> Fraction:
    """A share written like "1/10"."""
    return Fraction(text)


def expected(folder: str) -> dict[str, Any]:
    """pabutools' results for one folder of ../shared/pabulib (see scripts/pabutools_expected.py)."""
    path = EXPECTED_DIR / f"{folder}.json"
    return json.loads(path.read_text()) if path.exists() else {}
