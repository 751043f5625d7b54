"""Ask the task queue to send the outbox soon, once a request has committed mail to it.

The task queue (``wijkfonds.tasks``) sends due mail every 30 seconds on its own; its
``kick_mail()`` only makes that sooner. Where the queue is not installed, nothing is
kicked: the periodic sender, or ``flask --app wijkfonds mail send``, sends it.
"""

from __future__ import annotations

try:
    from wijkfonds.tasks import kick_mail as _kick  # type: ignore[import-not-found,unused-ignore]
except ImportError:
    _kick = None  # type: ignore[assignment,unused-ignore]


def kick_mail() -> None:
    """Call after the commit that queued mail (never before: the worker would find nothing)."""
    if _kick is not None:
        _kick()
