"""Configuration: defaults, then environment variables, then overrides passed to create_app."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _database_url() -> str:
    url = os.environ.get("WIJKFONDS_DATABASE_URL")
    if url:
        # SQLAlchemy wants an explicit driver for psycopg 3.
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        return url
    return f"sqlite:///{ROOT / 'instance' / 'wijkfonds.sqlite3'}"


def _queue_url() -> str:
    # The task queue (wijkfonds.tasks): SqliteHuey in instance/ needs no server; production
    # with more than one machine sets redis://.
    return os.environ.get("WIJKFONDS_QUEUE_URL") or f"sqlite:///{ROOT / 'instance' / 'queue.sqlite3'}"


def load_config(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the configuration mapping for one app instance."""
    production = os.environ.get("WIJKFONDS_ENV", "development") == "production"
    cfg: dict[str, Any] = {
        "PRODUCTION": production,
        "SECRET_KEY": os.environ.get("WIJKFONDS_SECRET_KEY") or secrets.token_hex(32),
        "SECRET_KEY_FROM_ENV": bool(os.environ.get("WIJKFONDS_SECRET_KEY")),
        "SQLALCHEMY_DATABASE_URI": _database_url(),
        "DATABASE_URL_FROM_ENV": bool(os.environ.get("WIJKFONDS_DATABASE_URL")),
        # No pool_pre_ping: it costs a round trip on every request. dbsetup pings only a
        # connection that sat idle longer than this (seconds), where a restart may have cut it.
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "DB_PING_AFTER_IDLE": 10.0,
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "nl",
        "LANGUAGES": ("nl", "en"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SECURE": production,
        "PER_PAGE": 12,
        # Rate limits: (attempts, window in seconds).
        "LOGIN_RATE_LIMIT": (5, 300),
        # Wrong voting codes per address: 50 an hour (README, "Limits": a community centre's
        # evening of 100 residents, one in five mistyping once, uses 20; a botnet of 10,000
        # addresses needs about 1.9 years on average to hit one of 100,000 valid codes).
        "CODE_RATE_LIMIT": (50, 3600),
        "REPORT_RATE_LIMIT": (10, 3600),
        "COMMENT_EDIT_MINUTES": 15,
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
        # Reverse proxies in front of the app that set X-Forwarded-For/-Proto (0: none);
        # without it, rate limits behind a proxy would count every visitor as one address.
        "PROXY_HOPS": int(os.environ.get("WIJKFONDS_PROXY_HOPS", "0") or 0),
        # Background work (wijkfonds.tasks): sqlite:///FILE or redis://HOST:PORT/DB. Immediate
        # mode runs every task inside the caller (unit tests); None follows TESTING.
        "QUEUE_URL": _queue_url(),
        "QUEUE_NAME": "wijkfonds",
        "QUEUE_IMMEDIATE": None,
        # Allocation runs on the queue: a running run writes a heartbeat this often (seconds);
        # one silent for longer than ALLOCATION_RUN_LOST_AFTER (plus its ILP time limit) lost
        # its worker and is queued again, at most ALLOCATION_RUN_ATTEMPTS times in all.
        "ALLOCATION_RUN_HEARTBEAT": 10.0,
        "ALLOCATION_RUN_LOST_AFTER": 60.0,
        "ALLOCATION_RUN_ATTEMPTS": 2,
    }
    if overrides:
        cfg.update(overrides)
    if cfg["QUEUE_IMMEDIATE"] is None:
        cfg["QUEUE_IMMEDIATE"] = bool(cfg.get("TESTING"))
    return cfg
