"""Forms for theme nominations (the service checks lengths and phases with Dutch messages)."""

from __future__ import annotations

from wtforms import StringField, SubmitField, TextAreaField

from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.web.forms import FlaskForm


class NominationForm(FlaskForm):
    """Propose a theme."""

    title = StringField(_l("Naam van het thema"), render_kw={"maxlength": 120})
    description = TextAreaField(_l("Waarom is dit thema belangrijk? (optioneel)"), render_kw={"maxlength": 2000})
    submit = SubmitField(_l("Thema voorstellen"))


class CommentForm(FlaskForm):
    """React to a nomination."""

    body = TextAreaField(_l("Uw reactie"), render_kw={"maxlength": 2000})
    submit = SubmitField(_l("Reactie plaatsen"))
