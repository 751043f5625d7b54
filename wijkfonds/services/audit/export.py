"""The audit log for auditors: filtered pages, a JSON Lines export, and an outsider's verifier.

:func:`verify_lines` needs nothing but the exported lines (and the standard library): it
recomputes every event's SHA-256 exactly as :func:`wijkfonds.services.audit.log.event_hash`
does, so anyone can check the chain without access to the database.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select

from wijkfonds.extensions import db
from wijkfonds.integrity import anchor
from wijkfonds.models import AuditEvent
from wijkfonds.services.audit.log import iter_events

GENESIS = "0" * 64
HASHED = ("seq", "at", "actor_id", "actor", "kind", "round_id", "payload", "prev_hash")


@dataclass(frozen=True)
class LogFilter:
    """Filters of the log browser (all optional)."""

    kind: str = ""
    round_id: int | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None  # exclusive


def filtered(flt: LogFilter) -> Select[AuditEvent]:
    """Events matching the filter, newest first."""
    q = select(AuditEvent)
    if flt.kind:
        q = q.where(AuditEvent.kind.startswith(flt.kind))
    if flt.round_id is not None:
        q = q.where(AuditEvent.round_id == flt.round_id)
    if flt.date_from is not None:
        q = q.where(AuditEvent.at >= flt.date_from)
    if flt.date_to is not None:
        q = q.where(AuditEvent.at < flt.date_to)
    return q.order_by(AuditEvent.seq.desc())


def page(flt: LogFilter, number: int, per_page: int) -> tuple[list[AuditEvent], int]:
    """One page of matching events and the total number of matches."""
    total = db.session.scalar(select(func.count()).select_from(filtered(flt).order_by(None).subquery())) or 0
    rows = list(db.session.scalars(filtered(flt).offset((number - 1) * per_page).limit(per_page)))
    return rows, total


def kinds() -> list[str]:
    """Every event kind in the log, for the filter."""
    return list(db.session.scalars(select(AuditEvent.kind).distinct().order_by(AuditEvent.kind)))


def event_dict(event: AuditEvent) -> dict[str, Any]:
    """The exported form of an event: the hashed fields as stored, plus its hash."""
    return {
        "seq": event.seq,
        "at": event.at.isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor": event.actor,
        "kind": event.kind,
        "round_id": event.round_id,
        "payload": event.payload,
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }


def jsonl_lines() -> Iterator[str]:
    """The whole chain as JSON Lines, oldest first (one event per line).

    The first line is no event: it carries the installation's public key and every
    published anchor (read before the events, so each anchored event is in the export).
    """
    from wijkfonds.services.audit.anchors import jsonl_header

    yield json.dumps(jsonl_header(), ensure_ascii=False, sort_keys=True) + "\n"
    for event in iter_events():
        yield json.dumps(event_dict(event), ensure_ascii=False, sort_keys=True) + "\n"


def line_hash(record: dict[str, Any]) -> str:
    """SHA-256 of an exported event's hashed fields (canonical JSON, sorted keys, no spaces)."""
    body = {k: record[k] for k in HASHED}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _is_header(record: Any) -> bool:
    return isinstance(record, dict) and "seq" not in record and record.get("kind") == anchor.KIND + "s"


def _anchor_problems(header: dict[str, Any], recomputed: dict[int, str], count: int) -> str | None:
    """The first anchor in the export's first line that is not validly signed or not in the chain."""
    key = header.get("public_key")
    docs = header.get("anchors")
    if not isinstance(key, str) or not isinstance(docs, list):
        return "line 1: the anchors line has no public key or no list of anchors"
    for number, doc in enumerate(docs, start=1):
        bad = anchor.signature_problems(doc, key) or anchor.chain_problems(doc, recomputed, count)
        if bad:
            return f"anchor {number}: {bad[0]}"
    return None


def verify_lines(lines: Iterable[str]) -> tuple[int, str | None]:
    """Check an exported chain; return (events checked, first problem or None).

    When the export starts with its anchors line, every anchor must also be signed by the
    key it names and its head be in the chain (so a shortened or rewritten export fails).
    """
    prev, expected, count = GENESIS, 1, 0
    header: dict[str, Any] | None = None
    recomputed: dict[int, str] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if number == 1 and _is_header(record):
                header = record
                continue
            missing = [k for k in (*HASHED, "hash") if k not in record]
        except (ValueError, TypeError):
            return count, f"line {number}: not a JSON object"
        if not isinstance(record, dict) or missing:
            return count, f"line {number}: missing fields {', '.join(missing) if isinstance(record, dict) else 'all'}"
        count += 1
        seq = record["seq"]
        if seq != expected:
            return count, f"event {seq}: expected sequence number {expected} (an event was deleted or inserted)"
        if record["prev_hash"] != prev:
            return count, f"event {seq}: previous-hash does not match event {expected - 1}"
        if line_hash(record) != record["hash"]:
            return count, f"event {seq}: contents do not match its hash (the event was altered)"
        recomputed[seq] = record["hash"]
        prev, expected = record["hash"], expected + 1
    if header is not None:
        return count, _anchor_problems(header, recomputed, count)
    return count, None
