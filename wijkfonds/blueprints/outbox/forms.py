"""Forms of the outbox pages: a test message, and the bare "send again" button."""

from __future__ import annotations

from wtforms import EmailField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length

from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.web.forms import FlaskForm

LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}


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
        choices=[SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()],
        validate_choice=False,  # the view checks it, with a Dutch message
    )
    submit = SubmitField(_l("Testbericht versturen"))


class RetryForm(FlaskForm):
    """A bare POST button (CSRF token only)."""

    submit = SubmitField(_l("Nu opnieuw versturen"))
