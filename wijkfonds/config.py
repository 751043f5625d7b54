"""Configuration: defaults, then environment variables, then overrides passed to create_app."""

from __future__ import annotations

import contextlib
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


def instance_secret_key(path: Path) -> str:
    """The secret key kept in ``path`` (mode 0600), created on first use.

    Every worker of a server started without WIJKFONDS_SECRET_KEY must sign cookies and CSRF
    tokens with the same key, so the key lives in a file rather than in each process. The
    file appears atomically and complete: the key is written to a private temporary file,
    which is then hard-linked to ``path``. Linking never replaces an existing file, so when
    two workers start at once the second finds the first one's key and uses that.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(secrets.token_hex(32) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            with contextlib.suppress(FileExistsError):  # another worker was first: its key is the one
                os.link(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 32:
        raise RuntimeError(f"the secret key in {path} is missing or too short; delete the file to make a new one")
    return key


def load_config(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the configuration mapping for one app instance."""
    production = os.environ.get("WIJKFONDS_ENV", "development") == "production"
    cfg: dict[str, Any] = {
        "PRODUCTION": production,
        "SECRET_KEY": os.environ.get("WIJKFONDS_SECRET_KEY") or None,
        "SECRET_KEY_FROM_ENV": bool(os.environ.get("WIJKFONDS_SECRET_KEY")),
        # Outside production, without WIJKFONDS_SECRET_KEY: the one key that every worker reads.
        "SECRET_KEY_FILE": ROOT / "instance" / "secret_key",
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
        # Rate limits: (attempts, window in seconds); see the README, "Limits". Each one stops
        # guessing or flooding, never a resident: only failures (or new items) are counted.
        # Wrong passwords for one e-mail address, from anywhere: 10 in 15 minutes protects one
        # account from guessing (at most ~1,000 guesses a day) while a person who mistypes a
        # few times is never stopped. A correct password resets it.
        "LOGIN_ACCOUNT_RATE_LIMIT": (10, 900),
        # Wrong passwords from one internet address (an IPv6 /64), for any accounts: 100 in an
        # hour stops trying many accounts from one place, and is far above what a library or
        # community centre sharing one address produces (100 logins an hour, one in five
        # mistyping once, is 20). Successful logins are not counted.
        "LOGIN_ADDRESS_RATE_LIMIT": (100, 3600),
        # Registrations from one internet address: 10 in an hour lets a household or a help
        # desk sign up, and keeps one machine from making hundreds of accounts (to inflate
        # support counts) while accounts need no confirmed e-mail yet.
        "REGISTER_RATE_LIMIT": (10, 3600),
        # Comments (on plans and on theme proposals) per account: 5 a minute and 30 an hour are
        # more than a lively discussion needs, and stop one account from flooding a page.
        "COMMENT_RATE_LIMITS": ((5, 60), (30, 3600)),
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
        # The Ed25519 key that signs audit anchors: a file outside the database (0600),
        # created on first use; back it up apart from the database.
        "AUDIT_KEY_FILE": os.environ.get("WIJKFONDS_AUDIT_KEY_FILE") or str(ROOT / "instance" / "audit-anchor-key.pem"),
        "AUDIT_INSTALLATION": os.environ.get("WIJKFONDS_INSTALLATION") or "wijkfonds",
        # Seconds after voting closes before the ballots are committed (ballots in flight finish).
        "BALLOT_COMMIT_GRACE": 10,
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
        # Maps (README, "Maps"). Tiles from this URL template ({z}/{x}/{y}, {s} for subdomains);
        # the CSP's img-src allows its host. Empty: no background tiles, only outlines and points.
        "MAP_TILE_URL": os.environ.get("WIJKFONDS_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
        "MAP_TILE_ATTRIBUTION": os.environ.get("WIJKFONDS_MAP_TILE_ATTRIBUTION") or "© OpenStreetMap",
        "MAP_TILE_ATTRIBUTION_URL": os.environ.get("WIJKFONDS_MAP_TILE_ATTRIBUTION_URL")
        or "https://www.openstreetmap.org/copyright",
        "MAP_MAX_ZOOM": 19,
        # The stadsdeel's bounding box as "west,south,east,north" in degrees (GeoJSON's bbox
        # order): a plan in a district without an outline may lie anywhere inside it.
        "MAP_BOUNDS": os.environ.get("WIJKFONDS_MAP_BOUNDS") or "4.825,52.353,4.895,52.398",
        "MAP_OUTLINE_MAX_BYTES": 2 * 1024 * 1024,
        "MAP_MAX_POINTS": 2000,  # plans on the overview map at most
    }
    if overrides:
        cfg.update(overrides)
    if not cfg["SECRET_KEY"] and not production:
        if cfg.get("TESTING") and "SECRET_KEY_FILE" not in (overrides or {}):
            cfg["SECRET_KEY"] = secrets.token_hex(32)  # tests never write into instance/
        else:
            cfg["SECRET_KEY"] = instance_secret_key(Path(cfg["SECRET_KEY_FILE"]))
    return cfg
