"""The one Huey instance of the site, bound to an app's configuration by :func:`init_app`.

``QUEUE_URL`` chooses the broker: ``sqlite:///FILE`` (SqliteHuey's storage: no server, the
default in ``instance/``) or ``redis://HOST:PORT/DB`` (RedisHuey's, for production with
more than one machine). ``QUEUE_IMMEDIATE`` runs every task inside the caller (unit tests).
The tasks are defined on this instance at import time; which storage they go to is set
when an app is created, so the web process and the worker share one configuration.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ParamSpec, Protocol, cast

from flask import Flask
from huey import Huey, crontab
from huey.storage import RedisStorage, SqliteStorage

from wijkfonds.extensions import db

P = ParamSpec("P")
log = logging.getLogger(__name__)

# Immediate (in-memory) until an app binds it, so nothing leaves the process before that.
# No result store: nothing waits on a task's return value, and results nobody reads would
# only pile up in the broker.
huey: Any = Huey("wijkfonds", results=False, immediate=True, utc=True)
_bound: dict[str, Flask] = {}


class Task(Protocol[P]):
    """A Huey task as the site uses it: calling it enqueues (or, in immediate mode, runs it)."""

    name: str

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> object:
        """Enqueue the task with these arguments."""
        ...

    def call_local(self, *args: P.args, **kwargs: P.kwargs) -> None:
        """Run the task's function here and now, without the queue."""
        ...

    def schedule(
        self, args: tuple[Any, ...] | None = None, kwargs: dict[str, Any] | None = None, *, delay: float | None = None
    ) -> object:
        """Enqueue the task to run ``delay`` seconds from now."""
        ...


def task(*, retries: int = 0, retry_delay: float = 0) -> Callable[[Callable[P, None]], Task[P]]:
    """Define a task on the site's queue (Huey's ``@huey.task``, typed)."""
    return cast("Callable[[Callable[P, None]], Task[P]]", huey.task(retries=retries, retry_delay=retry_delay))


def periodic(cron: dict[str, str]) -> Callable[[Callable[[], None]], Task[[]]]:
    """Define a task that the worker's scheduler enqueues on a crontab (``{"minute": "*/5"}``)."""
    return cast("Callable[[Callable[[], None]], Task[[]]]", huey.periodic_task(crontab(strict=True, **cron)))


def storage_for(url: str) -> tuple[type[Any], dict[str, Any]]:
    """Huey's storage class and its arguments for a QUEUE_URL; a clear ValueError for anything else."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisStorage, {"url": url}
    if url.startswith("sqlite:///") and len(url) > len("sqlite:///"):
        path = Path(url[len("sqlite:///") :])
        if not path.is_absolute():
            raise ValueError(
                f"WIJKFONDS_QUEUE_URL: give the SQLite file as an absolute path (sqlite:////ABSOLUTE/FILE), not {url!r}"
            )
        return SqliteStorage, {"filename": str(path)}
    raise ValueError(f"WIJKFONDS_QUEUE_URL must be sqlite:////ABSOLUTE/FILE or redis://HOST:PORT/DB, not {url!r}")


def init_app(app: Flask) -> None:
    """Point the queue at the app's broker (or immediate mode) and remember the app for the tasks."""
    immediate = bool(app.config["QUEUE_IMMEDIATE"])
    storage_class, kwargs = storage_for(app.config["QUEUE_URL"])
    if storage_class is SqliteStorage and not immediate:
        Path(kwargs["filename"]).parent.mkdir(parents=True, exist_ok=True)
    huey.name = app.config["QUEUE_NAME"]
    huey.storage_class, huey.storage_kwargs = storage_class, kwargs
    huey.immediate = immediate
    huey.storage = huey.create_storage()
    _bound["app"] = app
    app.extensions["wijkfonds_queue"] = huey
    # The task definitions register themselves on `huey` when imported.
    from wijkfonds.tasks import allocation, implementation, mail, upkeep  # noqa: F401


def bound_app() -> Flask:
    """The app the queue was bound to last (create_app binds it)."""
    try:
        return _bound["app"]
    except KeyError:
        raise RuntimeError(
            "the task queue is not bound to an app: create_app() calls wijkfonds.tasks.init_app"
        ) from None


@contextmanager
def app_context() -> Iterator[Flask]:
    """A fresh app context (and so a session of its own) for one task; the session is removed after."""
    app = bound_app()
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
