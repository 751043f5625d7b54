"""The fields that every account form shares: e-mail address, name, a new password (and it again),
the current password. Registering, logging in, a new password or address, staff accounts (admin)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from wijkfonds.i18n.text import lazy_gettext as _l

if TYPE_CHECKING:
    from wijkfonds.i18n.text import LazyString


def email_field(label: LazyString, missing: LazyString | None = None) -> Any:
    """A checked e-mail address of at most 254 characters; ``missing`` says so when it is empty."""
    return EmailField(
        label,
        validators=[
            DataRequired(missing if missing is not None else _l("Vul een e-mailadres in.")),
            Email(_l("Dit is geen geldig e-mailadres.")),
            Length(max=254),
        ],
    )


def name_field(label: LazyString) -> Any:
    """The name an account shows, 2 to 80 characters."""
    return StringField(
        label,
        validators=[
            DataRequired(_l("Vul een naam in.")),
            Length(min=2, max=80, message=_l("Gebruik 2 tot 80 tekens.")),
        ],
    )


def new_password_field(label: LazyString) -> Any:
    """A password to choose: 10 to 200 characters (the services check the same minimum)."""
    return PasswordField(
        label,
        validators=[
            DataRequired(_l("Kies een wachtwoord.")),
            Length(min=10, max=200, message=_l("Het wachtwoord moet minstens 10 tekens hebben.")),
        ],
    )


def repeat_password_field(label: LazyString) -> Any:
    """The chosen password again; it must equal the form's ``password`` field."""
    return PasswordField(
        label,
        validators=[
            DataRequired(_l("Herhaal het wachtwoord.")),
            EqualTo("password", _l("De wachtwoorden zijn niet gelijk.")),
        ],
    )


def current_password_field(label: LazyString) -> Any:
    """The account's present password (logging in, or showing it is the owner asking)."""
    return PasswordField(label, validators=[DataRequired(_l("Vul uw wachtwoord in.")), Length(max=200)])
