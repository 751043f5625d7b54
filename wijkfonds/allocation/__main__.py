"""``python -m wijkfonds.allocation``: see :mod:`wijkfonds.allocation.cli`."""

from __future__ import annotations

from .cli import main

raise SystemExit(main())
