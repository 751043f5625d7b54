"""The mail accounts send: a link or a notice, in the recipient's language, and the cap per recipient.

Every message goes through the outbox (``services.mail.outbox.queue``) in the caller's
transaction. Mail that anyone can make the site send without logging in (a password link,
"someone tried to register with your address", "your address is already taken") is capped
per recipient (``ACCOUNT_MAIL_RATE_LIMIT``, counted under a digest of the address): past
the cap nothing is queued and the caller answers as always, so the cap reveals nothing.
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import current_app

from wijkfonds.common.timeutil import duration_text
from wijkfonds.i18n.languages import use_language
from wijkfonds.models import User
from wijkfonds.services import ratelimit
from wijkfonds.services.errors import RateLimited
from wijkfonds.services.mail.links import absolute_url
from wijkfonds.services.mail.outbox import queue

ACCOUNT_MAIL_BUCKET = "account-mail"


def address_key(email: str) -> str:
    """A digest of an e-mail address, for rate limits (the rate_event table holds no addresses)."""
    return hashlib.sha256(email.strip().lower().encode("utf-8")).hexdigest()


def within_cap(email: str) -> bool:
    """Count one unsolicited-able mail to ``email``; False (and nothing counted) when its cap is used up."""
    key = address_key(email)
    try:
        ratelimit.check(ACCOUNT_MAIL_BUCKET, key, current_app.config["ACCOUNT_MAIL_RATE_LIMIT"], "")
    except RateLimited:
        return False
    ratelimit.hit(ACCOUNT_MAIL_BUCKET, key)
    return True


def valid_for(seconds: int, language: str) -> str:
    """How long a link works, in words, in ``language`` ("48 uur", "one hour")."""
    with use_language(language):
        return duration_text(seconds)


def send(to: str, template: str, *, user: User, language: str, context: dict[str, Any]) -> None:
    """Queue ``templates/mail/<template>`` to ``to``; every account mail sees the account's name."""
    queue(to, template, language=language, context={"name": user.display_name, **context})


def send_link(
    to: str,
    template: str,
    *,
    user: User,
    language: str,
    endpoint: str,
    token: str,
    seconds: int,
    context: dict[str, Any] | None = None,
) -> None:
    """Queue a mail with a token link to ``endpoint`` and how long it works (``link``, ``valid_for``)."""
    send(
        to,
        template,
        user=user,
        language=language,
        context={"link": link(endpoint, token), "valid_for": valid_for(seconds, language), **(context or {})},
    )


def link(endpoint: str, token: str) -> str:
    """The absolute link to a page that takes a token."""
    return absolute_url(endpoint, token=token)


def link_to(endpoint: str) -> str:
    """The absolute link to a page without a token."""
    return absolute_url(endpoint)
