"""Forms of the notifications: the settings, the follow button, the unsubscribe button."""

from __future__ import annotations

from wtforms import BooleanField, HiddenField, RadioField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice

from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.models import Delivery, Kind
from wijkfonds.web.forms import FlaskForm

LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}

# What each switch is about, as the settings page and the unsubscribe page say it.
KIND_LABELS = {
    Kind.COMMENT: _l("Een reactie of antwoord op een plan dat ik volg (niet mijn eigen reacties)"),
    Kind.THRESHOLD: _l("Mijn plan heeft genoeg steun voor de beoordeling"),
    Kind.REVIEW: _l("Het besluit van het stadsdeel over mijn plan, met de reden"),
    Kind.VOTING_OPEN: _l("Het stemmen is begonnen in mijn gebied"),
    Kind.RESULT: _l("De uitslag is bekend, met de uitkomst van de plannen die ik volg"),
    Kind.PLAN_UPDATE: _l("Nieuws over gefinancierde plannen die ik volg"),
}


class PreferencesForm(FlaskForm):
    """The account's mail language, instant or daily delivery, and every switch."""

    language = SelectField(
        _l("Taal van de berichten"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()],
        validate_choice=False,  # the service checks it, with a Dutch message
    )
    delivery = RadioField(
        _l("Wanneer wilt u berichten krijgen?"),
        choices=[
            SelectChoice(Delivery.INSTANT.value, _l("Meteen, één bericht per gebeurtenis")),
            SelectChoice(Delivery.DAILY.value, _l("Eens per dag, alles in één overzicht")),
        ],
        validate_choice=False,
    )
    follow_own = BooleanField(_l("Plannen die ik indien, volg ik vanzelf"))
    follow_supported = BooleanField(_l("Plannen die ik steun, volg ik vanzelf"))
    comment = BooleanField(KIND_LABELS[Kind.COMMENT])
    threshold = BooleanField(KIND_LABELS[Kind.THRESHOLD])
    review = BooleanField(KIND_LABELS[Kind.REVIEW])
    voting_open = BooleanField(KIND_LABELS[Kind.VOTING_OPEN])
    result = BooleanField(KIND_LABELS[Kind.RESULT])
    submit = SubmitField(_l("Opslaan"))


class FollowForm(FlaskForm):
    """The follow / unfollow button; ``next`` is where to go back to without JavaScript."""

    next = HiddenField()
