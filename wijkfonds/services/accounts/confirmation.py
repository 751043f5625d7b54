"""Confirming an account's e-mail address: the link by mail, sending it again, and what waits for it.

Until its address is confirmed an account can log in, read, comment and submit plans, but
it cannot support a plan (``dialogue.initiatives``) or bind a voting code
(``voting.codes.bind``), and in rounds without letters it cannot vote
(``voting.ballots.account_voter``): those count people, and a confirmed address is the
least that one person has to show. Each refusal is an :class:`EmailNotConfirmed` (403)
that says so; the pages link to the account page, which sends the link again.

A confirmation link works for ``CONFIRM_LINK_SECONDS`` (48 hours) and once; links sent
earlier keep working until one of them is used, so a mail that arrives late is not lost.
"""

from __future__ import annotations

from flask import current_app

from wijkfonds.common.timeutil import duration_text, utcnow
from wijkfonds.common.translation import gettext as _
from wijkfonds.models import TokenPurpose, User
from wijkfonds.services import ratelimit
from wijkfonds.services.accounts import mails, tokens
from wijkfonds.services.audit import log as audit
from wijkfonds.services.errors import DomainError, NotAllowed

RESEND_BUCKET = "confirm-resend"


class EmailNotConfirmed(NotAllowed):
    """The account's address is not confirmed yet, and this action needs it (403)."""


def is_confirmed(user: User) -> bool:
    """True when the account's current address is confirmed."""
    return user.email_confirmed_at is not None


def require_confirmed(user: User, message: str) -> None:
    """EmailNotConfirmed with ``message`` unless the account's address is confirmed."""
    if not is_confirmed(user):
        raise EmailNotConfirmed(message)


def send_link(user: User, *, language: str, template: str = "account_confirm", **context: str) -> None:
    """Queue a confirmation link to the account's address (``account_created`` for accounts made by an admin)."""
    seconds = int(current_app.config["CONFIRM_LINK_SECONDS"])
    raw = tokens.issue(user, TokenPurpose.CONFIRM, email=user.email, seconds=seconds)
    mails.send_link(
        user.email,
        template,
        user=user,
        language=language,
        endpoint="account.confirm",
        token=raw,
        seconds=seconds,
        context={"email": user.email, **context},
    )


def resend(user: User, *, language: str) -> None:
    """The account page's "send the link again"; limited per account (CONFIRM_RESEND_RATE_LIMIT)."""
    if is_confirmed(user):
        raise DomainError(_("Uw e-mailadres is al bevestigd."), status=409)
    limit = current_app.config["CONFIRM_RESEND_RATE_LIMIT"]
    key = str(user.id)
    ratelimit.take(
        RESEND_BUCKET,
        key,
        limit,
        _(
            "U heeft de bevestigingsmail in korte tijd al %(n)d keer opnieuw gevraagd. Kijk ook bij uw ongewenste "
            "mail (spam). U kunt het over %(window)s opnieuw vragen.",
            n=limit[0],
            window=duration_text(limit[1]),
        ),
    )
    send_link(user, language=language)


def mark_confirmed(user: User) -> None:
    """The account's current address is confirmed now (its open confirmation links end)."""
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
        audit.record("user.email_confirmed", actor=user, user_id=user.id)
    tokens.end_open(user, TokenPurpose.CONFIRM)


def check(raw: str) -> User:
    """The account a confirmation link is for (LinkRefused when it does not work); changes nothing."""
    return tokens.find(raw, TokenPurpose.CONFIRM)[1]


def confirm(raw: str) -> User:
    """Use a confirmation link: the account's address is confirmed."""
    row, user = tokens.find(raw, TokenPurpose.CONFIRM)
    tokens.use(row)
    mark_confirmed(user)
    return user
