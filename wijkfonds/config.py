"""Configuration: defaults, then environment variables, then overrides passed to create_app."""

from __future__ import annotations

import contextlib
import os
import secrets
from email.utils import parseaddr
from pathlib import Path
from typing import Any

from wijkfonds.i18n.offer import offered_codes

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


def _queue_url() -> str:
    # The task queue (wijkfonds.tasks): SqliteHuey in instance/ needs no server; production
    # with more than one machine sets redis://.
    return os.environ.get("WIJKFONDS_QUEUE_URL") or f"sqlite:///{ROOT / 'instance' / 'queue.sqlite3'}"


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
        # Dutch, English and every language whose catalogue is in i18n/translations/ (i18n/offer.py).
        "LANGUAGES": offered_codes(),
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
        # support counts; an account supports only once its address is confirmed, so each
        # needs a mailbox too).
        "REGISTER_RATE_LIMIT": (10, 3600),
        # Links sent by mail (services/accounts; README, "Accounts"). A confirmation link or
        # a new address's link lasts 48 hours, so that a resident who registers on Friday
        # evening can still click on Sunday; a password link one hour, since whoever reads
        # it can take over the account (it is asked for when needed, and used at once).
        "CONFIRM_LINK_SECONDS": 48 * 3600,
        "EMAIL_CHANGE_LINK_SECONDS": 48 * 3600,
        "RESET_LINK_SECONDS": 3600,
        # Confirmation mail sent again from the account page, per account: a mail arrives
        # within minutes, so a second and a third try (spam folder, a slow server) are all a
        # resident needs; a fourth in the same hour would not arrive either, and every mail
        # that is not wanted costs the sender's reputation with the mail providers.
        "CONFIRM_RESEND_RATE_LIMIT": (3, 3600),
        # Requests to change an account's address (each sends two mails), per account: a
        # typo corrected twice fits; an account cannot be used to mail strangers at will.
        "EMAIL_CHANGE_RATE_LIMIT": (3, 3600),
        # Password-link requests from one internet address, whether the address typed has an
        # account or not (both count, and both get the same 429): 20 in an hour is a help
        # desk's busy hour, and stops one machine from trying lists of addresses.
        "RESET_REQUEST_RATE_LIMIT": (20, 3600),
        # Mail that anyone can make the site send to an address without logging in (a
        # password link, "someone tried to register with your address"), per recipient, from
        # all internet addresses together: 5 in an hour is more than its owner needs (the
        # first arrives in a minute), and caps what a stranger can send to one mailbox.
        # Past it nothing is queued and the page looks the same, so it reveals nothing.
        "ACCOUNT_MAIL_RATE_LIMIT": (5, 3600),
        # Comments (on plans and on theme proposals) per account: 5 a minute and 30 an hour are
        # more than a lively discussion needs, and stop one account from flooding a page.
        "COMMENT_RATE_LIMITS": ((5, 60), (30, 3600)),
        # Wrong voting codes per address: 50 an hour (README, "Limits": a community centre's
        # evening of 100 residents, one in five mistyping once, uses 20; a botnet of 10,000
        # addresses needs about 1.9 years on average to hit one of 100,000 valid codes).
        "CODE_RATE_LIMIT": (50, 3600),
        "REPORT_RATE_LIMIT": (10, 3600),
        "COMMENT_EDIT_MINUTES": 15,
        # A whole request (a form with its photo): above it, the 413 page says what to do.
        # A photo between PHOTO_MAX_BYTES and this gets its message on the form itself.
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
        # The auditor's zip (services/results/engine_source.py): where the public source lives
        # and which commit runs here, when the code is not a git checkout (git tells otherwise).
        "SOURCE_URL": os.environ.get("WIJKFONDS_SOURCE_URL") or None,
        "SOURCE_COMMIT": os.environ.get("WIJKFONDS_SOURCE_COMMIT") or None,
        "MAIL_DIR": os.environ.get("WIJKFONDS_MAIL_DIR") or None,
        "MAIL_MAX_ATTEMPTS": 10,
        "MAIL_RETRY_SECONDS": (60, 3600),  # first wait, doubling up to the second
        "MAIL_CLAIM_SECONDS": 600,
        "MAIL_RETENTION_DAYS": int(os.environ.get("WIJKFONDS_MAIL_RETENTION_DAYS", "30") or 30),
        "MAIL_PER_PAGE": 50,
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
        # Privacy (AVG; services/accounts/privacy.py, the page /privacy). Who residents write
        # to about their data; default: the address the site's mail comes from.
        "PRIVACY_CONTACT": os.environ.get("WIJKFONDS_PRIVACY_CONTACT") or None,
        # Retention (services/accounts/privacy_retention.py). Rate-limit records (internet
        # addresses, digests of e-mail addresses) are needed only while a limit counts them:
        # the longest window is an hour, and that is what the page promises (raised to the
        # longest window when a limit is set longer).
        "RATE_EVENT_RETENTION_HOURS": 1,
        # The link between an account and its ballot's voter is kept after the result is
        # published for the six weeks in which an objection can be made (Awb art. 6:7).
        "VOTER_LINK_RETENTION_DAYS": 42,
        # Who reported a comment is forgotten this long after the report (resolved ones).
        "REPORT_RETENTION_DAYS": 365,
        # How long the operator keeps database backups (README, Deployment); deleted data is
        # gone from every backup after this many days. The page states it; cron enforces it.
        "BACKUP_RETENTION_DAYS": int(os.environ.get("WIJKFONDS_BACKUP_RETENTION_DAYS", "30") or 30),
        # Notifications (services/notifications): the daily digest goes from this hour on
        # (Europe/Amsterdam), once a day; the task queue runs send_digests hourly.
        "DIGEST_HOUR": 7,
        # Photos (services/media; README, "Photos"): files outside static/, in UPLOAD_DIR
        # (default instance/uploads/). A phone photo is 2-8 MB and 12 megapixels; the
        # pixel limit stops decompression bombs (a small file that unpacks to gigabytes).
        "UPLOAD_DIR": os.environ.get("WIJKFONDS_UPLOAD_DIR") or str(ROOT / "instance" / "uploads"),
        "PHOTO_MAX_BYTES": 10 * 1024 * 1024,
        "PHOTO_MAX_PIXELS": 40_000_000,
        "PHOTO_WIDTHS": (320, 640, 1280),
        "PHOTO_MAX_PER_PLAN": 6,
        # Decoding and re-encoding costs a second of CPU for a large photo: 30 uploads an
        # hour per account is far more than illustrating a few plans needs.
        "PHOTO_UPLOAD_RATE_LIMIT": (30, 3600),
        # Maps (README, "Maps"). Browsers load tiles from this URL template ({z}/{x}/{y}, {s} for
        # subdomains); the CSP's img-src allows its host. The default is this site's own tile
        # route, so no tile server sees a visitor. Empty: no background tiles, only outlines and points.
        "MAP_TILE_URL": os.environ.get("WIJKFONDS_MAP_TILE_URL", "/kaart/tegels/{z}/{x}/{y}.png"),
        # The tile route (services/places/tiles) fetches a tile it lacks from here, server-side,
        # and keeps it in MAP_TILE_CACHE_DIR. Empty: offline, cached tiles only.
        "MAP_TILE_UPSTREAM": os.environ.get(
            "WIJKFONDS_MAP_TILE_UPSTREAM", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
        ),
        "MAP_TILE_CACHE_DIR": os.environ.get("WIJKFONDS_MAP_TILE_CACHE_DIR") or str(ROOT / "instance" / "tiles"),
        # Named in the User-Agent of every upstream request, as OSM's tile policy asks (default PRIVACY_CONTACT).
        "MAP_TILE_CONTACT": os.environ.get("WIJKFONDS_MAP_TILE_CONTACT") or None,
        "MAP_TILE_TIMEOUT": 5.0,  # seconds for the upstream's whole answer
        "MAP_TILE_MAX_BYTES": 512 * 1024,  # one tile; OSM's are 5-60 KB
        # The cache stops storing at either bound. All the route fetches for the default MAP_BOUNDS,
        # zoom 0-19 with the margin below, is some 77,000 tiles (the stadsdeel itself 15,000).
        "MAP_TILE_CACHE_MAX_FILES": int(os.environ.get("WIJKFONDS_MAP_TILE_CACHE_MAX_FILES") or 100_000),
        "MAP_TILE_CACHE_MAX_BYTES": int(os.environ.get("WIJKFONDS_MAP_TILE_CACHE_MAX_BYTES") or 2 * 1024**3),
        # Only tiles within this many tiles of the map's reach (MAP_BOUNDS widened as map.js's
        # maxBounds) are fetched; others are served only from the cache.
        "MAP_TILE_AREA_MARGIN": 8,
        "MAP_TILE_MAX_AGE": 30 * 24 * 3600,  # browsers keep a tile this many seconds
        "MAP_TILE_ATTRIBUTION": os.environ.get("WIJKFONDS_MAP_TILE_ATTRIBUTION") or "© OpenStreetMap",
        "MAP_TILE_ATTRIBUTION_URL": os.environ.get("WIJKFONDS_MAP_TILE_ATTRIBUTION_URL")
        or "https://www.openstreetmap.org/copyright",
        "MAP_MAX_ZOOM": 19,
        # The stadsdeel's bounding box as "west,south,east,north" in degrees (GeoJSON's bbox
        # order): a plan in a district without an outline may lie anywhere inside it.
        "MAP_BOUNDS": os.environ.get("WIJKFONDS_MAP_BOUNDS") or "4.825,52.353,4.895,52.398",
        "MAP_OUTLINE_MAX_BYTES": 2 * 1024 * 1024,
        "MAP_MAX_POINTS": 2000,  # plans on the overview map at most
        # After the vote (services/implementation): a running plan owes an update after this
        # many days without one; a finished plan its financial account this long after it
        # ended (or was sent back); the initiator is reminded at most once per period.
        "IMPLEMENTATION_UPDATE_DAYS": 60,
        "IMPLEMENTATION_ACCOUNT_DAYS": 42,
        "IMPLEMENTATION_REMINDER_DAYS": 14,
    }
    if overrides:
        cfg.update(overrides)
    if cfg["QUEUE_IMMEDIATE"] is None:
        cfg["QUEUE_IMMEDIATE"] = bool(cfg.get("TESTING"))
    if not cfg.get("PRIVACY_CONTACT"):
        cfg["PRIVACY_CONTACT"] = parseaddr(str(cfg["MAIL_FROM"]))[1] or str(cfg["MAIL_FROM"])
    if not cfg.get("MAP_TILE_CONTACT"):
        cfg["MAP_TILE_CONTACT"] = cfg["PRIVACY_CONTACT"]
    if cfg.get("TESTING") and "MAP_TILE_UPSTREAM" not in (overrides or {}):
        cfg["MAP_TILE_UPSTREAM"] = ""  # tests never reach a tile server (nor fill instance/tiles)
    if not cfg["SECRET_KEY"] and not production:
        if cfg.get("TESTING") and "SECRET_KEY_FILE" not in (overrides or {}):
            cfg["SECRET_KEY"] = secrets.token_hex(32)  # tests never write into instance/
        else:
            cfg["SECRET_KEY"] = instance_secret_key(Path(cfg["SECRET_KEY_FILE"]))
    return cfg
