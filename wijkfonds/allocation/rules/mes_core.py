"""The numeric core of the Method of Equal Shares for one district.

Semantics (identical to pabutools' ``method_of_equal_shares``): every voter starts with
the same budget ``b0``; a project ``j`` with supporters ``i`` (utility ``w_ij > 0``) is
*rho-affordable* for the smallest ``rho`` with ``sum_i min(b_i, rho * w_ij) >= cost_j``;
each round funds the project with the smallest ``rho`` (ties: smallest project id as a
string), and every supporter pays ``min(b_i, rho * w_ij)``. Projects whose supporters
hold less than the cost are out for good, since budgets only shrink.

Speed and exactness. A run first works in float64 with explicit error bounds: each
project's ``rho`` gets an interval, and a round is decided in floats only when exactly
one interval can hold the minimum. Any doubt (two intervals overlap, which is what exact
ties look like, or the supporters' money is within rounding of the cost) restarts the
run in exact mode, where every voter budget is an exact :class:`~fractions.Fraction`
(voters with equal budgets share one table entry), and the doubtful comparisons are
made exactly. Floats therefore only ever decide comparisons with a margin far larger
than their error, so no float can flip a decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable

import numpy as np
import numpy.typing as npt

__all__ = ["DistrictData", "RunResult", "prepare_district", "run_mes"]

# Relative error allowance on float sums; float64 rounding on these sizes is ~1e-12 at most.
_TOL = 1e-9


class _NeedExact(Exception):
    """A float comparison was too close to call; the run must be redone exactly."""


@dataclass
class DistrictData:
    """One district's election prepared for MES (local project and voter indices).

    ``sup_ptr/sup_voter/sup_w``: supporters of each project with their (positive integer)
    utilities. ``order_rank[j]``: position of project ``j`` when ids are sorted as strings
    (the tie-break). ``co[j]``: projects sharing at least one supporter with ``j``.
    """

    num_voters: int
    cost: npt.NDArray[np.int64]
    order_rank: npt.NDArray[np.int64]
    sup_ptr: npt.NDArray[np.int64]
    sup_voter: npt.NDArray[np.int64]
    sup_w: npt.NDArray[np.int64]
    co: npt.NDArray[np.bool_]
    sup_wf: npt.NDArray[np.float64] = field(init=False)
    supported: npt.NDArray[np.bool_] = field(init=False)

    def __post_init__(self) -> None:
        self.sup_wf = self.sup_w.astype(np.float64)
        counts = np.diff(self.sup_ptr)
        self.supported = counts > 0

    @property
    def num_projects(self) -> int:
        """Number of projects of the district."""
        return int(self.cost.shape[0])


@dataclass
class RunResult:
    """What one MES run did: funded projects in order and the state at the end.

    ``payments[t]`` describes round ``t``: ``(project, rho, poor, supporters)`` where
    ``poor`` counts supporters who paid everything they had left. ``budgets`` are the
    voters' final budgets (floats, for explanations only). ``dropped[j]`` is the round in
    which project ``j`` became unaffordable, ``skipped`` the projects a bound check refused.
    """

    selected: list[int]
    rhos: list[Fraction | float]
    poor: list[int]
    budgets: npt.NDArray[np.float64]
    dropped: dict[int, int]
    skipped: list[int]
    exact: bool


class _State:
    """Voter budgets of one run, as floats and, in exact mode, as exact table entries."""

    def __init__(self, data: DistrictData, b0: Fraction, exact: bool) -> None:
        self.data = data
        self.exact = exact
        self.b = np.full(data.num_voters, float(b0), dtype=np.float64)
        self.b0f = float(b0)
        if exact:
            self.table: list[Fraction] = [b0]
            self.ids = np.zeros(data.num_voters, dtype=np.int64)

    def supporters(self, j: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """Supporter indices and float utilities of project ``j``."""
        d = self.data
        lo, hi = d.sup_ptr[j], d.sup_ptr[j + 1]
        return d.sup_voter[lo:hi], d.sup_wf[lo:hi]

    def estimate(self, j: int) -> tuple[float, float, bool] | None:
        """Float ``rho`` of project ``j`` with an error bound and a "too close to call" flag.

        ``None`` when the supporters clearly hold less than the cost.
        """
        v, w = self.supporters(j)
        bb = self.b[v]
        c = float(self.data.cost[j])
        total = float(bb.sum())
        err = _TOL * (c + total) + 1e-12 * v.shape[0] * self.b0f
        if total < c - err:
            return None
        r = bb / w
        if total <= c + err:
            # Everyone would pay all they have: rho is the largest ratio, if affordable at all.
            rho = float(r.max())
            return rho, rho * 1e-6 + err, True
        wsum = float(w.sum())
        rho = c / wsum
        poor_count, rich_w = 0, wsum
        for _ in range(12):
            mask = r < rho
            k = int(np.count_nonzero(mask))
            if k == poor_count:
                break
            poor_count = k
            rich_w = wsum - float(w[mask].sum())
            rho = (c - float(bb[mask].sum())) / rich_w
        else:
            rho, rich_w = _rho_sorted(bb, w, r, c)
        return rho, _TOL * (c + total) / rich_w + 1e-12 * rho, False

    def exact_rho(self, j: int) -> Fraction | None:
        """The exact ``rho`` of project ``j`` (``None`` when it is unaffordable)."""
        d = self.data
        lo, hi = d.sup_ptr[j], d.sup_ptr[j + 1]
        ids, w = self.ids[d.sup_voter[lo:hi]], d.sup_w[lo:hi]
        groups = _group_pairs(ids, w)
        c = int(d.cost[j])
        table = self.table
        items = [(table[i] / wi, table[i], wi, n) for i, wi, n in groups]
        if sum(x * n for _, x, _, n in items) < c:
            return None
        items.sort(key=lambda t: t[0])
        paid = Fraction(0)
        denom = sum(wi * n for _, _, wi, n in items)
        for ratio, x, wi, n in items:
            rho = (c - paid) / denom
            if rho <= ratio:
                return rho
            paid += x * n
            denom -= wi * n
        raise AssertionError("affordable project without a price")  # pragma: no cover

    def pay(self, j: int, rho: float | Fraction) -> int:
        """Charge project ``j``'s supporters at ``rho``; return how many paid all they had."""
        d = self.data
        lo, hi = d.sup_ptr[j], d.sup_ptr[j + 1]
        v = d.sup_voter[lo:hi]
        if not self.exact:
            due = float(rho) * d.sup_wf[lo:hi]
            bb = self.b[v]
            poor = bb <= due
            self.b[v] = np.where(poor, 0.0, bb - due)
            return int(np.count_nonzero(poor))
        assert isinstance(rho, Fraction)
        w = d.sup_w[lo:hi]
        ids = self.ids[v]
        keys, inverse = _pair_keys(ids, w)
        uniq_first = np.unique(inverse, return_index=True)[1]
        new_ids = np.empty(keys.shape[0], dtype=np.int64)
        index: dict[Fraction, int] = {}
        poor_groups = np.zeros(keys.shape[0], dtype=bool)
        for g, first in enumerate(uniq_first):
            x = self.table[int(ids[first])]
            due = rho * int(w[first])
            left = Fraction(0) if x <= due else x - due
            poor_groups[g] = x <= due
            if left not in index:
                index[left] = len(self.table)
                self.table.append(left)
            new_ids[g] = index[left]
        self.ids[v] = new_ids[inverse]
        self.b[v] = np.array([float(self.table[i]) for i in new_ids])[inverse]
        return int(np.count_nonzero(poor_groups[inverse]))


def _rho_sorted(
    bb: npt.NDArray[np.float64], w: npt.NDArray[np.float64], r: npt.NDArray[np.float64], c: float
) -> tuple[float, float]:
    """Float ``rho`` by the sorted scan (fallback when the poor/rich iteration is slow)."""
    order = np.argsort(r, kind="stable")
    bs, ws, rs = bb[order], w[order], r[order]
    paid = np.concatenate(([0.0], np.cumsum(bs)[:-1]))
    rest = np.cumsum(ws[::-1])[::-1]
    rho = (c - paid) / rest
    ok = np.nonzero(rho <= rs)[0]
    k = int(ok[0]) if ok.size else len(rs) - 1
    return float(rho[k]), float(rest[k])


def _pair_keys(ids: npt.NDArray[np.int64], w: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Unique (table id, utility) pairs as rows, and each entry's row."""
    pairs = np.stack([ids, w], axis=1)
    keys, inverse = np.unique(pairs, axis=0, return_inverse=True)
    return keys, inverse.reshape(-1)


def _group_pairs(ids: npt.NDArray[np.int64], w: npt.NDArray[np.int64]) -> list[tuple[int, int, int]]:
    """Distinct (table id, utility) pairs with their counts."""
    pairs = np.stack([ids, w], axis=1)
    keys, counts = np.unique(pairs, axis=0, return_counts=True)
    return [(int(a), int(b), int(n)) for (a, b), n in zip(keys.tolist(), counts.tolist())]


def run_mes(
    data: DistrictData,
    b0: Fraction,
    allowed: Callable[[int, list[int]], bool] | None = None,
    *,
    exact: bool = False,
) -> RunResult:
    """One MES run with per-voter budget ``b0``; ``allowed(j, selected)`` may veto a winner.

    Starts in float mode and redoes the run exactly when a comparison is too close.
    """
    if not exact:
        try:
            return _run(data, b0, allowed, False)
        except _NeedExact:
            pass
    return _run(data, b0, allowed, True)


def _run(
    data: DistrictData, b0: Fraction, allowed: Callable[[int, list[int]], bool] | None, exact: bool
) -> RunResult:
    m = data.num_projects
    state = _State(data, b0, exact)
    alive = data.supported & (data.cost > 0)
    lo_bound = np.zeros(m)  # lower bound of each project's current rho
    hi_bound = np.zeros(m)
    est_rho = np.zeros(m)
    close = np.zeros(m, dtype=bool)  # the float estimate cannot be trusted
    dirty = alive.copy()
    selected: list[int] = []
    rhos: list[Fraction | float] = []
    poors: list[int] = []
    dropped: dict[int, int] = {}
    skipped: list[int] = []
    while True:
        cand = np.nonzero(alive)[0]
        if cand.size == 0:
            break
        best_hi = np.inf
        contenders: list[int] = []
        for j in cand[np.argsort(lo_bound[cand], kind="stable")].tolist():
            if lo_bound[j] > best_hi:
                break
            if dirty[j]:
                dirty[j] = False
                est = state.estimate(j)
                if est is None:
                    alive[j] = False
                    dropped[j] = len(selected)
                    continue
                rho, err, doubt = est
                lo_bound[j], hi_bound[j], close[j] = rho - err, rho + err, doubt
                est_rho[j] = rho
                if lo_bound[j] > best_hi:
                    continue
            contenders.append(j)
            best_hi = min(best_hi, hi_bound[j])
        contenders = [j for j in contenders if lo_bound[j] <= best_hi]
        if not contenders:
            break
        if len(contenders) == 1 and not close[contenders[0]] and not exact:
            winner = contenders[0]
            rho_w: Fraction | float = float(est_rho[winner])
        else:
            if not exact:
                raise _NeedExact
            priced = []
            for j in contenders:
                rho_j = state.exact_rho(j)
                if rho_j is None:
                    alive[j] = False
                    dropped[j] = len(selected)
                else:
                    priced.append((rho_j, int(data.order_rank[j]), j))
            if not priced:
                continue
            rho_w, _, winner = min(priced)
        alive[winner] = False
        if allowed is not None and not allowed(winner, selected):
            skipped.append(winner)
            continue
        selected.append(winner)
        rhos.append(rho_w)
        poors.append(state.pay(winner, rho_w))
        dirty |= data.co[winner] & alive
    return RunResult(selected, rhos, poors, state.b, dropped, skipped, exact)


def prepare_district(
    *,
    num_voters: int,
    voter: npt.NDArray[np.int64],
    project: npt.NDArray[np.int64],
    utility: npt.NDArray[np.int64],
    cost: npt.NDArray[np.int64],
    ids: list[str],
) -> DistrictData:
    """Build :class:`DistrictData` from ballot entries (local voter, local project, utility).

    Entries must be ordered by voter; entries with utility 0 are ignored, since such a
    voter does not support (and never pays for) the project.
    """
    keep = utility > 0
    voter, project, utility = voter[keep], project[keep], utility[keep]
    m = len(ids)
    order = np.argsort(project, kind="stable")
    sup_ptr = np.zeros(m + 1, dtype=np.int64)
    np.cumsum(np.bincount(project, minlength=m), out=sup_ptr[1:])
    rank = np.empty(m, dtype=np.int64)
    rank[sorted(range(m), key=lambda j: ids[j])] = np.arange(m)
    return DistrictData(
        num_voters=num_voters,
        cost=cost.astype(np.int64),
        order_rank=rank,
        sup_ptr=sup_ptr,
        sup_voter=voter[order].astype(np.int64),
        sup_w=utility[order].astype(np.int64),
        co=_co_support(voter, project, num_voters, m),
    )


def _co_support(
    voter: npt.NDArray[np.int64], project: npt.NDArray[np.int64], n: int, m: int
) -> npt.NDArray[np.bool_]:
    """``co[a, b]``: some voter supports both a and b (pairs taken per ballot length)."""
    co = np.zeros((m, m), dtype=bool)
    if voter.size == 0:
        return co
    lengths = np.bincount(voter, minlength=n)
    starts = np.zeros(n, dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    for length in np.unique(lengths[lengths > 0]).tolist():
        rows = starts[lengths == length]
        block = project[rows[:, None] + np.arange(length)]
        block = np.unique(block, axis=0) if rows.size > 64 else block
        for a in range(length):
            co[block[:, a, None], block] = True
    return co
