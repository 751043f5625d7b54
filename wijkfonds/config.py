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
        # Mail (services/mail; README, "Mail"). Without an SMTP URL, messages are written as
        # .eml files into MAIL_DIR (default instance/mail/) instead of being sent.
        "SMTP_URL": os.environ.get("WIJKFONDS_SMTP_URL") or None,
        "SMTP_CA_FILE": os.environ.get("WIJKFONDS_SMTP_CA_FILE") or None,
        "SMTP_TIMEOUT": 30.0,
        "MAIL_FROM": os.environ.get("WIJKFONDS_MAIL_FROM") or "Wijkfonds <wijkfonds@localhost>",
        # The site's public address, for absolute links in mail built outside a request.
        "SITE_URL": os.environ.get("WIJKFONDS_SITE_URL") or None,
        "MAIL_DIR": None,
        "MAIL_MAX_ATTEMPTS": 10,
        "MAIL_RETRY_SECONDS": (60, 3600),  # first wait, doubling up to the second
        "MAIL_CLAIM_SECONDS": 600,
        "MAIL_RETENTION_DAYS": int(os.environ.get("WIJKFONDS_MAIL_RETENTION_DAYS", "30") or 30),
        "MAIL_PER_PAGE": 50,
    }
    if overrides:
        cfg.update(overrides)
    return cfg
