"""Accounts: registration, login with rate limits, role management."""

from __future__ import annotations

import functools
import secrets

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from wijkfonds.common.timeutil import duration_text
from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.models import District, Role, User
from wijkfonds.services import ratelimit
from wijkfonds.services.accounts import mails
from wijkfonds.services.audit import log as audit
from wijkfonds.services.errors import DomainError, ValidationFailed

LOGIN_ACCOUNT_BUCKET = "login-account"
LOGIN_ADDRESS_BUCKET = "login-address"
REGISTER_BUCKET = "register"


def load_user(user_id: str) -> User | None:
    """Flask-Login loader: '<id>:<session version>'; an old version logs the session out."""
    try:
        raw_id, raw_version = user_id.split(":", 1)
        uid, version = int(raw_id), int(raw_version)
    except ValueError:
        return None
    user = db.session.get(User, uid)
    if user is None or user.session_version != version or not user.active:
        return None
    return user


def find_by_email(email: str) -> User | None:
    """The account with this e-mail address (case-insensitive)."""
    return db.session.scalars(select(User).where(func.lower(User.email) == email.strip().lower())).first()


def _check_new_account(password: str, district_id: int | None, role: Role) -> list[tuple[str | None, str]]:
    """The problems of a new account's input, except whether the e-mail address is taken."""
    errors: list[tuple[str | None, str]] = []
    if district_id is not None and db.session.get(District, district_id) is None:
        errors.append(("district", _("Kies een bestaand gebied.")))
    if role == Role.RESIDENT and district_id is None:
        errors.append(("district", _("Kies het gebied waar u woont.")))
    if len(password) < 10:
        errors.append(("password", _("Het wachtwoord moet minstens 10 tekens hebben.")))
    return errors


def register(
    *,
    email: str,
    display_name: str,
    password: str,
    district_id: int | None,
    role: Role = Role.RESIDENT,
    actor: User | None = None,
) -> User:
    """Create an account; raises ValidationFailed on a taken e-mail or unknown district.

    For staff tools (the CLI, the admin pages), which may say that an address is taken;
    the public registration form uses :func:`sign_up`, which does not.
    """
    email = email.strip().lower()
    errors = _check_new_account(password, district_id, role)
    if find_by_email(email) is not None:
        errors.insert(0, ("email", _("Er bestaat al een account met dit e-mailadres.")))
    if errors:
        raise ValidationFailed(errors)
    return _create(
        email=email, display_name=display_name, password=password, district_id=district_id, role=role, actor=actor
    )


def _create(
    *,
    email: str,
    display_name: str,
    password: str,
    district_id: int | None,
    role: Role,
    actor: User | None,
    language: str = "nl",
) -> User:
    user = User(
        email=email, display_name=display_name.strip(), role=role.value, district_id=district_id, language=language
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("user.created", actor=actor or user, user_id=user.id, role=user.role)
    return user


def sign_up(
    *,
    email: str,
    display_name: str,
    password: str,
    district_id: int | None,
    ip: str,
    limit: tuple[int, int],
    language: str = "nl",
) -> User | None:
    """A resident registers: the new account, or None when the address already has one.

    Both cases look and cost the same to the visitor (the password is hashed either way,
    the same limit counts both, one mail is queued), so the form cannot be used to find
    out who has an account; the page after it says so honestly. A new account gets a
    confirmation link; an address that has an account gets a mail that someone tried to
    register with it, with a password link (within the recipient's cap,
    ``mails.within_cap``), and its account stays untouched. Rate limited per internet
    address.
    """
    # Here, not at the top: recovery and confirmation use this module's look-ups.
    from wijkfonds.services.accounts import confirmation, recovery

    key = ratelimit.address_key(ip)
    ratelimit.check(
        REGISTER_BUCKET,
        key,
        limit,
        _(
            "Vanaf dit internetadres zijn in korte tijd al %(n)d aanmeldingen gedaan. Probeer het over %(window)s "
            "opnieuw.",
            n=limit[0],
            window=duration_text(limit[1]),
        ),
    )
    email = email.strip().lower()
    errors = _check_new_account(password, district_id, Role.RESIDENT)
    if errors:
        raise ValidationFailed(errors)
    ratelimit.hit(REGISTER_BUCKET, key)
    existing = find_by_email(email)
    if existing is not None:
        generate_password_hash(password)  # the work a new account costs, so the answer takes as long
        if existing.active:
            recovery.send_link(existing, language=language, template="account_exists")
        return None
    user = _create(
        email=email,
        display_name=display_name,
        password=password,
        district_id=district_id,
        role=Role.RESIDENT,
        actor=None,
        language=language,
    )
    confirmation.send_link(user, language=language)
    return user


@functools.cache
def _dummy_hash() -> str:
    """A hash of a random password, made once per process with the same method as every stored hash."""
    return generate_password_hash(secrets.token_urlsafe(16))


def authenticate(
    email: str, password: str, *, ip: str, account_limit: tuple[int, int], address_limit: tuple[int, int]
) -> User:
    """Check a login; one generic message for every failure; wrong passwords limited per account and per address.

    Only wrong passwords count, a successful login is not counted (and clears its
    account's count), so a resident with the right password is never refused because
    others at the same address mistyped. An unknown address costs one hash verification
    too (against a dummy hash), so the answer takes as long as for a real account.
    """
    account, address = mails.address_key(email), ratelimit.address_key(ip)
    ratelimit.check(
        LOGIN_ACCOUNT_BUCKET,
        account,
        account_limit,
        _(
            "Te veel onjuiste wachtwoorden voor dit e-mailadres. Om raden te voorkomen kunt u het over %(window)s "
            "opnieuw proberen.",
            window=duration_text(account_limit[1]),
        ),
    )
    ratelimit.check(
        LOGIN_ADDRESS_BUCKET,
        address,
        address_limit,
        _(
            "Vanaf dit internetadres zijn te veel onjuiste wachtwoorden ingevuld. Probeer het over %(window)s opnieuw.",
            window=duration_text(address_limit[1]),
        ),
    )
    user = find_by_email(email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        correct = False
    else:
        correct = user.check_password(password) and user.active
    if user is None or not correct:
        ratelimit.hit(LOGIN_ACCOUNT_BUCKET, account)
        ratelimit.hit(LOGIN_ADDRESS_BUCKET, address)
        raise DomainError(_("Onjuist e-mailadres of wachtwoord."), status=401)
    ratelimit.clear(LOGIN_ACCOUNT_BUCKET, account)
    # A new session version at every login: a session id fixed before login is useless.
    user.session_version += 1
    return user


def logout_everywhere(user: User) -> None:
    """Invalidate every session of this account."""
    user.session_version += 1


def set_role(user: User, role: Role, *, actor: User) -> None:
    """Change an account's role (admin only), recorded in the audit log."""
    if user.role == role.value:
        return
    old = user.role
    user.role = role.value
    user.session_version += 1
    audit.record("user.role_changed", actor=actor, user_id=user.id, old=old, new=role.value)


def set_active(user: User, active: bool, *, actor: User) -> None:
    """(De)activate an account (admin only)."""
    if user.id == actor.id and not active:
        raise DomainError(_("U kunt uw eigen account niet blokkeren."))
    user.active = active
    user.session_version += 1
    audit.record("user.active_changed", actor=actor, user_id=user.id, active=active)
