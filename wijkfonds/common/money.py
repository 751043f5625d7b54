"""Money as people read it: whole euros with the grouping of the current language."""

from __future__ import annotations

from fractions import Fraction

from wijkfonds.common.numbers import MAX_EUROS
from wijkfonds.common.translation import gettext as _
from wijkfonds.i18n.languages import request_language
from wijkfonds.i18n.offer import language


def euro(amount: int | None) -> str:
    """Whole euros in the current locale, e.g. '€ 8.400' (nl) or '€ 8,400' (en).

    On right-to-left pages the amount is wrapped in a left-to-right isolate. Money is always
    whole euros, so grouping digits is all there is to it; this runs for
    every amount on every page, and Babel's pattern parsing was a tenth of a ballot's time.
    """
    if amount is None:
        return ""
    lang = request_language()  # once per amount: the grouping and the direction come with it
    digits = f"{abs(int(amount)):,}".replace(",", lang.group)
    text = f"-€ {digits}" if amount < 0 else f"€ {digits}"
    # Right-to-left pages: a left-to-right isolate (LRI ... PDI), so that the euro sign stays
    # before the amount inside Arabic text, in pages, titles, attributes and mails alike.
    return f"\u2066{text}\u2069" if lang.direction == "rtl" else text


def number(value: int) -> str:
    """A whole number with the grouping of the current language, e.g. '1.204' (nl) or '1,204' (en).

    Western digits in every language, Arabic included (i18n/offer.py); pages wrap amounts in
    ``<bdi>`` / ``dir="ltr"`` so that "€ 8.400" reads the same inside right-to-left text.
    """
    return f"{value:,}".replace(",", request_language().group)


def too_high() -> str:
    """The message for an amount above MAX_EUROS (what an INTEGER column holds)."""
    return _("Dit bedrag is te hoog: het hoogste bedrag is %(max)s.", max=euro(MAX_EUROS))


def amount_in(value: Fraction, lang: str, currency: str = "EUR") -> str:
    """An exact amount as a page in ``lang`` writes it: '€ 8.400', '€ 8.400,50' (tr), '€ 8 400' (pl).

    Like :func:`euro` (the group and decimal signs of i18n/offer.py, a left-to-right isolate on
    right-to-left pages), for a language given by its code rather than the request's, and for
    amounts with cents (rounded to cents for reading, as the engine does) or in another currency
    (written with its code: 'PLN 740 793,05').
    """
    lang_ = language(lang)
    sign = "-" if value < 0 else ""
    cents = round(abs(value) * 100)
    whole, rest = divmod(cents, 100)
    digits = f"{whole:,}".replace(",", lang_.group)
    if rest:
        digits += f"{lang_.decimal}{rest:02d}"
    unit = "€" if currency == "EUR" else currency
    text = f"{sign}{unit} {digits}"
    return f"\u2066{text}\u2069" if lang_.direction == "rtl" else text
