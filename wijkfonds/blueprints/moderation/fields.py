"""The reason field of the hide forms (comments, photos, progress updates) and of reporting a comment."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.services.dialogue import hiding

if TYPE_CHECKING:
    from wijkfonds.i18n.text import LazyString


def reason_field(label: LazyString) -> Any:
    """A required reason of at most hiding.REASON_MAX characters, as hiding.clean_reason checks it again."""
    return TextAreaField(
        label,
        validators=[
            DataRequired(_l("Geef een reden.")),
            Length(max=hiding.REASON_MAX, message=_l("De reden mag hoogstens 300 tekens hebben.")),
        ],
    )
