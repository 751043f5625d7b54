"""The form that deletes an account: what happens to the plans, and the password again."""

from __future__ import annotations

from wtforms import PasswordField, RadioField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.services.accounts.privacy import KEEP, WITHDRAW
from wijkfonds.web.forms import FlaskForm


class DeleteAccountForm(FlaskForm):
    """Confirm the deletion with the account's password; the service checks the choice and the password."""

    plans = RadioField(
        _l("Wat gebeurt er met uw plannen?"),
        choices=[
            SelectChoice(KEEP, _l("Laten staan, zonder mijn naam (als ‘verwijderd account’)")),
            SelectChoice(
                WITHDRAW, _l("Intrekken waar de ronde dat nog toestaat; de rest blijft staan zonder mijn naam")
            ),
        ],
        default=KEEP,
        validate_choice=False,  # services.accounts.privacy refuses anything else with a clear message
    )
    password = PasswordField(
        _l("Uw wachtwoord"),
        validators=[
            DataRequired(_l("Vul uw wachtwoord in om te bevestigen.")),
            Length(max=200, message=_l("Dit is niet uw wachtwoord. Vul het wachtwoord van uw account in.")),
        ],
    )
    submit = SubmitField(_l("Mijn account definitief verwijderen"))
