"""Forms for generating voting codes and entering paper ballots."""

from __future__ import annotations

from wtforms import IntegerField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from wijkfonds.common.numbers import parse_id
from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.services.voting.codes import MAX_BATCH
from wijkfonds.web.forms import FlaskForm


class GenerateForm(FlaskForm):
    """How many codes for which district, and the one download format."""

    district = SelectField(_l("Gebied"), coerce=parse_id, validate_choice=False)
    count = IntegerField(
        _l("Aantal stemcodes"),
        validators=[
            InputRequired(_l("Vul een aantal in.")),
            NumberRange(min=1, max=MAX_BATCH, message=_l("Kies een aantal van 1 tot en met 100.000.")),
        ],
    )
    fmt = RadioField(
        _l("Downloaden als"),
        choices=[("csv", _l("CSV-bestand (voor de drukker)")), ("letters", _l("Brieven om zelf te printen"))],
        default="csv",
        validators=[DataRequired(_l("Kies hoe u de codes wilt downloaden."))],
    )
    submit = SubmitField(_l("Maak de codes en download ze"))


class PaperCodeForm(FlaskForm):
    """The code printed on a paper ballot."""

    code = StringField(
        _l("Stemcode op het papieren stembiljet"),
        validators=[DataRequired(_l("Vul de stemcode in.")), Length(max=40, message=_l("Deze stemcode is te lang."))],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    submit = SubmitField(_l("Verder"))
