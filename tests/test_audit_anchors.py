"""Anchors of the audit log: the installation key, when anchors are published, and the check
that a chain still contains every anchored head (``audit verify --anchor``)."""

from __future__ import annotations

import io
import json
import stat
import zipfile
from datetime import timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select, text

from tests import factories as f
from tests import factories_results as fr
from tests import factories_vote as fv
from wijkfonds.common.timeutil import to_local, utcnow
from wijkfonds.extensions import db
from wijkfonds.integrity import anchor
from wijkfonds.integrity.__main__ import main as integrity_main
from wijkfonds.models import AuditEvent, Phase, PublishedAnchor, Role
from wijkfonds.services.audit import anchors
from wijkfonds.services.audit import log as audit
from wijkfonds.services.audit.export import verify_lines
from wijkfonds.services.results import publication
from wijkfonds.services.rounds import admin


def _chain(n: int = 6) -> None:
    actor = f.user(Role.STAFF)
    for i in range(n):
        audit.record("test.event", actor=actor, number=i)
    db.session.commit()


def _count() -> int:
    return db.session.scalar(select(func.count(PublishedAnchor.id))) or 0


def _anchor_file(tmp_path: Path, name: str = "anker.json") -> Path:
    """The chain's head now, published, saved as a file the way someone archives it."""
    row = anchors.publish("manual")
    db.session.commit()
    path = tmp_path / name
    path.write_text(row.document, encoding="utf-8")
    return path


def _rewrite(seq: int, payload: str) -> None:
    """Change one event and recompute its hash and every later one, as a careful forger would."""
    events = list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))
    prev = audit.GENESIS
    for event in events:
        if event.seq == seq:
            event.payload = payload
        if event.seq >= seq:
            event.prev_hash = prev
            event.hash = audit.event_hash(event)
        prev = event.hash
    db.session.commit()


def test_the_key_is_made_once_outside_the_database_readable_by_its_owner_only(app, tmp_path) -> None:
    path = Path(app.config["AUDIT_KEY_FILE"])
    assert not path.exists() and path.is_relative_to(tmp_path)
    first = anchors.public_key()
    assert path.exists() and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert anchors.public_key() == first
    assert anchor.public_key_text(anchor.load_private_key_pem(path.read_bytes())) == first
    assert not [p for p in path.parent.iterdir() if p != path]  # no temporary file left behind


def test_an_unreadable_key_is_a_clear_error_on_the_command_line_and_the_page(app, runner, client) -> None:
    _chain(2)
    path = Path(app.config["AUDIT_KEY_FILE"])
    path.parent.mkdir(parents=True)
    path.write_text("geen sleutel")
    result = runner.invoke(args=["audit", "anchor"])
    assert result.exit_code == 1 and str(path) in result.output and "PEM" in result.output
    page = client.get("/controle/ankers")
    assert page.status_code == 503 and "kan niet worden gelezen" in page.get_data(as_text=True)


def test_the_anchor_command_prints_a_signed_head_and_publishes_on_request(app, runner) -> None:
    _chain(4)
    printed = runner.invoke(args=["audit", "anchor"])
    assert printed.exit_code == 0, printed.output
    doc = json.loads(printed.output)
    head = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert (doc["seq"], doc["hash"]) == (4, head.hash) and doc["time"].endswith("Z")
    assert anchor.signature_problems(doc, anchors.public_key()) == []
    assert _count() == 0
    published = runner.invoke(args=["audit", "anchor", "--publish"])
    assert published.exit_code == 0 and "published as anchor" in published.output
    db.session.expire_all()
    assert _count() == 1
    assert runner.invoke(args=["audit", "anchor", "--publish", "--due"]).exit_code == 2


def test_an_empty_log_has_nothing_to_anchor(runner) -> None:
    result = runner.invoke(args=["audit", "anchor"])
    assert result.exit_code == 1 and "nog leeg" in result.output


def test_verify_with_anchors_passes_on_an_untouched_chain(runner, tmp_path) -> None:
    _chain(5)
    early = _anchor_file(tmp_path, "vroeg.json")
    _chain(3)
    late = _anchor_file(tmp_path, "laat.json")
    result = runner.invoke(args=["audit", "verify", "--anchor", str(early), "--anchor", str(late)])
    assert result.exit_code == 0, result.output
    assert "intact: 8 events verified" in result.output and "2 anchor(s)" in result.output
    assert "intact" in runner.invoke(args=["audit", "verify"]).output


def test_deleting_the_last_events_fails_against_an_anchor(runner, tmp_path) -> None:
    _chain(6)
    path = _anchor_file(tmp_path)
    db.session.execute(text("DELETE FROM audit_event WHERE seq > 4"))
    db.session.commit()
    plain = runner.invoke(args=["audit", "verify"])
    assert plain.exit_code == 0  # a shortened chain is still a chain...
    result = runner.invoke(args=["audit", "verify", "--anchor", str(path)])
    assert result.exit_code == 1  # ...but not the one that was anchored
    assert f"{path}: anchor of event 6" in result.output and "only 4 events" in result.output
    assert "deleted" in result.output


def test_rewriting_an_event_with_recomputed_hashes_fails_against_an_anchor(runner, tmp_path) -> None:
    _chain(4)
    before = _anchor_file(tmp_path, "voor.json")
    _chain(4)
    after = _anchor_file(tmp_path, "na.json")
    _rewrite(6, '{"number":99}')
    plain = runner.invoke(args=["audit", "verify"])
    assert plain.exit_code == 0 and "intact" in plain.output  # every hash was recomputed
    result = runner.invoke(args=["audit", "verify", "--anchor", str(before), "--anchor", str(after)])
    assert result.exit_code == 1
    assert f"{after}: anchor of event 8" in result.output and "rewritten" in result.output
    assert f"{before}: " not in result.output  # the earlier anchor still holds
    assert "the change lies in events 5 to 8" in result.output and "1 of 2 anchor(s) hold" in result.output


def test_an_anchor_signed_with_another_key_is_refused(runner, tmp_path) -> None:
    _chain(3)
    anchors.public_key()  # the installation has its own key
    head = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    forged = anchor.make(
        Ed25519PrivateKey.generate(),
        installation="wijkfonds",
        seq=head.seq,
        head_hash=head.hash,
        time="2027-03-01T10:00:00Z",
        reason="manual",
    )
    path = tmp_path / "vervalst.json"
    path.write_text(json.dumps(forged))
    result = runner.invoke(args=["audit", "verify", "--anchor", str(path)])
    assert result.exit_code == 1 and "signed by another key" in result.output and str(path) in result.output
    changed = json.loads(_anchor_file(tmp_path).read_text())
    changed["seq"] = 2
    path.write_text(json.dumps(changed))
    result = runner.invoke(args=["audit", "verify", "--anchor", str(path)])
    assert result.exit_code == 1 and "signature does not match" in result.output


def test_a_bad_anchor_file_is_a_usage_error_naming_the_file_and_line(runner, tmp_path) -> None:
    _chain(2)
    anchors.public_key()
    bad = tmp_path / "kapot.json"
    bad.write_text('[\n {"seq": 1,\n  oops}\n]')
    result = runner.invoke(args=["audit", "verify", "--anchor", str(bad)])
    assert result.exit_code == 2 and f"{bad}: line 3" in result.output and "Traceback" not in result.output
    missing = runner.invoke(args=["audit", "verify", "--anchor", str(tmp_path / "weg.json")])
    assert missing.exit_code == 2 and "weg.json: cannot read" in missing.output
    empty = tmp_path / "leeg.json"
    empty.write_text("[]")
    assert "holds no anchor" in runner.invoke(args=["audit", "verify", "--anchor", str(empty)]).output
    other = tmp_path / "anders.json"
    other.write_text('[{"kind": "iets anders"}]')
    result = runner.invoke(args=["audit", "verify", "--anchor", str(other)])
    assert result.exit_code == 1 and "not a Wijkfonds audit anchor" in result.output


def test_phases_reached_by_date_or_by_staff_are_anchored_once(app) -> None:
    staff = f.user(Role.STAFF)
    rnd = f.round_(Phase.REVIEW)
    audit.record("round.created", actor=staff, round_id=rnd.id)
    db.session.commit()
    made = anchors.ensure_current()
    assert [a.reason for a in made] == [f"phase:review round:{rnd.id}"]
    assert anchors.ensure_current() == []  # idempotent
    db.session.commit()
    admin.advance_phase(rnd, Phase.VOTING, actor=staff)
    db.session.commit()
    voting_anchor = anchors.published(rnd.id)[0]
    assert voting_anchor.reason == f"phase:voting round:{rnd.id}"
    last = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert (voting_anchor.seq, voting_anchor.head_hash) == (last.seq, last.hash)  # covers the phase change
    assert anchors.ensure_current() == []
    # Once a day while voting runs (the day voting began, its phase anchor was that day's).
    tomorrow = utcnow() + timedelta(days=1)
    daily = anchors.ensure_current(tomorrow)
    assert [a.reason.split()[0] for a in daily] == ["daily"]
    # An hour later on the same local (Amsterdam) day: near midnight, an hour earlier instead.
    hour = timedelta(hours=1)
    same_day = tomorrow + hour if to_local(tomorrow + hour).date() == to_local(tomorrow).date() else tomorrow - hour
    assert anchors.ensure_current(tomorrow) == [] and anchors.ensure_current(same_day) == []
    db.session.commit()
    count = _count()
    assert anchors.ensure_current() == [] and _count() == count


def test_publishing_a_result_is_anchored(app) -> None:
    app.config["BALLOT_COMMIT_GRACE"] = 0
    rnd, _inis = fr.closed_round(voters=2)
    staff = f.user(Role.STAFF)
    run = fr.finished_run(rnd, staff)
    publication.publish(run, reason="", actor=staff)
    db.session.commit()
    reasons = [a.reason for a in anchors.published(rnd.id)]
    assert reasons[0] == f"result round:{rnd.id} run:{run.id}"
    published_event = db.session.scalars(select(AuditEvent).where(AuditEvent.kind == "allocation.published")).one()
    assert anchors.published(rnd.id)[0].seq == published_event.seq
    assert anchors.ensure_current() == []


def test_the_due_command_for_cron_publishes_what_is_due_and_then_nothing(app, runner) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    audit.record("round.created", round_id=rnd.id)
    db.session.commit()
    first = runner.invoke(args=["audit", "anchor", "--due"])
    assert first.exit_code == 0 and f"(phase:submission round:{rnd.id})" in first.output
    again = runner.invoke(args=["audit", "anchor", "--due"])
    assert again.exit_code == 0 and "no anchor was due" in again.output


def test_the_public_page_lists_the_anchors_with_the_key_and_publishes_what_is_due(app, client, tmp_path) -> None:
    rnd = f.round_(Phase.SUBMISSION, name="Ronde van de ankers")
    audit.record("round.created", round_id=rnd.id)
    db.session.commit()
    page = client.get("/controle/ankers")  # no login
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and anchors.public_key() in body and "Ronde van de ankers" in body
    assert "Begin van de fase „Plannen indienen”" in body
    db.session.expire_all()
    row = anchors.published()[0]
    one = client.get(f"/controle/ankers/{row.id}.json")
    assert one.status_code == 200 and one.get_data(as_text=True) == row.document
    assert client.get("/controle/ankers/99999.json").status_code == 404
    listed = client.get("/controle/ankers.json")
    docs = listed.get_json()
    assert listed.status_code == 200 and [d["seq"] for d in docs] == [row.seq]
    path = tmp_path / "ankers.json"
    path.write_bytes(listed.get_data())
    assert integrity_main(["anchor", str(path), "--public-key", anchors.public_key()]) == 0
    english = client.get("/controle/ankers?lang=en").get_data(as_text=True)
    assert "Anchors of the audit log" in english and "Start of the phase" in english


def test_the_audit_log_export_carries_the_key_and_anchors_and_a_shortened_export_fails(app, client, auth) -> None:
    _chain(5)
    anchors.publish("manual")
    db.session.commit()
    auth.login(f.user(Role.AUDITOR))
    db.session.commit()
    lines = client.get("/controle/logboek.jsonl").get_data(as_text=True).splitlines()
    header = json.loads(lines[0])
    assert header["public_key"] == anchors.public_key() and [a["seq"] for a in header["anchors"]] == [5]
    assert verify_lines(lines) == (5, None)
    _count, problem = verify_lines(lines[:-2])
    assert problem is not None and "anchor 1" in problem and "deleted" in problem


def test_the_round_export_zip_carries_the_key_the_anchors_and_the_commitment(app, client, auth) -> None:
    app.config["BALLOT_COMMIT_GRACE"] = 0
    rnd, _inis = fr.closed_round(voters=2)
    staff = f.user(Role.STAFF)
    fr.finished_run(rnd, staff)
    auth.login(staff)
    db.session.commit()
    resp = client.get(f"/controle/ronde/{rnd.id}/export.zip")
    zf = zipfile.ZipFile(io.BytesIO(resp.data))
    assert zf.read("controle/publieke-sleutel.txt").decode().strip() == anchors.public_key()
    docs = json.loads(zf.read("controle/ankers.json"))
    assert docs and all(anchor.signature_problems(d, anchors.public_key()) == [] for d in docs)
    committed = json.loads(zf.read("controle/stembiljetten.json"))
    assert committed["size"] == 8 and len(committed["root"]) == 64
    assert b"audit verify --anchor ankers.json" in zf.read("controle/LEESMIJ.txt")


def test_voting_never_publishes_anchors(app, client, monkeypatch) -> None:
    """The ballot's path stays cheap: no anchor, no commitment, whatever is due."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("anchors on the ballot's path")

    for name in ("ensure_current", "ensure_commitment", "publish"):
        monkeypatch.setattr(anchors, name, refuse)
    rnd = fv.voting_round()
    a = fv.feasible(rnd)
    code = fv.voting_code(rnd)
    db.session.commit()
    assert anchors.due()  # the voting phase wants its anchor...
    assert client.post(f"/stemmen/{rnd.id}/code", data={"code": code}).status_code == 303
    district = str(f.district().id)
    cast = client.post(f"/stemmen/{rnd.id}/stembiljet", data={"initiative": [str(a.id)], "district": district})
    assert cast.status_code == 303  # ...and voting went ahead without it
    with client.session_transaction() as sess:
        receipt = sess["vote_receipts"][str(rnd.id)]
    assert "telt mee" in client.get(f"/stemmen/controle?code={receipt}").get_data(as_text=True)


def test_reason_parts_reads_what_the_platform_writes() -> None:
    assert anchors.reason_parts("phase:voting round:3") == {"what": "phase", "phase": "voting", "round": "3"}
    assert anchors.reason_parts(f"commitment round:2 root:{'a' * 64} size:9")["size"] == "9"
    assert anchors.reason_parts("manual") == {"what": "manual"}


def test_concurrent_callers_publish_each_due_anchor_once(database_url: str) -> None:
    """Workers, cron and page views may all call ensure_current at once: each occasion is anchored once."""
    import threading

    from tests.conftest import make_app

    app = make_app(database_url, BALLOT_COMMIT_GRACE=0)
    with app.app_context():
        rnd, _inis = fr.closed_round(voters=2)
        audit.record("round.created", round_id=rnd.id)
        db.session.commit()
        round_id, closed_at = rnd.id, rnd.results_start
        db.session.remove()
    threads = 4
    barrier = threading.Barrier(threads)
    problems: list[str] = []

    def call() -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                anchors.ensure_current()
                db.session.commit()
            except Exception as err:
                problems.append(repr(err))
            finally:
                db.session.remove()

    workers = [threading.Thread(target=call) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
    assert not problems, problems
    with app.app_context():
        keys = list(db.session.scalars(select(PublishedAnchor.due_key).order_by(PublishedAnchor.id)))
        assert keys == [f"commitment:{round_id}", f"phase:{round_id}:results:{closed_at.isoformat()}"]
        kinds = list(db.session.scalars(select(AuditEvent.kind).order_by(AuditEvent.seq)))
        assert kinds == ["round.created", "ballots.committed"]
        assert audit.verify()[1] is None
        db.session.remove()
        db.engine.dispose()


def test_an_auditor_without_the_key_file_checks_against_the_published_public_key(app, runner, tmp_path) -> None:
    _chain(3)
    path = _anchor_file(tmp_path)
    key = anchors.public_key()
    app.config["AUDIT_KEY_FILE"] = str(tmp_path / "elders" / "geen-sleutel.pem")  # a copy of the database only
    refused = runner.invoke(args=["audit", "verify", "--anchor", str(path)])
    assert refused.exit_code == 1 and "--public-key" in refused.output and "geen-sleutel.pem" in refused.output
    assert not (tmp_path / "elders").exists()  # checking never makes a key
    ok = runner.invoke(args=["audit", "verify", "--anchor", str(path), "--public-key", key])
    assert ok.exit_code == 0 and "intact" in ok.output
    other = anchor.public_key_text(Ed25519PrivateKey.generate())
    forged = runner.invoke(args=["audit", "verify", "--anchor", str(path), "--public-key", other])
    assert forged.exit_code == 1 and "signed by another key" in forged.output
    junk = runner.invoke(args=["audit", "verify", "--anchor", str(path), "--public-key", "geen-sleutel"])
    assert junk.exit_code == 1 and "not an Ed25519 public key" in junk.output
    assert runner.invoke(args=["audit", "verify", "--public-key", key]).exit_code == 2


def test_anchors_made_during_open_voting_are_withheld_from_the_public_until_it_closes(app, client) -> None:
    """Two anchors of one voting period would tell how many ballots came in between: the public sees
    them once voting has closed; auditors' exports carry them at once."""
    rnd = f.round_(Phase.VOTING, name="Ronde met ankers tijdens het stemmen")
    audit.record("round.created", round_id=rnd.id)
    before = anchors.publish("manual", now=rnd.voting_start - timedelta(hours=1))
    for n in range(3):
        audit.record("ballot.cast", round_id=rnd.id, n=n)
    during = anchors.publish("manual", now=rnd.voting_start + timedelta(hours=1))
    db.session.commit()
    page = client.get("/controle/ankers").get_data(as_text=True)
    assert 'id="anchors-held"' in page and f"/controle/ankers/{before.id}.json" in page
    assert f"/controle/ankers/{during.id}.json" not in page and f">{during.seq}<" not in page
    listed = client.get("/controle/ankers.json").get_json()
    assert during.seq not in [d["seq"] for d in listed] and before.seq in [d["seq"] for d in listed]
    assert client.get(f"/controle/ankers/{during.id}.json").status_code == 404
    assert client.get(f"/controle/ankers/{before.id}.json").status_code == 200
    # Auditors' exports have every anchor from the moment it is made.
    assert during.seq in [d["seq"] for d in anchors.documents()]
    # Once voting has closed the public sees it too.
    rnd.results_start = utcnow() - timedelta(minutes=1)
    db.session.commit()
    page = client.get("/controle/ankers").get_data(as_text=True)
    assert 'id="anchors-held"' not in page and f"/controle/ankers/{during.id}.json" in page
    assert client.get(f"/controle/ankers/{during.id}.json").status_code == 200
