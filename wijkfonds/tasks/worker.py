"""The queue's consumer: ``python -m wijkfonds.tasks.worker [--workers N]`` (``make worker``).

It builds the app from the same environment as the web server (WIJKFONDS_DATABASE_URL,
WIJKFONDS_QUEUE_URL, ...), recovers allocation runs whose previous worker died, and runs
Huey's consumer: worker threads for the tasks and a scheduler for the periodic ones.
SIGINT stops it gracefully (running tasks finish); SIGTERM stops it at once (a run it
was computing is recovered by the next worker).
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
from typing import Any

from wijkfonds import create_app
from wijkfonds.tasks.allocation import recover_runs
from wijkfonds.tasks.queue import huey

log = logging.getLogger("wijkfonds.tasks.worker")


def _redacted(url: str) -> str:
    return re.sub(r"//([^/@]*)@", "//***@", url)


def _stop_started(consumer: Any) -> None:
    consumer.stop_flag.set()
    for _worker, thread in consumer.worker_threads:
        if thread.ident is not None:  # started
            thread.join()
    if consumer.scheduler.ident is not None:
        consumer.scheduler.join()


def main(argv: list[str] | None = None, config: dict[str, Any] | None = None) -> int:
    """Run the consumer until it is stopped; the exit status."""
    parser = argparse.ArgumentParser(prog="python -m wijkfonds.tasks.worker", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        help="worker threads (default 2: an allocation run and the mail can go on side by side)",
    )
    parser.add_argument(
        "--no-periodic",
        dest="periodic",
        action="store_false",
        help="no scheduler for the periodic tasks (when another consumer on the same queue runs them)",
    )
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be 1 or more")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        app = create_app(config)
    except (RuntimeError, ValueError) as exc:
        print(f"wijkfonds worker: {exc}", file=sys.stderr)
        return 2
    if huey.immediate:
        print(
            "wijkfonds worker: QUEUE_IMMEDIATE is on, so tasks run where they are called; nothing to consume",
            file=sys.stderr,
        )
        return 2
    log.info(
        "queue %r on %s, %d worker thread(s), periodic tasks %s",
        huey.name,
        _redacted(app.config["QUEUE_URL"]),
        args.workers,
        "on" if args.periodic else "off",
    )
    # An idle worker polls the queue at most a second apart (Huey's default backs off to 10 s):
    # a kicked mail or a new run starts within a second on SQLite too (Redis blocks on the list).
    consumer = huey.create_consumer(workers=args.workers, worker_type="thread", periodic=args.periodic, max_delay=1.0)
    try:
        recover_runs.call_local()
        consumer.run()
    except KeyboardInterrupt:
        # SIGINT before Huey installed its own handler (it does so once every thread started).
        log.info("interrupted while starting; stopping")
        _stop_started(consumer)
    return 0


if __name__ == "__main__":
    sys.exit(main())
