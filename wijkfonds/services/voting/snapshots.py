"""What the voting pages read: light snapshots from Core statements that are built once.

The code page, the ballot and its submission are the busiest pages on election night.
Loading ORM objects cost about three times a plain Core row here, and building a statement
anew costs as much as running it, so these reads use module-level statements with bind
parameters and return frozen dataclasses that templates use just like the models.

The round and each district's ballot sheet are also kept for SNAPSHOT_SECONDS in the
worker process. During voting they cannot change (the round's rules and the initiatives
are locked), except the round's name and a later end date; a change made in this process
clears them at once, one made in another worker shows within those seconds. Nothing that
decides whether a ballot counts reads these copies: casting re-reads the round's dates and
the chosen initiatives inside its own transaction.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from flask import Flask, abort, current_app, has_app_context
from sqlalchemy import and_, bindparam, event, func, select
from sqlalchemy.orm import Session

from wijkfonds.common.reference_names import BLOCK, in_language
from wijkfonds.common.timeutil import utcnow
from wijkfonds.database.hot import HotStatement
from wijkfonds.extensions import db
from wijkfonds.models import (
    Ballot,
    BallotItem,
    BuildingBlock,
    District,
    DistrictBudget,
    Initiative,
    Phase,
    Photo,
    Round,
    Status,
    Voter,
)
from wijkfonds.models.round import phase_at
from wijkfonds.services.media.photos import OWNER_INITIATIVE, PhotoRef, parse_widths

_T = TypeVar("_T")

SNAPSHOT_SECONDS = 2.0
_CACHE_KEY = "wijkfonds_voting_snapshots"
_WATCHED = (Round, Initiative, District, DistrictBudget, BuildingBlock, Photo)

_R = Round.__table__
_I = Initiative.__table__
_D = District.__table__
_DB = DistrictBudget.__table__
_V = Voter.__table__
_B = Ballot.__table__
_BI = BallotItem.__table__
_BB = BuildingBlock.__table__
_P = Photo.__table__


@dataclass(frozen=True)
class VotingRound:
    """The fields of a round that voting needs (a read-only stand-in for the model)."""

    id: int
    name: str
    ballot_kind: str
    approval_min: int
    approval_max: int | None
    knapsack_min_spend: int
    voter_access: str
    points_total: int
    points_min_plans: int
    points_max_per_plan: int | None
    ranked_max: int
    nomination_start: datetime | None
    submission_start: datetime
    review_start: datetime
    voting_start: datetime
    results_start: datetime

    def phase(self, now: datetime | None = None) -> Phase:
        """The current phase, derived from the dates (as Round.phase)."""
        return phase_at(self, now or utcnow())


_ROUND = select(
    _R.c.id,
    _R.c.name,
    _R.c.ballot_kind,
    _R.c.approval_min,
    _R.c.approval_max,
    _R.c.knapsack_min_spend,
    _R.c.voter_access,
    _R.c.points_total,
    _R.c.points_min_plans,
    _R.c.points_max_per_plan,
    _R.c.ranked_max,
    _R.c.nomination_start,
    _R.c.submission_start,
    _R.c.review_start,
    _R.c.voting_start,
    _R.c.results_start,
).where(_R.c.id == bindparam("rid"))


def _cached(key: tuple[object, ...], load: Callable[[], _T]) -> _T:
    """``load()``'s result, kept for SNAPSHOT_SECONDS in this app's worker process."""
    cache: dict[tuple[object, ...], tuple[float, Any]] = current_app.extensions[_CACHE_KEY]
    now = time.monotonic()
    hit = cache.get(key)
    if hit is not None and hit[0] > now:
        kept: _T = hit[1]  # what load() returned for this key
        return kept
    value = load()
    if value is not None:
        cache[key] = (now + SNAPSHOT_SECONDS, value)
    return value


def _load_round(round_id: int) -> VotingRound | None:
    row = db.session.execute(_ROUND, {"rid": round_id}).first()
    return VotingRound(**row._asdict()) if row is not None else None


def voting_round_or_404(round_id: int) -> VotingRound:
    """The round with this id as a snapshot (at most SNAPSHOT_SECONDS old), or a 404 page."""
    rnd = _cached(("round", round_id), lambda: _load_round(round_id))
    if rnd is None:
        abort(404)
    return rnd


@dataclass(frozen=True)
class Option:
    """One initiative on a ballot, with everything its card shows."""

    id: int
    title: str
    summary: str
    requested_cost: int
    estimated_cost: int | None
    description: str = ""
    district_name: str = ""
    block_name_nl: str = ""
    block_name_en: str = ""
    photo: PhotoRef | None = None  # the plan's first photo that staff did not hide

    @property
    def cost(self) -> int:
        """The cost that counts: staff's estimate once set, else the requested cost."""
        return self.estimated_cost if self.estimated_cost is not None else self.requested_cost

    def block_name(self, lang: str) -> str:
        """The building block's name in a site language, as BuildingBlock.name: the other
        languages from the catalogue in memory, so the card needs no column or query more."""
        return in_language(BLOCK, lang, self.block_name_nl, self.block_name_en)


@dataclass(frozen=True)
class Sheet:
    """One district's ballot: its name, its budget in the round, and its options by title."""

    district_id: int
    district_name: str
    budget: int
    options: tuple[Option, ...]


# A plan's card shows its first photo that staff did not hide (correlated on the plan).
_FIRST_PHOTO = (
    select(func.min(_P.c.id))
    .where(_P.c.owner_kind == OWNER_INITIATIVE, _P.c.owner_id == _I.c.id, _P.c.hidden_at.is_(None))
    .correlate(_I)
    .scalar_subquery()
)
_COVER = _P.alias("cover")

# One statement per district sheet: the plans, their district and building block, and each
# plan's cover photo.
_OPTIONS = (
    select(
        _I.c.id,
        _I.c.title,
        _I.c.summary,
        _I.c.requested_cost,
        _I.c.estimated_cost,
        _I.c.description,
        _D.c.name.label("district_name"),
        _BB.c.name_nl.label("block_name_nl"),
        _BB.c.name_en.label("block_name_en"),
        _COVER.c.id.label("photo_id"),
        _COVER.c.digest,
        _COVER.c.fmt,
        _COVER.c.widths,
        _COVER.c.width,
        _COVER.c.height,
        _COVER.c.alt,
    )
    .select_from(
        _I.join(_D, _D.c.id == _I.c.district_id)
        .outerjoin(_BB, _BB.c.id == _I.c.block_id)
        .outerjoin(_COVER, _COVER.c.id == _FIRST_PHOTO)
    )
    .where(
        _I.c.round_id == bindparam("rid"),
        _I.c.district_id == bindparam("did"),
        _I.c.status == Status.FEASIBLE.value,
    )
    .order_by(_I.c.title, _I.c.id)
)

_DISTRICT = (
    select(_D.c.name, _DB.c.amount)
    .select_from(_D.outerjoin(_DB, and_(_DB.c.district_id == _D.c.id, _DB.c.round_id == bindparam("rid"))))
    .where(_D.c.id == bindparam("did"))
)


def sheet(round_id: int, district_id: int) -> Sheet:
    """The ballot of one district: feasible initiatives by title, the district's name and budget."""
    return _cached(("sheet", round_id, district_id), lambda: _load_sheet(round_id, district_id))


def _load_sheet(round_id: int, district_id: int) -> Sheet:
    params = {"rid": round_id, "did": district_id}
    found = db.session.execute(_DISTRICT, params).first()
    name, budget = (found[0], found[1] or 0) if found else ("", 0)
    options = tuple(_option(row) for row in db.session.execute(_OPTIONS, params))
    return Sheet(district_id, name, budget, options)


def _option(row: Any) -> Option:
    photo = None
    if row.photo_id is not None:
        widths = parse_widths(row.widths)
        photo = PhotoRef(row.photo_id, row.digest, row.fmt, widths, row.width, row.height, row.alt)
    return Option(
        row.id,
        row.title,
        row.summary,
        row.requested_cost,
        row.estimated_cost,
        row.description,
        row.district_name,
        row.block_name_nl or "",
        row.block_name_en or "",
        photo,
    )


@dataclass(frozen=True)
class Choice:
    """A voter's stored ballot: its id, version, the ticked initiatives, their points and ranks.

    ``marks`` maps each chosen initiative to its stored points (a points ballot's points, a
    ranked ballot's score, 1 elsewhere); ``ranks`` to its place in the ballot's order, 1 for
    the first (a ranked ballot's "1e keuze").
    """

    ballot_id: int
    version: int
    initiative_ids: frozenset[int]
    marks: Mapping[int, int] = field(default_factory=dict)
    ranks: Mapping[int, int] = field(default_factory=dict)


_CHOICE = HotStatement(
    select(_B.c.id, _B.c.version, _BI.c.initiative_id, _BI.c.position, _BI.c.points)
    .select_from(_B.outerjoin(_BI, _BI.c.ballot_id == _B.c.id))
    .where(_B.c.voter_id == bindparam("vid"))
)
# A code holder's ballot, read together with the voter's access version (one row of NULLs
# for the ballot when there is none yet; no row when the voter does not exist).
_CODE_CHOICE = HotStatement(
    select(_V.c.access_version, _B.c.id, _B.c.version, _BI.c.initiative_id, _BI.c.position, _BI.c.points)
    .select_from(_V.outerjoin(_B, _B.c.voter_id == _V.c.id).outerjoin(_BI, _BI.c.ballot_id == _B.c.id))
    .where(_V.c.id == bindparam("vid"))
)


class AccessEnded(Exception):
    """A code session whose access was ended ("Klaar"): the code must be entered again."""


def current_choice(voter_id: int | None) -> Choice | None:
    """The voter's ballot, if any, in one query."""
    if voter_id is None:
        return None
    rows = _CHOICE.all({"vid": voter_id})
    if not rows:
        return None
    return _choice(rows[0][0], rows[0][1], [r[2:] for r in rows])


def code_choice(voter_id: int, access_version: int) -> Choice | None:
    """A code holder's ballot as it stands (None: none yet), in one query; AccessEnded when
    this session's access was ended."""
    rows = _CODE_CHOICE.all({"vid": voter_id})
    if not rows or rows[0][0] != access_version:
        raise AccessEnded
    if rows[0][1] is None:
        return None
    return _choice(rows[0][1], rows[0][2], [r[3:] for r in rows])


def _choice(ballot_id: int, version: int, items: list[Any]) -> Choice:
    """A Choice from (initiative id, position, points) rows (one of NULLs for an empty ballot)."""
    items = [r for r in items if r[0] is not None]
    ordered = sorted(items, key=lambda r: (r[1], r[0]))
    # The rank of a ranked ballot is its order; elsewhere the mark is the stored points.
    marks = {r[0]: r[2] for r in items}
    ranks = {r[0]: k + 1 for k, r in enumerate(ordered)}
    return Choice(ballot_id, version, frozenset(marks), marks, ranks)


_VOTER = select(_V.c.round_id, _V.c.district_id, _V.c.code_id).where(_V.c.id == bindparam("vid"))


def code_voter_district(voter_id: int, round_id: int) -> int | None:
    """The district of a code holder's voter row in this round (None: no such code voter)."""
    row = db.session.execute(_VOTER, {"vid": voter_id}).first()
    if row is None or row.round_id != round_id or row.code_id is None:
        return None
    district_id: int = row.district_id
    return district_id


def init_snapshots(app: Flask) -> None:
    """Give the app its snapshot store, emptied whenever this process changes what it holds."""
    app.extensions[_CACHE_KEY] = {}
    if getattr(init_snapshots, "_listening", False):
        return

    @event.listens_for(Session, "after_flush")
    def _forget_changed(session: Session, _context: Any) -> None:
        if any(isinstance(obj, _WATCHED) for objs in (session.new, session.dirty, session.deleted) for obj in objs):
            store = current_app.extensions.get(_CACHE_KEY) if has_app_context() else None
            if store is not None:
                store.clear()

    init_snapshots._listening = True  # type: ignore[attr-defined]
