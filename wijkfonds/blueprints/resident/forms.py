"""Forms for residents: an initiative, a comment, a report."""

from __future__ import annotations

import re
from typing import Any

from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from wijkfonds.blueprints.media.forms import PhotoFields
from wijkfonds.blueprints.moderation.fields import reason_field
from wijkfonds.common.money import too_high
from wijkfonds.common.numbers import MAX_EUROS, parse_id
from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.services.dialogue import comments as dialogue
from wijkfonds.services.dialogue import initiatives as svc
from wijkfonds.services.places.points import parse_degrees
from wijkfonds.web.forms import Field, FlaskForm

# "2500", "2.500", "€ 2.500", "2 500": whole euros with optional thousands separators.
_EUROS = re.compile(r"^(\d+|\d{1,3}(\.\d{3})+)$", re.ASCII)


def parse_euros(raw: str) -> int:
    """Whole euros from what a person types; ValueError with a Dutch message otherwise."""
    text = raw.replace("€", "").replace("\u00a0", "").replace(" ", "").strip()
    if not text:
        raise ValueError(_l("Vul het bedrag in hele euro's in, bijvoorbeeld 2500."))
    if text.startswith("-") and _EUROS.match(text[1:]):
        raise ValueError(_l("Het bedrag moet groter zijn dan 0 euro."))
    if re.match(r"^[\d.]*,\d*$", text, re.ASCII) or re.match(r"^\d+\.\d{1,2}$", text, re.ASCII):
        raise ValueError(_l("Vul alleen hele euro's in, zonder centen (bijvoorbeeld 2500)."))
    if not _EUROS.match(text) or len(text) > 15:
        raise ValueError(_l("Vul het bedrag in hele euro's in, alleen met cijfers (bijvoorbeeld 2500)."))
    value = int(text.replace(".", ""))
    if value <= 0:
        raise ValueError(_l("Het bedrag moet groter zijn dan 0 euro."))
    if value > MAX_EUROS:
        raise ValueError(too_high())
    return value


class EuroField(Field):
    """A text input for whole euros; keeps what was typed so the form can show it again."""

    widget = TextInput()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.raw = ""

    def process_formdata(self, valuelist: list[str]) -> None:
        """Parse the typed amount (errors become field errors via ValueError)."""
        if not valuelist:
            return
        self.raw = valuelist[0][:40]
        self.data = None
        self.data = parse_euros(self.raw)

    def _value(self) -> str:
        if self.raw:
            return self.raw
        return str(self.data) if self.data is not None else ""


class DegreesField(Field):
    """A text input for a coordinate in degrees ("52,3731" or "52.3731"); empty means none.

    Text with ``inputmode="decimal"`` rather than ``type="number"``: a number input drops
    what it cannot read in the browser's own locale (a comma in an English browser), so the
    server would see an empty field instead of what the person typed.
    """

    widget = TextInput()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false"})
        super().__init__(*args, **kwargs)
        self.raw = ""

    def process_formdata(self, valuelist: list[str]) -> None:
        """Read the typed degrees (errors become field errors via ValueError)."""
        if not valuelist:
            return
        self.raw = valuelist[0][:40]
        self.data = None
        try:
            self.data = parse_degrees(self.raw)
        except ValueError:
            raise ValueError(
                _l("Vul een getal in graden in, bijvoorbeeld 52,3731 (met een komma of een punt).")
            ) from None

    def _value(self) -> str:
        if self.raw:
            return self.raw
        return "" if self.data is None else f"{self.data:.6f}".rstrip("0").rstrip(".")


def int_or_none(value: Any) -> int | None:
    """Coerce a select value to an id; tampered, empty or too large values become None (checked later)."""
    return parse_id(value)


def _select(label: Any) -> SelectField:
    # validate_choice=False: the service checks ids and gives a Dutch message per field.
    return SelectField(label, coerce=int_or_none, validate_choice=False)


class InitiativeForm(PhotoFields, FlaskForm):
    """A plan: texts, cost, where it belongs, and a photo if the initiator has one."""

    title = StringField(
        _l("Titel"),
        filters=[lambda s: s.strip() if s else s],
        validators=[
            DataRequired(_l("Geef uw plan een titel.")),
            Length(max=svc.TITLE_MAX, message=_l("De titel mag hoogstens 120 tekens hebben.")),
        ],
    )
    summary = TextAreaField(
        _l("Korte samenvatting"),
        validators=[
            DataRequired(_l("Schrijf een korte samenvatting.")),
            Length(max=svc.SUMMARY_MAX, message=_l("De samenvatting mag hoogstens 300 tekens hebben.")),
        ],
    )
    description = TextAreaField(
        _l("Beschrijving"),
        validators=[
            DataRequired(_l("Beschrijf wat u wilt doen en voor wie.")),
            Length(max=svc.DESCRIPTION_MAX, message=_l("De beschrijving mag hoogstens 10000 tekens hebben.")),
        ],
    )
    requested_cost = EuroField(_l("Gevraagd bedrag in hele euro's"))
    district = _select(_l("Gebied"))
    theme = _select(_l("Thema"))
    block = _select(_l("Bouwsteen"))
    location = StringField(
        _l("Plaats (niet verplicht)"),
        validators=[Optional(), Length(max=svc.LOCATION_MAX, message=_l("De plaats mag hoogstens 200 tekens hebben."))],
    )
    latitude = DegreesField(_l("Breedtegraad (niet verplicht)"))
    longitude = DegreesField(_l("Lengtegraad (niet verplicht)"))
    # The needs from the needs board that the plan answers (services.needs.links checks them).
    needs = SelectMultipleField(
        _l("Welke behoeften beantwoordt uw plan? (niet verplicht)"),
        coerce=int_or_none,
        validate_choice=False,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    submit = SubmitField(_l("Plan indienen"))

    def to_data(self) -> svc.InitiativeData:
        """The plain data for the service (ids and cost may be None)."""
        return svc.InitiativeData(
            title=self.title.data or "",
            summary=self.summary.data or "",
            description=self.description.data or "",
            requested_cost=self.requested_cost.data,
            district_id=self.district.data,
            theme_id=self.theme.data,
            block_id=self.block.data,
            location=self.location.data or "",
            latitude=self.latitude.data,
            longitude=self.longitude.data,
        )


class CommentForm(FlaskForm):
    """A comment or a reply (parent_id set)."""

    body = TextAreaField(
        _l("Uw reactie"),
        validators=[
            DataRequired(_l("Schrijf eerst uw reactie.")),
            Length(max=dialogue.BODY_MAX, message=_l("Uw reactie mag hoogstens 2000 tekens hebben.")),
        ],
    )
    parent_id = HiddenField()
    submit = SubmitField(_l("Plaatsen"))


class EditCommentForm(FlaskForm):
    """Change one's own comment."""

    body = TextAreaField(
        _l("Uw reactie"),
        validators=[
            DataRequired(_l("Schrijf eerst uw reactie.")),
            Length(max=dialogue.BODY_MAX, message=_l("Uw reactie mag hoogstens 2000 tekens hebben.")),
        ],
    )
    submit = SubmitField(_l("Opslaan"))


class ReportForm(FlaskForm):
    """Why a comment should be looked at by a moderator."""

    reason = reason_field(_l("Waarom meldt u deze reactie?"))
    submit = SubmitField(_l("Melden"))
