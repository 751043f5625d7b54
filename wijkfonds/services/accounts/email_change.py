"""Changing an account's e-mail address: the new address confirms first, the old one is told.

The owner asks with their password (a session left open on a shared computer is not
enough to move the account to another mailbox; a wrong password counts against the
account's login limit). Then:

- the new address gets a link (``EMAIL_CHANGE_LINK_SECONDS``, 48 hours, once); only the
  click changes the address, which is then confirmed;
- the old address gets a notice naming the new one, with a password link page in case it
  was not its owner (a password reset ends the pending change);
- a newer request ends the older one's link.

When the new address already belongs to another account, the answer is the same ("we sent
a link to the new address", and the account page shows the change waiting for it, from a
link row whose token is never sent), so the form cannot be used to find out who has an
account; the new address gets a mail saying that it already has an account and nothing
was changed (within its cap), so only whoever reads that mailbox learns it. Should the
address be taken by the time the link is clicked, the click changes nothing and says why
(409): its reader owns that mailbox. Typing the account's own address is refused at once
(that reveals nothing).
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy.exc import IntegrityError

from wijkfonds.common.timeutil import duration_text, utcnow
from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.models import TokenPurpose, User
from wijkfonds.services import ratelimit
from wijkfonds.services.accounts import mails, tokens, users
from wijkfonds.services.audit import log as audit
from wijkfonds.services.errors import DomainError, ValidationFailed

EMAIL_CHANGE_BUCKET = "email-change"


def _check_password(user: User, password: str) -> None:
    key = mails.address_key(user.email)
    limit = current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"]
    ratelimit.check(
        users.LOGIN_ACCOUNT_BUCKET,
        key,
        limit,
        _(
            "Te veel onjuiste wachtwoorden voor dit account. U kunt het over %(window)s opnieuw proberen.",
            window=duration_text(limit[1]),
        ),
    )
    if not user.check_password(password):
        ratelimit.hit(users.LOGIN_ACCOUNT_BUCKET, key)
        raise ValidationFailed([("password", _("Dit is niet het wachtwoord van uw account."))])


def request_change(user: User, *, new_email: str, password: str, language: str) -> str:
    """Ask to move the account to ``new_email``; returns the address as it will be stored.

    Raises ValidationFailed (wrong password, the same address) and RateLimited; the view
    commits those too, since the counted attempts are what the limits count.
    """
    _check_password(user, password)
    new = new_email.strip().lower()
    if new == user.email.lower():
        raise ValidationFailed([("email", _("Dit is al het e-mailadres van uw account."))])
    limit = current_app.config["EMAIL_CHANGE_RATE_LIMIT"]
    key = str(user.id)
    ratelimit.take(
        EMAIL_CHANGE_BUCKET,
        key,
        limit,
        _(
            "U heeft in korte tijd al %(n)d keer gevraagd uw e-mailadres te wijzigen. U kunt het over %(window)s "
            "opnieuw vragen.",
            n=limit[0],
            window=duration_text(limit[1]),
        ),
    )
    tokens.end_open(user, TokenPurpose.EMAIL)
    seconds = int(current_app.config["EMAIL_CHANGE_LINK_SECONDS"])
    taken = users.find_by_email(new) is not None
    # A link row either way, so that the account page shows the same pending change; for a
    # taken address its token is never sent, so it can never be used.
    raw = tokens.issue(user, TokenPurpose.EMAIL, email=new, seconds=seconds)
    if not taken:
        mails.send_link(
            new,
            "email_change_confirm",
            user=user,
            language=language,
            endpoint="account.confirm_email_change",
            token=raw,
            seconds=seconds,
            context={"new_email": new},
        )
    elif mails.within_cap(new):
        mails.send(
            new,
            "email_change_taken",
            user=user,
            language=language,
            context={"new_email": new, "forgot_url": mails.link_to("account.forgot_password")},
        )
    mails.send(
        user.email,
        "email_change_notice",
        user=user,
        language=language,
        context={
            "new_email": new,
            "old_email": user.email,
            "forgot_url": mails.link_to("account.forgot_password"),
            "valid_for": mails.valid_for(seconds, language),
        },
    )
    audit.record("user.email_change_requested", actor=user, user_id=user.id)
    return new


def pending_address(user: User) -> str | None:
    """The new address a change waits for (its link not yet clicked), or None."""
    row = tokens.pending(user, TokenPurpose.EMAIL)
    return row.email if row is not None else None


def check(raw: str) -> tuple[User, str]:
    """The account and new address of an address link (LinkRefused when it does not work); changes nothing."""
    row, user = tokens.find(raw, TokenPurpose.EMAIL)
    return user, row.email


def _taken() -> DomainError:
    return DomainError(
        _(
            "Dit e-mailadres hoort inmiddels bij een ander account. Er is niets veranderd; het account houdt zijn "
            "oude adres."
        ),
        status=409,
    )


def confirm_change(raw: str) -> User:
    """Use an address link: the account's address becomes the new one, confirmed."""
    row, user = tokens.find(raw, TokenPurpose.EMAIL)
    other = users.find_by_email(row.email)
    if other is not None and other.id != user.id:
        raise _taken()
    tokens.use(row)
    user.email = row.email
    user.email_confirmed_at = utcnow()
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # registered in the same moment
        raise _taken() from None
    # Links sent to the old address (a confirmation, a password link) no longer count.
    tokens.end_open(user, TokenPurpose.CONFIRM, TokenPurpose.RESET, TokenPurpose.EMAIL)
    audit.record("user.email_changed", actor=user, user_id=user.id)
    return user
