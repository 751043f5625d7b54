"""Form fields that parse Dutch input (euros, percentages, local date-times) with Dutch messages."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from wtforms.widgets import DateTimeLocalInput, TextInput

from wijkfonds.common.money import number, too_high
from wijkfonds.common.numbers import MAX_EUROS, MAX_INT
from wijkfonds.common.timeutil import from_local, to_local
from wijkfonds.i18n.text import get_locale
from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.web.forms import Field

_SPACES = re.compile(r"[\s\u00a0\u202f]+")


def parse_euros(text: str) -> int | None:
    """'300000', '300.000', '€ 300.000,00' -> 300000; '' -> None; cents or junk -> ValueError."""
    s = _SPACES.sub("", text).replace("€", "")
    if not s:
        return None
    if s.startswith("-"):
        raise ValueError(_l("Het bedrag mag niet negatief zijn."))
    s = re.sub(r",(00|-)$", "", s)
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", s):
        s = s.replace(".", "")
    if re.fullmatch(r"\d+[.,]\d+", s):
        raise ValueError(_l("Vul hele euro's in, zonder centen."))
    if not re.fullmatch(r"\d+", s):
        raise ValueError(_l("Vul een bedrag in hele euro's in, bijvoorbeeld 300000."))
    if len(s.lstrip("0")) > len(str(MAX_EUROS)) or int(s) > MAX_EUROS:
        raise ValueError(too_high())
    return int(s)


def parse_percent(text: str) -> int | None:
    """'12,5' or '12.5 %' -> 1250 basis points; '' -> None; more than 2 decimals -> ValueError."""
    s = _SPACES.sub("", text).rstrip("%").replace(",", ".")
    if not s:
        return None
    try:
        value = Decimal(s)
    except InvalidOperation:
        raise ValueError(_l("Vul een percentage in, bijvoorbeeld 12,5.")) from None
    if not value.is_finite():
        raise ValueError(_l("Vul een percentage in, bijvoorbeeld 12,5."))
    exponent = value.as_tuple().exponent  # an int for a finite number ('n', 'N', 'F' otherwise)
    if isinstance(exponent, int) and exponent < -2:
        raise ValueError(_l("Gebruik hoogstens 2 cijfers achter de komma."))
    if value < 0 or value > 100:
        raise ValueError(_l("Kies een percentage van 0 tot en met 100."))
    return int(value * 100)


def format_percent(bp: int | None) -> str:
    """1250 -> '12,5' (Dutch) or '12.5' (English)."""
    if bp is None:
        return ""
    text = f"{Decimal(bp) / 100:f}".rstrip("0").rstrip(".") if bp % 100 else str(bp // 100)
    return text if str(get_locale() or "nl") == "en" else text.replace(".", ",")


def parse_local(text: str) -> datetime | None:
    """'2027-03-01T09:00' or '2027-03-01' (Europe/Amsterdam) -> naive UTC; '' -> None."""
    s = text.strip()
    if not s:
        return None
    for fmt in ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%d-%m-%Y %H:%M", "%d-%m-%Y"):
        try:
            value = datetime.strptime(s, fmt)
        except ValueError:
            continue
        if not 2000 <= value.year <= 2200:
            raise ValueError(_l("Kies een jaar tussen 2000 en 2200."))
        return from_local(value)
    raise ValueError(_l("Vul een datum en tijd in, bijvoorbeeld 2027-03-01 09:00."))


class _ParsedField(Field):
    """A text field whose value is parsed by ``parse``; a parse error becomes the field's message."""

    widget: Any = TextInput()

    def parse(self, text: str) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def show(self, value: Any) -> str:
        """How a parsed value is written back into the input."""
        return str(value)

    def process_formdata(self, valuelist: list[str]) -> None:
        """Parse the submitted text; keep None when it is missing or empty."""
        self.data = None
        if valuelist:
            self.data = self.parse(valuelist[0])

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return "" if self.data is None else self.show(self.data)

    @property
    def submitted(self) -> bool:
        """False when the name was absent from the POST (e.g. a read-only part of the form)."""
        return bool(self.raw_data)


class EuroField(_ParsedField):
    """Whole euros."""

    def __init__(self, label: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("render_kw", {"inputmode": "numeric", "autocomplete": "off"})
        super().__init__(label, **kwargs)

    def parse(self, text: str) -> int | None:
        """Euros from Dutch text."""
        return parse_euros(text)


class CountField(_ParsedField):
    """A whole number such as a support threshold."""

    def __init__(self, label: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("render_kw", {"inputmode": "numeric"})
        super().__init__(label, **kwargs)

    def parse(self, text: str) -> int | None:
        """A non-negative integer."""
        s = text.strip()
        if not s:
            return None
        if not re.fullmatch(r"\d+", s, re.ASCII):
            raise ValueError(_l("Vul een heel getal in (0 of meer)."))
        if len(s.lstrip("0")) > len(str(MAX_INT)) or int(s) > MAX_INT:
            raise ValueError(_l("Dit getal is te groot: het hoogste getal is %(max)s.", max=number(MAX_INT)))
        return int(s)


class PercentField(_ParsedField):
    """A share in percent (up to 2 decimals), held as basis points."""

    def __init__(self, label: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "size": 6})
        super().__init__(label, **kwargs)

    def parse(self, text: str) -> int | None:
        """Basis points."""
        return parse_percent(text)

    def show(self, value: Any) -> str:
        """Percent with a decimal comma."""
        return format_percent(value)


class LocalDateTimeField(_ParsedField):
    """A moment typed in Amsterdam time (datetime-local or date), held as naive UTC."""

    widget = DateTimeLocalInput()

    def parse(self, text: str) -> datetime | None:
        """Naive UTC."""
        return parse_local(text)

    def show(self, value: Any) -> str:
        """Local time in the datetime-local format."""
        return to_local(value).strftime("%Y-%m-%dT%H:%M")
