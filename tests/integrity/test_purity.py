"""wijkfonds.integrity is a pure library: an auditor runs it without the platform's web stack."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_integrity_imports_without_web_or_orm() -> None:
    script = (
        "import json, sys\n"
        "import wijkfonds.integrity.merkle, wijkfonds.integrity.anchor\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy', 'werkzeug', 'jinja2'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []
