"""Retention: each step removes what its schedule says, keeps the rest, and a second run changes nothing."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import func, select

from tests import factories as f
from tests import factories_resident as fr
from tests import factories_results as fres
from tests import factories_vote as fv
from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.models import AllocationRun, Ballot, Phase, RateEvent, Report, Voter
from wijkfonds.services.accounts import privacy_retention as retention


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_rate_events_go_after_their_retention_and_never_while_a_limit_counts_them(app: Flask) -> None:
    now = utcnow()
    for hours in (0, 23, 25, 100):
        db.session.add(RateEvent(bucket="login-address", key="192.0.2.7", at=now - timedelta(hours=hours)))
    db.session.flush()
    day = dict(app.config, RATE_EVENT_RETENTION_HOURS=24)
    assert retention.purge_rate_events(day, now) == 2
    assert retention.purge_rate_events(day, now) == 0
    assert _count(RateEvent) == 2
    # A retention shorter than the longest limit window is raised to it: the limits keep counting.
    config = dict(app.config, RATE_EVENT_RETENTION_HOURS=0)
    assert retention.rate_event_retention(config) == timedelta(hours=1)
    db.session.add(RateEvent(bucket="code", key="192.0.2.7", at=now - timedelta(minutes=30)))
    assert retention.purge_rate_events(config, now) == 1  # the 23-hour one; the half-hour one stays
    assert _count(RateEvent) == 2


def _published(rnd, days_ago: int, staff) -> None:
    run = fres.finished_run(rnd, staff)
    run.published_at = utcnow() - timedelta(days=days_ago)
    run.published_by_id = staff.id
    db.session.flush()


def test_unused_voters_go_once_the_result_is_published(app: Flask) -> None:
    staff = f.user("staff")
    rnd, plans = fres.closed_round(voters=2)
    open_round = fv.voting_round()
    with_ballot = _count(Voter)
    # Two voters that never stored a ballot: a code entered, and an account bound to a code.
    resident = f.user()
    db.session.add_all(
        [
            Voter(round_id=rnd.id, district_id=plans[0].district_id),
            Voter(round_id=rnd.id, district_id=plans[0].district_id, user_id=resident.id),
            Voter(round_id=open_round.id, district_id=plans[0].district_id),
        ]
    )
    db.session.commit()
    assert retention.purge_unused_voters() == 0  # no result yet
    _published(rnd, 0, staff)
    assert retention.purge_unused_voters() == 2
    assert retention.purge_unused_voters() == 0
    assert _count(Voter) == with_ballot + 1  # every voter with a ballot, and the open round's
    assert _count(Ballot) == with_ballot


def test_voters_lose_their_account_six_weeks_after_the_result(app: Flask) -> None:
    staff = f.user("staff")
    rnd, _plans = fres.closed_round(voters=1)
    resident = f.user()
    voter = db.session.scalars(select(Voter).where(Voter.round_id == rnd.id)).first()
    voter.user_id = resident.id
    db.session.commit()
    _published(rnd, 41, staff)
    assert retention.unlink_voters(app.config) == 0
    db.session.scalars(select(AllocationRun)).one().published_at = utcnow() - timedelta(days=43)
    assert retention.unlink_voters(app.config) == 1
    assert retention.unlink_voters(app.config) == 0
    db.session.refresh(voter)
    assert voter.user_id is None
    assert db.session.scalars(select(Ballot).where(Ballot.voter_id == voter.id)).one() is not None


def test_reporters_of_old_resolved_reports_are_forgotten(app: Flask) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    comment = fr.comment(f.initiative(rnd))
    reporter = f.user()
    old_resolved = fr.report(comment, reporter)
    old_resolved.resolved, old_resolved.created_at = True, utcnow() - timedelta(days=400)
    old_open = fr.report(comment, reporter)
    old_open.created_at = utcnow() - timedelta(days=400)
    recent = fr.report(comment, reporter)
    recent.resolved = True
    db.session.flush()
    assert retention.forget_reporters(app.config) == 1
    assert retention.forget_reporters(app.config) == 0
    assert [r.reporter_id for r in db.session.scalars(select(Report).order_by(Report.id))] == [
        None,
        reporter.id,
        reporter.id,
    ]


def test_run_all_names_every_step(app: Flask) -> None:
    assert retention.run_all(app.config) == {
        "purge_rate_events": 0,
        "purge_unused_voters": 0,
        "unlink_voters": 0,
        "forget_reporters": 0,
    }


def test_the_rules_carry_the_configured_numbers(app: Flask) -> None:
    config = dict(
        app.config,
        MAIL_RETENTION_DAYS=11,
        VOTER_LINK_RETENTION_DAYS=13,
        BACKUP_RETENTION_DAYS=7,
        RATE_EVENT_RETENTION_HOURS=24,
    )
    kept = " | ".join(r.kept for r in retention.rules(config))
    assert "11 dagen" in kept and "13 dagen" in kept and "7 dagen" in kept and "24 uur" in kept
    assert "1 uur" in " | ".join(r.kept for r in retention.rules(app.config))


def test_the_purge_command_runs_every_step_and_commits(app: Flask, runner) -> None:
    db.session.add(RateEvent(bucket="register", key="198.51.100.4", at=utcnow() - timedelta(days=3)))
    db.session.commit()
    result = runner.invoke(args=["privacy", "purge"])
    assert result.exit_code == 0, result.output
    assert "purge_rate_events: 1" in result.output and "forget_reporters: 0" in result.output
    db.session.expire_all()
    assert _count(RateEvent) == 0
