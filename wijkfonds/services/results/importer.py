"""Import pabulib elections as a closed round, so that real past elections can be replayed.

Each file is a district (META ``district``, else the file's stem; created when missing);
its projects become feasible initiatives (``external_id`` = ``project_id``), its votes
anonymous ballots (a :class:`Voter` without account or code). Everything is read and
checked before anything is written, and the caller commits once, so a bad file never
leaves half an import behind.

The round's ballot kind follows the files' ``vote_type`` (:mod:`.import_rules` says how):
``approval`` / ``choose-1`` make an approval round; ``cumulative`` a points round whose
N (``points_total``) is META ``max_sum_points``, else the largest sum of points on one
ballot, and whose k (``points_min_plans``, the fewest plans given points) is META
``min_length``, else 1, with ``max_points`` as one plan's maximum; ``ordinal`` a ranked
round whose k (``ranked_max``) is META ``max_length``, else the longest ballot. Ballot
items keep each voter's points, and a ranking's order (position 0 = first choice, scored
k - position as a ranked round scores). ``scoring`` and any other vote type are refused.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path

import numpy as np
from sqlalchemy import select

from wijkfonds.allocation import AllocationError
from wijkfonds.allocation.pabulib import PabulibError, PbElection, district_name, read_pb, round_from_elections
from wijkfonds.common.numbers import MAX_EUROS
from wijkfonds.common.timeutil import utcnow
from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.models import (
    Ballot,
    BallotItem,
    BallotKind,
    District,
    DistrictBudget,
    Initiative,
    Round,
    Status,
    User,
    Voter,
)
from wijkfonds.services.audit import log as audit
from wijkfonds.services.results.import_rules import BallotRules, ImportFailed, ballot_rules, check_vote_type


@dataclass(frozen=True)
class ImportSummary:
    """What an import created."""

    round: Round
    districts: int
    initiatives: int
    ballots: int
    warnings: tuple[str, ...]
    rules: BallotRules


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "gebied"


def _unique_slug(model: type[District] | type[Round], base: str) -> str:
    slug, n = base[:60], 1
    while db.session.scalars(select(model).where(model.slug == slug)).first() is not None:
        n += 1
        slug = f"{base[:55]}-{n}"
    return slug


def read_files(paths: Sequence[str | Path], names: Sequence[str] | None = None) -> list[PbElection]:
    """Read and check every file; ``names`` replace the paths in messages (uploads in a temp dir)."""
    shown = list(names) if names is not None else [str(p) for p in paths]
    elections = []
    # ``names``, when given, is one per path; a shorter list leaves the rest out, as before.
    for path, name in zip(paths, shown, strict=False):
        try:
            election = read_pb(path, whole_amounts=True)  # rounds count whole euros
        except PabulibError as exc:
            raise ImportFailed(f"{name}:{exc.line}: {exc.problem}" if exc.line else f"{name}: {exc.problem}") from None
        check_vote_type(election, name)
        _check_amounts(election, name)
        elections.append(election)
    total = sum(int(e.meta["budget"]) for e in elections)
    if total > MAX_EUROS:
        raise ImportFailed(
            f"{', '.join(shown[: len(elections)])}: the budgets add up to {total}, more than the platform "
            f"stores for a round ({MAX_EUROS} euros)"
        )
    try:
        round_from_elections(elections, ignore_caps=True)  # same checks as the engine: districts, ids
    except (PabulibError, AllocationError) as exc:
        message = str(exc)
        for path, name in zip(paths, shown, strict=False):
            message = message.replace(str(path), name)
        raise ImportFailed(message) from None
    for e in elections:
        for row in e.projects:
            if len(row["project_id"]) > 64:
                raise ImportFailed(
                    f"{Path(e.path).name}: project id {row['project_id'][:20]!r}... is longer than 64 characters"
                )
    ballot_rules(elections, shown[: len(elections)])  # every vote against the round's rules
    return elections


def _whole(text: str, where: str, what: str) -> int:
    """A whole amount as the reader left it (digits); Python converts at most 4300 digits."""
    digits = str(text).strip()
    if len(digits.lstrip("-")) > 4300:
        raise ImportFailed(f"{where}: number too long for {what}: {len(digits)} digits")
    return int(digits)


def _check_amounts(e: PbElection, name: str) -> None:
    """The budget and every cost fit the database's INTEGER columns (whole euros)."""
    budget = _whole(e.meta["budget"], f"{name}:{e.meta_lines.get('budget')}", "the budget")
    if budget > MAX_EUROS:
        line = e.meta_lines.get("budget")
        raise ImportFailed(
            f"{name}:{line}: budget {budget} is too large (the platform stores amounts up to {MAX_EUROS} euros)"
        )
    for row, line in zip(e.projects, e.project_lines, strict=True):
        cost = _whole(row["cost"], f"{name}:{line}", f"the cost of project {row['project_id'][:64]!r}")
        if cost > MAX_EUROS:
            raise ImportFailed(
                f"{name}:{line}: the cost of project {row['project_id'][:64]!r} ({cost}) is too large "
                f"(the platform stores amounts up to {MAX_EUROS} euros)"
            )


def _district(name: str) -> District:
    found = db.session.scalars(select(District).where(District.name == name)).first()
    if found is None:
        found = District(slug=_unique_slug(District, slugify(name)), name=name[:120], active=False)
        db.session.add(found)
        db.session.flush()
    return found


def _round_name(elections: Sequence[PbElection]) -> str:
    m = elections[0].meta
    parts = [m.get("description") or m.get("unit") or "pabulib", m.get("date_begin", "")[:4]]
    ids = ", ".join(e.meta.get("instance", Path(e.path).stem) for e in elections)
    return f"{' '.join(p for p in parts if p)} (pabulib {ids})"[:120]


def import_elections(
    elections: Sequence[PbElection], *, name: str | None = None, actor: User | None = None
) -> ImportSummary:
    """Create a closed, imported round from checked elections (flushed; the caller commits)."""
    rules = ballot_rules(elections, [Path(e.path).name for e in elections])  # before anything is written
    now = utcnow().replace(microsecond=0)
    day = timedelta(days=1)
    budgets = [int(e.meta["budget"]) for e in elections]
    title = (name or "").strip() or _round_name(elections)
    rnd = Round(
        slug=_unique_slug(Round, "import-" + slugify(title)),
        name=title[:120],
        total_budget=sum(budgets),
        ballot_kind=rules.kind,
        points_total=rules.points_total,
        points_min_plans=rules.points_min_plans,
        points_max_per_plan=rules.points_max_per_plan,
        ranked_max=rules.ranked_max,
        imported=True,
        support_threshold=0,
        description=elections[0].meta.get("description", "")[:2000],
        submission_start=now - 40 * day,
        review_start=now - 30 * day,
        voting_start=now - 20 * day,
        results_start=now - 10 * day,
    )
    db.session.add(rnd)
    db.session.flush()
    warnings: list[str] = list(rules.warnings)
    initiatives = ballots = 0
    for e, budget in zip(elections, budgets, strict=True):
        district = _district(district_name(e))
        rnd.district_budgets.append(DistrictBudget(district_id=district.id, amount=budget))
        if "budget_per_neighborhood" in e.meta or "budget_per_category" in e.meta:
            warnings.append(f"{Path(e.path).name}: caps in META (budget_per_neighborhood/category) are not imported")
        empty = e.num_voters - int(np.count_nonzero(np.diff(e.indptr)))
        if empty:
            warnings.append(
                f"{Path(e.path).name}: {empty} empty vote(s) are not imported (a ballot names at least one plan); "
                "Equal Shares, which gives every voter a share of the budget, may select otherwise than on the file"
            )
        position: list[int] = []
        for row in e.projects:
            title_text = (row.get("name") or f"Project {row['project_id']}").strip()
            ini = Initiative(
                round_id=rnd.id,
                district_id=district.id,
                title=title_text[:120],
                summary=title_text[:300],
                description=_("Geïmporteerd uit pabulib-bestand {name}.").format(name=Path(e.path).name),
                requested_cost=int(row["cost"]),
                status=Status.FEASIBLE.value,
                external_id=row["project_id"],
            )
            db.session.add(ini)
            db.session.flush()
            position.append(ini.id)
            initiatives += 1
        ballots += _insert_ballots(rnd, district, e, position, now, with_points=rules.kind != BallotKind.APPROVAL.value)
    db.session.flush()
    audit.record(
        "round.imported",
        actor=actor,
        round_id=rnd.id,
        files=[Path(e.path).name for e in elections],
        ballot_kind=rules.kind,
        districts=len(elections),
        initiatives=initiatives,
        ballots=ballots,
    )
    return ImportSummary(rnd, len(elections), initiatives, ballots, tuple(warnings), rules)


def _insert_ballots(
    rnd: Round,
    district: District,
    e: PbElection,
    initiative_ids: list[int],
    now: datetime,
    *,
    with_points: bool,
) -> int:
    """Bulk-insert one anonymous voter and ballot per vote row (empty votes are skipped).

    Items keep the vote's order as their position; ``with_points`` stores the file's points
    (checked by :func:`.import_rules.ballot_rules`: a points ballot's points, a ranking's
    rank scores), else 1.
    """
    indptr, indices = e.indptr.tolist(), e.indices.tolist()
    values = e.values.tolist() if with_points else None
    rows = [(a, b) for a, b in pairwise(indptr) if b > a]
    if not rows:
        return 0
    # Core inserts (not ORM objects): a city-sized file has 100,000+ ballot items.
    voters, ballots_t, items_t = Voter.__table__, Ballot.__table__, BallotItem.__table__
    voter_ids = list(
        db.session.execute(
            voters.insert().returning(voters.c.id, sort_by_parameter_order=True),
            [{"round_id": rnd.id, "district_id": district.id, "created_at": now} for _ in rows],
        ).scalars()
    )
    ballot_ids = list(
        db.session.execute(
            ballots_t.insert().returning(ballots_t.c.id, sort_by_parameter_order=True),
            [
                {
                    "round_id": rnd.id,
                    "voter_id": v,
                    "district_id": district.id,
                    "paper": False,
                    "version": 1,
                    "first_cast_at": now,
                    "updated_at": now,
                }
                for v in voter_ids
            ],
        ).scalars()
    )
    items: list[tuple[int, int, int, int]] = []
    for ballot_id, (a, b) in zip(ballot_ids, rows, strict=True):
        seen: set[int] = set()
        for pos, k in enumerate(indices[a:b]):
            if k not in seen:  # a project listed twice in one vote counts once
                seen.add(k)
                items.append((ballot_id, initiative_ids[k], pos, values[a + pos] if values is not None else 1))
    # The driver's executemany directly: SQLAlchemy's per-row parameter handling triples the time.
    conn = db.session.connection()
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    conn.exec_driver_sql(
        f"INSERT INTO {items_t.name} (ballot_id, initiative_id, position, points) VALUES ({mark}, {mark}, {mark}, {mark})",
        items,
    )
    return len(rows)
