"""Account management by admins: list, create staff accounts, change roles, (de)activate.

The writes go through services.accounts, which records user.created, user.role_changed
and user.active_changed in the audit log.
"""

from __future__ import annotations

from sqlalchemy import Select, func, or_, select

from wijkfonds.common.translation import gettext as _
from wijkfonds.models import Role, User
from wijkfonds.services.accounts import confirmation
from wijkfonds.services.accounts import users as accounts
from wijkfonds.services.errors import DomainError, ValidationFailed

# Residents register themselves; admins create the other roles.
CREATABLE_ROLES = (Role.STAFF, Role.AUDITOR, Role.ADMIN)


def list_query(search: str = "", role: str = "") -> Select[User]:
    """Accounts matching a search in e-mail or name and an optional role, newest first."""
    query = select(User)
    text = search.strip().lower()
    if text:
        pattern = f"%{text.replace('%', '').replace('_', '')}%"
        query = query.where(or_(func.lower(User.email).like(pattern), func.lower(User.display_name).like(pattern)))
    if role in {r.value for r in Role}:
        query = query.where(User.role == role)
    return query.order_by(User.created_at.desc(), User.id.desc())


def parse_role(value: str | None, *, allowed: tuple[Role, ...] = tuple(Role), field: str = "role") -> Role:
    """The Role for a form value; ValidationFailed for anything else (e.g. a tampered form)."""
    try:
        role = Role(value or "")
    except ValueError:
        role = None
    if role is None or role not in allowed:
        raise ValidationFailed([(field, _("Kies een bestaande rol uit de lijst."))])
    return role


def create_account(*, email: str, display_name: str, role: str, password: str, actor: User, language: str) -> User:
    """Create a staff, auditor or admin account (no home district), its address not yet confirmed.

    The admin typed the address, which shows nothing about who reads it: the account gets
    a confirmation link ("an account was made for you"), which also finds a mistyped
    address before a password link goes astray.
    """
    chosen = parse_role(role, allowed=CREATABLE_ROLES)
    errors: list[tuple[str | None, str]] = []
    if not display_name.strip():
        errors.append(("display_name", _("Vul een naam in.")))
    if len(display_name.strip()) > 80:
        errors.append(("display_name", _("Gebruik 2 tot 80 tekens.")))
    if errors:
        raise ValidationFailed(errors)
    user = accounts.register(
        email=email, display_name=display_name, password=password, district_id=None, role=chosen, actor=actor
    )
    confirmation.send_link(user, language=language, template="account_created", made_by=actor.display_name)
    return user


def change_role(user: User, role: str, *, actor: User) -> bool:
    """Give an account another role; an admin cannot take away their own admin role."""
    new = parse_role(role)
    if user.id == actor.id and new != Role.ADMIN:
        raise DomainError(_("U kunt uw eigen beheerdersrol niet afnemen. Vraag een andere beheerder."))
    if new in (Role.RESIDENT, Role.TRANSLATOR) and user.district_id is None:
        raise ValidationFailed([("role", _("Dit account heeft geen gebied en kan daarom geen bewoner worden."))])
    if user.role == new.value:
        return False
    accounts.set_role(user, new, actor=actor)
    return True


def change_active(user: User, active: bool, *, actor: User) -> bool:
    """(De)activate an account; an admin cannot block their own account."""
    if user.id == actor.id and not active:
        raise DomainError(_("U kunt uw eigen account niet blokkeren."))
    if user.active == active:
        return False
    accounts.set_active(user, active, actor=actor)
    return True
