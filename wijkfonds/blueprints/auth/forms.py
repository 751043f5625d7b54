"""Forms for registering and logging in."""

from __future__ import annotations

from wtforms import EmailField, SelectField, SubmitField
from wtforms.validators import DataRequired, Length

from wijkfonds.blueprints.auth.fields import (
    current_password_field,
    email_field,
    name_field,
    new_password_field,
    repeat_password_field,
)
from wijkfonds.common.numbers import parse_id
from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.web.forms import FlaskForm


class LoginForm(FlaskForm):
    """E-mail and password."""

    email = EmailField(_l("E-mailadres"), validators=[DataRequired(_l("Vul uw e-mailadres in.")), Length(max=254)])
    password = current_password_field(_l("Wachtwoord"))
    submit = SubmitField(_l("Inloggen"))


class RegisterForm(FlaskForm):
    """A new resident account."""

    email = email_field(_l("E-mailadres"), missing=_l("Vul uw e-mailadres in."))
    display_name = name_field(_l("Naam (zichtbaar bij uw reacties)"))
    district = SelectField(_l("Gebied waar u woont"), coerce=parse_id, validate_choice=False)
    password = new_password_field(_l("Wachtwoord (minstens 10 tekens)"))
    password2 = repeat_password_field(_l("Herhaal het wachtwoord"))
    submit = SubmitField(_l("Account maken"))


class EmptyForm(FlaskForm):
    """A bare POST button (CSRF token only)."""

    submit = SubmitField(_l("Verstuur"))
