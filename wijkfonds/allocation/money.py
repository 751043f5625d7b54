"""Money in the engine: exact amounts with cents, parsed, checked, scaled and written.

An amount (:data:`Money`) is an ``int`` when it is whole and a
:class:`fractions.Fraction` otherwise (``Fraction(74079305, 100)`` for 740,793.05), so
that no float ever decides whether a plan fits. :func:`as_money` turns what callers pass
(``int``, ``Fraction``, :class:`decimal.Decimal`, NumPy integers) into that form and
refuses floats, which cannot hold cents exactly.

* :func:`parse_money` reads the plain decimal notation of pabulib files (``1893934.38``);
  :func:`money_text` writes an amount back in that notation.
* :func:`money_scale` is the smallest whole number that turns every amount of a round into
  a whole number (1 for whole amounts, 100 for arbitrary cents, 20 when every amount is a
  multiple of 0.05). The MES core and the ILP work in these units, so that with whole
  amounts nothing changes.
* :func:`format_money` writes an amount for a resident: whole units as before
  (``EUR 8,400``), other amounts with cents rounded for reading only (``PLN 740,793.05``).
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

from .errors import AllocationError

__all__ = [
    "Money",
    "as_money",
    "format_money",
    "is_whole",
    "money_scale",
    "money_text",
    "parse_money",
    "to_units",
]

Money = int | Fraction

_AMOUNT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def as_money(value: object, what: str = "an amount") -> Money:
    """``value`` as an exact amount (int when whole, else Fraction); raises for floats and non-numbers."""
    if isinstance(value, bool) or value is None:
        raise AllocationError(f"{what} must be an amount of money, not {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, numbers.Integral):  # NumPy integers
        return int(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise AllocationError(f"{what} must be a finite amount, not {value}")
        return _normal(Fraction(value))
    if isinstance(value, numbers.Rational):  # Fraction and friends
        return _normal(Fraction(int(value.numerator), int(value.denominator)))
    if isinstance(value, float):
        raise AllocationError(
            f"{what} is the float {value!r}: amounts must be exact "
            "(an int, a fractions.Fraction or a decimal.Decimal such as Decimal('12.50'))"
        )
    raise AllocationError(f"{what} must be an amount of money, not {type(value).__name__} {value!r}")


def _normal(value: Fraction) -> Money:
    return value.numerator if value.denominator == 1 else value


def is_whole(amount: Money) -> bool:
    """True when the amount has no cents."""
    return Fraction(amount).denominator == 1


def parse_money(text: str) -> Money | None:
    """An amount written as pabulib writes it (``1200``, ``-5``, ``1893934.38``), or None when it is not one."""
    s = text.strip()
    if not _AMOUNT.fullmatch(s):
        return None
    return _normal(Fraction(Decimal(s)))


def money_text(amount: Money) -> str:
    """The plain decimal notation of an amount (``740793.05``); raises when it has no finite decimal form."""
    value = Fraction(amount)
    if value.denominator == 1:
        return str(value.numerator)
    den = value.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        raise AllocationError(f"the amount {value} has no exact decimal notation")
    places = max(twos, fives)
    digits = abs(value) * 10**places
    whole, frac = divmod(int(digits), 10**places)
    sign = "-" if value < 0 else ""
    return f"{sign}{whole}.{frac:0{places}d}"


def money_scale(amounts: Iterable[Money]) -> int:
    """The least common multiple of the amounts' denominators: 1 for whole amounts, 100 for cents."""
    scale = 1
    for amount in amounts:
        den = Fraction(amount).denominator
        if den != 1:
            scale = math.lcm(scale, den)
    return scale


def to_units(amount: Money, scale: int) -> int:
    """``amount`` in units of ``1 / scale`` (cents when ``scale`` is 100); it must be a whole number of them."""
    units = Fraction(amount) * scale
    if units.denominator != 1:
        raise AllocationError(f"the amount {amount} is not a whole number of 1/{scale}")
    return units.numerator


def format_money(amount: object, lang: str = "en", currency: str = "EUR", *, symbol: bool = False) -> str:
    """An amount for a resident: ``EUR 8,400`` (en) or ``€ 8.400`` (nl); cents when it has them.

    Whole amounts are written without cents, as always; other amounts are rounded to
    cents (half to even) for reading only. Accepts whatever :func:`as_money` accepts,
    plus the strings ``"p/q"`` and ``"12.50"`` that stored outcomes hold. With
    ``symbol=True`` euros are written with the sign in English too (``€ 8,400``), as the
    platform's pages write every amount; other currencies keep their code.
    """
    value = Fraction(amount) if isinstance(amount, str | float) else Fraction(as_money(amount))
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value.denominator == 1:
        digits = f"{value.numerator:,}"
    else:
        cents = round(value * 100)
        digits = f"{cents // 100:,}.{cents % 100:02d}"
    unit = "€" if currency == "EUR" and (symbol or lang == "nl") else currency
    if lang == "nl":
        dutch = digits.replace(",", " ").replace(".", ",").replace(" ", ".")
        return f"{sign}{unit} {dutch}"
    return f"{sign}{unit} {digits}"
