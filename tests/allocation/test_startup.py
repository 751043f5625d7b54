"""A command-line run loads only what its rule needs (process start is part of every run's time)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from pabulib_paths import DATA_DIR, REPO_ROOT

# Modules a plain run of these rules does not need: the solver, the fairness report, gmpy2
# (exact mode only, which these files never reach) and numpy.ma (np.unique pulls it in).
NOT_NEEDED = ("pyscipopt", "wijkfonds.allocation.fairness", "gmpy2", "numpy.ma")


def _loaded(*args: str) -> dict[str, bool]:
    script = (
        "import json, sys, io, contextlib\n"
        "from wijkfonds.allocation.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    status = main({list(args)!r})\n"
        f"print(json.dumps({{m: m in sys.modules for m in {list(NOT_NEEDED)!r}}}))\n"
        "sys.exit(status)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout.splitlines()[-1]))


@pytest.mark.parametrize("rule", ["greedy", "mes"])
def test_a_plain_run_loads_no_solver_no_fairness_no_gmpy2(rule: str) -> None:
    loaded = _loaded(str(DATA_DIR / "approval_small.pb"), "--rule", rule, "--json")
    assert loaded == dict.fromkeys(NOT_NEEDED, False)


def test_fairness_loads_the_report_but_no_solver() -> None:
    loaded = _loaded(str(DATA_DIR / "approval_small.pb"), "--rule", "greedy", "--rule", "mes", "--fairness")
    assert loaded["wijkfonds.allocation.fairness"] is True and loaded["pyscipopt"] is False
