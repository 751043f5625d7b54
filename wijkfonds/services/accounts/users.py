"""Accounts: registration, login with rate limit, role management."""

from __future__ import annotations

from sqlalchemy import func, select

from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.models import District, Role, User
from wijkfonds.services import ratelimit
from wijkfonds.services.audit import log as audit
from wijkfonds.services.errors import DomainError, ValidationFailed

LOGIN_BUCKET = "login"


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


def register(
    *,
    email: str,
    display_name: str,
    password: str,
    district_id: int | None,
    role: Role = Role.RESIDENT,
    actor: User | None = None,
) -> User:
    """Create an account; raises ValidationFailed on a taken e-mail or unknown district."""
    errors: list[tuple[str | None, str]] = []
    email = email.strip().lower()
    if find_by_email(email) is not None:
        errors.append(("email", _("Er bestaat al een account met dit e-mailadres.")))
    if district_id is not None and db.session.get(District, district_id) is None:
        errors.append(("district", _("Kies een bestaand gebied.")))
    if role == Role.RESIDENT and district_id is None:
        errors.append(("district", _("Kies het gebied waar u woont.")))
    if len(password) < 10:
        errors.append(("password", _("Het wachtwoord moet minstens 10 tekens hebben.")))
    if errors:
        raise ValidationFailed(errors)
    user = User(email=email, display_name=display_name.strip(), role=role.value, district_id=district_id)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("user.created", actor=actor or user, user_id=user.id, role=user.role)
    return user


def authenticate(email: str, password: str, *, ip: str, limit: tuple[int, int]) -> User:
    """Check a login; one generic message for every failure; rate limited per IP and e-mail."""
    key = f"{ip}|{email.strip().lower()}"
    ratelimit.check(
        LOGIN_BUCKET, key, limit, _("Te veel mislukte pogingen. Probeer het over een paar minuten opnieuw.")
    )
    ratelimit.check(
        LOGIN_BUCKET,
        ip,
        (limit[0] * 4, limit[1]),
        _("Te veel mislukte pogingen. Probeer het over een paar minuten opnieuw."),
    )
    user = find_by_email(email)
    if user is None or not user.active or not user.check_password(password):
        ratelimit.hit(LOGIN_BUCKET, key)
        ratelimit.hit(LOGIN_BUCKET, ip)
        raise DomainError(_("Onjuist e-mailadres of wachtwoord."), status=401)
    ratelimit.clear(LOGIN_BUCKET, key)
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
