"""gunicorn settings shared by `make serve` and `make bench-web` (``-c python:wijkfonds.web.gunicorn_conf``).

Command-line options (workers, bind, logging) still apply on top of these.
"""

from __future__ import annotations

import gc


def post_worker_init(worker: object) -> None:
    """Freeze what the worker has loaded once it is ready to serve.

    The app, its templates, SQLAlchemy's metadata and the translations live as long as the
    worker. Without this, each of Python's full garbage collections walks all of them
    again (about 155,000 objects, tens of milliseconds each time). Frozen, the collector
    only looks at what requests create.
    """
    gc.collect()
    gc.freeze()
