"""Forms for following funded plans (staff) and for their initiators."""

from __future__ import annotations

from wtforms import DateField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from wijkfonds.blueprints.media.forms import PhotoFields
from wijkfonds.blueprints.moderation.fields import reason_field
from wijkfonds.blueprints.rounds.fields import EuroField
from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.services.dialogue import hiding
from wijkfonds.services.implementation import money, progress
from wijkfonds.web.forms import FlaskForm


class StatusForm(FlaskForm):
    """Move the plan to its next status; gestopt needs a reason."""

    status = SelectField(_l("Nieuwe status"), choices=[], validate_choice=False)
    reason = TextAreaField(
        _l("Reden (verplicht bij ‘gestopt’, wordt getoond op de pagina van het plan)"),
        validators=[Optional(), Length(max=hiding.REASON_MAX, message=_l("Gebruik hoogstens 300 tekens."))],
    )
    submit = SubmitField(_l("Status wijzigen"))


class PaymentForm(FlaskForm):
    """One tranche paid to the initiator."""

    amount = EuroField(_l("Bedrag (hele euro's)"))
    paid_on = DateField(_l("Datum van betaling"), validators=[Optional()])
    purpose = StringField(
        _l("Waarvoor"),
        validators=[Length(max=money.PURPOSE_MAX, message=_l("Gebruik hoogstens 300 tekens."))],
    )
    submit = SubmitField(_l("Betaling vastleggen"))


class MilestoneForm(FlaskForm):
    """A step with a target date."""

    title = StringField(
        _l("Mijlpaal"), validators=[Length(max=progress.TITLE_MAX, message=_l("Gebruik hoogstens 200 tekens."))]
    )
    target_on = DateField(_l("Klaar op (streefdatum)"), validators=[Optional()])
    submit = SubmitField(_l("Mijlpaal toevoegen"))


class MilestoneDoneForm(FlaskForm):
    """The date a milestone was reached."""

    done_on = DateField(_l("Gehaald op"), validators=[Optional()])
    submit = SubmitField(_l("Gehaald"))


class ReasonForm(FlaskForm):
    """A staff reason: hiding an update, sending an account back."""

    reason = reason_field(_l("Reden"))
    submit = SubmitField(_l("Versturen"))


class UpdateForm(PhotoFields, FlaskForm):
    """A dated update on the plan's progress, with at most one photo."""

    body = TextAreaField(
        _l("Wat is er gebeurd?"),
        validators=[Length(max=progress.BODY_MAX, message=_l("Een bericht mag hoogstens 2000 tekens hebben."))],
    )
    submit = SubmitField(_l("Bericht plaatsen"))


class AccountForm(FlaskForm):
    """The initiator's financial account."""

    spent = EuroField(_l("Besteed (hele euro's)"))
    returned = EuroField(_l("Terug naar het stadsdeel (hele euro's)"))
    body = TextAreaField(
        _l("Waaraan is het geld besteed?"),
        validators=[Length(max=money.ACCOUNT_MAX, message=_l("Gebruik hoogstens 4000 tekens."))],
    )
    submit = SubmitField(_l("Verantwoording insturen"))
