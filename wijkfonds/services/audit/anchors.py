"""Anchors of the audit chain: the installation's key, published anchors, and when they are due.

An anchor is the chain's head (sequence number, hash) at a moment, signed with the
installation's Ed25519 key (``wijkfonds.integrity.anchor``). The key lives in a file
outside the database (``AUDIT_KEY_FILE``, created on first use with mode 0600), so that
whoever can rewrite the database cannot sign a new history; its public half is shown on
the public anchors page and in every auditor's export.

The platform publishes an anchor by itself (:func:`ensure_current`): when a round enters
a phase (by a staff action or because a date passed), when a result is published, once
a day while voting runs, and after a round's ballots are committed at close. The check
against the chain is :func:`verify_with_anchors` (``flask --app wijkfonds audit verify
--anchor FILE``). Nothing here runs on the ballot's path.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import current_app
from sqlalchemy import select, text

from wijkfonds.common.timeutil import from_local, to_local, utcnow
from wijkfonds.common.translation import gettext as _
from wijkfonds.config import ROOT
from wijkfonds.database.hot import on_postgresql
from wijkfonds.extensions import db
from wijkfonds.integrity import anchor
from wijkfonds.models import AllocationRun, AuditEvent, BallotCommitment, Phase, PublishedAnchor, Round
from wijkfonds.services.audit import commitment
from wijkfonds.services.audit.log import ChainProblem, event_hash, iter_events, verify
from wijkfonds.services.errors import DomainError

DEFAULT_KEY_FILE = ROOT / "instance" / "audit-anchor-key.pem"
# The date each phase starts at: a phase is anchored once per start.
PHASE_START = {
    Phase.NOMINATION: "nomination_start",
    Phase.SUBMISSION: "submission_start",
    Phase.REVIEW: "review_start",
    Phase.VOTING: "voting_start",
    Phase.RESULTS: "results_start",
}


class KeyUnavailable(DomainError):
    """The installation key cannot be read or made (503: nothing can be signed now)."""

    status = 503


# ---------------------------------------------------------------------------- the key

_keys: dict[str, tuple[int, Ed25519PrivateKey]] = {}
_keys_lock = threading.Lock()


def key_file() -> Path:
    """Where the installation key is kept (config ``AUDIT_KEY_FILE``)."""
    return Path(current_app.config.get("AUDIT_KEY_FILE") or DEFAULT_KEY_FILE)


def _unavailable(path: Path, why: str) -> KeyUnavailable:
    return KeyUnavailable(
        _("De sleutel van deze installatie (%(path)s) kan niet worden gelezen: %(why)s", path=str(path), why=why)
    )


def _read(path: Path) -> Ed25519PrivateKey:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise _unavailable(path, err.strerror or str(err)) from None
    try:
        return anchor.load_private_key_pem(data)
    except ValueError as err:
        raise _unavailable(path, str(err)) from None


def _create(path: Path) -> None:
    """Write a new key to ``path`` unless another process got there first (never overwrites)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(anchor.private_key_pem(anchor.new_key()))
                fh.flush()
                os.fsync(fh.fileno())
            tmp.chmod(0o600)
            # A hard link appears complete and atomically, and refuses to replace a key
            # that a concurrent process (another worker) wrote first.
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    except OSError as err:
        raise _unavailable(path, err.strerror or str(err)) from None
    current_app.logger.warning("created a new audit anchor key in %s: back it up, apart from the database", path)


def installation_key() -> Ed25519PrivateKey:
    """The installation's signing key, created (mode 0600) on first use."""
    path = key_file()
    if not path.exists():
        _create(path)
    try:
        stat = path.stat()
    except OSError as err:
        raise _unavailable(path, err.strerror or str(err)) from None
    with _keys_lock:
        cached = _keys.get(str(path))
        if cached is not None and cached[0] == stat.st_mtime_ns:
            return cached[1]
        key = _read(path)
        if stat.st_mode & 0o077:
            current_app.logger.warning("the audit anchor key %s can be read by others than its owner", path)
        _keys[str(path)] = (stat.st_mtime_ns, key)
        return key


def public_key() -> str:
    """The installation's public key (base64), as pages and exports show it."""
    return anchor.public_key_text(installation_key())


def existing_public_key() -> str:
    """The public key of the key file that exists (never makes one: for checking, not signing)."""
    path = key_file()
    if not path.exists():
        raise KeyUnavailable(
            _(
                "Er is geen sleutel in %(path)s. Geef de publieke sleutel van de installatie op "
                "(van de pagina met ankers) met --public-key.",
                path=str(path),
            )
        )
    return public_key()


def installation() -> str:
    """The installation's name in its anchors (config ``AUDIT_INSTALLATION``)."""
    return str(current_app.config.get("AUDIT_INSTALLATION") or "wijkfonds")


# ---------------------------------------------------------------------- publishing


@dataclass(frozen=True)
class Head:
    """The chain's last event."""

    seq: int
    hash: str


def head() -> Head | None:
    """The last event of the chain (None while it is empty)."""
    row = db.session.execute(select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)).first()
    return Head(row.seq, row.hash) if row else None


def _stamp(now: datetime) -> str:
    return now.isoformat(timespec="seconds") + "Z"


def make_document(reason: str, now: datetime | None = None) -> dict[str, Any]:
    """A signed anchor of the chain's head now (DomainError while the chain is empty)."""
    now = now or utcnow()
    last = head()
    if last is None:
        raise DomainError(_("Het logboek is nog leeg: er is nog niets om vast te leggen."), 409)
    return anchor.make(
        installation_key(),
        installation=installation(),
        seq=last.seq,
        head_hash=last.hash,
        time=_stamp(now),
        reason=reason,
    )


def publish(
    reason: str, *, round_id: int | None = None, due_key: str | None = None, now: datetime | None = None
) -> PublishedAnchor:
    """Sign the chain's head and store it as a published anchor."""
    now = now or utcnow()
    doc = make_document(reason, now)
    row = PublishedAnchor(
        seq=doc["seq"],
        head_hash=doc["hash"],
        reason=reason,
        round_id=round_id,
        due_key=due_key,
        published_at=now,
        document=document_text(doc),
    )
    db.session.add(row)
    db.session.flush()
    return row


def document_text(doc: dict[str, Any]) -> str:
    """An anchor as it is stored and handed out."""
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=1)


def published(round_id: int | None = None) -> list[PublishedAnchor]:
    """Published anchors, newest first (of one round when given)."""
    q = select(PublishedAnchor).order_by(PublishedAnchor.id.desc())
    if round_id is not None:
        q = q.where(PublishedAnchor.round_id == round_id)
    return list(db.session.scalars(q))


def documents() -> list[dict[str, Any]]:
    """Every published anchor's document, oldest first."""
    rows = db.session.scalars(select(PublishedAnchor.document).order_by(PublishedAnchor.id))
    return [json.loads(text) for text in rows]


def open_voting_periods(now: datetime) -> list[tuple[datetime, datetime]]:
    """(start, end) of every round's voting period that has begun and not yet ended at ``now``."""
    rows = db.session.execute(
        select(Round.voting_start, Round.results_start).where(Round.voting_start <= now, Round.results_start > now)
    ).all()
    return [(start, end) for start, end in rows]


def withheld(row: PublishedAnchor, periods: list[tuple[datetime, datetime]]) -> bool:
    """True for an anchor made while a voting period that is still open ran.

    An anchor carries the chain's sequence number, and every ballot cast or changed appends
    an event: two anchors of one voting period would tell anyone roughly how many ballots
    came in between. So the public sees such anchors only once that voting has closed
    (issue: before close nothing of the counts is public); they exist, signed, from the
    moment they are made, and every auditor's export carries them at once.
    """
    return any(start <= row.published_at < end for start, end in periods)


def public(now: datetime) -> tuple[list[PublishedAnchor], datetime | None]:
    """The anchors the public may see now, newest first, and when the withheld ones appear (or None)."""
    periods = open_voting_periods(now)
    rows = published()
    shown = [row for row in rows if not withheld(row, periods)]
    held_until = [end for start, end in periods if any(start <= r.published_at < end for r in rows)]
    return shown, (max(held_until) if len(shown) < len(rows) and held_until else None)


def export_files(round_id: int | None = None) -> list[tuple[str, str]]:
    """(file name, text) of what every auditor's export carries: the public key, all anchors,
    and the round's ballot commitment when there is one."""
    key = public_key()
    files = [
        ("publieke-sleutel.txt", key + "\n"),
        ("ankers.json", json.dumps(documents(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"),
    ]
    done = commitment.for_round(round_id) if round_id is not None else None
    if done is not None:
        body = {
            "round_id": done.round_id,
            "root": done.root,
            "size": done.size,
            "committed_at": _stamp(done.committed_at),
            "audit_seq": done.audit_seq,
        }
        files.append(("stembiljetten.json", json.dumps(body, indent=1, sort_keys=True) + "\n"))
    files.append(
        (
            "LEESMIJ.txt",
            "Ankers van het audit-logboek / anchors of the audit log\n"
            f"python -m wijkfonds.integrity anchor ankers.json --public-key {key}\n"
            "flask --app wijkfonds audit verify --anchor ankers.json\n",
        )
    )
    return files


def jsonl_header() -> dict[str, Any]:
    """The first line of the audit log's JSON Lines export: the public key and every anchor."""
    return {
        "kind": anchor.KIND + "s",
        "installation": installation(),
        "public_key": public_key(),
        "anchors": documents(),
    }


def reason_parts(reason: str) -> dict[str, str]:
    """A reason such as ``phase:voting round:3`` as {'what': 'phase', 'phase': 'voting', 'round': '3'}."""
    words = reason.split()
    parts: dict[str, str] = {}
    if words:
        what, _sep, detail = words[0].partition(":")
        parts["what"] = what
        if detail:
            parts[what] = detail
    for word in words[1:]:
        name, _sep, value = word.partition(":")
        parts[name] = value
    return parts


# -------------------------------------------------------------------- what is due


@dataclass(frozen=True)
class Due:
    """An occasion that wants an anchor (and, for ``commit``, the round's ballots committed first)."""

    key: str
    reason: str
    round_id: int | None
    commit: bool = False


def _start_of_local_day(now: datetime) -> tuple[str, datetime]:
    day = to_local(now).date()
    return day.isoformat(), from_local(datetime.combine(day, time.min))


def due(now: datetime | None = None) -> list[Due]:
    """Everything that should have an anchor by ``now`` and has none yet (reads only)."""
    now = now or utcnow()
    taken = set(db.session.scalars(select(PublishedAnchor.due_key).where(PublishedAnchor.due_key.is_not(None))))
    committed = set(db.session.scalars(select(BallotCommitment.round_id)))
    day, day_start = _start_of_local_day(now)
    anchored_today = set(
        db.session.scalars(
            select(PublishedAnchor.round_id).where(
                PublishedAnchor.published_at >= day_start, PublishedAnchor.round_id.is_not(None)
            )
        )
    )
    found: list[Due] = []
    for rnd in db.session.scalars(select(Round).order_by(Round.id)):
        phase = rnd.phase(now)
        if phase == Phase.UPCOMING:
            continue
        if rnd.id not in committed and commitment.is_due(rnd, now):
            found.append(Due(f"commitment:{rnd.id}", "", rnd.id, commit=True))
        start: datetime = getattr(rnd, PHASE_START[phase])
        key = f"phase:{rnd.id}:{phase.value}:{start.isoformat()}"
        phase_due = key not in taken
        if phase_due:
            found.append(Due(key, f"phase:{phase.value} round:{rnd.id}", rnd.id))
        # Once a day while voting runs; the day voting starts, its phase anchor is that day's.
        daily = f"daily:{rnd.id}:{day}"
        if phase == Phase.VOTING and not phase_due and daily not in taken and rnd.id not in anchored_today:
            found.append(Due(daily, f"daily round:{rnd.id} day:{day}", rnd.id))
    for run_id, round_id, at in db.session.execute(
        select(AllocationRun.id, AllocationRun.round_id, AllocationRun.published_at)
        .where(AllocationRun.published_at.is_not(None))
        .order_by(AllocationRun.published_at, AllocationRun.id)
    ):
        key = f"result:{run_id}:{at.isoformat() if at else ''}"
        if key not in taken:
            found.append(Due(key, f"result round:{round_id} run:{run_id}", round_id))
    return found


def _lock_chain() -> None:
    """Hold the audit chain's lock until the transaction ends, so that two callers publish once.

    PostgreSQL: the chain's advisory lock (migration 0003); SQLite: the write lock that
    BEGIN IMMEDIATE already took.
    """
    if on_postgresql():
        db.session.execute(text("SELECT seq, hash FROM audit_chain_head()")).all()


def _commit(rnd: Round, now: datetime) -> tuple[BallotCommitment, PublishedAnchor | None]:
    """Commit the round's ballots and anchor the commitment (the caller holds the chain's lock)."""
    made = commitment.commit(rnd, now)
    key = f"commitment:{rnd.id}"
    if db.session.scalars(select(PublishedAnchor.id).where(PublishedAnchor.due_key == key)).first() is not None:
        return made, None
    reason = f"commitment round:{rnd.id} root:{made.root} size:{made.size}"
    return made, publish(reason, round_id=rnd.id, due_key=key, now=now)


def ensure_commitment(rnd: Round, now: datetime | None = None) -> BallotCommitment:
    """The round's ballot commitment: made now (with its audit event and anchor) if it is not yet.

    DomainError (409) before voting has closed, or within the grace period after it.
    """
    existing = commitment.for_round(rnd.id)
    if existing is not None:
        return existing
    _lock_chain()
    return _commit(rnd, now or utcnow())[0]


def ensure_current(now: datetime | None = None) -> list[PublishedAnchor]:
    """Publish every anchor that is due (committing closed rounds' ballots first); idempotent.

    Self-contained: it reads what is due from the database, writes in the caller's
    transaction and flushes; the caller commits. Called after staff actions that change a
    phase or publish a result, by ``flask --app wijkfonds audit anchor --due`` (cron), and
    from the public anchors page; never from the voting pages.
    """
    now = now or utcnow()
    if not due(now):
        return []
    _lock_chain()
    made: list[PublishedAnchor] = []
    items = due(now)  # again, under the lock: another caller may have just published
    for item in items:
        if item.commit and commitment.for_round(int(item.round_id or 0)) is None:
            _done, anchored = _commit(db.session.get_one(Round, item.round_id), now)
            if anchored is not None:
                made.append(anchored)
    if head() is None:
        return made
    for item in items:
        if not item.commit:
            made.append(publish(item.reason, round_id=item.round_id, due_key=item.key, now=now))
    return made


# ----------------------------------------------------------------- checking the chain


@dataclass
class AnchorReport:
    """What ``audit verify --anchor`` found: the chain check, and each anchor's problems."""

    events: int = 0
    chain_problem: ChainProblem | None = None
    public_key: str = ""
    problems: list[str] = field(default_factory=list)
    held: list[int] = field(default_factory=list)  # sequence numbers of anchors that hold
    rewritten: list[int] = field(default_factory=list)  # ... whose event now has another hash
    missing: list[int] = field(default_factory=list)  # ... whose event is gone

    @property
    def ok(self) -> bool:
        """True when the chain is intact and contains every anchored head."""
        return self.chain_problem is None and not self.problems

    def where(self) -> str | None:
        """Between which events a rewrite lies: after the last anchor that holds, up to the first that fails."""
        if not self.rewritten:
            return None
        first_bad = min(self.rewritten)
        good = [s for s in self.held if s < first_bad]
        start = max(good) + 1 if good else 1
        return f"the change lies in events {start} to {first_bad}"


def verify_with_anchors(named: list[tuple[str, Any]], trusted_key: str | None = None) -> AnchorReport:
    """Recompute the chain and check that it still contains every anchored head.

    ``named`` is (where the anchor came from, its document). Each anchor must be signed by
    the installation's key (``trusted_key``, its published public half, or else the key
    file's); the chain must have its event with the anchored hash, which fails when events
    were deleted, inserted, or rewritten with recomputed hashes.
    """
    if trusted_key is not None:
        try:
            anchor.load_public_key(trusted_key)
        except ValueError as err:
            raise DomainError(str(err), 400) from None
    report = AnchorReport(public_key=trusted_key.strip() if trusted_key is not None else existing_public_key())
    report.events, report.chain_problem = verify()
    valid: list[tuple[str, dict[str, Any]]] = []
    for name, doc in named:
        bad = anchor.signature_problems(doc, report.public_key)
        if bad:
            report.problems += [f"{name}: {p}" for p in bad]
        else:
            valid.append((name, doc))
    wanted = {int(doc["seq"]) for _name, doc in valid}
    recomputed: dict[int, str] = {}
    count = 0
    for event in iter_events():
        count += 1
        if event.seq in wanted:
            recomputed[event.seq] = event_hash(event)
    for name, doc in valid:
        seq = int(doc["seq"])
        bad = anchor.chain_problems(doc, recomputed, count)
        report.problems += [f"{name}: {p}" for p in bad]
        (report.held if not bad else report.rewritten if seq in recomputed else report.missing).append(seq)
    return report
