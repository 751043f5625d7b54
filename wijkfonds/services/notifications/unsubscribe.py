"""One-click unsubscribe links: signed, per account and per kind, valid without logging in.

A link carries ``[user id, kind, account created]`` signed with the site's secret key
(itsdangerous, its own salt). It does not expire: a message read months later must still
let its reader stop the next one (RFC 8058 asks that the link keep working). It can only
ever switch notifications *off*, so a leaked link costs its owner mail, nothing else. The
account's creation time makes a link of a deleted account useless to a new account that
happens to get the same id. After the secret key changes, links signed with one of
``SECRET_KEY_FALLBACKS`` still work.

``kind`` is one of ``NotificationKind``, or ``"all"`` (the daily digest's link: every switch off).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from wijkfonds.extensions import db
from wijkfonds.models import NotificationKind, User
from wijkfonds.services.mail.links import absolute_url
from wijkfonds.services.notifications.settings import settings_for, switch_off

SALT = "wijkfonds.notifications.unsubscribe"
ALL = "all"


def _serializer() -> URLSafeSerializer:
    # Newest key last: itsdangerous signs with the last and accepts every one (as Flask's sessions).
    keys = [*(current_app.config.get("SECRET_KEY_FALLBACKS") or ()), current_app.secret_key]
    return URLSafeSerializer([k.encode() if isinstance(k, str) else k for k in keys if k], salt=SALT)


def _created(user: User) -> int:
    return int(user.created_at.replace(tzinfo=UTC).timestamp())


def token_for(user: User, kind: NotificationKind | None) -> str:
    """The signed token of ``user``'s unsubscribe link for ``kind`` (None: every kind)."""
    return str(_serializer().dumps([user.id, kind.value if kind is not None else ALL, _created(user)]))


def url_for_user(user: User, kind: NotificationKind | None) -> str:
    """The absolute unsubscribe link for ``user`` and ``kind`` (what List-Unsubscribe names)."""
    return absolute_url("notifications.unsubscribe_confirm", token=token_for(user, kind))


@dataclass(frozen=True)
class Unsubscribe:
    """What a valid link is about: the account and the kind (None: every kind)."""

    user: User
    kind: NotificationKind | None

    def already_off(self) -> bool:
        """True when what the link switches off is off already."""
        prefs = settings_for(self.user)
        kinds = list(NotificationKind) if self.kind is None else [self.kind]
        return not any(prefs.is_on(k) for k in kinds)


def read(token: str) -> Unsubscribe | None:
    """The account and kind of a link's token, or None when it is not (or no longer) valid."""
    if len(token) > 500:
        return None
    try:
        payload = _serializer().loads(token)
    except BadSignature:
        return None
    if not (isinstance(payload, list) and len(payload) == 3):
        return None
    user_id, kind_name, created = payload
    if not isinstance(user_id, int) or not isinstance(created, int) or not 0 < user_id < 2**63:
        return None
    kind: NotificationKind | None
    if kind_name == ALL:
        kind = None
    elif kind_name in {k.value for k in NotificationKind}:
        kind = NotificationKind(kind_name)
    else:
        return None
    user = db.session.get(User, user_id)
    if user is None or _created(user) != created:
        return None
    return Unsubscribe(user, kind)


def apply(link: Unsubscribe) -> bool:
    """Switch off what the link names; True when something was on."""
    return switch_off(link.user, link.kind)
