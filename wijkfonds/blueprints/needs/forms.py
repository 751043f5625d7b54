"""Forms of the needs board (the services check lengths and choices with Dutch messages)."""

from __future__ import annotations

from typing import Any

from wtforms import BooleanField, HiddenField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.widgets import CheckboxInput, ListWidget

from wijkfonds.blueprints.media.forms import PhotoFields
from wijkfonds.common.numbers import parse_id
from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.models.needs import SOURCE_SELF
from wijkfonds.services.needs import board, responses
from wijkfonds.web.forms import FlaskForm

UNKNOWN = "onbekend"  # the select value of "weet ik niet"


def id_or_unknown(value: Any) -> int | str | None:
    """A select's id; "weet ik niet" stays UNKNOWN; empty or tampered values become None (checked later)."""
    if value == UNKNOWN:
        return UNKNOWN
    return parse_id(value)


class NeedForm(PhotoFields, FlaskForm):
    """A need or a short story."""

    title = StringField(_l("Titel"), render_kw={"maxlength": board.TITLE_MAX})
    body = TextAreaField(
        _l("Wat heeft u nodig, of wat maakte u mee?"), render_kw={"maxlength": board.BODY_MAX, "rows": 6}
    )
    district = SelectField(_l("Gebied"), coerce=parse_id, validate_choice=False)
    block = SelectField(_l("Bouwsteen"), coerce=id_or_unknown, validate_choice=False)
    theme = SelectField(_l("Functie (niet verplicht)"), coerce=id_or_unknown, validate_choice=False)
    anonymous = BooleanField(_l("Toon mijn naam niet aan andere bewoners"))
    source = SelectField(_l("Wie vertelde dit?"), default=SOURCE_SELF, validate_choice=False)
    submit = SubmitField(_l("Plaatsen"))

    def to_data(self) -> board.NeedData:
        """The plain data for the service; a tampered id becomes -1, which the service refuses."""

        def chosen(f: SelectField) -> tuple[int | None, bool]:
            raw = (f.raw_data or [""])[0]
            if raw == UNKNOWN:
                return None, True
            if raw == "":
                return None, False
            return (f.data if isinstance(f.data, int) else -1), False

        block_id, block_unknown = chosen(self.block)
        theme_id, _unknown = chosen(self.theme)
        return board.NeedData(
            title=self.title.data or "",
            body=self.body.data or "",
            district_id=self.district.data,
            block_id=block_id,
            block_unknown=block_unknown,
            theme_id=theme_id,
            anonymous=bool(self.anonymous.data),
            source=self.source.data or SOURCE_SELF,
        )


class ReplyForm(FlaskForm):
    """A reply to a need."""

    body = TextAreaField(_l("Uw reactie"), render_kw={"maxlength": board.REPLY_MAX, "rows": 3})
    submit = SubmitField(_l("Reactie plaatsen"))


class ReportForm(FlaskForm):
    """Why a need or a reply should be looked at by a moderator."""

    reason = TextAreaField(_l("Waarom meldt u dit?"), render_kw={"maxlength": 300})
    reply_id = HiddenField()
    submit = SubmitField(_l("Melden"))


class HideForm(FlaskForm):
    """Hide a need or a reply; the reason is shown in its place."""

    reason = TextAreaField(_l("Reden (wordt getoond in plaats van de tekst)"), render_kw={"maxlength": 300})
    submit = SubmitField(_l("Verbergen"))


class ResponseForm(FlaskForm):
    """Staff's public answer to a need."""

    kind = SelectField(_l("Wat gebeurt er met deze behoefte?"), validate_choice=False)
    text = StringField(_l("Toelichting"), render_kw={"maxlength": responses.TEXT_MAX})
    submit = SubmitField(_l("Antwoord plaatsen"))


class ThemeForm(FlaskForm):
    """Turn selected needs into a theme of the next round."""

    needs = SelectMultipleField(
        _l("Behoeften"),
        coerce=parse_id,
        validate_choice=False,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    round = SelectField(_l("Ronde"), coerce=parse_id, validate_choice=False)
    title = StringField(_l("Naam van het thema"), render_kw={"maxlength": responses.THEME_TITLE_MAX})
    description = TextAreaField(_l("Toelichting (niet verplicht)"), render_kw={"maxlength": 2000})
    submit = SubmitField(_l("Thema maken"))
