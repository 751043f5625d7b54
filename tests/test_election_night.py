"""The invariants that keep election night's speed machinery correct (ARCHITECTURE.md,
"Election night"): a per-worker copy of a round may be stale for a moment, but it never
decides whether a ballot counts."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import create_engine, func, select, update

from tests import factories_vote as fv
from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.models import Ballot, Round
from wijkfonds.services.voting import snapshots


def test_a_stale_snapshot_never_lets_a_ballot_in_after_close(app: Flask, database_url: str) -> None:
    rnd = fv.voting_round()
    option = fv.feasible(rnd)
    code = fv.voting_code(rnd)
    db.session.commit()
    round_id, option_id, title = rnd.id, option.id, option.title
    district = str(fv.f.district("de-baarsjes").id)
    db.session.close()  # as at the end of a request: this session holds no transaction
    client = app.test_client()
    assert client.post(f"/stemmen/{round_id}/code", data={"code": code}).status_code == 303
    assert title in client.get(f"/stemmen/{round_id}/stembiljet").get_data(as_text=True)

    # Another worker closes voting: this process's hook never hears of it.
    other = create_engine(database_url)
    with other.begin() as conn:
        conn.execute(update(Round).where(Round.id == round_id).values(results_start=utcnow() - timedelta(seconds=1)))
    other.dispose()
    with app.test_request_context():
        assert snapshots.voting_round_or_404(round_id).phase().value == "voting"  # the copy is stale, as allowed
        db.session.close()

    refused = client.post(
        f"/stemmen/{round_id}/stembiljet", data={"initiative": [str(option_id)], "district": district}
    )
    assert refused.status_code == 409
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Ballot.id))) == 0


def test_snapshots_expire_and_local_changes_clear_them(app: Flask, database_url: str, monkeypatch) -> None:
    round_id = fv.voting_round(name="Eerste naam").id
    db.session.commit()

    def seen() -> str:
        with app.test_request_context():  # a page view (READ ONLY on PostgreSQL)
            name = snapshots.voting_round_or_404(round_id).name
            db.session.close()  # each request ends its transaction
            return name

    assert seen() == "Eerste naam"
    other = create_engine(database_url)
    with other.begin() as conn:
        conn.execute(update(Round).where(Round.id == round_id).values(name="Tweede naam"))
    other.dispose()
    assert seen() == "Eerste naam"  # within SNAPSHOT_SECONDS
    later = snapshots.time.monotonic() + snapshots.SNAPSHOT_SECONDS + 0.01
    monkeypatch.setattr(snapshots.time, "monotonic", lambda: later)
    assert seen() == "Tweede naam"  # and no longer
    with app.test_request_context(method="POST"):  # a change made in this process clears the copies at once
        db.session.get(Round, round_id).name = "Derde naam"
        db.session.commit()
    assert seen() == "Derde naam"
