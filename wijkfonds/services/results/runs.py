"""The one adapter from ORM rows to the allocation engine, and the stored form of a result.

A round becomes an :class:`~wijkfonds.allocation.Instance` (the initiatives on the ballot,
district budgets and floors, building-block minimum/maximum shares) and a
:class:`~wijkfonds.allocation.Profile` (the current ballots, as approval sets). Exports and
runs both go through :func:`round_input`, so that an export recomputes exactly what a run
computed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from wijkfonds.allocation import Allocation, BallotType, Instance, Profile, Project
from wijkfonds.extensions import db
from wijkfonds.models import Ballot, BallotItem, BallotKind, Initiative, Round, Status

# Initiatives that were on the ballot (feasible) or already got a published outcome.
BALLOT_STATUSES = (Status.FEASIBLE.value, Status.FUNDED.value, Status.NOT_FUNDED.value)


def category_name(name: str) -> str:
    """A category key for the engine: pabulib separates categories by commas, so drop them."""
    return " ".join(name.replace(",", " ").split())


@dataclass(frozen=True)
class RoundInput:
    """What a rule runs on, plus how project ids map back to initiatives."""

    instance: Instance
    profile: Profile
    initiative_of: dict[str, int]  # project id -> Initiative.id
    block_of: dict[str, str]  # project id -> building-block category ('' when none)
    theme_of: dict[str, str]  # project id -> theme category ('' when none)

    @property
    def digest(self) -> str:
        """SHA-256 of the canonical JSON of the instance and profile."""
        return input_digest(self.instance, self.profile)


def ballot_initiatives(rnd: Round) -> list[Initiative]:
    """The round's initiatives that were on the ballot, in id order."""
    return list(
        db.session.scalars(
            select(Initiative)
            .where(Initiative.round_id == rnd.id, Initiative.status.in_(BALLOT_STATUSES))
            .options(selectinload(Initiative.district), selectinload(Initiative.block), selectinload(Initiative.theme))
            .order_by(Initiative.id)
        )
    )


def _project_ids(initiatives: list[Initiative]) -> list[str]:
    """Imported ids when every initiative has a distinct one (so replays tie-break alike), else our ids."""
    external = [i.external_id for i in initiatives]
    if initiatives and all(external) and len(set(external)) == len(external):
        return [str(e) for e in external]
    return [str(i.id) for i in initiatives]


def round_input(rnd: Round) -> RoundInput:
    """Build the engine's input for a round (raises AllocationError on inconsistent data)."""
    initiatives = ballot_initiatives(rnd)
    ids = _project_ids(initiatives)
    budgets = {b.district.name: int(b.amount) for b in rnd.district_budgets}
    floors = {b.district.name: int(b.floor) for b in rnd.district_budgets if b.floor}
    projects, block_of, theme_of = [], {}, {}
    for pid, ini in zip(ids, initiatives, strict=True):
        block = category_name(ini.block.name_nl) if ini.block else ""
        theme = category_name(ini.theme.name_nl) if ini.theme else ""
        block_of[pid], theme_of[pid] = block, theme
        cats = tuple(dict.fromkeys(c for c in (block, theme) if c))
        projects.append(
            Project(id=pid, cost=int(ini.cost), name=ini.title, district=ini.district.name, categories=cats)
        )
    mins = {category_name(q.block.name_nl): Fraction(q.min_bp, 10_000) for q in rnd.block_quotas if q.min_bp}
    maxs = {
        category_name(q.block.name_nl): Fraction(q.max_bp, 10_000) for q in rnd.block_quotas if q.max_bp is not None
    }
    instance = Instance(
        projects=tuple(projects),
        budget=int(rnd.total_budget),
        district_budgets=budgets,
        district_floors=floors,
        category_min_share=mins,
        category_max_share=maxs,
    )
    profile = _profile(rnd, instance, {ini.id: k for k, ini in enumerate(initiatives)})
    return RoundInput(instance, profile, dict(zip(ids, (i.id for i in initiatives), strict=True)), block_of, theme_of)


# The engine's ballot type of each ballot kind: points ballots are pabulib's "cumulative"
# (values: the points), ranked ones "ordinal" (in rank order; values: the stored score).
BALLOT_TYPES = {
    BallotKind.POINTS.value: BallotType.CUMULATIVE,
    BallotKind.RANKED.value: BallotType.ORDINAL,
}


def ballot_type_of(rnd: Round) -> BallotType:
    """The engine's ballot type for a round's ballots (approval for ticks and budgets)."""
    return BALLOT_TYPES.get(rnd.ballot_kind, BallotType.APPROVAL)


def _entries(ballot_type: BallotType, items: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """One ballot's (project, value) entries in one district: ordinal in rank order, others by project."""
    if ballot_type == BallotType.ORDINAL:
        first: dict[int, int] = {}
        for k, v in items:
            first.setdefault(k, v)
        return list(first.items())  # dicts keep the rank order
    if ballot_type == BallotType.APPROVAL:
        return [(k, 1) for k in sorted({k for k, _v in items})]
    return sorted(dict(items).items())


def _profile(rnd: Round, instance: Instance, position: dict[int, int]) -> Profile:
    """The ballots (approval sets, points or rankings); a ballot that names initiatives of several districts counts once in each."""
    districts = instance.districts
    d_index = {name: k for k, name in enumerate(districts)}
    proj_district = [d_index[p.district] for p in instance.projects]
    ballot_type = ballot_type_of(rnd)
    # Plain rows, not ORM objects: a large round has hundreds of thousands of ballot items.
    pairs = db.session.execute(
        select(BallotItem.ballot_id, BallotItem.initiative_id, BallotItem.points)
        .join(Ballot, Ballot.id == BallotItem.ballot_id)
        .where(Ballot.round_id == rnd.id)
        .order_by(BallotItem.ballot_id, BallotItem.position, BallotItem.id)
    )
    rows: list[tuple[int, list[tuple[int, int]]]] = []
    current: int | None = None
    groups: dict[int, list[tuple[int, int]]] = {}
    for ballot_id, initiative_id, points in pairs:
        if ballot_id != current:
            rows += [(d, _entries(ballot_type, ks)) for d, ks in sorted(groups.items())]
            current, groups = ballot_id, {}
        k = position.get(initiative_id)
        if k is not None:  # items for initiatives no longer on the ballot do not count
            groups.setdefault(proj_district[k], []).append((k, int(points)))
    rows += [(d, _entries(ballot_type, ks)) for d, ks in sorted(groups.items())]
    rows.sort(key=lambda r: r[0])  # stable: per district, in ballot order
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(r[1]) for r in rows]) if rows else []
    flat = [e for _d, es in rows for e in es]
    return Profile(
        ballot_type=ballot_type,
        districts=districts,
        indptr=indptr,
        indices=np.array([k for k, _v in flat], dtype=np.int32),
        values=np.array([v for _k, v in flat], dtype=np.int64),
        voter_district=np.array([d for d, _ks in rows], dtype=np.int32),
    )


# On points and ranked ballots the rules rank plans by points, so their explanations say so.
# Each language's explanations say "by votes" in one phrase (explanations.po keeps to it).
_POINTS_WORDS = {
    "nl": (("op stemmen", "op punten"),),
    "b1": (("meeste stemmen", "meeste punten"),),
    "en": (("by votes", "by points"),),
    "tr": (("oylara göre", "puanlara göre"),),
    "ar": (("حسب الأصوات", "حسب النقاط"),),
    "pl": (("według głosów", "według punktów"),),
}


def points_wording(text: str, lang: str) -> str:
    """An outcome's explanation for a points or ranked round: "punten" where the rule's sentence says "stemmen"."""
    for old, new in _POINTS_WORDS.get(lang, _POINTS_WORDS["nl"]):
        text = text.replace(old, new)
    return text


def explained(outcome: Mapping[str, Any], text: str, lang: str) -> str:
    """``text`` (a stored outcome's explanation) in the words of its round's ballot: points or votes."""
    return points_wording(text, lang) if outcome.get("measure") == "points" else text


def canonical_input(instance: Instance, profile: Profile) -> dict[str, Any]:
    """Everything a rule reads, as plain JSON data (shares as 'p/q' strings)."""
    ids = [p.id for p in instance.projects]
    ballots = []
    for v in range(profile.num_voters):
        idx, vals = profile.ballot(v)
        ballots.append(
            [profile.districts[int(profile.voter_district[v])], [ids[int(i)] for i in idx], [int(x) for x in vals]]
        )
    return {
        "projects": [
            {
                "id": p.id,
                "cost": p.cost,
                "name": p.name,
                "district": p.district,
                "categories": list(p.categories),
                "neighbourhood": p.neighbourhood,
            }
            for p in instance.projects
        ],
        "budget": instance.budget,
        "district_budgets": dict(instance.district_budgets),
        "district_floors": dict(instance.district_floors),
        "neighbourhood_caps": dict(instance.neighbourhood_caps),
        "category_caps": dict(instance.category_caps),
        "category_min_share": {k: str(Fraction(v)) for k, v in instance.category_min_share.items()},
        "category_max_share": {k: str(Fraction(v)) for k, v in instance.category_max_share.items()},
        "ballot_type": profile.ballot_type.value,
        "ballots": ballots,
    }


def canonical_json(data: Any) -> str:
    """Canonical JSON: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def input_digest(instance: Instance, profile: Profile) -> str:
    """SHA-256 (hex) of the canonical input."""
    return hashlib.sha256(canonical_json(canonical_input(instance, profile)).encode("utf-8")).hexdigest()


def _plain(value: Any) -> Any:
    """JSON-safe copy: Fractions as 'p/q', NumPy numbers as Python numbers, unknown objects dropped."""
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


def _spend(selected: set[str], instance: Instance, key: Mapping[str, str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for p in instance.projects:
        name = key.get(p.id, "")
        if name:
            out.setdefault(name, 0)
            if p.id in selected:
                out[name] += int(p.cost)  # the platform's amounts are whole euros
    return dict(sorted(out.items()))


def summarize(data: RoundInput, allocation: Allocation) -> dict[str, Any]:
    """The stored result of a run: selection, totals, spend, coverage and every outcome."""
    inst, prof = data.instance, data.profile
    chosen = set(allocation.selected)
    picked = np.zeros(len(inst.projects), dtype=bool)
    picked[[k for k, p in enumerate(inst.projects) if p.id in chosen]] = True
    hits = (
        np.add.reduceat(picked[prof.indices].astype(np.int64), prof.indptr[:-1]) if prof.indices.size else np.zeros(0)
    )
    lengths = np.diff(prof.indptr)
    covered = int(np.count_nonzero((hits > 0) & (lengths > 0))) if prof.num_voters else 0
    n = len(inst.projects)
    # Support: approvals, or the points (rank scores) a plan got; supporters: the ballots naming it.
    supporters = np.bincount(prof.indices, minlength=n) if prof.indices.size else np.zeros(n, dtype=np.int64)
    support = (
        np.bincount(prof.indices, weights=prof.values, minlength=n).round().astype(np.int64)
        if prof.indices.size
        else np.zeros(n, dtype=np.int64)
    )
    outcomes = {}
    for k, p in enumerate(inst.projects):
        o = allocation.outcomes.get(p.id)
        outcomes[p.id] = {
            "initiative_id": data.initiative_of[p.id],
            "funded": p.id in chosen,
            "reason": o.reason if o else "",
            "params": _plain(dict(o.params)) if o else {},
            "explanation": o.explanation if o else "",
            "rank": o.rank if o else None,
            "support": int(support[k]),
            "supporters": int(supporters[k]),
            "measure": "votes" if prof.ballot_type == BallotType.APPROVAL else "points",
            "cost": p.cost,
            "district": p.district,
        }
    return {
        "selected": list(allocation.selected),
        "cost": int(allocation.cost),
        "utility": int(allocation.utility),
        "status": allocation.status,
        "budget": inst.budget,
        "ballot_type": prof.ballot_type.value,
        "votes_total": int(support.sum()),
        "votes_covered": int(sum(int(support[k]) for k in range(len(inst.projects)) if picked[k])),
        "voters": prof.num_voters,
        "voters_with_funded": covered,
        "district_budgets": dict(inst.district_budgets),
        "district_spend": {d: int(allocation.district_spend.get(d, 0)) for d in inst.districts},
        "block_spend": _spend(chosen, inst, data.block_of),
        "theme_spend": _spend(chosen, inst, data.theme_of),
        "outcomes": outcomes,
        "unmet_minimums": unmet_minimums(inst, chosen),
        "details": _plain({k: v for k, v in allocation.details.items() if isinstance(v, (int, str, float, Fraction))}),
    }


def unmet_minimums(inst: Instance, chosen: set[str]) -> list[dict[str, Any]]:
    """District floors and building-block minimum shares a plan does not reach.

    Only the ILP guarantees lower bounds; greedy and Equal Shares honour upper bounds only,
    so staff must see when their plan falls short before publishing it.
    """
    district: dict[str, int] = {}
    category: dict[str, int] = {}
    for p in inst.projects:
        if p.id in chosen:
            district[p.district] = district.get(p.district, 0) + int(p.cost)  # whole euros here
            for c in dict.fromkeys(p.categories):
                category[c] = category.get(c, 0) + int(p.cost)
    unmet = [
        {"name": d, "spent": district.get(d, 0), "need": floor}
        for d, floor in sorted(inst.district_floors.items())
        if district.get(d, 0) < floor
    ]
    for c, share in sorted(inst.category_min_share.items()):
        need = -(-share.numerator * inst.budget // share.denominator)  # ceiling, exact
        if category.get(c, 0) < need:
            unmet.append({"name": c, "spent": category.get(c, 0), "need": int(need)})
    return unmet
