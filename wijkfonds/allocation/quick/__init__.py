"""The command line's quick path: Equal Shares on one plain pabulib file without loading numpy.

Why: a run from the command line starts a fresh Python, and importing numpy alone takes
about 0.1 s, more than reading and solving a city's file such as Katowice 2020 (38,903
ballots, 46 projects) takes in plain Python. Issue 17 asks the whole run, process start
included, to be 50 times faster than pabutools; for such files that is only possible without
numpy (``make bench`` prints the figures).

What: ``python -m wijkfonds.allocation FILE --rule mes [--json]`` first tries this path. It
reads META and PROJECTS with the full reader's own code (:mod:`..pabulib_head`), the
VOTES section as distinct ballots (:mod:`.ballots`, in C), runs Equal Shares on them in floats that
must decide beyond doubt (:mod:`.mes`), and prints through the same functions as the full
path (:mod:`..cli_output`, the reason sentences of :mod:`..rules.mes_reasons`).

When not: anything else is left to the full engine (:mod:`..cli`), which prints the error or
the result as always: other options or rules, several files, amounts with cents, caps or
exclusive groups, free projects, a VOTES section that is not plain (see :mod:`.ballots`),
any comparison too close to call in floats, and, only where the C parts were not built,
files larger than ``SIZE_LIMIT`` or with more distinct ballot entries than ``ENTRY_LIMIT``
(there numpy's start pays for itself).

Invariant: whenever this path prints, it prints what the full path prints, byte for byte,
except the ``seconds`` the rule took (``tests/allocation/test_quick.py`` compares both on
every shared pabulib file and on random ones).
"""

from __future__ import annotations

import contextlib
import gc
import json
import math
import os
import sys
import time
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from wijkfonds.allocation.cli_output import allocation_json, allocation_table
from wijkfonds.allocation.errors import AllocationError
from wijkfonds.allocation.explain import make_outcome
from wijkfonds.allocation.model import Allocation, BallotType, Instance, ProjectOutcome
from wijkfonds.allocation.pabulib_head import PbHead, column_warnings, instance_from_elections, read_head
from wijkfonds.allocation.rules.common import build_allocation, currency_of, greedy_order, normal_money
from wijkfonds.allocation.rules.mes_reasons import (
    READING_EPS,
    funded_reason,
    reading_floor,
    reading_round,
    voter_shares,
)

from .ballots import BUILT_IN_C, Groups, read_groups
from .mes import MES_IN_C, Doubt, QuickRun, Supporters, equal_shares, held

__all__ = ["COMPILED", "ENTRY_LIMIT", "SIZE_LIMIT", "run"]

# The reading and the loop run in C (_votes.c, _mes.c), built by the install; then this path
# is faster than the full engine on every shared file (Warsaw 2026: 0.22 s against 0.57 s).
# In plain Python (a checkout that was not installed) it is so only up to SIZE_LIMIT bytes
# (Katowice 2020 has 1.9 MB, Warsaw 2026 3.2 MB) with up to ENTRY_LIMIT distinct ballot entries
# (project mentions summed over the distinct ballots: Katowice has 9,495, Łódź 2022 over 60,000).
COMPILED = BUILT_IN_C and MES_IN_C
SIZE_LIMIT = None if COMPILED else 2_500_000
ENTRY_LIMIT = None if COMPILED else 20_000
_COST_UTILITY = (BallotType.APPROVAL, BallotType.CHOOSE_1)


def run(argv: Sequence[str]) -> int | None:
    """Run ``argv`` on the quick path and return the exit status, or None to leave it to the full engine."""
    options = _options(argv)
    if options is None:
        return None
    path, as_json = options
    try:
        if SIZE_LIMIT is not None and os.path.getsize(path) > SIZE_LIMIT:  # noqa: PTH202 - pathlib costs ~6 ms
            return None
    except OSError:
        return None
    collecting = gc.isenabled()
    gc.disable()  # a short run makes many small objects and no cycles worth collecting
    try:
        head = read_head(path, decode_votes=False)
        instance = instance_from_elections([head])
        if not _plain(instance):  # before the ballots are counted: the full engine reads them again
            return None
        groups = read_groups(head)
        if groups is None or (ENTRY_LIMIT is not None and groups.entries > ENTRY_LIMIT):
            return None
        warnings = column_warnings(head.path, head.projects, head.project_lines, groups.named, groups.sums)
        allocation = _allocate(instance, head, groups)
    except (AllocationError, Doubt, ValueError, KeyError, MemoryError):
        return None  # the full engine reports the problem (or settles the doubt exactly)
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)  # as the full engine (cli.main) says it
        return 130
    finally:
        if collecting:
            gc.enable()
    _print(instance, allocation, warnings, as_json=as_json)
    return 0


def _print(instance: Instance, allocation: Allocation, warnings: list[str], *, as_json: bool) -> None:
    """What the full engine prints for the run (:func:`wijkfonds.allocation.cli.run`)."""
    try:
        for warning in warnings:
            print("warning: " + warning, file=sys.stderr)
        if as_json:
            print(json.dumps({**allocation_json(instance, allocation), "warnings": warnings}, ensure_ascii=False))
        else:
            print(allocation_table(instance, allocation))
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (e.g. `| head`), as the full engine treats it
        sys.stderr.close()
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit


def _options(argv: Sequence[str]) -> tuple[str, bool] | None:
    """``(file, --json given)`` for exactly ``FILE --rule mes [--json]`` in any order, else None."""
    args = list(argv)
    as_json = "--json" in args
    if as_json:
        args.remove("--json")
    if "--rule=mes" in args:
        args.remove("--rule=mes")
    elif args.count("--rule") == 1 and args.index("--rule") + 1 < len(args) and args[args.index("--rule") + 1] == "mes":
        at = args.index("--rule")
        del args[at : at + 2]
    else:
        return None
    if len(args) != 1 or args[0].startswith("-") or "--json" in args:
        return None
    return args[0], as_json


def _plain(instance: Instance) -> bool:
    """Whole amounts, no caps, no exclusive groups, no free project: what this path computes."""
    return (
        instance.money_scale == 1
        and not instance.neighbourhood_caps
        and not instance.category_caps
        and not instance.exclusive_groups
        and all(p.cost > 0 for p in instance.projects)
    )


def _allocate(instance: Instance, head: PbHead, groups: Groups) -> Allocation:
    start = time.perf_counter()
    (district,) = instance.districts
    budget = instance.district_budgets[district]
    costs = [int(p.cost) for p in instance.projects]
    supporters: Supporters = groups.supporters
    if head.ballot_type in _COST_UTILITY:  # every supporter's utility is the cost
        supporters = [(members, [cost] * len(members)) for (members, _), cost in zip(supporters, costs, strict=True)]
    voters = groups.voters
    done = (
        equal_shares(supporters, groups.counts, costs, [p.id for p in instance.projects], int(budget) / voters)
        if voters
        else QuickRun([], [], [], [])
    )
    scores = groups.sums
    outcomes = _outcomes(instance, groups, supporters, done)
    b0 = Fraction(int(budget), voters) if voters else Fraction(0)
    details = {
        district: {
            "voters": voters,
            "budget": budget,
            "per_voter_budget": str(b0),
            "increments": 0,
            "effective_per_voter_budget": str(b0),
            "effective_per_voter_budget_float": float(b0),
            "mes_cost": normal_money(sum(costs[j] for j in done.selected)),
            "exact_arithmetic": False,
            "order": [instance.projects[j].id for j in done.selected],
        }
    }
    return build_allocation(
        rule="mes",
        completion="none",
        instance=instance,
        scores=scores,
        selected=done.selected,
        outcomes=outcomes,
        optimal=None,
        status="ok",
        seconds=time.perf_counter() - start,
        details={"mes": details},
    )


def _outcomes(instance: Instance, groups: Groups, supporters: Supporters, done: QuickRun) -> dict[str, ProjectOutcome]:
    """Every project's outcome with the sentence the full path writes (:mod:`..rules.mes_explain`)."""
    (district,) = instance.districts
    budget = instance.district_budgets[district]
    scores, counts = groups.sums, groups.counts
    shares = voter_shares(groups.voters, budget, int(budget), 1, 0)
    rank_of = {g: r + 1 for r, g in enumerate(greedy_order(instance, scores))}
    paid = {j: (done.rhos[t], done.poor[t]) for t, j in enumerate(done.selected)}
    currency = currency_of(instance)
    out: dict[str, ProjectOutcome] = {}
    for j, p in enumerate(instance.projects):
        people = groups.people[j]
        base: dict[str, Any] = {"cost": p.cost, "supporters": people, "district": district, "currency": currency}
        base.update(shares)
        common: dict[str, Any] = {"rank": rank_of[j], "support": scores[j]}
        if j in paid:
            rho, poor = paid[j]
            points = any(w != p.cost for w in supporters[j][1])  # as mes_explain: not every utility the cost
            share = 0 if points else _whole(rho * p.cost, half=True)
            code, params = funded_reason(base, free=False, points=points, share=share, poor=poor)
            out[p.id] = make_outcome(p.id, True, code, params, **common)
        elif people == 0:
            out[p.id] = make_outcome(p.id, False, "mes.no_support", base, **common)
        else:
            left = held(supporters[j][0], counts, done.budgets)
            params = dict(base, left=_whole(left, half=False) if left else 0)
            out[p.id] = make_outcome(p.id, False, "mes.insufficient_support", params, **common)
    return out


def _whole(value: float, *, half: bool) -> int:
    """``value`` read as the full path reads it (:func:`reading_round` or :func:`reading_floor`).

    Raises :class:`Doubt` when float rounding could change the result: a value this close to
    where the reading turns is left to the full engine.
    """
    scale = max(1.0, abs(value))
    shifted = value + (0.5 if half else 0.0) + READING_EPS * scale
    edge = shifted - math.floor(shifted)
    if min(edge, 1 - edge) <= 1e-9 * scale:
        raise Doubt(f"{value!r} is too close to where its reading turns")
    return reading_round(value) if half else reading_floor(value)
