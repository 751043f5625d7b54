"""Reference data as people read it: a building block's or theme's name in the reader's language.

Building blocks and themes are rows with a Dutch and an English name (staff edit both). The
other languages (Turkish, Arabic, Polish, B1 Dutch) read the catalogue area ``reference.po``:
gettext entries with a context, keyed by the Dutch name, so that translators' tools show the
Dutch source as everywhere else. The built-in reference data (the 21 building blocks and the
five functions, services/catalog/data.py) have entries in every offered language
(tests/test_reference_names.py); a block or theme staff add, or one whose Dutch name staff
change, has none and shows its Dutch name, as a plan shows its own Dutch text.

A look-up is a dictionary read in a catalogue loaded once per app: no query, so the ballot's
option cards (services/voting/snapshots.Option) use it as the pages do.
"""

from __future__ import annotations

from collections.abc import Iterable

from wijkfonds.i18n.languages import catalogue
from wijkfonds.i18n.offer import SOURCE

# The catalogue contexts (msgctxt) of reference.po.
BLOCK = "bouwsteen"
BLOCK_ABOUT = "bouwsteen: uitleg"
THEME = "thema"
THEME_ABOUT = "thema: uitleg"


def in_language(context: str, lang: str, nl: str, en: str) -> str:
    """The text in ``lang``: English from its own column (the Dutch when empty), Dutch as it is,
    any other language from the catalogue (the Dutch when it has no entry)."""
    if lang == "en":
        return en or nl
    if lang == SOURCE or not nl:
        return nl
    return catalogue(lang).upgettext(context, nl)


def translated(context: str, lang: str, nl: str) -> bool:
    """Whether ``lang``'s catalogue has a non-empty entry for this Dutch text (as gettext keys
    a message with a context: ``context\\x04msgid``)."""
    entries = getattr(catalogue(lang), "_catalog", {})
    return bool(entries.get(f"{context}\x04{nl}"))


def numbered(number: int, name: str) -> str:
    """The name after its number for one of the 21 ("4. Burenhulp ..."); staff's own (number 0) alone."""
    return f"{number}. {name}" if number else name


def every_language(context: str, nl: str, en: str, codes: Iterable[str]) -> dict[str, str]:
    """The text by site code, for open data: Dutch and English always, each other of ``codes``
    where its catalogue has an entry (a staff-made block or theme has only its two columns)."""
    found = {"nl": nl, "en": en}
    for code in codes:
        if code not in found and translated(context, code, nl):
            found[code] = in_language(context, code, nl, en)
    return found
