"""How close each plan came: the votes an unfunded plan lacked, the votes a funded plan could spare.

For every project ``p`` of a round and the rule that was run:

* **unfunded**: ``needed``, the smallest ``k`` such that ``p`` is funded when ``k`` more
  voters of its district vote for it (approval: ``k`` new ballots that approve only ``p``;
  points ballots: ``k`` more points, one new ballot per point). ``None`` when no number of
  votes would fund it (its cost does not fit, a floor or an exclusive group keeps it out)
  or, for Equal Shares, none was found up to the search limit (``searched_to``).
* **funded**: ``spare``, the largest ``r`` such that ``p`` is still funded when ``r`` of its
  votes are taken away (from the last supporters in ballot order; points one by one), so
  ``r + 1`` would cost it its place; ``spare == support`` means it would be funded even
  without any vote (free, or needed for a floor or minimum share).

Methods, by rule:

* **greedy, greedy-stop** (``analytic``, exact). Only ``p``'s support changes, so only
  its place in the order moves. The others are run in their order without ``p``; at each
  prefix we ask whether ``p`` would be funded if it came next. Those states only fill up
  as the prefix grows (every bound's spend, the exclusive groups taken and the stopped
  districts only grow), so the answer is yes up to a last place ``t*`` and no after it:
  ``p`` is funded exactly when its support puts it at or before ``t*`` (and it meets the
  minimum support). The smallest such support follows by bisection over the order.
* **ilp** (``ilp``, exact). Let ``U+`` be the best utility of a plan with ``p`` and ``U-``
  without (two SCIP solves). ``k`` more votes raise every plan with ``p`` by ``k·cost`` and
  leave the others alone, so ``p`` is funded once ``U+ + k·cost > U-``; at equality the
  tie-break decides, and the rule is re-run at exactly that ``k``. Removal is the mirror
  image. (A free project moves only the tie-break: then the search below is used.)
* **mes, mes-bounds** (``search``). The rule is re-run with the changed ballots (for ``mes``
  only up to the plan's own district: districts run in order, later ones change nothing
  before them): first
  ``k = 1, 2, 4, …`` up to the first ``k`` that funds ``p``, then bisection between the
  last ``k`` that did not and that one. Equal Shares is not monotone in general (new voters
  also lower every voter's share ``budget / voters``), so the answer is *a* ``k`` that
  funds ``p`` while ``k − 1`` does not, checked by two runs, but a smaller ``k`` might also
  fund it; ``exact`` is False. A margin of at most 8 votes is checked against every smaller
  number and is then exact (``exact`` True). The limit is ``4 × (voters + support) + 16``.
  A plan that breaks an upper bound on its own (or, for mes-bounds, belongs to no plan
  that meets the minimums) is never funded, and is reported so without a search.

The measure follows Boehmer, Faliszewski, Janeczko, Peters, Pierczyński, Schierreich,
Skowron and Szufa, "Evaluation of Project Performance in Participatory Budgeting"
(arXiv:2312.14723), who count the extra supporters a project needs under a rule; the
algorithms here are this engine's own.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from wijkfonds.allocation.explain import make_outcome, register_reasons, render_reason
from wijkfonds.allocation.model import Allocation, AllocationError, BallotType, Instance, Profile, ProjectOutcome
from wijkfonds.allocation.money import to_units

from .common import BoundTracker, greedy_order, project_scores, violated_bounds
from .feasibility import Feasibility

__all__ = ["Margin", "compute_margins", "margins_json", "with_margins"]

_REASONS: dict[str, dict[str, str]] = {
    "margin.needed": {
        "en": "it needed {margin} more {unit_en} to be funded",
        "nl": "het had {margin} {unit_nl} meer nodig gehad",
    },
    "margin.needed_search": {
        "en": "with {margin} more {unit_en} it would have been funded (found by re-running the count)",
        "nl": "met {margin} {unit_nl} meer was het gefinancierd (gevonden door de telling opnieuw te doen)",
    },
    "margin.unreachable": {
        "en": "more votes alone would not have funded it",
        "nl": "met alleen meer stemmen was het niet gefinancierd",
    },
    "margin.unreachable_search": {
        "en": "even {margin} more {unit_en} would not have funded it",
        "nl": "ook met {margin} {unit_nl} meer was het niet gefinancierd",
    },
    "margin.spare": {
        "en": "it could have lost {margin} {unit_en} and still been funded",
        "nl": "het had {margin} {unit_nl} minder kunnen missen",
    },
    "margin.spare_all": {
        "en": "it would have been funded even without its {margin} {unit_en}",
        "nl": "het was ook zonder zijn {margin} {unit_nl} gefinancierd",
    },
}
register_reasons(_REASONS)


@dataclass(frozen=True, slots=True)
class Margin:
    """How close one project came (see the module docstring); ``unit`` is "votes" or "points"."""

    project_id: str
    funded: bool
    support: int
    needed: int | None = None
    spare: int | None = None
    exact: bool = True
    method: str = "analytic"
    searched_to: int | None = None
    unit: str = "votes"


def _unit(profile: Profile) -> str:
    return "votes" if profile.ballot_type in (BallotType.APPROVAL, BallotType.CHOOSE_1) else "points"


def with_delta(instance: Instance, profile: Profile, project: int, delta: int) -> Profile:
    """The profile with ``delta`` more (``delta > 0``: new one-vote ballots) or fewer votes for ``project``.

    Fewer: the last supporters in ballot order lose their vote (points: one at a time).
    """
    if delta == 0:
        return profile
    if delta > 0:
        name = instance.projects[project].district
        if name not in profile.districts:
            raise AllocationError(
                f"the profile has no voters' district {name!r} for project {instance.projects[project].id!r}"
            )
        district = profile.districts.index(name)
        n = profile.num_voters
        indptr = np.concatenate([profile.indptr, profile.indptr[-1] + np.arange(1, delta + 1, dtype=np.int64)])
        indices = np.concatenate([profile.indices, np.full(delta, project, dtype=np.int32)])
        values = np.concatenate([profile.values, np.ones(delta, dtype=np.int64)])
        voter_district = np.concatenate([profile.voter_district, np.full(delta, district, dtype=np.int32)])
        ids = list(profile.voter_ids) + [f"margin-{n + k}" for k in range(delta)] if profile.voter_ids else ()
        return Profile(profile.ballot_type, profile.districts, indptr, indices, values, voter_district, ids)
    values = np.array(profile.values, dtype=np.int64, copy=True)
    left = -delta
    for e in np.nonzero(np.asarray(profile.indices) == project)[0][::-1].tolist():
        take = min(int(values[e]), left)
        values[e] -= take
        left -= take
        if left == 0:
            break
    # Entries of value 0 are kept: every rule reads them as "no support".
    return dataclasses.replace(profile, values=values)


def compute_margins(
    rule: str,
    instance: Instance,
    profile: Profile,
    allocation: Allocation,
    *,
    completion: str = "none",
    time_limit: float | None = None,
    min_score: int | Mapping[str, int] | None = None,
) -> dict[str, Margin]:
    """The margin of every project under ``rule`` (as :func:`~.run_rule` names it), given its ``allocation``."""
    from . import run_rule
    from .mes import run_districts
    from .mes_bounds import bounded_selection

    scores = project_scores(instance, profile)
    funded = set(allocation.selected)
    unit = _unit(profile)

    def rerun(p: int, delta: int) -> bool:
        changed = with_delta(instance, profile, p, delta)
        if rule == "mes":  # what is funded, without the explanations (the same run)
            district = instance.projects[p].district
            return p in run_districts(instance, changed, completion, explain=False, until=district).selected
        if rule == "mes-bounds":
            return p in bounded_selection(instance, changed, completion)
        got = run_rule(rule, instance, changed, completion=completion, time_limit=time_limit, min_score=min_score)
        return instance.projects[p].id in got.selected

    if rule in ("greedy", "greedy-stop"):
        from .greedy import min_score_thresholds

        thresholds = min_score_thresholds(instance, min_score)
        analytic = _GreedyMargins(instance, scores, thresholds, stop=rule == "greedy-stop")
        out = {}
        for i, p in enumerate(instance.projects):
            m = analytic.margin(i, p.id in funded)
            out[p.id] = dataclasses.replace(m, unit=unit)
        return out
    if rule == "ilp":
        optimum = None
        if allocation.optimal:
            index = instance.index_of()
            optimum = sum(
                to_units(instance.projects[index[pid]].cost, instance.money_scale) * int(scores[index[pid]])
                for pid in allocation.selected
            )
        return {
            p.id: _ilp_margin(instance, scores, i, funded=p.id in funded, rerun=rerun, unit=unit, optimum=optimum)
            for i, p in enumerate(instance.projects)
        }
    if rule in ("mes", "mes-bounds"):
        feasibility = Feasibility(instance)
        out = {}
        for i, p in enumerate(instance.projects):
            # A plan that breaks an upper bound on its own (or, for mes-bounds, cannot be part of
            # any plan meeting the minimums) is never funded, whatever the votes: no search needed.
            never = not feasibility.fits_upper([i]) or (
                rule == "mes-bounds" and feasibility.has_lower_bounds and not feasibility.completable([i])
            )
            if never and p.id not in funded:
                out[p.id] = Margin(p.id, False, int(scores[i]), needed=None, method="search", unit=unit)
                continue
            out[p.id] = _search_margin(instance, profile, scores, i, funded=p.id in funded, rerun=rerun, unit=unit)
        return out
    raise AllocationError(f"margins are not available for rule {rule!r}")


class _GreedyMargins:
    """The analytic margins of greedy and greedy-stop (see the module docstring)."""

    def __init__(self, instance: Instance, scores: Any, thresholds: dict[str, int], *, stop: bool) -> None:
        self.instance = instance
        self.scores = [int(s) for s in scores]
        self.thresholds = thresholds
        self.stop = stop
        self.order = greedy_order(instance, scores)
        self.keys = [self._key(i, self.scores[i]) for i in self.order]

    def _key(self, i: int, score: int) -> tuple[int, int, str]:
        p = self.instance.projects[i]
        free = 0 if (p.cost == 0 and score > 0) else 1
        return (free, -score if free else 0, p.id)

    def _last_place(self, p: int) -> int:
        """``t*``: the largest number of other projects before ``p`` with which ``p`` is still funded (-1: none)."""
        instance = self.instance
        tracker = BoundTracker(instance)
        stopped: set[str] = set()
        district = instance.projects[p].district
        others = [i for i in self.order if i != p]
        for t, o in enumerate([*others, None]):
            if "" in stopped or district in stopped or tracker.excluded_by(p) is not None or not tracker.fits(p):
                return t - 1
            if o is None:
                return t
            q = instance.projects[o]
            threshold = self.thresholds.get(q.district)
            if threshold is not None and self.scores[o] < threshold:
                continue
            if "" in stopped or q.district in stopped or tracker.excluded_by(o) is not None:
                continue
            block = tracker.blocking(o)
            if block is None:
                tracker.add(o)
            elif self.stop:
                stopped.add("" if block[0].kind == "total" else q.district)
        return len(others)  # pragma: no cover - the loop returns

    def _place(self, p: int, score: int, other_keys: list[tuple[int, int, str]]) -> int:
        return bisect.bisect_left(other_keys, self._key(p, score))

    def margin(self, p: int, funded: bool) -> Margin:
        """The margin of project ``p`` (index) under the rule."""
        pid = self.instance.projects[p].id
        s = self.scores[p]
        t_star = self._last_place(p)
        other_keys = [k for k, i in zip(self.keys, self.order, strict=True) if i != p]
        threshold = self.thresholds.get(self.instance.projects[p].district, 0)

        def ok(x: int) -> bool:
            return x >= threshold and self._place(p, x, other_keys) <= t_star

        if ok(s) != funded:  # pragma: no cover - the analysis mirrors greedy; a mismatch is a bug
            raise AllocationError(f"the margin of {pid!r} disagrees with the rule's outcome")
        top = max([threshold, s, *self.scores]) + 1
        if funded:
            lo, hi = 0, s  # smallest x in [0, s] with ok(x); ok(s) holds
            while lo < hi:
                mid = (lo + hi) // 2
                if ok(mid):
                    hi = mid
                else:
                    lo = mid + 1
            return Margin(pid, True, s, spare=s - lo)
        if not ok(top):
            return Margin(pid, False, s, needed=None)
        lo, hi = s + 1, top
        while lo < hi:
            mid = (lo + hi) // 2
            if ok(mid):
                hi = mid
            else:
                lo = mid + 1
        return Margin(pid, False, s, needed=lo - s)


def _best_with(instance: Instance, utilities: list[int], p: int, value: int) -> int | None:
    """The best utility over plans with ``x_p = value`` (None when no plan meets the bounds).

    Solved with SCIP's feasibility tolerance at 1e-7 first (1e-9 makes SoPlex print warnings
    on large sums); a looser tolerance only enlarges the feasible set, so a plan that then
    passes the exact check is optimal. Otherwise the solve is repeated at 1e-9.
    """
    from pyscipopt import quicksum

    from .ilp import build_model, new_model

    for feastol in (1e-7, 1e-9):
        model = new_model(feastol)
        x = build_model(model, instance, [f"x{i}" for i in range(len(instance.projects))])
        model.chgVarLb(x[p], float(value))
        model.chgVarUb(x[p], float(value))
        model.setObjective(quicksum(u * x[i] for i, u in enumerate(utilities) if u), sense="maximize")
        model.optimize()
        if model.getStatus() == "infeasible" or model.getNSols() == 0:
            return None
        if model.getStatus() != "optimal":
            raise AllocationError(f"the solver did not prove the optimum for the margin of {instance.projects[p].id!r}")
        sol = model.getBestSol()
        plan = [i for i, v in enumerate(x) if model.getSolVal(sol, v) > 0.5]
        if not violated_bounds(instance, plan):
            return sum(utilities[i] for i in plan)
    raise AllocationError(
        f"the solver's plans for the margin of {instance.projects[p].id!r} break a bound by rounding; "
        "please report this instance"
    )


def _ilp_margin(
    instance: Instance,
    scores: Any,
    p: int,
    *,
    funded: bool,
    rerun: Callable[[int, int], bool],
    unit: str,
    optimum: int | None,
) -> Margin:
    """Exact margin under the ILP (see the module docstring)."""
    project = instance.projects[p]
    s = int(scores[p])
    c = to_units(project.cost, instance.money_scale)
    if c == 0:
        return _search_margin_core(
            project.id, s, funded=funded, funded_at=lambda d: rerun(p, d), limit=4 * s + 16, unit=unit, exact=False
        )
    utilities = [
        to_units(q.cost, instance.money_scale) * int(v) for q, v in zip(instance.projects, scores, strict=True)
    ]
    # The rule's own plan is optimal: it is the best plan with p when p is funded, without p otherwise.
    with_p = optimum if funded and optimum is not None else _best_with(instance, utilities, p, 1)
    without_p = optimum if not funded and optimum is not None else _best_with(instance, utilities, p, 0)
    if funded:
        if without_p is None or with_p is None:
            return Margin(project.id, True, s, spare=s, method="ilp", unit=unit)
        # still funded after removing r while with_p - r*c > without_p; at equality the tie-break decides
        gap = with_p - without_p
        r = -(-gap // c) if gap % c else gap // c  # first r with with_p - r*c <= without_p
        if gap % c == 0 and r <= s and rerun(p, -r):
            r += 1
        return Margin(project.id, True, s, spare=min(r - 1, s), method="ilp", unit=unit)
    if with_p is None:
        return Margin(project.id, False, s, needed=None, method="ilp", unit=unit)
    base = without_p if without_p is not None else with_p
    gap = base - with_p
    k = gap // c
    if gap % c:
        k += 1
    elif k == 0 or not rerun(p, k):
        k += 1  # a tie lost by the tie-break: one vote more breaks it
    return Margin(project.id, False, s, needed=k, method="ilp", unit=unit)


def _search_margin(
    instance: Instance,
    profile: Profile,
    scores: Any,
    p: int,
    *,
    funded: bool,
    rerun: Callable[[int, int], bool],
    unit: str,
) -> Margin:
    s = int(scores[p])
    district = instance.projects[p].district
    voters = int(np.count_nonzero(np.asarray(profile.voter_district) == profile.districts.index(district)))
    limit = 4 * (voters + s) + 16
    return _search_margin_core(
        instance.projects[p].id, s, funded=funded, funded_at=lambda d: rerun(p, d), limit=limit, unit=unit, exact=False
    )


# Margins of Equal Shares up to this many votes are made exact by trying every smaller number.
_LINEAR = 8


def _search_margin_core(
    pid: str, s: int, *, funded: bool, funded_at: Callable[[int], bool], limit: int, unit: str, exact: bool
) -> Margin:
    """Exponential then binary search for a change ``k`` where the outcome flips (see the module docstring).

    A result of at most ``_LINEAR`` votes is then checked against every smaller number, which
    makes it exact (the smallest such number) whether or not the rule is monotone.
    """
    seen: dict[int, bool] = {}

    def at(delta: int) -> bool:
        if delta not in seen:
            seen[delta] = funded_at(delta)
        return seen[delta]

    if funded:
        spare = _flip_spare(s, at)
        if spare <= _LINEAR:
            spare = next((r - 1 for r in range(1, spare + 1) if not at(-r)), spare)
            exact = True
        return Margin(pid, True, s, spare=spare, exact=exact, method="search", unit=unit)
    lo, hi = 0, 1  # not funded at lo, funded at hi
    while not at(hi):
        if hi >= limit:
            return Margin(pid, False, s, needed=None, exact=exact, method="search", searched_to=limit, unit=unit)
        lo, hi = hi, min(2 * hi, limit)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if at(mid):
            hi = mid
        else:
            lo = mid
    if hi <= _LINEAR:
        hi = next(k for k in range(1, hi + 1) if at(k))
        exact = True
    return Margin(pid, False, s, needed=hi, exact=exact, method="search", unit=unit)


def _flip_spare(s: int, at: Callable[[int], bool]) -> int:
    """A number ``r`` of removed votes with the plan funded at ``-r`` and not at ``-(r + 1)`` (``s``: never lost)."""
    if s == 0 or at(-s):
        return s
    lo, hi = 0, 1  # funded at -lo, not funded at -hi
    while hi < s and at(-hi):
        lo, hi = hi, min(2 * hi, s)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if at(-mid):
            lo = mid
        else:
            hi = mid
    return lo


_UNITS = {"votes": ("votes", "stemmen"), "points": ("points", "punten")}
_ONE = {"votes": ("vote", "stem"), "points": ("point", "punt")}


def margin_params(m: Margin) -> dict[str, object] | None:
    """The reason code and params of a margin's sentence (merged into the outcome's params)."""
    if m.funded:
        if m.spare is None:
            return None
        code = "margin.spare_all" if m.spare == m.support else "margin.spare"
        n = m.spare if code == "margin.spare" else m.support
        if code == "margin.spare_all" and n == 0:
            return None  # free and unsupported: nothing to say
    elif m.needed is None:
        code = "margin.unreachable_search" if m.searched_to is not None else "margin.unreachable"
        n = m.searched_to or 0
    else:
        code = "margin.needed" if m.exact else "margin.needed_search"
        n = m.needed
    en, nl = (_ONE if n == 1 else _UNITS)[m.unit]
    return {"margin_reason": code, "margin": n, "unit_en": en, "unit_nl": nl}


def with_margins(allocation: Allocation, margins: Mapping[str, Margin]) -> Allocation:
    """The allocation with each outcome's explanation extended by its margin, and ``details["margins"]``."""
    outcomes: dict[str, ProjectOutcome] = {}
    for pid, o in allocation.outcomes.items():
        m = margins.get(pid)
        extra = margin_params(m) if m is not None else None
        if extra is None:
            outcomes[pid] = o
            continue
        outcomes[pid] = make_outcome(pid, o.funded, o.reason, {**o.params, **extra}, rank=o.rank, support=o.support)
    details = {**allocation.details, "margins": margins_json(margins)}
    return dataclasses.replace(allocation, outcomes=outcomes, details=details)


def margins_json(margins: Mapping[str, Margin]) -> dict[str, dict[str, object]]:
    """Margins as plain JSON values, with the sentence in both languages."""
    out: dict[str, dict[str, object]] = {}
    for pid, m in margins.items():
        row: dict[str, object] = {
            "funded": m.funded,
            "support": m.support,
            "needed": m.needed,
            "spare": m.spare,
            # how many fewer votes would have cost a funded plan its place (None: none would)
            "loses_at": (m.spare + 1 if m.spare < m.support else None) if m.spare is not None else None,
            "exact": m.exact,
            "method": m.method,
            "unit": m.unit,
        }
        if m.searched_to is not None:
            row["searched_to"] = m.searched_to
        params = margin_params(m)
        if params is not None:
            code = str(params["margin_reason"])
            row["text"] = {lang: render_reason(code, params, lang) for lang in ("en", "nl")}
        out[pid] = row
    return out
