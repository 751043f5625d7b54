"""Turnout (opkomst): how many ballots, per district and per day, online and on paper.

Only counts of ballots, never what is on them: this is all staff may see while voting is open.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Select, case, func, select

from wijkfonds.common.timeutil import to_local, utcnow
from wijkfonds.extensions import db
from wijkfonds.models import Ballot, BallotItem, District, Round, Voter, VotingCode


@dataclass(frozen=True)
class DistrictTurnout:
    """Ballots of one district, split by channel, with the codes sent and used."""

    district: District
    online: int
    paper: int
    codes_issued: int
    codes_used: int
    account_voters: int
    # Codes entered (a voter opened) without a ballot stored: they count as nothing.
    codes_entered_without_ballot: int = 0

    @property
    def total(self) -> int:
        """All ballots of the district."""
        return self.online + self.paper


@dataclass
class Turnout:
    """Turnout of a round: per district and per (local) day of the first ballot."""

    districts: list[DistrictTurnout]
    per_day: list[tuple[date, int, int]] = field(default_factory=list)  # (day, online, paper)

    @property
    def online(self) -> int:
        """All online ballots."""
        return sum(d.online for d in self.districts)

    @property
    def paper(self) -> int:
        """All paper ballots."""
        return sum(d.paper for d in self.districts)

    @property
    def total(self) -> int:
        """All ballots."""
        return self.online + self.paper

    @property
    def codes_entered_without_ballot(self) -> int:
        """Codes entered without a ballot stored, over all districts (not turnout)."""
        return sum(d.codes_entered_without_ballot for d in self.districts)


def _count_by(query: Select[int, int]) -> dict[int, int]:
    return {row[0]: row[1] for row in db.session.execute(query)}


def turnout(rnd: Round) -> Turnout:
    """Count ballots of ``rnd`` per district and per day; districts without ballots show 0."""
    by_channel: dict[tuple[int, bool], int] = {}
    for district_id, paper, n in db.session.execute(
        select(Ballot.district_id, Ballot.paper, func.count(Ballot.id))
        .where(Ballot.round_id == rnd.id)
        .group_by(Ballot.district_id, Ballot.paper)
    ):
        by_channel[(district_id, bool(paper))] = n
    issued = _count_by(
        select(VotingCode.district_id, func.count(VotingCode.id))
        .where(VotingCode.round_id == rnd.id)
        .group_by(VotingCode.district_id)
    )
    used = _count_by(
        select(VotingCode.district_id, func.count(VotingCode.id))
        .where(VotingCode.round_id == rnd.id, VotingCode.used_at.is_not(None))
        .group_by(VotingCode.district_id)
    )
    accounts = _count_by(
        select(Voter.district_id, func.count(Voter.id))
        .where(Voter.round_id == rnd.id, Voter.user_id.is_not(None))
        .group_by(Voter.district_id)
    )
    entered = _count_by(
        select(Voter.district_id, func.count(Voter.id))
        .outerjoin(Ballot, Ballot.voter_id == Voter.id)
        .where(Voter.round_id == rnd.id, Voter.code_id.is_not(None), Ballot.id.is_(None))
        .group_by(Voter.district_id)
    )
    ids = {b.district_id for b in rnd.district_budgets} | {d for d, _ in by_channel}
    rows = (
        [
            DistrictTurnout(
                d,
                by_channel.get((d.id, False), 0),
                by_channel.get((d.id, True), 0),
                issued.get(d.id, 0),
                used.get(d.id, 0),
                accounts.get(d.id, 0),
                entered.get(d.id, 0),
            )
            for d in db.session.scalars(select(District).where(District.id.in_(ids)).order_by(District.name))
        ]
        if ids
        else []
    )
    return Turnout(rows, per_day(rnd))


def per_day(rnd: Round) -> list[tuple[date, int, int]]:
    """(local day, online, paper) ballots first cast on that day, every day of voting so far."""
    counts: dict[date, list[int]] = {}
    for cast_at, on_paper in db.session.execute(
        select(Ballot.first_cast_at, Ballot.paper).where(Ballot.round_id == rnd.id)
    ):
        slot = counts.setdefault(to_local(cast_at).date(), [0, 0])
        slot[1 if on_paper else 0] += 1
    start = to_local(rnd.voting_start).date()
    end = to_local(min(utcnow(), rnd.results_start)).date()
    if counts:
        start, end = min(start, *counts), max(end, *counts)
    days: list[tuple[date, int, int]] = []
    day = start
    while day <= end and len(days) < 400:
        online, paper = counts.get(day, (0, 0))
        days.append((day, online, paper))
        day += timedelta(days=1)
    return days


@dataclass(frozen=True)
class BallotCounts:
    """The stored ballots of a round, with the empty ones (no plan ticked) apart."""

    online: int
    paper: int
    empty_online: int
    empty_paper: int
    codes_entered_without_ballot: int

    @property
    def stored(self) -> int:
        """All stored ballots: the turnout."""
        return self.online + self.paper

    @property
    def empty(self) -> int:
        """Ballots without any plan ticked (online or on paper)."""
        return self.empty_online + self.empty_paper


def ballot_counts(rnd: Round) -> BallotCounts:
    """Count the round's ballots by channel and how many of them name no plan at all."""
    items = (
        select(BallotItem.ballot_id, func.count(BallotItem.id).label("n"))
        .join(Ballot, Ballot.id == BallotItem.ballot_id)
        .where(Ballot.round_id == rnd.id)
        .group_by(BallotItem.ballot_id)
        .subquery()
    )
    empty = case((items.c.n.is_(None), 1), else_=0)
    online = paper = empty_online = empty_paper = 0
    for on_paper, n, n_empty in db.session.execute(
        select(Ballot.paper, func.count(Ballot.id), func.coalesce(func.sum(empty), 0))
        .outerjoin(items, items.c.ballot_id == Ballot.id)
        .where(Ballot.round_id == rnd.id)
        .group_by(Ballot.paper)
    ):
        if on_paper:
            paper, empty_paper = paper + n, empty_paper + int(n_empty)
        else:
            online, empty_online = online + n, empty_online + int(n_empty)
    without = db.session.scalar(
        select(func.count(Voter.id))
        .outerjoin(Ballot, Ballot.voter_id == Voter.id)
        .where(Voter.round_id == rnd.id, Voter.code_id.is_not(None), Ballot.id.is_(None))
    )
    return BallotCounts(online, paper, empty_online, empty_paper, without or 0)
