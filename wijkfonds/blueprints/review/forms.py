"""Forms for the review queue."""

from __future__ import annotations

from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice

from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.web.forms import FlaskForm


class DecisionForm(FlaskForm):
    """Feasible or not, the final cost estimate, and a public reason when not feasible.

    Choices and amounts are checked by services.review (clear Dutch messages, also for
    tampered values), so the fields here only carry the text.
    """

    decision = RadioField(
        _l("Besluit"),
        choices=[
            SelectChoice("feasible", _l("Haalbaar: op de stemlijst")),
            SelectChoice("not_feasible", _l("Niet haalbaar")),
        ],
        validate_choice=False,
    )
    estimated_cost = StringField(_l("Kosten volgens het stadsdeel (hele euro's)"))
    reason = TextAreaField(_l("Reden als het plan niet haalbaar is (bewoners zien deze reden)"))
    submit = SubmitField(_l("Besluit opslaan"))


class CorrectionForm(FlaskForm):
    """Staff correct an initiative's text for clarity."""

    title = StringField(_l("Titel"))
    summary = TextAreaField(_l("Samenvatting"))
    description = TextAreaField(_l("Beschrijving"))
    note = StringField(_l("Wat is er aangepast? (optioneel, openbaar)"))
    submit = SubmitField(_l("Tekst opslaan"))


class StartForm(FlaskForm):
    """The 'zet in beoordeling' button."""

    submit = SubmitField(_l("Zet in beoordeling"))
