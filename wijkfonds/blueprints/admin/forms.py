"""Forms for account, building-block and district management.

Role values are checked by services.user_admin (a tampered value gets a Dutch message), so
the select fields do not validate their choice themselves.
"""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)

from wijkfonds.blueprints.auth.fields import email_field, name_field, new_password_field
from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.web.forms import FlaskForm


class CreateUserForm(FlaskForm):
    """A new staff, auditor or admin account."""

    email = email_field(_l("E-mailadres"))
    display_name = name_field(_l("Naam"))
    role = SelectField(_l("Rol"), validate_choice=False)
    password = new_password_field(_l("Eerste wachtwoord (minstens 10 tekens)"))
    submit = SubmitField(_l("Account maken"))


class RoleForm(FlaskForm):
    """Change the role of one account."""

    role = SelectField(_l("Rol"), validate_choice=False)
    next = HiddenField()
    submit = SubmitField(_l("Rol wijzigen"))


class ActiveForm(FlaskForm):
    """Block ('0') or unblock ('1') one account."""

    active = HiddenField()
    next = HiddenField()
    submit = SubmitField(_l("Opslaan"))


class BlockForm(FlaskForm):
    """Names and descriptions of a building block; whether residents can choose it."""

    name_nl = StringField(_l("Naam (Nederlands)"))
    name_en = StringField(_l("Naam (Engels, optioneel)"))
    description_nl = TextAreaField(_l("Uitleg (Nederlands)"))
    description_en = TextAreaField(_l("Uitleg (Engels)"))
    active = BooleanField(_l("Actief: bewoners kunnen deze bouwsteen kiezen"), default=True)
    submit = SubmitField(_l("Opslaan"))


class DistrictForm(FlaskForm):
    """Name and population of a district."""

    name = StringField(_l("Naam van het gebied"))
    population = StringField(_l("Aantal inwoners"))
    submit = SubmitField(_l("Opslaan"))


class EmptyForm(FlaskForm):
    """A bare POST button (CSRF token only)."""

    submit = SubmitField(_l("Verwijderen"))


class OutlineForm(FlaskForm):
    """A district's outline: a GeoJSON file."""

    file = FileField(_l("GeoJSON-bestand met de omtrek"))
    submit = SubmitField(_l("Omtrek opslaan"))
