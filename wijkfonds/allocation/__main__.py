"""``python -m wijkfonds.allocation``: see :mod:`wijkfonds.allocation.cli`.

A plain ``FILE --rule mes [--json]`` run goes through :mod:`.quick` first, which answers
without loading numpy when the file allows it and otherwise leaves the run to :mod:`.cli`.
"""

from __future__ import annotations

import gc
import sys

gc.disable()  # the quick path's imports and run make no cycles worth collecting
from .quick import run as quick_run  # noqa: E402

status = quick_run(sys.argv[1:])
gc.enable()
if status is None:
    from .cli import main

    status = main()
raise SystemExit(status)
