"""Forms of the voting pages (the ballot itself is a plain list of checkboxes)."""

from __future__ import annotations

from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.web.forms import FlaskForm


class CodeForm(FlaskForm):
    """A one-time voting code from the letter."""

    class Meta:
        # CSRFProtect checks every POST before any view runs, and vote/code.html writes the
        # token itself; a second check here would sign and verify a token once more per voter.
        csrf = False

    code = StringField(
        _l("Stemcode (10 tekens, staat in uw brief)"),
        validators=[
            DataRequired(_l("Vul de stemcode uit uw brief in.")),
            Length(max=40, message=_l("Deze stemcode is te lang.")),
        ],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )
    submit = SubmitField(_l("Verder naar het stembiljet"))


class ReceiptForm(FlaskForm):
    """The receipt check: a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    code = StringField(
        _l("Uw ontvangstcode (12 tekens)"),
        validators=[
            DataRequired(_l("Vul uw ontvangstcode in.")),
            Length(max=40, message=_l("Deze ontvangstcode is te lang.")),
        ],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
