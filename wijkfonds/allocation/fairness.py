"""A fairness report for one outcome of a round: who got something, where the money went, EJR.

:func:`fairness_report` measures, for an :class:`~.model.Allocation` on an
(:class:`~.model.Instance`, :class:`~.model.Profile`):

* the share of voters with at least one funded project they supported (approved, or gave
  points to; pabutools calls this "non empty handed");
* per district: its share of the voters against its share of the money spent;
* per group of projects (building block, function, pabulib ``category`` or ``target``):
  the money spent, its share of the spend, and the share of voters who supported a project
  of that group;
* for approval ballots: whether the outcome satisfies EJR up to one project (with cost
  utilities, as pabutools' ``is_EJR_one_approval`` with ``Cost_Sat``), and a witness group
  when it does not.

EJR up to one project. A group ``N'`` of voters who all approve every project of a set
``T`` is *T-cohesive* when ``|N'| * budget >= n * cost(T)``. The outcome ``W`` satisfies
EJR up to one project when in every such group some voter ``i`` has
``u_i(W) + max_{p in T \\ W} cost(p) >= cost(T)`` (``u_i(W)`` the cost of the funded
projects ``i`` approves). For a fixed ``T`` the voters who fail are exactly those who
approve ``T`` and have ``u_i(W) < cost(T) - max_{p in T \\ W} cost(p)``, so a violation
exists iff for some ``T`` those voters are numerous enough. Finding such a ``T`` is
NP-hard in general; we solve one integer program with SCIP (the literature's approach): binary ``x_p`` for ``p in T``, ``e_p`` marking the most expensive unfunded
project of ``T``, ``y_i`` per distinct ballot in the group. Every witness the solver finds
is checked again in exact arithmetic before it is reported; "satisfied" means that SCIP
proved the program infeasible. When it stops at its time limit the answer is ``None``
(unknown). The check uses the total budget and all voters of the round, as pabutools does
(for a multi-district round, run it per district file).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from .model import Allocation, BallotType, Instance, Profile
from .money import Money, to_units

__all__ = [
    "EjrResult",
    "FairnessReport",
    "GroupRow",
    "check_ejr_up_to_one",
    "fairness_report",
    "project_groups",
]


@dataclass(frozen=True, slots=True)
class GroupRow:
    """One district or project group: its voters' share against its share of the spend.

    ``voter_share``: for a district the share of the round's voters who voted there; for a
    project group the share of voters who supported at least one of its projects.
    ``spend_share``: ``spend`` divided by the money spent in the whole outcome (0 when nothing
    was spent).
    """

    name: str
    voters: int
    voter_share: Fraction
    spend: Money
    spend_share: Fraction


@dataclass(frozen=True, slots=True)
class EjrResult:
    """Whether the outcome satisfies EJR up to one project.

    ``satisfied`` is None when the check could not decide (time limit, or not an approval
    ballot). When it is False, ``witness_voters`` (voter ids, or 0-based positions when the
    profile has none) all approve every project of ``witness_projects``, are numerous
    enough to afford them, and each of them has less than ``cost(T) - max cost of T's
    unfunded projects``.
    """

    satisfied: bool | None
    method: str
    witness_projects: tuple[str, ...] = ()
    witness_voters: tuple[str, ...] = ()
    seconds: float = 0.0
    note: str = ""


@dataclass(frozen=True)
class FairnessReport:
    """The fairness report of one outcome (see the module docstring)."""

    rule: str
    num_voters: int
    voters_with_funded: int
    share_with_funded: Fraction
    cost: Money
    districts: tuple[GroupRow, ...]
    groups: Mapping[str, tuple[GroupRow, ...]] = field(default_factory=dict)
    ejr: EjrResult | None = None


def project_groups(instance: Instance) -> dict[str, dict[str, tuple[str, ...]]]:
    """Groupings of the projects the files carry: ``category`` and ``target`` (comma separated).

    Returns grouping name -> project id -> group names; a grouping is left out when no
    project carries it.
    """
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    cats = {p.id: p.categories for p in instance.projects if p.categories}
    if cats:
        out["category"] = cats
    targets = {
        p.id: tuple(t.strip() for t in p.extra.get("target", "").split(",") if t.strip())
        for p in instance.projects
        if p.extra.get("target", "").strip()
    }
    if targets:
        out["target"] = targets
    return out


def _supports(profile: Profile) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]]:
    """(voter per entry, project per entry) of the entries with positive value."""
    counts = np.diff(np.asarray(profile.indptr, dtype=np.int64))
    voter = np.repeat(np.arange(profile.num_voters, dtype=np.int64), counts)
    positive = np.asarray(profile.values) > 0
    return voter[positive], np.asarray(profile.indices)[positive]


def _share(part: int | Money, whole: int | Money) -> Fraction:
    return Fraction(part) / Fraction(whole) if whole else Fraction(0)


def fairness_report(
    instance: Instance,
    profile: Profile,
    allocation: Allocation,
    *,
    groups: Mapping[str, Mapping[str, Sequence[str]]] | None = None,
    ejr: bool = True,
    ejr_time_limit: float = 60.0,
) -> FairnessReport:
    """The fairness report of ``allocation`` (see the module docstring).

    ``groups`` maps a grouping name (e.g. "bouwsteen", "functie") to project id -> the
    groups that project belongs to; by default :func:`project_groups`. ``ejr`` False skips
    the EJR check; ``ejr_time_limit`` bounds the solver's seconds.
    """
    index = instance.index_of()
    funded = np.zeros(len(instance.projects), dtype=bool)
    for pid in allocation.selected:
        funded[index[pid]] = True
    voter, proj = _supports(profile)
    n = profile.num_voters
    got = np.zeros(n, dtype=bool)
    got[voter[funded[proj]]] = True
    with_funded = int(got.sum())
    cost = sum((instance.projects[index[pid]].cost for pid in allocation.selected), 0)

    counts = np.bincount(np.asarray(profile.voter_district, dtype=np.int64), minlength=len(profile.districts))
    voters_in = {name: int(counts[k]) for k, name in enumerate(profile.districts) if k < counts.shape[0]}
    spend_in: dict[str, Money] = {}
    for pid in allocation.selected:
        p = instance.projects[index[pid]]
        spend_in[p.district] = spend_in.get(p.district, 0) + p.cost
    districts = tuple(
        GroupRow(
            name,
            voters_in.get(name, 0),
            _share(voters_in.get(name, 0), n),
            spend_in.get(name, 0),
            _share(spend_in.get(name, 0), cost),
        )
        for name in instance.districts
    )

    rows: dict[str, tuple[GroupRow, ...]] = {}
    for grouping, member in (project_groups(instance) if groups is None else groups).items():
        names = list(dict.fromkeys(g for pid in (p.id for p in instance.projects) for g in member.get(pid, ())))
        out = []
        for name in names:
            in_group = np.array([name in member.get(p.id, ()) for p in instance.projects], dtype=bool)
            supporters = np.zeros(n, dtype=bool)
            supporters[voter[in_group[proj]]] = True
            spend = sum((p.cost for p, f, g in zip(instance.projects, funded, in_group, strict=True) if f and g), 0)
            count = int(supporters.sum())
            out.append(GroupRow(name, count, _share(count, n), spend, _share(spend, cost)))
        rows[grouping] = tuple(out)

    ejr_result = None
    if ejr:
        ejr_result = check_ejr_up_to_one(instance, profile, allocation.selected, time_limit=ejr_time_limit)
    return FairnessReport(
        rule=allocation.rule if allocation.completion == "none" else f"{allocation.rule}/{allocation.completion}",
        num_voters=n,
        voters_with_funded=with_funded,
        share_with_funded=_share(with_funded, n),
        cost=cost,
        districts=districts,
        groups=rows,
        ejr=ejr_result,
    )


# ---------------------------------------------------------------- EJR up to one project
@dataclass(frozen=True)
class _Outcome:
    """An outcome in whole money units: ballots as sets, each voter's utility, costs, budget."""

    ballots: Sequence[frozenset[int]]
    utility: Sequence[int]
    costs: Sequence[int]
    budget: int
    funded: frozenset[int]

    def failing(self, t: set[int]) -> list[int]:
        """Voters who approve all of ``t`` and have ``u_i(W) < cost(t) - max unfunded cost in t`` (exact)."""
        unfunded = [self.costs[p] for p in t if p not in self.funded]
        if not unfunded:
            return []
        bar = sum(self.costs[p] for p in t) - max(unfunded)
        return [v for v, b in enumerate(self.ballots) if self.utility[v] < bar and t <= b]

    def cohesive(self, t: set[int], voters: Sequence[int]) -> bool:
        """Whether ``voters`` are enough to afford ``t``: ``|N'| * budget >= n * cost(t)``."""
        return bool(voters) and len(voters) * self.budget >= len(self.ballots) * sum(self.costs[p] for p in t)


def _voter_names(profile: Profile, voters: Sequence[int]) -> tuple[str, ...]:
    ids = profile.voter_ids
    return tuple(str(ids[v]) if ids else str(v) for v in voters)


def check_ejr_up_to_one(
    instance: Instance, profile: Profile, selected: Sequence[str], *, time_limit: float = 60.0
) -> EjrResult:
    """Whether the outcome ``selected`` satisfies EJR up to one project (see the module docstring)."""
    start = time.perf_counter()
    if profile.ballot_type not in (BallotType.APPROVAL, BallotType.CHOOSE_1):
        return EjrResult(None, "none", note=f"EJR is checked for approval ballots, not {profile.ballot_type.value}")
    index = instance.index_of()
    funded = frozenset(index[pid] for pid in selected)
    costs = [to_units(p.cost, instance.money_scale) for p in instance.projects]
    ind, idx = np.asarray(profile.indptr), np.asarray(profile.indices)
    ballots = [frozenset(idx[ind[v] : ind[v + 1]].tolist()) for v in range(profile.num_voters)]
    utility = [sum(costs[p] for p in b if p in funded) for b in ballots]
    outcome = _Outcome(ballots, utility, costs, to_units(instance.budget, instance.money_scale), funded)
    # |T| = 1 never violates (u_i(W) + cost(p) >= cost(p)), so only the integer program can find T.
    t, status = _ejr_ilp(outcome, max(time_limit, 0.5))
    seconds = time.perf_counter() - start
    if t is None:
        if status in ("infeasible", "no candidate group"):
            return EjrResult(True, "integer program", seconds=seconds)
        return EjrResult(None, "integer program", seconds=seconds, note=f"the solver stopped ({status}) undecided")
    failing = outcome.failing(t)
    if not outcome.cohesive(t, failing):
        return EjrResult(None, "integer program", seconds=seconds, note="the solver's witness did not hold exactly")
    return EjrResult(
        False,
        "integer program",
        tuple(instance.projects[p].id for p in sorted(t)),
        _voter_names(profile, failing),
        seconds,
    )


def _ejr_ilp(outcome: _Outcome, time_limit: float) -> tuple[set[int] | None, str]:
    """The integer program of the module docstring on distinct ballots: (T or None, the solver's status)."""
    costs, funded, n = outcome.costs, outcome.funded, len(outcome.ballots)
    # A voter in a violating group approves an unfunded project of T; others cannot take part.
    types: dict[tuple[frozenset[int], int], int] = {}
    for b, u in zip(outcome.ballots, outcome.utility, strict=True):
        if not b <= funded:
            types[b, u] = types.get((b, u), 0) + 1
    candidates = sorted({p for b, _ in types for p in b if costs[p] <= outcome.budget})
    if all(p in funded for p in candidates):
        return None, "no candidate group"
    from pyscipopt import Model, quicksum

    model = Model("ejr-up-to-one")
    model.hideOutput()
    model.setParam("limits/time", time_limit)
    model.setParam("randomization/randomseedshift", 0)
    x = {p: model.addVar(vtype="B", name=f"x{p}") for p in candidates}
    e = {p: model.addVar(vtype="B", name=f"e{p}") for p in candidates if p not in funded}
    size = model.addVar(vtype="I", lb=1, ub=len(candidates), name="size")
    total = quicksum(costs[p] * x[p] for p in candidates)
    top = quicksum(costs[p] * e[p] for p in e)
    # slack = cost(T) - the cost of T's most expensive unfunded project
    slack = model.addVar(vtype="C", lb=0, name="slack")
    model.addCons(slack == total - top)
    model.addCons(quicksum(e.values()) == 1)
    for p, ep in e.items():
        model.addCons(ep <= x[p])
        model.addCons(costs[p] * x[p] <= top)
    model.addCons(quicksum(x.values()) == size)
    members = []
    for k, ((b, u), count) in enumerate(types.items()):
        y = model.addVar(vtype="B", name=f"y{k}")
        members.append(count * y)
        # in the group only if the ballot approves every project of T, and then it fails
        model.addCons(quicksum(x[p] for p in b if p in x) >= size - len(candidates) * (1 - y))
        model.addCons(slack >= (u + 1) * y)
    model.addCons(outcome.budget * quicksum(members) >= n * total)
    model.optimize()
    status = model.getStatus()
    if model.getNSols() == 0:
        return None, status
    sol = model.getBestSol()
    return {p for p in candidates if model.getSolVal(sol, x[p]) > 0.5}, status
