"""Forms for moderators."""

from __future__ import annotations

from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.services.dialogue import hiding
from wijkfonds.web.forms import FlaskForm


class HideForm(FlaskForm):
    """Hide a comment; the reason is shown in its place."""

    reason = TextAreaField(
        _l("Reden (wordt getoond in plaats van de reactie)"),
        validators=[
            DataRequired(_l("Geef een reden.")),
            Length(max=hiding.REASON_MAX, message=_l("De reden mag hoogstens 300 tekens hebben.")),
        ],
    )
    submit = SubmitField(_l("Reactie verbergen"))
