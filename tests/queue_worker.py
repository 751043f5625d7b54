"""A real queue consumer for tests/test_queue_worker.py: ``python -m tests.queue_worker``.

It runs ``wijkfonds.tasks.worker.main`` with the configuration in WIJKFONDS_TEST_WORKER
(JSON: ``config`` overrides and worker ``args``). With ``hold`` (a folder) set, the
allocation rule first writes ``started`` there and then waits until ``release`` exists, so
a test can kill the consumer while a run is running, at a moment it knows.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from wijkfonds.services.results import runner
from wijkfonds.tasks import worker


def _hold(folder: Path) -> None:
    real = runner.run_rule

    def held(*args: Any, **kwargs: Any) -> Any:
        (folder / "started").write_text(str(os.getpid()))
        deadline = time.monotonic() + 300
        while not (folder / "release").exists():
            if time.monotonic() > deadline:
                raise RuntimeError("tests.queue_worker: never released")
            time.sleep(0.02)
        return real(*args, **kwargs)

    runner.run_rule = held  # type: ignore[assignment]


def main() -> int:
    """Start the consumer as the test asked."""
    spec = json.loads(os.environ["WIJKFONDS_TEST_WORKER"])
    if spec.get("hold"):
        _hold(Path(spec["hold"]))
    return worker.main(spec.get("args", []), spec["config"])


if __name__ == "__main__":
    sys.exit(main())
