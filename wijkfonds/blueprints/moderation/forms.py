"""Forms for moderators."""

from __future__ import annotations

from wtforms import SubmitField

from wijkfonds.blueprints.moderation.fields import reason_field
from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.web.forms import FlaskForm


class HideForm(FlaskForm):
    """Hide a comment; the reason is shown in its place."""

    reason = reason_field(_l("Reden (wordt getoond in plaats van de reactie)"))
    submit = SubmitField(_l("Reactie verbergen"))
