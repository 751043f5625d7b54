"""The engine's explanations in every language of the site.

The engine writes its reason codes in English and Dutch only (allocation/explain.py, a pure
library). The other languages keep their sentences where the site's translations live:
``i18n/translations/<lang>/explanations.po``, one entry per reason code, with the code as
``msgctxt`` and the engine's English template as ``msgid``, so that a template the engine
rewords is no longer found and is shown in English until it is translated again; the unit of a
margin ("votes", "points") is an entry with plural forms under the context ``UNIT_CONTEXT``.

Readers of Turkish, Arabic and Polish see a sentence without a translation in English (as the
accessibility statement says); B1 Dutch readers see the plainer sentence of their catalogue, or
the Dutch one where it has none. The callers keep the stored English sentence for a code the
engine does not know (an older engine).
"""

from __future__ import annotations

import contextlib
import string
from collections.abc import Mapping
from fractions import Fraction
from functools import cache
from io import BytesIO
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from wijkfonds.allocation import AllocationError
from wijkfonds.allocation.explain import reason_template, reasons, render_reason
from wijkfonds.common.money import amount_in
from wijkfonds.i18n.offer import TRANSLATIONS_DIR, language
from wijkfonds.services.results.runs import explained

AREA = "explanations.po"
UNIT_CONTEXT = "explanation unit"
ENGINE = ("en", "nl")  # the languages the engine writes itself
# The margin's unit as the engine passes it ("unit_en"), and its singular and plural msgids.
_UNITS = {
    "vote": ("vote", "votes"),
    "votes": ("vote", "votes"),
    "point": ("point", "points"),
    "points": ("point", "points"),
}
_SEP = "\x04"  # how gettext keys a message with a context
_JOIN = {"ar": "\u061b "}  # between a sentence and its margin: the Arabic semicolon


@cache
def catalogue(lang: str) -> Translations | None:
    """The explanations catalogue of ``lang`` (None when it has none), read once per process."""
    path = TRANSLATIONS_DIR / lang / AREA
    if not path.is_file():
        return None
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=language(lang).babel_locale)
    buf = BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(fp=buf)


def template(code: str, lang: str) -> str | None:
    """The translated template of ``code`` in ``lang``, or None when the catalogue has none for
    the engine's current English template."""
    cat = catalogue(lang)
    english = reason_template(code, "en")
    if cat is None or english is None:
        return None
    found = cat._catalog.get(f"{code}{_SEP}{english}")
    return found if isinstance(found, str) and found else None


def fields(text: str) -> set[tuple[str, str]]:
    """The ``{field}`` / ``{field:spec}`` placeholders of a template, as (name, spec) pairs."""
    return {(name, spec or "") for _lit, name, spec, _conv in string.Formatter().parse(text) if name is not None}


class _Formatter(string.Formatter):
    """str.format with ``{x:money}`` written as the site writes money in ``lang``."""

    def __init__(self, lang: str, currency: str) -> None:
        super().__init__()
        self.lang = lang
        self.currency = currency
        self.rtl = language(lang).direction == "rtl"

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == "money":
            try:
                amount = Fraction(value) if isinstance(value, int | str | Fraction) else Fraction(str(value))
            except (ValueError, ZeroDivisionError) as exc:
                raise ValueError(f"{value!r} is no amount") from exc
            return amount_in(amount, self.lang, self.currency)
        text = str(super().format_field(value, format_spec))
        # A name in Latin script inside Arabic text: a first-strong isolate keeps its words in order.
        return (
            f"\u2068{text}\u2069"
            if self.rtl and isinstance(value, str) and not isinstance(value, _Word) and value
            else text
        )


class _Word(str):
    """A word of the sentence's own language put into its params (a margin's unit): never isolated."""


def _unit(params: Mapping[str, object], cat: Translations) -> str | None:
    """The margin's unit word in the catalogue's language, for the margin's number."""
    forms = _UNITS.get(str(params.get("unit_en", "")))
    if forms is None:
        return None
    n = params.get("margin")
    count = n if isinstance(n, int) else 2
    if (f"{UNIT_CONTEXT}{_SEP}{forms[0]}", 0) not in cat._catalog:
        return None  # no words for the unit: the sentence keeps the English one
    return str(cat.unpgettext(UNIT_CONTEXT, forms[0], forms[1], count))


def _one(code: str, params: Mapping[str, object], lang: str, *, symbol: bool) -> str:
    """One sentence (without its margin) in ``lang``, falling back as the module says."""
    single = {k: v for k, v in params.items() if k != "margin_reason"}
    translated = template(code, lang)
    if translated is None:
        return render_reason(code, single, "nl" if language(lang).babel_locale == "nl" else "en", symbol=symbol)
    cat = catalogue(lang)
    assert cat is not None  # template() found an entry in it
    unit = _unit(params, cat)
    if unit is not None:
        single["unit_en"] = _Word(unit)
    try:
        return _Formatter(lang, str(params.get("currency", "EUR"))).format(translated, **single)
    except (KeyError, IndexError, ValueError) as exc:
        raise AllocationError(
            f"reason {code!r} cannot be written in {lang} with params {dict(params)!r}: {exc}"
        ) from exc


def render(code: str, params: Mapping[str, object], lang: str, *, symbol: bool = True) -> str:
    """The sentence for a reason code and its params in any language of the site, with its margin.

    English and Dutch are the engine's own (:func:`~wijkfonds.allocation.explain.render_reason`);
    raises AllocationError for a code the engine does not know.
    """
    if lang in ENGINE:
        return render_reason(code, params, lang, symbol=symbol)
    if reason_template(code, "en") is None:
        raise AllocationError(f"unknown reason code {code!r}")
    text = _one(code, params, lang, symbol=symbol)
    margin = params.get("margin_reason")
    if isinstance(margin, str) and margin != code and reason_template(margin, "en") is not None:
        text += _JOIN.get(lang, "; ") + _one(margin, params, lang, symbol=symbol)
    return text


def outcome_text(outcome: Mapping[str, Any], lang: str) -> str:
    """A stored outcome's explanation in ``lang``, in its round's words (points or votes); the
    stored English sentence when the engine no longer knows its code (an older engine)."""
    text = str(outcome.get("explanation", ""))
    if outcome.get("reason"):
        with contextlib.suppress(AllocationError):
            text = render(str(outcome["reason"]), outcome.get("params") or {}, lang)
    return explained(outcome, text, lang)


def missing(lang: str) -> dict[str, str]:
    """Reason codes the engine registers whose sentence ``lang`` cannot write, with why: no
    template for the engine's English one, or placeholders other than the English template's.

    English and Dutch are the engine's; a language formatted as Dutch (B1) falls back to the
    Dutch sentence, so it only needs its own templates to be right where it has them.
    """
    if lang in ENGINE:
        return {}
    cat = catalogue(lang)
    gaps: dict[str, str] = {}
    for code, by_lang in reasons().items():
        found = template(code, lang)
        if found is None:
            if language(lang).babel_locale != "nl":
                gaps[code] = f"no template for {by_lang['en']!r}"
            continue
        if fields(found) != fields(by_lang["en"]):
            gaps[code] = f"placeholders {sorted(fields(found))} differ from the English {sorted(fields(by_lang['en']))}"
    if cat is not None:
        for one, many in set(_UNITS.values()):
            if (f"{UNIT_CONTEXT}{_SEP}{one}", 0) not in cat._catalog:
                gaps[f"unit {one}"] = f"no words for {one!r} / {many!r}"
    return gaps


def stubs(lang: str) -> str:
    """``.po`` entries to fill in for the codes ``lang`` lacks (msgctxt, msgid, the Dutch as a hint)."""
    out = []
    for code in missing(lang):
        by_lang = reasons().get(code)
        if by_lang is not None:
            english = by_lang["en"].replace("\\", "\\\\").replace('"', '\\"')
            out.append(f'#. nl: {by_lang["nl"]}\nmsgctxt "{code}"\nmsgid "{english}"\nmsgstr ""\n')
    return "\n".join(out)


if __name__ == "__main__":
    # python -m wijkfonds.services.results.explanations tr >> wijkfonds/i18n/translations/tr/explanations.po
    import sys

    print(stubs(sys.argv[1] if len(sys.argv) > 1 else "tr"), end="")
