"""From the turnout to the number of voters an allocation run counts, step by step.

Turnout counts stored ballots; a run counts approval sets. They differ where they must: an
empty ballot (no plan ticked, online or on paper) is stored and counted in the turnout but
gives the rules nothing to count; a ballot whose ticks are all on plans no longer on the
ballot counts as empty too; and a ballot that names plans in several districts counts once
in each district (see ``runs._profile``). Spoilt paper ballots are never entered, so they
are in neither number. Both the turnout page and the run page show this breakdown.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, select

from wijkfonds.extensions import db
from wijkfonds.models import Ballot, BallotItem, Initiative, Round
from wijkfonds.services.results.runs import BALLOT_STATUSES
from wijkfonds.services.voting.turnout import BallotCounts, ballot_counts


@dataclass(frozen=True)
class VoterCount:
    """Stored ballots, what the allocation leaves out, and the voters it counts."""

    ballots: BallotCounts
    off_ballot: int  # ballots with ticks, but only on plans no longer on the ballot
    extra_districts: int  # extra voters: a ballot naming plans in k districts counts k times

    @property
    def left_out(self) -> int:
        """Stored ballots the allocation does not count."""
        return self.ballots.empty + self.off_ballot

    @property
    def voters(self) -> int:
        """The voters (approval sets) an allocation run counts."""
        return self.ballots.stored - self.left_out + self.extra_districts

    @property
    def differs(self) -> bool:
        """True when the run's count is not simply the turnout."""
        return self.voters != self.ballots.stored


def voter_count(rnd: Round) -> VoterCount:
    """Reconcile the round's turnout with the voters its allocation runs count."""
    on_ballot = and_(Initiative.round_id == rnd.id, Initiative.status.in_(BALLOT_STATUSES))
    per_ballot = (
        select(
            BallotItem.ballot_id,
            func.count(func.distinct(case((on_ballot, Initiative.district_id)))).label("districts"),
        )
        .join(Ballot, Ballot.id == BallotItem.ballot_id)
        .join(Initiative, Initiative.id == BallotItem.initiative_id)
        .where(Ballot.round_id == rnd.id)
        .group_by(BallotItem.ballot_id)
        .subquery()
    )
    off, extra = db.session.execute(
        select(
            func.coalesce(func.sum(case((per_ballot.c.districts == 0, 1), else_=0)), 0),
            func.coalesce(func.sum(case((per_ballot.c.districts > 1, per_ballot.c.districts - 1), else_=0)), 0),
        )
    ).one()
    return VoterCount(ballot_counts(rnd), int(off), int(extra))
