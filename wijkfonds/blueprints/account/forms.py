"""Forms of the account pages and of the pages that mail links open."""

from __future__ import annotations

from wtforms import SubmitField

from wijkfonds.blueprints.auth.fields import (
    current_password_field,
    email_field,
    new_password_field,
    repeat_password_field,
)
from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.web.forms import FlaskForm


class ForgotForm(FlaskForm):
    """The address to send a password link to."""

    email = email_field(_l("E-mailadres van uw account"))
    submit = SubmitField(_l("Stuur mij een link"))


class ResetForm(FlaskForm):
    """A new password, twice."""

    password = new_password_field(_l("Nieuw wachtwoord (minstens 10 tekens)"))
    password2 = repeat_password_field(_l("Herhaal het nieuwe wachtwoord"))
    submit = SubmitField(_l("Wachtwoord opslaan"))


class ChangeEmailForm(FlaskForm):
    """The new address, and the current password to show it is the owner asking."""

    email = email_field(_l("Nieuw e-mailadres"))
    password = current_password_field(_l("Uw huidige wachtwoord"))
    submit = SubmitField(_l("Stuur een link naar het nieuwe adres"))


class ConfirmForm(FlaskForm):
    """The button on a page opened from a mail link (a GET never uses the link)."""

    submit = SubmitField(_l("Bevestigen"))


class ResendForm(FlaskForm):
    """Send the confirmation link again."""

    submit = SubmitField(_l("Stuur de bevestigingsmail opnieuw"))
