"""A forgotten password: a link by mail to choose a new one, after which every session ends.

The request page answers the same whether the address has an account or not: the same
status, page and rate limit (``RESET_REQUEST_RATE_LIMIT`` per internet address counts
every request). The only difference in work is one outbox row and one link row, queued
for an active account within the recipient's cap (``mails.within_cap``); a blocked
account gets no link (it could not log in anyway).

A password link works for ``RESET_LINK_SECONDS`` (one hour) and once. Using it sets the
password, ends every session (``session_version``) and every other open password or
address-change link, clears the account's count of wrong passwords, and confirms the
address if it was not yet: the click shows that its owner reads that mail.
"""

from __future__ import annotations

from flask import current_app

from wijkfonds.common.timeutil import duration_text
from wijkfonds.common.translation import gettext as _
from wijkfonds.models import TokenPurpose, User
from wijkfonds.services import ratelimit
from wijkfonds.services.accounts import confirmation, mails, tokens, users
from wijkfonds.services.audit import log as audit
from wijkfonds.services.errors import ValidationFailed

RESET_REQUEST_BUCKET = "reset-request"
MIN_PASSWORD = 10


def send_link(user: User, *, language: str, template: str = "password_reset") -> bool:
    """Queue a password link to the account's address, unless its cap is used up (then False)."""
    if not mails.within_cap(user.email):
        return False
    seconds = int(current_app.config["RESET_LINK_SECONDS"])
    raw = tokens.issue(user, TokenPurpose.RESET, email=user.email, seconds=seconds)
    mails.send_link(
        user.email,
        template,
        user=user,
        language=language,
        endpoint="account.reset_password",
        token=raw,
        seconds=seconds,
        context={"forgot_url": mails.link_to("account.forgot_password")},
    )
    return True


def request_reset(email: str, *, language: str, ip: str) -> None:
    """Someone asks for a password link for ``email``: queued only for an account, answered the same."""
    limit = current_app.config["RESET_REQUEST_RATE_LIMIT"]
    key = ratelimit.address_key(ip)
    ratelimit.take(
        RESET_REQUEST_BUCKET,
        key,
        limit,
        _(
            "Vanaf dit internetadres zijn in korte tijd al %(n)d wachtwoordlinks gevraagd. Probeer het over "
            "%(window)s opnieuw.",
            n=limit[0],
            window=duration_text(limit[1]),
        ),
    )
    user = users.find_by_email(email)
    if user is None or not user.active:
        return
    send_link(user, language=language)


def password_errors(password: str) -> list[tuple[str | None, str]]:
    """What is wrong with a new password (the same rule as at registration)."""
    if len(password) < MIN_PASSWORD:
        return [("password", _("Het wachtwoord moet minstens 10 tekens hebben."))]
    return []


def check(raw: str) -> User:
    """The account a password link is for (LinkRefused when it does not work); changes nothing."""
    return tokens.find(raw, TokenPurpose.RESET)[1]


def reset_password(raw: str, password: str) -> User:
    """Use a password link: the new password, every session ended (see the module)."""
    row, user = tokens.find(raw, TokenPurpose.RESET)
    errors = password_errors(password)
    if errors:
        raise ValidationFailed(errors)  # before the link is used: it still works for a better password
    tokens.use(row)
    user.set_password(password)
    users.logout_everywhere(user)
    tokens.end_open(user, TokenPurpose.RESET, TokenPurpose.EMAIL)
    confirmation.mark_confirmed(user)
    ratelimit.clear(users.LOGIN_ACCOUNT_BUCKET, mails.address_key(user.email))
    audit.record("user.password_reset", actor=user, user_id=user.id)
    return user
