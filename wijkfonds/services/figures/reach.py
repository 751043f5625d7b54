"""Turnout per district, day and channel, as a share of the eligible residents staff entered.

What counts: every stored ballot of the round, one per voter (a changed ballot is still one),
whatever is ticked on it. An empty ballot counts as turnout, as a blank vote does at an
election: the resident took part. ``cast`` never stores one today, but a ballot without
ticks (for example one whose every plan left the list) still stands for a voter who came. A
code that was entered without a ballot stored counts as nothing (the staff turnout page
shows those apart). These are the same ballots as ``services.voting.turnout`` counts, which
this module builds on; it adds the split of online ballots by code and by account.

The channel comes from what is stored: ``Ballot.paper`` says paper (staff entered it, the
last entry counts); an online ballot is "by account" when its voter has an account
(``Voter.user_id``) and "by code" otherwise (``Voter.code_id``, the letter's code).

Who falls behind: a district with an eligible number whose share is below nine tenths of
the round's overall share (all ballots of the districts with a number over all their
eligible residents), that is more than a tenth below the average. Districts without a
number are neither compared nor counted in the average.

Days are Europe/Amsterdam days of a ballot's first cast (as on the staff turnout page).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction

from sqlalchemy import func, select

from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.models import Ballot, Phase, Round, Voter
from wijkfonds.services.figures import eligible as eligible_counts
from wijkfonds.services.voting import turnout as turnout_service

# A district is behind when its share is below this fraction of the overall share.
BEHIND_FACTOR = Fraction(9, 10)


@dataclass(frozen=True)
class DistrictReach:
    """One district's ballots by channel, its eligible residents (when entered) and its share."""

    district_id: int
    name: str
    by_code: int
    by_account: int
    paper: int
    eligible: int | None
    behind: bool = False

    @property
    def online(self) -> int:
        """Online ballots, by code and by account."""
        return self.by_code + self.by_account

    @property
    def ballots(self) -> int:
        """All ballots of the district."""
        return self.online + self.paper

    @property
    def share(self) -> Fraction | None:
        """Ballots over eligible residents, when staff entered that number."""
        return Fraction(self.ballots, self.eligible) if self.eligible else None


@dataclass(frozen=True)
class DayReach:
    """Ballots first cast on one local day, online and on paper."""

    day: date
    online: int
    paper: int

    @property
    def ballots(self) -> int:
        """All ballots first cast that day."""
        return self.online + self.paper


@dataclass(frozen=True)
class RoundReach:
    """A round's turnout: per district (with the behind ones marked), per day, in total."""

    districts: list[DistrictReach]
    days: list[DayReach]

    @property
    def by_code(self) -> int:
        """Online ballots by code."""
        return sum(d.by_code for d in self.districts)

    @property
    def by_account(self) -> int:
        """Online ballots by account."""
        return sum(d.by_account for d in self.districts)

    @property
    def online(self) -> int:
        """All online ballots."""
        return self.by_code + self.by_account

    @property
    def paper(self) -> int:
        """All paper ballots."""
        return sum(d.paper for d in self.districts)

    @property
    def ballots(self) -> int:
        """All ballots."""
        return self.online + self.paper

    @property
    def compared(self) -> list[DistrictReach]:
        """The districts with an eligible number (those in the average)."""
        return [d for d in self.districts if d.eligible]

    @property
    def eligible(self) -> int | None:
        """Eligible residents of the districts with a number (None when no number is entered)."""
        return sum(d.eligible or 0 for d in self.compared) or None

    @property
    def share(self) -> Fraction | None:
        """The overall share: ballots of the districts with a number over their eligible residents."""
        total = self.eligible
        return Fraction(sum(d.ballots for d in self.compared), total) if total else None

    @property
    def behind(self) -> list[DistrictReach]:
        """The districts that fall behind the average."""
        return [d for d in self.districts if d.behind]

    @property
    def missing_eligible(self) -> list[DistrictReach]:
        """Districts without an eligible number (not compared)."""
        return [d for d in self.districts if not d.eligible]


def is_public(rnd: Round, now: datetime | None = None) -> bool:
    """Whether the round's figures may be shown to anyone: only once voting has closed."""
    return rnd.phase(now or utcnow()) == Phase.RESULTS


def is_behind(share: Fraction | None, overall: Fraction | None) -> bool:
    """The rule: a share below BEHIND_FACTOR times the overall share (both known)."""
    return share is not None and overall is not None and overall > 0 and share < overall * BEHIND_FACTOR


def _accounts_online(rnd: Round) -> dict[int, int]:
    """District id -> online ballots whose voter has an account."""
    query = (
        select(Ballot.district_id, func.count(Ballot.id))
        .join(Voter, Voter.id == Ballot.voter_id)
        .where(Ballot.round_id == rnd.id, Ballot.paper.is_(False), Voter.user_id.is_not(None))
        .group_by(Ballot.district_id)
    )
    return {row[0]: row[1] for row in db.session.execute(query)}


def reach(rnd: Round) -> RoundReach:
    """The round's turnout per district (channels, share, behind) and per local day."""
    t = turnout_service.turnout(rnd)
    accounts = _accounts_online(rnd)
    eligible = eligible_counts.counts(rnd)
    plain = [
        DistrictReach(
            d.district.id,
            d.district.name,
            by_code=d.online - accounts.get(d.district.id, 0),
            by_account=accounts.get(d.district.id, 0),
            paper=d.paper,
            eligible=eligible.get(d.district.id),
        )
        for d in t.districts
    ]
    overall = RoundReach(plain, []).share
    districts = [
        DistrictReach(d.district_id, d.name, d.by_code, d.by_account, d.paper, d.eligible, is_behind(d.share, overall))
        for d in plain
    ]
    days = [DayReach(day, online, paper) for day, online, paper in t.per_day]
    return RoundReach(districts, days)
