"""Running ``python -m wijkfonds.allocation`` as a user would, for the tests (importable by name)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from pabulib_paths import REPO_ROOT


def cli(*args: object) -> subprocess.CompletedProcess[str]:
    """Run ``python -m wijkfonds.allocation`` with ``args`` from the repository root."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "wijkfonds.allocation", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=300,
        check=False,  # the tests look at the exit status themselves
    )


def cli_json(*args: object) -> dict[str, Any]:
    """The one JSON object of a successful run with ``--json`` (nothing on stderr)."""
    done = cli(*args, "--json")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return json.loads(done.stdout)  # exactly one JSON object: anything else fails to parse
