"""Forms for registering and logging in."""

from __future__ import annotations

from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from wijkfonds.common.numbers import parse_id
from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.web.forms import FlaskForm


class LoginForm(FlaskForm):
    """E-mail and password."""

    email = EmailField(_l("E-mailadres"), validators=[DataRequired(_l("Vul uw e-mailadres in.")), Length(max=254)])
    password = PasswordField(_l("Wachtwoord"), validators=[DataRequired(_l("Vul uw wachtwoord in.")), Length(max=200)])
    submit = SubmitField(_l("Inloggen"))


class RegisterForm(FlaskForm):
    """A new resident account."""

    email = EmailField(
        _l("E-mailadres"),
        validators=[
            DataRequired(_l("Vul uw e-mailadres in.")),
            Email(_l("Dit is geen geldig e-mailadres.")),
            Length(max=254),
        ],
    )
    display_name = StringField(
        _l("Naam (zichtbaar bij uw reacties)"),
        validators=[
            DataRequired(_l("Vul een naam in.")),
            Length(min=2, max=80, message=_l("Gebruik 2 tot 80 tekens.")),
        ],
    )
    district = SelectField(_l("Gebied waar u woont"), coerce=parse_id, validate_choice=False)
    password = PasswordField(
        _l("Wachtwoord (minstens 10 tekens)"),
        validators=[
            DataRequired(_l("Kies een wachtwoord.")),
            Length(min=10, max=200, message=_l("Het wachtwoord moet minstens 10 tekens hebben.")),
        ],
    )
    password2 = PasswordField(
        _l("Herhaal het wachtwoord"),
        validators=[
            DataRequired(_l("Herhaal het wachtwoord.")),
            EqualTo("password", _l("De wachtwoorden zijn niet gelijk.")),
        ],
    )
    submit = SubmitField(_l("Account maken"))


class EmptyForm(FlaskForm):
    """A bare POST button (CSRF token only)."""

    submit = SubmitField(_l("Verstuur"))
