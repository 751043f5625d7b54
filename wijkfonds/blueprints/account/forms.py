"""Forms of the account pages and of the pages that mail links open."""

from __future__ import annotations

from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.web.forms import FlaskForm


def _email_field(label: object) -> EmailField:
    return EmailField(
        label,
        validators=[
            DataRequired(_l("Vul een e-mailadres in.")),
            Email(_l("Dit is geen geldig e-mailadres.")),
            Length(max=254),
        ],
    )


class ForgotForm(FlaskForm):
    """The address to send a password link to."""

    email = _email_field(_l("E-mailadres van uw account"))
    submit = SubmitField(_l("Stuur mij een link"))


class ResetForm(FlaskForm):
    """A new password, twice."""

    password = PasswordField(
        _l("Nieuw wachtwoord (minstens 10 tekens)"),
        validators=[
            DataRequired(_l("Kies een wachtwoord.")),
            Length(min=10, max=200, message=_l("Het wachtwoord moet minstens 10 tekens hebben.")),
        ],
    )
    password2 = PasswordField(
        _l("Herhaal het nieuwe wachtwoord"),
        validators=[
            DataRequired(_l("Herhaal het wachtwoord.")),
            EqualTo("password", _l("De wachtwoorden zijn niet gelijk.")),
        ],
    )
    submit = SubmitField(_l("Wachtwoord opslaan"))


class ChangeEmailForm(FlaskForm):
    """The new address, and the current password to show it is the owner asking."""

    email = _email_field(_l("Nieuw e-mailadres"))
    password = PasswordField(
        _l("Uw huidige wachtwoord"),
        validators=[DataRequired(_l("Vul uw wachtwoord in.")), Length(max=200)],
    )
    submit = SubmitField(_l("Stuur een link naar het nieuwe adres"))


class ConfirmForm(FlaskForm):
    """The button on a page opened from a mail link (a GET never uses the link)."""

    submit = SubmitField(_l("Bevestigen"))


class ResendForm(FlaskForm):
    """Send the confirmation link again."""

    submit = SubmitField(_l("Stuur de bevestigingsmail opnieuw"))
