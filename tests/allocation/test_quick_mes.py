"""The quick path's two Equal Shares loops agree to the bit: the C one (``_mes.c``) and mes.py's.

The Python loop is the reference (``test_quick.py`` checks what it prints against the full
engine's exact arithmetic); the C one must return the same funded projects, the same ``rho``
and budgets as floats, or doubt (None) exactly when the Python one raises :class:`Doubt`.
"""

from __future__ import annotations

import importlib

from hypothesis import given, settings
from hypothesis import strategies as st
from pabulib_paths import every_shared_file

from wijkfonds.allocation.errors import AllocationError
from wijkfonds.allocation.model import BallotType
from wijkfonds.allocation.pabulib_head import instance_from_elections, read_head
from wijkfonds.allocation.quick import _plain, ballots, mes

Run = tuple[list[tuple[list[int], list[int]]], list[int], list[int], list[str], float]


def both(supporters, counts, costs, ids, b0):  # type: ignore[no-untyped-def]
    """(C, Python) results, each a QuickRun or "doubt"."""
    out = []
    for python in (False, True):
        try:
            out.append(mes.equal_shares(supporters, counts, costs, ids, b0, python=python))
        except mes.Doubt:
            out.append("doubt")
    return out


def test_the_c_loop_is_built() -> None:
    module = importlib.import_module("wijkfonds.allocation.quick._mes")
    assert mes._equal_shares_in_c is module.equal_shares


def _round_of(path) -> Run | None:  # type: ignore[no-untyped-def]
    try:
        head = read_head(str(path))
        instance = instance_from_elections([head])
    except (AllocationError, ValueError, KeyError):
        return None
    groups = ballots.read_groups(head)
    if groups is None or not _plain(instance) or len(instance.districts) != 1 or not groups.voters:
        return None
    costs = [int(p.cost) for p in instance.projects]
    supporters = groups.supporters
    if head.ballot_type in (BallotType.APPROVAL, BallotType.CHOOSE_1):
        supporters = [(members, [c] * len(members)) for (members, _), c in zip(supporters, costs, strict=True)]
    budget = int(instance.district_budgets[instance.districts[0]])
    return supporters, groups.counts, costs, [p.id for p in instance.projects], budget / groups.voters


def test_every_shared_file_runs_alike() -> None:
    files = every_shared_file()
    ran = 0
    for path in files:
        made = _round_of(path)
        if made is None:
            continue
        c, python = both(*made)
        assert c == python, path.name
        ran += python != "doubt"
    assert ran > len(files) // 2


@st.composite
def rounds(draw: st.DrawFn) -> Run:
    """Small rounds with few distinct numbers, so that ties and near-ties (doubts) occur."""
    m = draw(st.integers(1, 7))
    g = draw(st.integers(1, 12))
    supporters: list[tuple[list[int], list[int]]] = []
    for _ in range(m):
        members = sorted(draw(st.sets(st.integers(0, g - 1), max_size=g)))
        supporters.append((members, [draw(st.sampled_from([1, 2, 3, 10])) for _ in members]))
    counts = [draw(st.integers(1, 5)) for _ in range(g)]
    costs = [draw(st.sampled_from([1, 5, 10, 12, 30, 100])) for _ in range(m)]
    ids = draw(st.lists(st.sampled_from(["1", "2", "10", "20", "a", "b", "B"]), min_size=m, max_size=m, unique=True))
    voters = sum(counts)
    b0 = draw(st.sampled_from([5, 10, 30, 60, 100, 200, 400])) / voters
    return supporters, counts, costs, ids, b0


@settings(max_examples=600, deadline=None)
@given(rounds())
def test_random_rounds_run_alike(made: Run) -> None:
    c, python = both(*made)
    assert c == python
