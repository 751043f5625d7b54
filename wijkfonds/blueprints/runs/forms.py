"""Forms for starting, publishing and comparing runs, and for importing pabulib files."""

from __future__ import annotations

from flask_wtf.file import MultipleFileField
from wtforms import IntegerField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.services.results.rule_words import completion_choices, rule_choices
from wijkfonds.web.forms import FlaskForm


class RunForm(FlaskForm):
    """Choose a rule and run it."""

    rule = RadioField(
        _l("Regel"),
        choices=rule_choices,
        validators=[DataRequired(_l("Kies een regel."))],
        invalid_choice_message=_l("Kies een van de regels hieronder."),
    )
    completion = RadioField(
        _l("Aanvulling (alleen bij gelijke delen)"),
        choices=completion_choices,
        default="none",
        validators=[Optional()],
        invalid_choice_message=_l("Kies een van de aanvullingen hieronder."),
    )
    time_limit = IntegerField(
        _l("Tijdslimiet in seconden (alleen bij de exacte berekening, mag leeg)"),
        validators=[
            Optional(),
            NumberRange(min=1, max=3600, message=_l("Kies een tijdslimiet tussen 1 en 3600 seconden.")),
        ],
    )
    submit = SubmitField(_l("Berekening starten"))


class PublishForm(FlaskForm):
    """Publish a run; a reason is needed when it replaces an earlier publication."""

    reason = TextAreaField(
        _l("Reden (verplicht als er al een uitslag is)"),
        validators=[Length(max=1000, message=_l("Gebruik hoogstens 1000 tekens."))],
    )
    submit = SubmitField(_l("Publiceren als officiële uitslag"))


class ImportForm(FlaskForm):
    """Upload one or more pabulib files (one per district)."""

    files = MultipleFileField(_l("Pabulib-bestanden (.pb), één per gebied"))
    name = StringField(
        _l("Naam van de ronde (mag leeg)"), validators=[Length(max=120, message=_l("Gebruik hoogstens 120 tekens."))]
    )
    submit = SubmitField(_l("Importeren"))
