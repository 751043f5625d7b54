"""The form for one translation."""

from __future__ import annotations

from typing import Any

from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice

from wijkfonds.i18n.languages import offered_languages
from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.web.forms import FlaskForm


class TranslationForm(FlaskForm):
    """The language and the translated texts (the service checks the language and lengths)."""

    language = SelectField(_l("Taal van de vertaling"), validate_choice=False)
    # dir="auto": Arabic typed here runs right to left, Dutch left to right.
    title = StringField(_l("Titel"), render_kw={"dir": "auto"})
    summary = StringField(_l("Samenvatting"), render_kw={"dir": "auto"})
    text = TextAreaField(_l("Tekst"), render_kw={"dir": "auto", "rows": 10})
    submit = SubmitField(_l("Vertaling opslaan"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.language.choices = [
            SelectChoice(lang.code, lang.native_name, render_kw={"lang": lang.html_lang})
            for lang in offered_languages()
        ]


class HideForm(FlaskForm):
    """Staff: hide a translation, or show it again (CSRF token only)."""

    submit = SubmitField(_l("Verbergen"))


class LetterLanguagesForm(FlaskForm):
    """Staff: the letter languages of every district (checkboxes ``talen-<district id>``, read by the view)."""

    submit = SubmitField(_l("Talen opslaan"))
