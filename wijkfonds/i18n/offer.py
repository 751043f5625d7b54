"""The languages the site can offer: one list, read by the language switch, the catalogues,
the formatting and the completeness test.

Pure data (no Flask), so that ``config`` can build its default ``LANGUAGES`` from it.

A language is *offered* when it is Dutch (the source language), English, or one whose
catalogue directory ``translations/<code>/`` exists with at least one ``.po`` file: a
catalogue that is merged in switches its language on, and from then on the completeness test
holds it to every source string.

"Eenvoudig Nederlands" (B1 Dutch) has the site code ``b1``: Babel refuses a variant such as
``nl_B1``, and the text *is* Dutch, so it formats numbers and dates as Dutch and its pages say
``lang="nl"``; only its catalogue is its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
SOURCE = "nl"


@dataclass(frozen=True)
class Language:
    """One language of the site."""

    code: str  # the site's code: /taal/<code>, translations/<code>/, session and account columns
    native_name: str  # how the switch names it, in the language itself
    direction: str  # "ltr" or "rtl"
    babel_locale: str  # what Babel formats dates with (and the catalogue's plural rules)
    html_lang: str  # the lang attribute of its pages (BCP 47)
    group: str  # the thousands separator of whole numbers and amounts (digits are always 0-9)
    decimal: str  # the decimal sign ("2,5 MB")


# In the order of the language switch: Dutch first, then by how many residents read it.
ALL: tuple[Language, ...] = (
    Language("nl", "Nederlands", "ltr", "nl", "nl", ".", ","),
    Language("b1", "Eenvoudig Nederlands", "ltr", "nl", "nl", ".", ","),
    Language("en", "English", "ltr", "en", "en", ",", "."),
    Language("tr", "Türkçe", "ltr", "tr", "tr", ".", ","),
    # Arabic pages keep Western digits and the Dutch grouping: amounts read as on the
    # municipality's own letters, and "€ 8.400" stays the same number in every language.
    Language("ar", "العربية", "rtl", "ar", "ar", ".", ","),
    Language("pl", "Polski", "ltr", "pl", "pl", "\u00a0", ","),
)
BY_CODE: dict[str, Language] = {lang.code: lang for lang in ALL}
ALWAYS = ("nl", "en")


def has_catalogue(code: str, directory: Path = TRANSLATIONS_DIR) -> bool:
    """True when ``translations/<code>/`` holds at least one ``.po`` file."""
    folder = directory / code
    return folder.is_dir() and any(folder.glob("*.po"))


def offered_codes(directory: Path = TRANSLATIONS_DIR) -> tuple[str, ...]:
    """Dutch, English, and every other language of ALL whose catalogue exists, in ALL's order."""
    return tuple(lang.code for lang in ALL if lang.code in ALWAYS or has_catalogue(lang.code, directory))


def language(code: str) -> Language:
    """The Language for a site code (Dutch for an unknown one)."""
    return BY_CODE.get(code, BY_CODE[SOURCE])
