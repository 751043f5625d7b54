"""Factories for voting: rounds in the voting phase, feasible initiatives, voting codes."""

from __future__ import annotations

from sqlalchemy import func, select

from tests import factories as f
from wijkfonds.extensions import db
from wijkfonds.models import (
    Ballot,
    BallotKind,
    CodeBatch,
    Initiative,
    Phase,
    Receipt,
    Round,
    Status,
    User,
    Voter,
    VotingCode,
)
from wijkfonds.services.voting import codes


def voting_round(
    kind: BallotKind = BallotKind.KNAPSACK, *, total: int = 40_000, phase: Phase = Phase.VOTING, **fields: object
) -> Round:
    """A round in the voting phase; with the default total each district has € 10.000."""
    return f.round_(phase, total=total, ballot_kind=kind.value, **fields)


def feasible(
    rnd: Round,
    *,
    district_slug: str = "de-baarsjes",
    cost: int = 3_000,
    title: str | None = None,
    status: Status = Status.FEASIBLE,
    estimated: int | None = None,
) -> Initiative:
    """An initiative on (or, with another status, off) the ballot of a district."""
    author = f.user(district_slug=district_slug)
    return f.initiative(
        rnd, author, status=status, cost=cost, district_slug=district_slug, title=title, estimated_cost=estimated
    )


def resident(district_slug: str = "de-baarsjes") -> User:
    """A resident of a district."""
    return f.user(district_slug=district_slug)


def voting_code(rnd: Round, district_slug: str = "de-baarsjes") -> str:
    """A fresh, unused voting code (clear text) for a district of the round."""
    d = f.district(district_slug)
    batch = CodeBatch(round_id=rnd.id, district_id=d.id, size=1)
    db.session.add(batch)
    db.session.flush()
    clear = codes.new_code()
    db.session.add(VotingCode(round_id=rnd.id, district_id=d.id, batch_id=batch.id, code_hash=codes.hash_code(clear)))
    db.session.flush()
    return clear


def ballot_state(voter_filter) -> tuple | None:
    """(version, sorted initiative ids, paper, receipts) of the one ballot matching a Voter filter."""
    voter = db.session.scalars(select(Voter).where(voter_filter)).first()
    if voter is None:
        return None
    ballot = db.session.scalars(select(Ballot).where(Ballot.voter_id == voter.id)).first()
    if ballot is None:
        return None
    db.session.refresh(ballot)
    receipts = db.session.scalar(select(func.count(Receipt.id)).where(Receipt.ballot_id == ballot.id))
    return ballot.version, sorted(i.initiative_id for i in ballot.items), ballot.paper, receipts
