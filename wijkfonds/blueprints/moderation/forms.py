"""Forms for moderators."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from wijkfonds.services.dialogue import comments as dialogue


class HideForm(FlaskForm):
    """Hide a comment; the reason is shown in its place."""

    reason = TextAreaField(
        _l("Reden (wordt getoond in plaats van de reactie)"),
        validators=[
            DataRequired(_l("Geef een reden.")),
            Length(max=dialogue.REASON_MAX, message=_l("De reden mag hoogstens 300 tekens hebben.")),
        ],
    )
    submit = SubmitField(_l("Reactie verbergen"))
