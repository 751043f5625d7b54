"""Access expectations of the auditor pages: exports and the audit log."""

from . import AUDITOR

EXPECT = {
    "audit.index": {"GET": AUDITOR},
    "audit.round_exports": {"GET": AUDITOR},
    "audit.export_csv": {"GET": AUDITOR},
    "audit.export_json": {"GET": AUDITOR},
    "audit.export_zip": {"GET": AUDITOR},
    "audit.export_pb": {"GET": AUDITOR},
    "audit.log": {"GET": AUDITOR},
    "audit.log_jsonl": {"GET": AUDITOR},
}
