"""Forms of the notifications: the settings, the follow button, the unsubscribe button."""

from __future__ import annotations

from typing import Any

from wtforms import BooleanField, HiddenField, RadioField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice

from wijkfonds.i18n.languages import offered_languages
from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.models import NotificationDelivery, NotificationKind
from wijkfonds.web.forms import FlaskForm


def language_choices() -> list[SelectChoice]:
    """The offered languages by their own names (i18n/offer.py), each marked with its lang."""
    return [
        SelectChoice(lang.code, lang.native_name, render_kw={"lang": lang.html_lang}) for lang in offered_languages()
    ]


# What each switch is about, as the settings page and the unsubscribe page say it.
KIND_LABELS = {
    NotificationKind.COMMENT: _l("Een reactie of antwoord op een plan dat ik volg (niet mijn eigen reacties)"),
    NotificationKind.THRESHOLD: _l("Mijn plan heeft genoeg steun voor de beoordeling"),
    NotificationKind.REVIEW: _l("Het besluit van het stadsdeel over mijn plan, met de reden"),
    NotificationKind.VOTING_OPEN: _l("Het stemmen is begonnen in mijn gebied"),
    NotificationKind.RESULT: _l("De uitslag is bekend, met de uitkomst van de plannen die ik volg"),
    NotificationKind.PLAN_UPDATE: _l("Nieuws over gefinancierde plannen die ik volg"),
}


class PreferencesForm(FlaskForm):
    """The account's mail language, instant or daily delivery, and every switch."""

    language = SelectField(
        _l("Taal van de berichten"),
        validate_choice=False,  # the service checks it, with a Dutch message
    )
    delivery = RadioField(
        _l("Wanneer wilt u berichten krijgen?"),
        choices=[
            SelectChoice(NotificationDelivery.INSTANT.value, _l("Meteen, één bericht per gebeurtenis")),
            SelectChoice(NotificationDelivery.DAILY.value, _l("Eens per dag, alles in één overzicht")),
        ],
        validate_choice=False,
    )
    follow_own = BooleanField(_l("Plannen die ik indien, volg ik vanzelf"))
    follow_supported = BooleanField(_l("Plannen die ik steun, volg ik vanzelf"))
    comment = BooleanField(KIND_LABELS[NotificationKind.COMMENT])
    threshold = BooleanField(KIND_LABELS[NotificationKind.THRESHOLD])
    review = BooleanField(KIND_LABELS[NotificationKind.REVIEW])
    voting_open = BooleanField(KIND_LABELS[NotificationKind.VOTING_OPEN])
    result = BooleanField(KIND_LABELS[NotificationKind.RESULT])
    submit = SubmitField(_l("Opslaan"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.language.choices = language_choices()


class FollowForm(FlaskForm):
    """The follow / unfollow button; ``next`` is where to go back to without JavaScript."""

    next = HiddenField()
