"""Forms of the outbox pages: a test message, and the bare "send again" button."""

from __future__ import annotations

from typing import Any

from wtforms import EmailField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length

from wijkfonds.i18n.languages import offered_languages
from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.web.forms import FlaskForm


def language_choices() -> list[SelectChoice]:
    """The offered languages by their own names (i18n/offer.py), each marked with its lang."""
    return [
        SelectChoice(lang.code, lang.native_name, render_kw={"lang": lang.html_lang}) for lang in offered_languages()
    ]


class TestMailForm(FlaskForm):
    """Queue a test message, to see that mail arrives."""

    email = EmailField(
        _l("E-mailadres"),
        validators=[
            DataRequired(_l("Vul een e-mailadres in.")),
            Email(_l("Dit is geen geldig e-mailadres.")),
            Length(max=254, message=_l("Een e-mailadres heeft hoogstens 254 tekens.")),
        ],
    )
    language = SelectField(
        _l("Taal van het bericht"),
        validate_choice=False,  # the view checks it, with a Dutch message
    )
    submit = SubmitField(_l("Testbericht versturen"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.language.choices = language_choices()


class RetryForm(FlaskForm):
    """A bare POST button (CSRF token only)."""

    submit = SubmitField(_l("Nu opnieuw versturen"))
