"""Access expectations of the auditor pages (exports, the audit log) and the public integrity pages."""

from . import ANYONE, AUDITOR

EXPECT = {
    "audit.index": {"GET": AUDITOR},
    "audit.round_exports": {"GET": AUDITOR},
    "audit.export_csv": {"GET": AUDITOR},
    "audit.export_json": {"GET": AUDITOR},
    "audit.export_zip": {"GET": AUDITOR},
    "audit.export_pb": {"GET": AUDITOR},
    "audit.log": {"GET": AUDITOR},
    "audit.log_jsonl": {"GET": AUDITOR},
    # Public: anyone may archive the anchors, and a voter downloads their own proof.
    "audit.anchors_page": {"GET": ANYONE},
    "audit.anchors_json": {"GET": ANYONE},
    "audit.anchor_json": {"GET": ANYONE},
    "audit.receipt_proof": {"GET": ANYONE},
}


def world(values: dict[str, object]) -> dict[str, object]:
    """A published anchor, for anchor_id."""
    from wijkfonds.services.audit import anchors
    from wijkfonds.services.audit import log as audit

    audit.record("test.world")
    return {"anchor_id": anchors.publish("manual").id}
