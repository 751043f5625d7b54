"""Forms for starting, publishing and comparing runs, and for importing pabulib files."""

from __future__ import annotations

from flask_wtf.file import MultipleFileField
from wtforms import IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.web.forms import FlaskForm


def rule_choices() -> list[tuple[str, object]]:
    """The rules staff can choose, with a plain description."""
    return [
        ("greedy", _l("Meeste stemmen eerst (greedy): wat niet past wordt overgeslagen")),
        ("greedy-stop", _l("Meeste stemmen eerst, stoppen bij het eerste plan dat niet past (zoals West Begroot)")),
        ("ilp", _l("Exacte methode (ilp): zoveel mogelijk steun binnen alle regels")),
        ("mes", _l("Equal Shares (mes): iedere stemmer een gelijk deel van het budget")),
    ]


def completion_choices() -> list[tuple[str, object]]:
    """Completions of Equal Shares."""
    return [
        ("none", _l("Geen aanvulling")),
        ("add1", _l("add1: budget per stemmer stap voor stap verhogen")),
        ("add1-greedy", _l("add1, daarna aanvullen op stemmen")),
    ]


class RunForm(FlaskForm):
    """Choose a rule and run it."""

    rule = SelectField(_l("Regel"), choices=rule_choices, validators=[DataRequired(_l("Kies een regel."))])
    completion = SelectField(_l("Aanvulling (alleen bij Equal Shares)"), choices=completion_choices, default="none")
    time_limit = IntegerField(
        _l("Tijdslimiet in seconden (alleen bij de exacte methode, mag leeg)"),
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
