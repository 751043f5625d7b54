"""Money as people read it: whole euros with the grouping of the current language."""

from __future__ import annotations

from wijkfonds.i18n.languages import request_lang

_GROUPING = {"nl": ".", "en": ","}


def euro(amount: int | None) -> str:
    """Whole euros in the current locale, e.g. '€ 8.400' (nl) or '€ 8,400' (en).

    Money is always whole euros, so grouping digits is all there is to it; this runs for
    every amount on every page, and Babel's pattern parsing was a tenth of a ballot's time.
    """
    if amount is None:
        return ""
    sep = _GROUPING.get(request_lang(), ".")
    digits = f"{abs(int(amount)):,}".replace(",", sep)
    return f"-€ {digits}" if amount < 0 else f"€ {digits}"
