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

import functools
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from .mes_data import DistrictData, prepare_district

__all__ = ["DistrictData", "RunResult", "prepare_district", "run_mes"]


@functools.cache
def _rational() -> Callable[..., Any]:
    """The exact rational type: gmpy2's ``mpq`` (LGPL) makes exact mode several times faster,
    and Fraction gives the same results. Looked up on first use because most runs never leave
    float mode, and importing gmpy2 costs a command-line run some 40 ms.
    """
    try:
        from gmpy2 import mpq
    except ImportError:  # pragma: no cover - depends on the environment
        return Fraction
    return cast("Callable[..., Any]", mpq)


def _Q(*args: Any) -> Any:
    """An exact rational of :func:`_rational`'s type."""
    return _rational()(*args)


# Relative error allowance on float sums; float64 rounding on these sizes is ~1e-12 at most.
_TOL = 1e-9


class _NeedExact(Exception):
    """A float comparison was too close to call; the run must be redone exactly."""


@dataclass
class RunResult:
    """What one MES run did: funded projects in order and the state at the end.

    ``rhos[t]`` is the price per unit of utility in round ``t`` (exact in exact mode) and
    ``poor[t]`` counts supporters who could not pay the full share (for explanations
    only: exact in exact mode, approximate in float mode). ``budgets`` are the
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
            # Voters with equal budgets share one entry: a run has few distinct budgets.
            self.table: list[Any] = [_Q(b0.numerator, b0.denominator)]
            self.table_f: list[float] = [float(b0)]
            self.index: dict[Any, int] = {self.table[0]: 0}
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

    def _groups(self, j: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Distinct (table id, utility) pairs among ``j``'s supporters, with their counts."""
        d = self.data
        lo, hi = d.sup_ptr[j], d.sup_ptr[j + 1]
        ids, w = self.ids[d.sup_voter[lo:hi]], d.sup_w[lo:hi]
        _, first, counts = _pair_unique(ids, w)[:3]
        return ids[first], w[first], counts

    def exact_rho(self, j: int, guess: float | None = None, err: float = 0.0) -> Any | None:
        """The exact ``rho`` of project ``j`` (``None`` when it is unaffordable).

        With a trusted float ``guess`` only the groups near it are compared exactly.
        """
        gid, gw, gn = self._groups(j)
        c = int(self.data.cost[j])
        tf = np.asarray(self.table_f)[gid] / gw
        if guess is not None:
            margin = 1e-7 * guess + 4 * err
            poor = tf < guess - margin
            rich = tf > guess + margin
            window = ~(poor | rich)
            if rich.any():
                got = self._scan(c, gid, gw, gn, poor=poor, window=window, rich_w=int((gw[rich] * gn[rich]).sum()))
                if got is not None:
                    rho = got[0]
                    top_poor = int(np.argmax(np.where(poor, tf, -np.inf))) if poor.any() else None
                    first_rich = int(np.argmin(np.where(rich, tf, np.inf)))
                    t = self.table
                    if (top_poor is None or t[gid[top_poor]] / int(gw[top_poor]) <= rho) and (
                        rho <= t[gid[first_rich]] / int(gw[first_rich])
                    ):
                        return rho
        everyone = np.ones(gid.shape[0], dtype=bool)
        none = np.zeros(gid.shape[0], dtype=bool)
        got = self._scan(c, gid, gw, gn, poor=none, window=everyone, rich_w=0)
        return None if got is None else got[0]

    def _scan(
        self, c: int, gid: Any, gw: Any, gn: Any, *, poor: Any, window: Any, rich_w: int
    ) -> tuple[Any, bool] | None:
        """pabutools' scan in exact arithmetic over the ``window`` groups, after the ``poor`` ones.

        Returns ``(rho, False)``, or ``(rho, True)`` when every window group turned out
        poor and the price falls on the rich groups; ``None`` when unaffordable.
        """
        t = self.table
        paid = _Q(0)
        for g in np.nonzero(poor)[0].tolist():
            paid += t[gid[g]] * int(gn[g])
        items = [(t[gid[g]] / int(gw[g]), t[gid[g]], int(gw[g]), int(gn[g])) for g in np.nonzero(window)[0].tolist()]
        items.sort(key=lambda it: it[0])
        denom = rich_w + sum(wi * n for _, _, wi, n in items)
        if rich_w == 0 and paid + sum(x * n for _, x, _, n in items) < c:
            return None
        for ratio, x, wi, n in items:
            rho = (c - paid) / denom
            if rho <= ratio:
                return rho, False
            paid += x * n
            denom -= wi * n
        if rich_w == 0:
            return None
        return (c - paid) / rich_w, True

    def pay(self, j: int, rho: Any) -> int:
        """Charge project ``j``'s supporters at ``rho``; return how many paid all they had."""
        d = self.data
        lo, hi = d.sup_ptr[j], d.sup_ptr[j + 1]
        v = d.sup_voter[lo:hi]
        if not self.exact:
            due = float(rho) * d.sup_wf[lo:hi]
            bb = self.b[v]
            poor = bb <= due
            self.b[v] = np.where(poor, 0.0, bb - due)
            return int(np.count_nonzero(bb < due * (1 - 1e-9)))
        w = d.sup_w[lo:hi]
        ids = self.ids[v]
        _, first, _, inverse = _pair_unique(ids, w)
        new_ids = np.empty(first.shape[0], dtype=np.int64)
        poor_groups = np.zeros(first.shape[0], dtype=bool)
        for g, e in enumerate(first.tolist()):
            x = self.table[int(ids[e])]
            due = rho * int(w[e])
            poor_groups[g] = x < due
            left = _Q(0) if x <= due else x - due
            k = self.index.get(left)
            if k is None:
                k = self.index[left] = len(self.table)
                self.table.append(left)
                self.table_f.append(float(left))
            new_ids[g] = k
        self.ids[v] = new_ids[inverse]
        self.b[v] = np.asarray(self.table_f)[new_ids][inverse]
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


def _pair_unique(ids: npt.NDArray[np.int64], w: npt.NDArray[np.int64]) -> tuple[Any, Any, Any, Any]:
    """Distinct (table id, utility) pairs: keys, first entry, count and each entry's group."""
    if w.shape[0] and w[0] == w[-1] and (w == w[0]).all():
        key = ids  # cost utilities: one utility per project
    else:
        codes, w_code = np.unique(w, return_inverse=True)
        key = ids * codes.shape[0] + w_code.reshape(-1)
    keys, first, inverse, counts = np.unique(key, return_index=True, return_inverse=True, return_counts=True)
    return keys, first, counts, inverse.reshape(-1)


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


class _Search:
    """Which project wins the next round: float bounds on every ``rho``, refined lazily.

    ``lo``/``hi`` bound each project's current ``rho``, ``est`` is the float estimate and
    ``close`` flags estimates that cannot be trusted; a project is re-estimated only when
    it is ``dirty`` (a co-supporter paid since its last estimate).
    """

    def __init__(self, data: DistrictData, state: _State) -> None:
        m = data.num_projects
        self.data = data
        self.state = state
        self.alive = data.supported & (data.cost > 0)
        self.lo = np.zeros(m)
        self.hi = np.zeros(m)
        self.est = np.zeros(m)
        self.close = np.zeros(m, dtype=bool)
        self.dirty = self.alive.copy()
        self.dropped: dict[int, int] = {}

    def _drop(self, j: int, rounds: int) -> None:
        """Project ``j`` became unaffordable after ``rounds`` funded projects: out for good."""
        self.alive[j] = False
        self.dropped[j] = rounds

    def contenders(self, rounds: int) -> list[int]:
        """Projects whose ``rho`` interval can hold the minimum (empty when none is left)."""
        cand = np.nonzero(self.alive)[0]
        best_hi = np.inf
        contenders: list[int] = []
        for j in cand[np.argsort(self.lo[cand], kind="stable")].tolist():
            if self.lo[j] > best_hi:
                break
            if self.dirty[j]:
                self.dirty[j] = False
                est = self.state.estimate(j)
                if est is None:
                    self._drop(j, rounds)
                    continue
                rho, err, doubt = est
                self.lo[j], self.hi[j], self.close[j] = rho - err, rho + err, doubt
                self.est[j] = rho
                if self.lo[j] > best_hi:
                    continue
            contenders.append(j)
            best_hi = min(best_hi, self.hi[j])
        return [j for j in contenders if self.lo[j] <= best_hi]

    def float_winner(self, contenders: list[int]) -> int | None:
        """The winner when floats settle the round beyond doubt, else None."""
        if len(contenders) == 1 and not self.close[contenders[0]]:
            return contenders[0]
        return None

    def exact_winner(self, contenders: list[int], rounds: int) -> tuple[Any, int] | None:
        """``(rho, winner)`` priced exactly (ties: smallest id); None when all turned out unaffordable."""
        priced = []
        for j in contenders:
            guess = None if self.close[j] else float(self.est[j])
            rho_j = self.state.exact_rho(j, guess, float(self.hi[j] - self.est[j]))
            if rho_j is None:
                self._drop(j, rounds)
            else:
                priced.append((rho_j, int(self.data.order_rank[j]), j))
        if not priced:
            return None
        rho, _, winner = min(priced)
        return rho, winner

    def paid(self, winner: int) -> None:
        """The winner's supporters paid: every project sharing one needs a new estimate."""
        self.dirty |= self.data.co[winner] & self.alive


def _as_fraction(rho: Any) -> Fraction:
    """An exact ``rho`` (gmpy2 ``mpq`` or :class:`~fractions.Fraction`) as a Fraction."""
    return Fraction(int(rho.numerator), int(rho.denominator))


def _run(data: DistrictData, b0: Fraction, allowed: Callable[[int, list[int]], bool] | None, exact: bool) -> RunResult:
    state = _State(data, b0, exact)
    search = _Search(data, state)
    selected: list[int] = []
    rhos: list[Fraction | float] = []
    poors: list[int] = []
    skipped: list[int] = []
    while True:
        contenders = search.contenders(len(selected))
        if not contenders:
            break
        winner = None if exact else search.float_winner(contenders)
        rho_w: Any
        if winner is not None:
            rho_w = float(search.est[winner])
        elif not exact:
            raise _NeedExact
        else:
            priced = search.exact_winner(contenders, len(selected))
            if priced is None:
                continue
            rho_w, winner = priced
        search.alive[winner] = False
        if allowed is not None and not allowed(winner, selected):
            skipped.append(winner)
            continue
        selected.append(winner)
        rhos.append(_as_fraction(rho_w) if exact else rho_w)
        poors.append(state.pay(winner, rho_w))
        search.paid(winner)
    return RunResult(selected, rhos, poors, state.b, search.dropped, skipped, exact)
