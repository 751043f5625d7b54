"""The task queue in immediate mode (unit tests): configuration, allocation runs on the queue, the
recovery of runs whose worker died, the periodic tasks and their records, the staff page.

A real consumer process is started in tests/test_queue_worker.py.
"""

from __future__ import annotations

import time
import types
from datetime import datetime, timedelta

import pytest
from huey.signals import SIGNAL_ENQUEUED
from huey.storage import RedisStorage, SqliteStorage
from sqlalchemy import func, select, update
from sqlalchemy.exc import OperationalError

from tests import factories as f
from tests import factories_results as fr
from tests import factories_vote as fv
from tests.conftest import make_app
from wijkfonds import create_app
from wijkfonds.common.timeutil import utcnow
from wijkfonds.config import ROOT, load_config
from wijkfonds.extensions import db
from wijkfonds.models import AllocationRun, AuditEvent, Ballot, RateEvent, Role, TaskRun
from wijkfonds.services import ratelimit
from wijkfonds.services.accounts import privacy_retention as retention
from wijkfonds.services.results import runner
from wijkfonds.tasks import huey, kick_mail, worker
from wijkfonds.tasks.allocation import recover_runs
from wijkfonds.tasks.mail import send_mail_every_30_seconds
from wijkfonds.tasks.queue import storage_for
from wijkfonds.tasks.upkeep import clean_up, ensure_anchors

RUNS = AllocationRun.__table__
CLOSED_PORT = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connections are refused at once


# The helpers read and end their transaction: on SQLite an open one (BEGIN IMMEDIATE outside
# a request) would hold the write lock that the next task, in a session of its own, needs.


def _kinds() -> list[str]:
    kinds = list(db.session.scalars(select(AuditEvent.kind).order_by(AuditEvent.seq)))
    db.session.rollback()
    return kinds


def _task_run(name: str) -> types.SimpleNamespace:
    row = db.session.execute(select(*TaskRun.__table__.c).where(TaskRun.name == name)).one()
    db.session.rollback()
    return types.SimpleNamespace(**row._asdict())


def _age(run_id: int, *, hours: float, attempts: int | None = None, status: str = "running") -> None:
    """Make a run look as if its worker last gave a sign of life ``hours`` ago."""
    values: dict[str, object] = {"status": status, "created_at": utcnow() - timedelta(hours=hours)}
    values["heartbeat_at"] = values["created_at"]
    if attempts is not None:
        values["attempts"] = attempts
    db.session.execute(update(RUNS).where(RUNS.c.id == run_id).values(**values))
    db.session.commit()


# ----------------------------------------------------------------------- configuration


def test_the_broker_follows_the_queue_url(tmp_path) -> None:
    assert storage_for(f"sqlite:///{tmp_path}/q.sqlite3") == (SqliteStorage, {"filename": f"{tmp_path}/q.sqlite3"})
    assert storage_for("redis://127.0.0.1:26379/3") == (RedisStorage, {"url": "redis://127.0.0.1:26379/3"})
    for bad, message in [
        ("sqlite:///relative/q.sqlite3", "absolute path"),
        ("sqlite://", "must be sqlite:////ABSOLUTE/FILE or redis://"),
        ("amqp://127.0.0.1", "must be sqlite:////ABSOLUTE/FILE or redis://"),
        ("", "must be sqlite:////ABSOLUTE/FILE or redis://"),
    ]:
        with pytest.raises(ValueError, match=message):
            storage_for(bad)


def test_defaults_sqlite_in_instance_immediate_only_under_test(monkeypatch) -> None:
    monkeypatch.delenv("WIJKFONDS_QUEUE_URL", raising=False)
    cfg = load_config()
    assert cfg["QUEUE_URL"] == f"sqlite:///{ROOT / 'instance' / 'queue.sqlite3'}" and cfg["QUEUE_IMMEDIATE"] is False
    assert load_config({"TESTING": True})["QUEUE_IMMEDIATE"] is True
    assert load_config({"TESTING": True, "QUEUE_IMMEDIATE": False})["QUEUE_IMMEDIATE"] is False
    monkeypatch.setenv("WIJKFONDS_QUEUE_URL", "redis://queue.internal:6379/0")
    assert load_config()["QUEUE_URL"] == "redis://queue.internal:6379/0"


def test_a_bad_queue_url_stops_the_app_with_a_clear_message(database_url) -> None:
    with pytest.raises(ValueError, match="WIJKFONDS_QUEUE_URL must be"):
        create_app({"SQLALCHEMY_DATABASE_URI": database_url, "QUEUE_URL": "memcache://x"})


def test_the_worker_refuses_immediate_mode_and_bad_options(database_url, capsys) -> None:
    assert worker.main([], {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url}) == 2
    assert "QUEUE_IMMEDIATE is on" in capsys.readouterr().err
    assert worker.main([], {"SQLALCHEMY_DATABASE_URI": database_url, "QUEUE_URL": "ftp://x"}) == 2
    assert "WIJKFONDS_QUEUE_URL must be" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stopped:
        worker.main(["--workers", "0"])
    assert stopped.value.code == 2 and "--workers must be 1 or more" in capsys.readouterr().err


# ----------------------------------------------------------------- allocation runs as tasks


def test_a_run_delivered_twice_is_computed_and_stored_once(app) -> None:
    rnd, _inis = fr.closed_round()
    run = runner.create_run(rnd, rule="greedy", completion="none", time_limit=None, actor=f.user(Role.STAFF))
    db.session.commit()
    run_id = run.id
    runner.execute(run_id)
    runner.execute(run_id)  # a second delivery of the same task
    db.session.expire_all()
    run = db.session.get_one(AllocationRun, run_id)
    assert run.status == "done" and run.attempts == 1 and run.heartbeat_at is not None
    assert _kinds().count("allocation.run") == 1


def test_a_worker_thought_dead_cannot_overwrite_the_attempt_that_replaced_it(app, monkeypatch) -> None:
    """Attempt 1 goes silent past its allowance; recovery hands the run to attempt 2, which stores it.
    When attempt 1 wakes up, its outcome is dropped: the run is stored once."""
    rnd, _inis = fr.closed_round()
    run = runner.create_run(rnd, rule="greedy", completion="none", time_limit=None, actor=f.user(Role.STAFF))
    db.session.commit()
    run_id = run.id
    real = runner.run_rule
    attempts_seen: list[int] = []

    def rule(*args, **kwargs):
        with app.app_context():
            attempts_seen.append(db.session.execute(select(RUNS.c.attempts).where(RUNS.c.id == run_id)).scalar_one())
            db.session.rollback()
        if len(attempts_seen) == 1:
            with app.app_context():
                _age(run_id, hours=1)
            recover_runs.call_local()  # queues it again; immediate mode runs attempt 2 right here
        return real(*args, **kwargs)

    monkeypatch.setattr(runner, "run_rule", rule)
    runner.execute(run_id)
    db.session.expire_all()
    run = db.session.get_one(AllocationRun, run_id)
    assert attempts_seen == [1, 2]
    assert run.status == "done" and run.attempts == 2 and run.result is not None
    kinds = _kinds()
    assert kinds.count("allocation.run") == 1 and kinds.count("allocation.run_retried") == 1
    assert _task_run("recover_runs").handled == 1


def test_recovery_fails_a_run_out_of_attempts_and_leaves_live_ones_alone(client, auth) -> None:
    rnd, _inis = fr.closed_round()
    staff = f.user(Role.STAFF)
    lost = runner.create_run(rnd, rule="greedy", completion="none", time_limit=None, actor=staff)
    alive = runner.create_run(rnd, rule="greedy", completion="none", time_limit=None, actor=staff)
    waiting = runner.create_run(rnd, rule="greedy", completion="none", time_limit=None, actor=staff)
    ilp = runner.create_run(rnd, rule="ilp", completion="none", time_limit=None, actor=staff)
    db.session.commit()
    ids = {"lost": lost.id, "alive": alive.id, "waiting": waiting.id, "ilp": ilp.id}
    _age(ids["lost"], hours=1, attempts=2)  # the last attempt's worker died
    db.session.execute(
        update(RUNS).where(RUNS.c.id == ids["alive"]).values(status="running", attempts=1, heartbeat_at=utcnow())
    )
    # An ILP run without a time limit may be silent (SCIP holds the GIL) until its timeout.
    _age(ids["ilp"], hours=0.1, attempts=1)
    recover_runs.call_local()
    db.session.expire_all()
    state = {k: db.session.get_one(AllocationRun, v) for k, v in ids.items()}
    assert (state["lost"].status, state["lost"].error) == ("failed", runner.INTERRUPTED)
    assert state["alive"].status == "running" and state["waiting"].status == "queued"
    assert state["ilp"].status == "running"
    assert _kinds().count("allocation.run_lost") == 1
    auth.login(staff)
    page = client.get(f"/beheer/toewijzing/berekening/{ids['lost']}").get_data(as_text=True)
    assert "onderbroken" in page and "Poging" in page  # attempt 2 of 2


def test_a_run_no_worker_picked_up_is_failed_with_its_reason(client, auth) -> None:
    rnd, _inis = fr.closed_round()
    staff = f.user(Role.STAFF)
    run = runner.create_run(rnd, rule="greedy", completion="none", time_limit=None, actor=staff)
    db.session.commit()
    run_id = run.id
    _age(run_id, hours=2, status="queued")
    auth.login(staff)
    page = client.get(f"/beheer/toewijzing/berekening/{run_id}").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get_one(AllocationRun, run_id).error == runner.NOT_PICKED_UP
    assert "Geen achtergrondverwerker heeft de berekening opgepakt" in page


def test_a_database_error_gives_the_run_back_for_the_retry(app, monkeypatch) -> None:
    rnd, _inis = fr.closed_round()
    run = runner.create_run(rnd, rule="greedy", completion="none", time_limit=None, actor=f.user(Role.STAFF))
    db.session.commit()
    run_id = run.id
    real = runner.round_input
    failures = [OperationalError("SELECT ballots", {}, Exception("database is locked"))]

    def flaky(rnd):
        if failures:
            raise failures.pop()
        return real(rnd)

    monkeypatch.setattr(runner, "round_input", flaky)
    with pytest.raises(OperationalError):
        runner.execute(run_id)
    db.session.expire_all()
    run = db.session.get_one(AllocationRun, run_id)
    assert (run.status, run.attempts) == ("queued", 1)
    runner.execute(run_id)  # what Huey's retry does
    db.session.expire_all()
    assert (db.session.get_one(AllocationRun, run_id).status, db.session.get_one(AllocationRun, run_id).attempts) == (
        "done",
        2,
    )

    # On its last attempt a database error fails the run, with the error, instead.
    again = runner.create_run(rnd, rule="greedy", completion="none", time_limit=None, actor=f.user(Role.STAFF))
    db.session.commit()
    again_id = again.id
    db.session.execute(update(RUNS).where(RUNS.c.id == again_id).values(attempts=1))
    db.session.commit()
    failures.append(OperationalError("SELECT ballots", {}, Exception("disk I/O error")))
    with pytest.raises(OperationalError):
        runner.execute(again_id)
    db.session.expire_all()
    failed = db.session.get_one(AllocationRun, again_id)
    assert failed.status == "failed" and "disk I/O error" in failed.error and failed.attempts == 2


def test_the_heartbeat_is_written_while_the_rule_runs(database_url, monkeypatch) -> None:
    application = make_app(database_url, ALLOCATION_RUN_HEARTBEAT=0.02)
    with application.app_context():
        rnd, _inis = fr.closed_round()
        run = runner.create_run(rnd, rule="greedy", completion="none", time_limit=None, actor=f.user(Role.STAFF))
        db.session.commit()
        run_id = run.id
        claimed: list[datetime] = []
        beats: list[datetime] = []
        real = runner.run_rule

        def read_heartbeat() -> datetime:
            with db.engine.connect() as conn:
                return conn.execute(select(RUNS.c.heartbeat_at).where(RUNS.c.id == run_id)).scalar_one()

        def rule(*args, **kwargs):
            claimed.append(read_heartbeat())
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:  # wait until the heartbeat thread wrote once
                beat = read_heartbeat()
                if beat > claimed[0]:
                    beats.append(beat)
                    break
                time.sleep(0.01)
            return real(*args, **kwargs)

        monkeypatch.setattr(runner, "run_rule", rule)
        runner.execute(run_id)
        db.session.expire_all()
        assert beats and beats[0] > claimed[0]
        assert db.session.get_one(AllocationRun, run_id).status == "done"
        db.session.remove()
        db.engine.dispose()


def test_a_queue_that_cannot_be_reached_fails_the_run_at_once(database_url) -> None:
    application = make_app(database_url, QUEUE_IMMEDIATE=False, QUEUE_URL=CLOSED_PORT)
    with application.app_context():
        rnd, _inis = fr.closed_round()
        staff = f.user(Role.STAFF)
        db.session.commit()
        client = application.test_client()
        with client.session_transaction() as sess:
            sess["_user_id"] = staff.get_id()
        resp = client.post(f"/beheer/toewijzing/ronde/{rnd.id}", data={"rule": "greedy", "completion": "none"})
        assert resp.status_code == 302
        page = client.get(resp.headers["Location"]).get_data(as_text=True)
        assert "kon niet in de wachtrij" in page
        db.session.expire_all()
        run = db.session.scalars(select(AllocationRun)).one()
        assert run.status == "failed" and "wachtrij was niet bereikbaar" in run.error and "ConnectionError" in run.error
        db.session.remove()
        db.engine.dispose()


# --------------------------------------------------------------------------- mail hook


def test_kick_mail_never_raises_when_the_queue_is_down(database_url, caplog) -> None:
    application = make_app(database_url, QUEUE_IMMEDIATE=False, QUEUE_URL=CLOSED_PORT)
    with application.app_context():
        started = time.monotonic()
        kick_mail()
        assert time.monotonic() - started < 5
        assert "could not queue send_mail_due" in caplog.text
        db.session.remove()
        db.engine.dispose()


def test_send_mail_due_runs_the_outbox_sender_inside_its_record(app, monkeypatch) -> None:
    from wijkfonds.services.mail import sender

    calls: list[bool] = []
    real = sender.send_due

    def send_due() -> sender.SendReport:
        calls.append(db.session.get_one(TaskRun, "send_mail_due").status == "running")  # inside the record
        return real()

    monkeypatch.setattr(sender, "send_due", send_due)
    kick_mail()  # immediate mode: the task runs here
    row = _task_run("send_mail_due")
    assert calls == [True] and (row.status, row.handled, row.runs, row.error) == ("ok", 0, 1, "")


def test_mail_is_sent_every_30_seconds(app) -> None:
    before = utcnow()
    send_mail_every_30_seconds.call_local()  # what the scheduler enqueues once a minute
    assert _task_run("send_mail_due").runs == 1  # sent now ...
    [later] = huey.scheduled()  # ... and once more half a minute later
    assert later.name.endswith("send_mail_due")
    assert timedelta(seconds=29) < later.eta - before < timedelta(seconds=31)


def test_the_periodic_tasks_run_on_their_schedule() -> None:
    at = datetime(2027, 3, 1, 12, 0)
    due = {m: {t.name.rsplit(".", 1)[-1] for t in huey.read_periodic(at.replace(minute=m))} for m in range(60)}
    assert set().union(*due.values()) == {
        "recover_runs",
        "send_mail_every_30_seconds",
        "ensure_anchors",
        "clean_up",
        "notify_due",
        "send_digests",
        "remind_initiators",
    }

    def minutes(name: str) -> list[int]:
        return [m for m in range(60) if name in due[m]]

    assert minutes("recover_runs") == minutes("send_mail_every_30_seconds") == list(range(60))
    assert minutes("ensure_anchors") == list(range(0, 60, 5))
    assert minutes("clean_up") == [0, 15, 30, 45]
    assert minutes("notify_due") == list(range(0, 60, 5)) and minutes("send_digests") == [3]
    assert minutes("remind_initiators") == [17]


# ------------------------------------------------------------------------------ upkeep


def test_anchors_are_ensured_and_a_failure_is_recorded(app, monkeypatch) -> None:
    from wijkfonds.services.audit import anchors

    seen: list[datetime] = []
    real = anchors.ensure_current

    def ensure_current(now: datetime) -> list[object]:
        seen.append(now)
        return list(real(now))

    monkeypatch.setattr(anchors, "ensure_current", ensure_current)
    ensure_anchors.call_local()
    row = _task_run("ensure_anchors")
    assert len(seen) == 1 and abs(seen[0] - utcnow()) < timedelta(minutes=1)
    assert (row.status, row.runs) == ("ok", 1)

    def broken(now: datetime) -> list[str]:
        raise RuntimeError("the anchor key file is not readable")

    monkeypatch.setattr(anchors, "ensure_current", broken)
    with pytest.raises(RuntimeError):
        ensure_anchors.call_local()
    row = _task_run("ensure_anchors")
    assert row.status == "failed" and "the anchor key file is not readable" in row.error and row.runs == 2


def test_retention_deletes_rate_limit_records_past_the_longest_window(app) -> None:
    assert retention.longest_rate_window(app.config) == 3600  # CODE_RATE_LIMIT's and REPORT_RATE_LIMIT's hour
    assert (
        retention.longest_rate_window(
            {"X_RATE_LIMIT": (5, 300), "Y_RATE_LIMIT": (1, 7200), "Z_RATE_LIMITS": ((1, 60), (2, 9000)), "OTHER": 1}
        )
        == 9000
    )
    now = utcnow()
    for minutes_ago in (5, 50, 59, 61, 600, 60 * 24 * 40):
        db.session.add(RateEvent(bucket="code", key="192.0.2.7", at=now - timedelta(minutes=minutes_ago)))
    db.session.commit()
    clean_up.call_local()
    left = sorted(db.session.scalars(select(RateEvent.at)))
    assert len(left) == 3 and all(now - at < timedelta(hours=1) for at in left)
    row = _task_run("clean_up")
    assert (row.status, row.handled) == ("ok", 3)
    # What is left still counts: three attempts within the hour.
    with pytest.raises(Exception, match="limit"):
        ratelimit.check("code", "192.0.2.7", (3, 3600), "limit")


# ------------------------------------------------------------------------ staff page


def test_staff_see_the_schedule_and_when_each_task_last_ran(client, auth) -> None:
    clean_up.call_local()
    ensure_anchors.call_local()
    auth.login(f.user(Role.STAFF))
    page = client.get("/beheer/achtergrond/").get_data(as_text=True)
    for title in ("Mail versturen", "Onderbroken berekeningen hervatten", "Ankers van het auditlogboek", "Opruimen"):
        assert title in page
    assert "elk kwartier" in page and "elke 5 minuten" in page and "elke 30 seconden" in page
    cleanup_row = page.split('id="task-clean_up"')[1].split("</tr>")[0]
    assert "gelukt" in cleanup_row and "0 oude pogingen verwijderd" in cleanup_row and "1 keer gedraaid" in cleanup_row
    assert "gelukt" in page.split('id="task-ensure_anchors"')[1].split("</tr>")[0]
    assert "nog nooit" in page.split('id="task-send_mail_due"')[1].split("</tr>")[0]
    client.get("/taal/en?next=/")
    english = client.get("/beheer/achtergrond/").get_data(as_text=True)
    assert "Background tasks" in english and "every quarter of an hour" in english
    assert "0 old attempts deleted" in english.split('id="task-clean_up"')[1].split("</tr>")[0]


# ---------------------------------------------------------------- the ballot stays cheap


def test_voting_enqueues_nothing(app) -> None:
    rnd = fv.voting_round()
    plan = fv.feasible(rnd, cost=2_000)
    code = fv.voting_code(rnd)
    district_id = f.district("de-baarsjes").id
    db.session.commit()
    round_id, plan_id = rnd.id, plan.id
    enqueued: list[str] = []

    def spy(signal: str, task: object, *args: object, **kwargs: object) -> None:
        enqueued.append(str(task))

    huey.signal(SIGNAL_ENQUEUED)(spy)
    try:
        client = app.test_client()
        assert client.post(f"/stemmen/{round_id}/code", data={"code": code}).status_code in (302, 303)
        assert client.get(f"/stemmen/{round_id}/stembiljet").status_code == 200
        cast = client.post(f"/stemmen/{round_id}/stembiljet", data={"initiative": [plan_id], "district": district_id})
        assert cast.status_code == 303
        assert client.get(cast.headers["Location"]).status_code == 200
    finally:
        huey.disconnect_signal(spy, SIGNAL_ENQUEUED)
    assert db.session.scalar(select(func.count(Ballot.id))) == 1
    assert enqueued == []
