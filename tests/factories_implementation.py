"""Factories for the implementation tests: a published round whose funded plans have records."""

from __future__ import annotations

from sqlalchemy import select

from tests import factories as f
from tests import factories_results as fr
from wijkfonds.extensions import db
from wijkfonds.models import Implementation, Initiative, Role, Round, Status, User
from wijkfonds.services.results import publication


def published(seed: int = 5) -> tuple[Round, User, list[Implementation]]:
    """A closed round with a published greedy result: (round, staff, records of its funded plans)."""
    rnd, _inis = fr.closed_round(seed=seed, per_district=2, voters=6)
    staff = f.user(Role.STAFF)
    run = fr.finished_run(rnd, staff, "greedy")
    publication.publish(run, reason="", actor=staff)
    db.session.commit()
    impls = list(
        db.session.scalars(select(Implementation).where(Implementation.round_id == rnd.id).order_by(Implementation.id))
    )
    return rnd, staff, impls


def with_initiator(impl: Implementation) -> User:
    """Give the plan of ``impl`` its own initiator (the round factory shares one author) and return them."""
    author = f.user()
    ini = db.session.get(Initiative, impl.initiative_id)
    assert ini is not None and ini.status == Status.FUNDED.value
    ini.author_id = author.id
    db.session.commit()
    return author
