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
exists iff for some ``T`` those voters are numerous enough. Deciding this is coNP-hard in
general; :func:`check_ejr_up_to_one` searches the sets ``T`` depth first with voters as
bitsets, in exact integers, and prunes every ``T`` whose approvers cannot afford it (no
superset of it can be cohesive either). On the shared pabulib approval files it tries at
most about 265,000 sets (Amsterdam 166), a fraction of a second. The search stops at a time limit, and the answer is then ``None`` (unknown). A single project
never violates (``u_i(W) + cost(p) >= cost(p)``). For one district the check uses its budget and
all its voters, as pabutools does; a round of several districts is checked per district.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from .model import Allocation, AllocationError, BallotType, Instance, Profile
from .money import Money, to_units

__all__ = [
    "EjrResult",
    "FairnessReport",
    "GroupRow",
    "check_ejr_up_to_one",
    "district_round",
    "fairness_report",
    "outcome_fairness",
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
    indptr: npt.NDArray[np.int64] = np.asarray(profile.indptr, dtype=np.int64)
    counts = indptr[1:] - indptr[:-1]
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
    """The fairness report of ``allocation`` (see the module docstring and :func:`outcome_fairness`)."""
    rule = allocation.rule if allocation.completion == "none" else f"{allocation.rule}/{allocation.completion}"
    return outcome_fairness(
        instance, profile, allocation.selected, rule=rule, groups=groups, ejr=ejr, ejr_time_limit=ejr_time_limit
    )


def outcome_fairness(
    instance: Instance,
    profile: Profile,
    selected: Sequence[str],
    *,
    rule: str = "",
    groups: Mapping[str, Mapping[str, Sequence[str]]] | None = None,
    ejr: bool = True,
    ejr_time_limit: float = 60.0,
) -> FairnessReport:
    """The fairness report of the funded projects ``selected`` (ids), labelled ``rule``.

    ``groups`` maps a grouping name (e.g. "bouwsteen", "functie") to project id -> the
    groups that project belongs to; by default :func:`project_groups`. ``ejr`` False skips
    the EJR check; ``ejr_time_limit`` bounds its seconds.
    """
    unknown = [pid for pid in selected if pid not in instance.index_of()]
    if unknown:
        raise AllocationError(f"the outcome names project {unknown[0]!r}, which is not in the round")
    index = instance.index_of()
    funded = np.zeros(len(instance.projects), dtype=bool)
    for pid in selected:
        funded[index[pid]] = True
    voter, proj = _supports(profile)
    n = profile.num_voters
    got = np.zeros(n, dtype=bool)
    got[voter[funded[proj]]] = True
    with_funded = int(got.sum())
    cost = sum((instance.projects[index[pid]].cost for pid in selected), 0)

    counts = np.bincount(np.asarray(profile.voter_district, dtype=np.int64), minlength=len(profile.districts))
    voters_in = {name: int(counts[k]) for k, name in enumerate(profile.districts) if k < counts.shape[0]}
    spend_in: dict[str, Money] = {}
    for pid in selected:
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
        ejr_result = check_ejr_up_to_one(instance, profile, selected, time_limit=ejr_time_limit)
    return FairnessReport(
        rule=rule,
        num_voters=n,
        voters_with_funded=with_funded,
        share_with_funded=_share(with_funded, n),
        cost=cost,
        districts=districts,
        groups=rows,
        ejr=ejr_result,
    )


# ---------------------------------------------------------------- EJR up to one project
def _voter_names(profile: Profile, voters: Sequence[int]) -> tuple[str, ...]:
    ids = profile.voter_ids
    return tuple(str(ids[v]) if ids else str(v) for v in voters)


def _bits(flags: npt.NDArray[np.bool_]) -> int:
    """A boolean array as a Python int whose bit ``v`` is ``flags[v]`` (a bitset of voters)."""
    return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")


class _Search:
    """Depth-first search over sets ``T`` of projects, voters as bitsets, in exact integers.

    A set ``T`` is only grown while its approvers can afford it (``|A(T)| * budget >= n *
    cost(T)``); since adding a project only shrinks ``A(T)`` and raises ``cost(T)``, no
    superset of a set that fails this can be cohesive, which prunes the search.
    """

    def __init__(self, costs: Sequence[int], budget: int, util: npt.NDArray[np.int64], funded: Sequence[bool]) -> None:
        self.costs, self.budget, self.funded = costs, budget, funded
        self.n = int(util.shape[0])
        self.levels = np.unique(util)
        self.rank = np.searchsorted(self.levels, util)
        self._below: dict[int, int] = {}
        self.masks: dict[int, int] = {}
        self.nodes = 0

    def below(self, s: int) -> int:
        """Bitset of the voters whose utility is less than ``s``."""
        k = int(np.searchsorted(self.levels, s))
        if k not in self._below:
            self._below[k] = _bits(self.rank < k)
        return self._below[k]

    def run(self, candidates: Sequence[int], deadline: float) -> tuple[list[int], int] | None:
        """A violating (T, bitset of its failing voters), or None; raises TimeoutError past ``deadline``."""
        stack: list[tuple[int, int, int, int, list[int]]] = [(0, -1, 0, -1, [])]
        while stack:
            start, mask, cost, top, items = stack.pop()
            for j in range(len(candidates) - 1, start - 1, -1):
                p = candidates[j]
                self.nodes += 1
                if not self.nodes % 4096 and time.perf_counter() > deadline:
                    raise TimeoutError
                group = mask & self.masks[p]
                c = cost + self.costs[p]
                if group.bit_count() * self.budget < self.n * c:
                    continue
                t = max(top, -1 if self.funded[p] else self.costs[p])
                if t >= 0 and items:
                    failing = group & self.below(c - t)
                    if failing and failing.bit_count() * self.budget >= self.n * c:
                        return [*items, p], failing
                stack.append((j + 1, group, c, t, [*items, p]))
        return None


def district_round(instance: Instance, profile: Profile, district: str) -> tuple[Instance, Profile]:
    """One district of a round on its own: its projects, its voters, its budget."""
    k = profile.districts.index(district)
    keep = [i for i, p in enumerate(instance.projects) if p.district == district]
    new_index = np.full(len(instance.projects), -1, dtype=np.int64)
    new_index[keep] = np.arange(len(keep))
    in_district = np.asarray(profile.voter_district) == k
    voters = np.flatnonzero(in_district)
    indptr = np.asarray(profile.indptr, dtype=np.int64)
    entry_voter = np.repeat(np.arange(profile.num_voters), indptr[1:] - indptr[:-1])
    mapped = new_index[np.asarray(profile.indices)]
    inside = in_district[entry_voter] & (mapped >= 0)
    position = np.cumsum(in_district) - 1  # voter -> its position among the district's voters
    sub_indptr = np.zeros(voters.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(position[entry_voter[inside]], minlength=voters.shape[0]), out=sub_indptr[1:])
    ids = profile.voter_ids
    sub = Profile(
        profile.ballot_type,
        (district,),
        sub_indptr,
        mapped[inside].astype(np.int32),
        np.asarray(profile.values)[inside],
        np.zeros(voters.shape[0], dtype=np.int32),
        voter_ids=[ids[int(v)] for v in voters] if ids else [str(int(v)) for v in voters],
    )
    budget = instance.district_budgets[district]
    projects = tuple(instance.projects[i] for i in keep)
    return Instance(projects, budget, {district: budget}), sub


def check_ejr_up_to_one(
    instance: Instance, profile: Profile, selected: Sequence[str], *, time_limit: float = 60.0
) -> EjrResult:
    """Whether the outcome ``selected`` satisfies EJR up to one project (see the module docstring).

    In a round of several districts each district is checked on its own (its projects, its
    voters, its budget), as the rules divide the money; the first district that fails gives
    the witness.
    """
    if profile.ballot_type not in (BallotType.APPROVAL, BallotType.CHOOSE_1):
        return EjrResult(None, "none", note=f"EJR is checked for approval ballots, not {profile.ballot_type.value}")
    if len(instance.districts) <= 1:
        return _check_one(instance, profile, selected, time_limit)
    start, undecided, tried = time.perf_counter(), [], []
    for name in instance.districts:
        sub, sub_profile = district_round(instance, profile, name)
        chosen = [p.id for p in sub.projects if p.id in set(selected)]
        left = time_limit - (time.perf_counter() - start)
        result = _check_one(sub, sub_profile, chosen, max(left, 0.1))
        if result.satisfied is False:
            return dataclasses.replace(result, seconds=time.perf_counter() - start, note=f"district {name}")
        if result.satisfied is None:
            undecided.append(name)
        tried.append(result.note)
    seconds = time.perf_counter() - start
    if undecided:
        return EjrResult(None, "search", seconds=seconds, note=f"undecided in {', '.join(undecided)}")
    return EjrResult(True, "search", seconds=seconds, note=f"every district ({len(tried)}) checked")


def _check_one(instance: Instance, profile: Profile, selected: Sequence[str], time_limit: float) -> EjrResult:
    """:func:`check_ejr_up_to_one` on a round of one district (or the whole round as one)."""
    start = time.perf_counter()
    index = instance.index_of()
    funded = np.zeros(len(instance.projects), dtype=bool)
    for pid in selected:
        funded[index[pid]] = True
    costs = [to_units(p.cost, instance.money_scale) for p in instance.projects]
    budget = to_units(instance.budget, instance.money_scale)
    voter, proj = _supports(profile)
    n = profile.num_voters
    util = np.zeros(n, dtype=np.int64)
    np.add.at(util, voter[funded[proj]], np.array(costs, dtype=np.int64)[proj[funded[proj]]])
    search = _Search(costs, budget, util, funded.tolist())
    # A project whose approvers cannot afford it alone is in no cohesive set.
    support = np.bincount(proj, minlength=len(costs))
    candidates = [p for p in range(len(costs)) if support[p] and int(support[p]) * budget >= n * costs[p]]
    order = np.argsort(proj, kind="stable")
    bounds = np.searchsorted(proj[order], np.arange(len(costs) + 1))
    for p in candidates:
        flags = np.zeros(n, dtype=bool)
        flags[voter[order[bounds[p] : bounds[p + 1]]]] = True
        search.masks[p] = _bits(flags)
    try:
        found = search.run(candidates, start + time_limit)
    except TimeoutError:
        return EjrResult(
            None,
            "search",
            seconds=time.perf_counter() - start,
            note=f"stopped after {time_limit:g} s ({search.nodes:,} sets of projects tried)",
        )
    seconds = time.perf_counter() - start
    if found is None:
        return EjrResult(True, "search", seconds=seconds, note=f"{search.nodes:,} sets of projects tried")
    t, failing = found
    flags = np.unpackbits(np.frombuffer(failing.to_bytes((n + 7) // 8, "little"), dtype=np.uint8), bitorder="little")
    voters = np.flatnonzero(flags[:n]).tolist()
    return EjrResult(
        False,
        "search",
        tuple(instance.projects[p].id for p in sorted(t)),
        _voter_names(profile, voters),
        seconds,
    )
