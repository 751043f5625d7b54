"""Background work on a task queue (Huey): allocation runs, mail, audit anchors, retention.

- ``queue``: the Huey instance, bound to the app's broker by :func:`init_app` (create_app
  calls it): SqliteHuey's storage in ``instance/`` by default, Redis with
  ``WIJKFONDS_QUEUE_URL=redis://...``, immediate mode in unit tests.
- ``allocation``, ``mail``, ``upkeep``: the task definitions; ``schedule``: what runs when,
  as staff read it; ``records``: when each scheduled task last ran.
- ``worker``: the consumer, ``python -m wijkfonds.tasks.worker`` (``make worker``).

Views enqueue only after their commit. Nothing on the ballot's path enqueues anything.
"""

from __future__ import annotations

from wijkfonds.tasks.allocation import enqueue_run
from wijkfonds.tasks.mail import kick_mail
from wijkfonds.tasks.queue import huey, init_app

__all__ = ["enqueue_run", "huey", "init_app", "kick_mail"]
