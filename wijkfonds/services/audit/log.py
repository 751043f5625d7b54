"""The audit log: every change of state appends a hash-chained event."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, text

from wijkfonds.common.timeutil import utcnow
from wijkfonds.database.hot import HotStatement
from wijkfonds.extensions import db
from wijkfonds.models import AuditEvent, User

GENESIS = "0" * 64


def canonical(data: Any) -> str:
    """Canonical JSON: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def event_hash(event: AuditEvent) -> str:
    """SHA-256 over every field of the event and the previous event's hash."""
    body = {
        "seq": event.seq,
        "at": event.at.isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor": event.actor,
        "kind": event.kind,
        "round_id": event.round_id,
        "payload": event.payload,
        "prev_hash": event.prev_hash,
    }
    return hashlib.sha256(canonical(body).encode("utf-8")).hexdigest()


# The last event (seq, hash), with the chain locked until the transaction ends. PostgreSQL
# takes the chain's advisory lock and then reads it, in one call (the function comes with
# migration 0003); SQLite's write lock, taken at BEGIN IMMEDIATE, already serialises
# appends, so there the last event is simply read.
_HEAD = HotStatement(
    select(AuditEvent.__table__.c.seq, AuditEvent.__table__.c.hash)
    .order_by(AuditEvent.__table__.c.seq.desc())
    .limit(1),
    postgresql=text("SELECT seq, hash FROM audit_chain_head()"),
)
_APPEND = HotStatement(insert(AuditEvent.__table__))
_COLUMNS = ("seq", "at", "actor_id", "actor", "kind", "round_id", "payload", "prev_hash", "hash")


def record(kind: str, *, actor: User | None = None, round_id: int | None = None, **payload: Any) -> AuditEvent:
    """Append one event to the chain (written now; committed with the request).

    Core statements, not the ORM: every ballot appends an event while holding the chain's
    lock, so the append is kept as short as it can be.
    """
    db.session.flush()  # earlier ORM changes of this transaction go first, as they happened first
    last = _HEAD.first({})
    event = AuditEvent(
        seq=(last.seq + 1) if last else 1,
        at=utcnow(),
        actor_id=actor.id if actor is not None else None,
        actor=f"{actor.role}:{actor.id}" if actor is not None else "system",
        kind=kind,
        round_id=round_id,
        payload=canonical(payload),
        prev_hash=last.hash if last else GENESIS,
    )
    event.hash = event_hash(event)
    _APPEND.run({c: getattr(event, c) for c in _COLUMNS})
    return event


@dataclass(frozen=True)
class ChainProblem:
    """The first place where the chain does not hold."""

    seq: int
    message: str


def iter_events(batch: int = 1000) -> Iterator[AuditEvent]:
    """All events in chain order, read in batches."""
    last_seq = 0
    while True:
        rows = db.session.scalars(
            select(AuditEvent).where(AuditEvent.seq > last_seq).order_by(AuditEvent.seq).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last_seq = rows[-1].seq


def verify() -> tuple[int, ChainProblem | None]:
    """Recompute the chain; return (events checked, first problem or None)."""
    prev = GENESIS
    expected_seq = 1
    count = 0
    for event in iter_events():
        count += 1
        if event.seq != expected_seq:
            return count, ChainProblem(
                event.seq,
                f"event {event.seq}: expected sequence number {expected_seq} (an event was deleted or inserted)",
            )
        if event.prev_hash != prev:
            return count, ChainProblem(
                event.seq,
                f"event {event.seq}: previous-hash does not match event {event.seq - 1} (an event was altered, deleted or inserted)",
            )
        if event_hash(event) != event.hash:
            return count, ChainProblem(
                event.seq, f"event {event.seq}: contents do not match its hash (the event was altered)"
            )
        prev = event.hash
        expected_seq += 1
    return count, None
