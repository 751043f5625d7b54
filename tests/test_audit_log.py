"""The audit log for auditors: browser with filters and pages, and a JSON Lines export anyone can verify."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from sqlalchemy import func, select

from tests import factories as f
from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.models import AuditEvent, Role
from wijkfonds.services.audit import log as audit
from wijkfonds.services.audit.export import verify_lines


def _events(n: int = 5, kind: str = "test.event", round_id: int | None = None) -> None:
    actor = f.user(Role.STAFF)
    for i in range(n):
        audit.record(kind, actor=actor, round_id=round_id, number=i, note="één € twee")
    db.session.commit()


def _export(client) -> list[str]:
    """The exported events (the export's first line, its anchors, checked and left off)."""
    resp = client.get("/controle/logboek.jsonl")
    assert resp.status_code == 200 and resp.mimetype == "application/x-ndjson"
    header, *events = resp.get_data(as_text=True).splitlines()
    assert json.loads(header)["kind"] == "wijkfonds-audit-anchors" and "public_key" in json.loads(header)
    return events


def _outsider_verify(lines: list[str]) -> bool:
    """An independent check written from the documentation only: sha256 over canonical JSON."""
    prev = "0" * 64
    for line in lines:
        rec = json.loads(line)
        body = {k: rec[k] for k in ("seq", "at", "actor_id", "actor", "kind", "round_id", "payload", "prev_hash")}
        digest = hashlib.sha256(
            json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
        ).hexdigest()
        if rec["prev_hash"] != prev or digest != rec["hash"]:
            return False
        prev = rec["hash"]
    return True


def test_jsonl_export_lets_an_outsider_recompute_every_hash(client, auth) -> None:
    _events(6)
    auth.login(f.user(Role.AUDITOR))
    db.session.commit()
    lines = _export(client)
    stored = list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))
    assert len(lines) == len(stored)
    for line, event in zip(lines, stored, strict=True):
        assert json.loads(line)["hash"] == event.hash == audit.event_hash(event)
    assert verify_lines(lines) == (len(stored), None)
    assert _outsider_verify(lines)


def test_verify_lines_detects_alteration_deletion_and_insertion(client, auth) -> None:
    _events(5)
    auth.login(f.user(Role.AUDITOR))
    db.session.commit()
    lines = _export(client)
    altered = list(lines)
    rec = json.loads(altered[2])
    rec["payload"] = rec["payload"].replace('"number":2', '"number":99')
    altered[2] = json.dumps(rec)
    _count, problem = verify_lines(altered)
    assert problem is not None and f"event {rec['seq']}" in problem and "altered" in problem
    assert not _outsider_verify(altered)
    deleted = lines[:1] + lines[2:]
    assert verify_lines(deleted)[1] is not None
    forged = json.loads(lines[1])
    forged["kind"] = "forged"
    inserted = [*lines[:2], json.dumps(forged), *lines[2:]]
    assert verify_lines(inserted)[1] is not None
    assert verify_lines(["not json"])[1].startswith("line 1")
    assert verify_lines(lines[:-1]) == (len(lines) - 1, None)  # a prefix of the chain is fine


def test_log_browser_filters_and_pages(app, client, auth) -> None:
    app.config["AUDIT_PER_PAGE"] = 4
    _events(6, kind="round.updated", round_id=7)
    _events(3, kind="ballot.cast", round_id=8)
    auth.login(f.user(Role.AUDITOR))
    db.session.commit()
    page1 = client.get("/controle/logboek?soort=round.updated").get_data(as_text=True)
    assert "Gevonden: 6" in page1 and "ballot.cast</td>" not in page1 and "Volgende" in page1
    page2 = client.get("/controle/logboek?soort=round.updated&pagina=2").get_data(as_text=True)
    assert "2 / 2" in page2 and "Vorige" in page2
    by_round = client.get("/controle/logboek?ronde=8").get_data(as_text=True)
    assert "Gevonden: 3" in by_round
    today = utcnow().date()
    dated = client.get(f"/controle/logboek?van={today - timedelta(days=1)}&tot={today + timedelta(days=1)}").get_data(
        as_text=True
    )
    assert "Gevonden: " in dated and "Gevonden: 0" not in dated
    future = client.get(f"/controle/logboek?van={today + timedelta(days=3)}").get_data(as_text=True)
    assert "Gevonden: 0" in future


def test_log_browser_bad_filters_give_a_message(client, auth) -> None:
    auth.login(f.user(Role.AUDITOR))
    db.session.commit()
    bad_date = client.get("/controle/logboek?van=gisteren")
    assert bad_date.status_code == 400 and "jjjj-mm-dd" in bad_date.get_data(as_text=True)
    bad_round = client.get("/controle/logboek?ronde=abc")
    assert bad_round.status_code == 400 and "moet een getal zijn" in bad_round.get_data(as_text=True)
    assert client.get("/controle/logboek?pagina=-3").status_code == 200


def test_concurrent_appends_keep_one_unbroken_chain(database_url: str) -> None:
    """Many transactions appending at once: every event lands, in one chain, none forked.

    On PostgreSQL each append locks the chain and reads its last event in one call
    (audit_chain_head); a last event read before the lock was held would give two events
    the same number. On SQLite the write lock of BEGIN IMMEDIATE serialises them.
    """
    import threading

    from tests.conftest import make_app
    from wijkfonds.services.audit import log as audit

    app = make_app(database_url)
    threads, per_thread = 6, 5
    barrier = threading.Barrier(threads)
    problems: list[str] = []

    def append(n: int) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                for k in range(per_thread):
                    audit.record("test.concurrent", thread=n, k=k)
                    db.session.commit()
            except Exception as err:
                problems.append(f"thread {n}: {err!r}")
            finally:
                db.session.remove()

    workers = [threading.Thread(target=append, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
    assert not problems, problems
    with app.app_context():
        checked, problem = audit.verify()
        assert problem is None, problem.message
        kinds = db.session.scalars(select(AuditEvent.kind).where(AuditEvent.kind == "test.concurrent")).all()
        assert len(kinds) == threads * per_thread
        assert checked == db.session.scalar(select(func.count(AuditEvent.id)))
        db.session.remove()
        db.engine.dispose()
