"""Factories for results tests: closed rounds with initiatives on the ballot and anonymous ballots."""

from __future__ import annotations

import random
from collections.abc import Sequence

from tests import factories as f
from wijkfonds.extensions import db
from wijkfonds.models import AllocationRun, Ballot, BallotItem, Initiative, Phase, Round, Status, User, Voter
from wijkfonds.services.results import runner


def ballot(rnd: Round, initiatives: Sequence[Initiative], *, district_id: int | None = None) -> Ballot:
    """One anonymous voter with a ballot approving ``initiatives``."""
    did = district_id or (initiatives[0].district_id if initiatives else f.district().id)
    voter = Voter(round_id=rnd.id, district_id=did)
    db.session.add(voter)
    db.session.flush()
    b = Ballot(round_id=rnd.id, voter_id=voter.id, district_id=did)
    b.items = [BallotItem(initiative_id=i.id, position=k) for k, i in enumerate(initiatives)]
    db.session.add(b)
    db.session.flush()
    return b


def closed_round(
    *, seed: int = 1, per_district: int = 5, voters: int = 12, total: int = 100_000, phase: Phase = Phase.RESULTS
) -> tuple[Round, list[Initiative]]:
    """A round whose voting is over, with feasible initiatives in every district and random ballots."""
    rng = random.Random(seed)
    rnd = f.round_(phase, total=total)
    author = f.user()
    initiatives: list[Initiative] = []
    for d in f.districts():
        mine = [
            f.initiative(
                rnd,
                author,
                status=Status.FEASIBLE,
                district_slug=d.slug,
                cost=rng.randrange(2_000, 14_000, 500),
                title=f"Plan {d.name} {k + 1}",
            )
            for k in range(per_district)
        ]
        initiatives += mine
        for _ in range(voters):
            ballot(rnd, rng.sample(mine, rng.randint(1, min(4, len(mine)))), district_id=d.id)
    db.session.flush()
    return rnd, initiatives


def finished_run(
    rnd: Round, actor: User, rule: str = "greedy", completion: str = "none", time_limit: int | None = None
) -> AllocationRun:
    """Create a run and execute it synchronously in this session's thread."""
    run = runner.create_run(rnd, rule=rule, completion=completion, time_limit=time_limit, actor=actor)
    db.session.commit()
    runner.execute(run.id)
    db.session.expire_all()
    return db.session.get(AllocationRun, run.id)
