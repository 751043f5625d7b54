"""Links sent by mail for an account: a random token in the link, only its hash stored, used once.

Why a random token with its hash in a table, not a signed token (itsdangerous): a link must
work once, so the server keeps state for it anyway; with that state in a row a link can
also end before it expires (a newer link replaces it, a password reset ends every open
link), the site's secret key can change without breaking links, and a copy of the
database holds no working link, only SHA-256 hashes. The token has 256 random bits, so
guessing one needs no rate limit.

A link is refused with a reason the page can say (``LinkRefused.state``): unknown (never
issued, mistyped, or cleaned up a week after it expired: 404), used, ended (replaced, or
the account's address or password changed since it was sent) or expired (410). Showing a
link (GET) only reads; using it (POST) is one conditional UPDATE, so two clicks at once
use it once.
"""

from __future__ import annotations

import enum
import hashlib
import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.models import AccountToken, TokenPurpose, User
from wijkfonds.services.errors import DomainError

TOKEN_BYTES = 32
# Used and expired rows stay a week, so that a late click says "used" or "expired" rather
# than "unknown"; then they go (they hold an address: AVG).
KEEP_AFTER_EXPIRY = timedelta(days=7)
SHAPE = re.compile(r"[A-Za-z0-9_-]{20,100}")


class LinkState(str, enum.Enum):  # noqa: UP042  # StrEnum would change what str() gives for a member
    """Why a link does not work (any more)."""

    UNKNOWN = "unknown"
    USED = "used"
    ENDED = "ended"
    EXPIRED = "expired"


class LinkRefused(DomainError):
    """A link that is unknown (404), used, ended or expired (410)."""

    def __init__(self, state: LinkState, purpose: TokenPurpose) -> None:
        super().__init__(state.value, status=404 if state == LinkState.UNKNOWN else 410)
        self.state = state
        self.purpose = purpose


def digest(raw: str) -> str:
    """The stored form of a token: SHA-256, hex."""
    return hashlib.sha256(raw.encode("ascii", "replace")).hexdigest()


def issue(user: User, purpose: TokenPurpose, *, email: str, seconds: int, now: datetime | None = None) -> str:
    """A new link token for ``user`` sent to ``email``, valid ``seconds``; returns the token for the link."""
    now = now or utcnow()
    purge_old(now)
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    db.session.add(
        AccountToken(
            user_id=user.id,
            purpose=purpose.value,
            token_hash=digest(raw),
            email=email,
            created_at=now,
            expires_at=now + timedelta(seconds=seconds),
        )
    )
    db.session.flush()
    return raw


def find(raw: str, purpose: TokenPurpose, *, now: datetime | None = None) -> tuple[AccountToken, User]:
    """The open link with this token and its account; LinkRefused (with the reason) otherwise."""
    now = now or utcnow()
    row = None
    if SHAPE.fullmatch(raw or ""):
        row = db.session.scalars(
            select(AccountToken).where(AccountToken.token_hash == digest(raw), AccountToken.purpose == purpose.value)
        ).first()
    if row is None:
        raise LinkRefused(LinkState.UNKNOWN, purpose)
    if row.used_at is not None:
        raise LinkRefused(LinkState.USED, purpose)
    if row.voided_at is not None:
        raise LinkRefused(LinkState.ENDED, purpose)
    if row.expires_at <= now:
        raise LinkRefused(LinkState.EXPIRED, purpose)
    user = db.session.get(User, row.user_id)
    if user is None or not user.active:
        raise LinkRefused(LinkState.ENDED, purpose)
    # A confirmation or password link proves that its reader has the mail of the address it
    # went to; once the account has another address it proves nothing about the account.
    if purpose != TokenPurpose.EMAIL and user.email.lower() != row.email.lower():
        raise LinkRefused(LinkState.ENDED, purpose)
    return row, user


def use(row: AccountToken, *, now: datetime | None = None) -> None:
    """Mark the link used, once: a second use (also one at the same moment) is LinkRefused(used)."""
    now = now or utcnow()
    t = AccountToken.__table__.c
    result = db.session.execute(
        update(AccountToken.__table__)
        .where(t.id == row.id, t.used_at.is_(None), t.voided_at.is_(None))
        .values(used_at=now)
    )
    if int(getattr(result, "rowcount", 0) or 0) != 1:
        raise LinkRefused(LinkState.USED, TokenPurpose(row.purpose))
    db.session.expire(row)


def end_open(user: User, *purposes: TokenPurpose, now: datetime | None = None) -> None:
    """End the account's links of these purposes that are still open (replaced, or no longer true)."""
    now = now or utcnow()
    t = AccountToken.__table__.c
    db.session.execute(
        update(AccountToken.__table__)
        .where(
            t.user_id == user.id,
            t.purpose.in_([p.value for p in purposes]),
            t.used_at.is_(None),
            t.voided_at.is_(None),
        )
        .values(voided_at=now)
    )


def pending(user: User, purpose: TokenPurpose, *, now: datetime | None = None) -> AccountToken | None:
    """The newest open link of this purpose (e.g. the address a change waits for)."""
    now = now or utcnow()
    return db.session.scalars(
        select(AccountToken)
        .where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == purpose.value,
            AccountToken.used_at.is_(None),
            AccountToken.voided_at.is_(None),
            AccountToken.expires_at > now,
        )
        .order_by(AccountToken.id.desc())
    ).first()


def purge_old(now: datetime | None = None) -> int:
    """Delete links that expired more than KEEP_AFTER_EXPIRY ago; return how many."""
    cutoff = (now or utcnow()) - KEEP_AFTER_EXPIRY
    t = AccountToken.__table__.c
    result = db.session.execute(delete(AccountToken.__table__).where(t.expires_at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)
