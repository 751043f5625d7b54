"""Readable explanations: reason codes -> sentences in English ("en") and Dutch ("nl").

Every :class:`ProjectOutcome` carries a stable ``reason`` code and ``params``; this
module turns them into a sentence. Templates are :meth:`str.format` strings over the
params; a field with the format spec ``money`` (``{left:money}``) is written as money in
the language of the sentence, in ``params["currency"]`` (default EUR): whole amounts as
``EUR 8,400``, amounts with cents as ``EUR 8,400.50``, or with the euro sign in English too
(``€ 8,400``) when asked with ``symbol=True`` (see :func:`~.money.format_money`;
stored params may hold such amounts as ``"p/q"`` strings).

Each rule module registers its own codes with :func:`register_reasons` when it is
imported, so that adding a rule never means editing this file.
"""

from __future__ import annotations

import importlib
import string
from collections.abc import Mapping
from typing import Any

from .model import AllocationError, ProjectOutcome
from .money import format_money

__all__ = ["BOUND_PLACES", "LANGUAGES", "make_outcome", "reason_template", "reasons", "register_reasons", "render"]

LANGUAGES = ("en", "nl")

# Where money ran out, per kind of upper bound (see rules.common.BOUND_KINDS), as
# (English, Dutch) phrases with a ``{name}`` field; rule modules build their templates on them.
BOUND_PLACES: dict[str, tuple[str, str]] = {
    "total": ("of the total budget", "van het totale budget"),
    "district": ("in {name}", "in {name}"),
    "neighbourhood": ("under the cap for neighbourhood {name}", "binnen het maximum voor buurt {name}"),
    "category_cap": ("under the cap for category {name}", "binnen het maximum voor categorie {name}"),
    "category_share": ("under the maximum share for {name}", "binnen het maximale aandeel voor {name}"),
}

_TEMPLATES: dict[str, dict[str, str]] = {}

# Modules that register reason codes; imported on demand so that rendering a stored
# outcome works even when the rule that produced it was never run in this process.
_RULE_MODULES = (
    "wijkfonds.allocation.rules.greedy",
    "wijkfonds.allocation.rules.ilp",
    "wijkfonds.allocation.rules.mes",
    "wijkfonds.allocation.rules.mes_bounds",
    "wijkfonds.allocation.rules.margins",
)


def register_reasons(templates: Mapping[str, Mapping[str, str]]) -> None:
    """Add reason codes: ``{code: {"en": template, "nl": template}}``; both languages are required."""
    for code, by_lang in templates.items():
        missing = [lang for lang in LANGUAGES if lang not in by_lang]
        if missing:
            raise ValueError(f"reason {code!r} has no template for {', '.join(missing)}")
        existing = _TEMPLATES.get(code)
        if existing is not None and existing != dict(by_lang):
            raise ValueError(f"reason {code!r} is registered twice with different templates")
        _TEMPLATES[code] = dict(by_lang)


def reason_template(code: str, lang: str) -> str | None:
    """The registered template of ``code`` in ``lang`` ("en" or "nl"), or None for an unknown code.

    For callers that look up one code per sentence: :func:`reasons` copies every template.
    """
    if code not in _TEMPLATES:
        _load_rule_modules()
    return _TEMPLATES.get(code, {}).get(lang)


def reasons() -> dict[str, dict[str, str]]:
    """All registered reason codes with their templates (a copy)."""
    _load_rule_modules()
    return {code: dict(t) for code, t in _TEMPLATES.items()}


class _Formatter(string.Formatter):
    def __init__(self, lang: str, currency: str, symbol: bool) -> None:
        super().__init__()
        self.lang = lang
        self.currency = currency
        self.symbol = symbol

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == "money":
            return format_money(value, self.lang, self.currency, symbol=self.symbol)
        return str(super().format_field(value, format_spec))


def _load_rule_modules() -> None:
    for name in _RULE_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:
            # A rule module that is not there (yet) simply has no templates.
            continue


def render_reason(code: str, params: Mapping[str, object], lang: str = "en", *, symbol: bool = False) -> str:
    """The sentence for one reason code and its params in ``lang``.

    ``symbol=True`` writes euros as ``€ 8,400`` in English too (see :func:`~.money.format_money`).
    When the params carry a margin (``margin_reason``, see :mod:`.rules.margins`), its
    sentence follows: "…; het had 37 stemmen meer nodig gehad".
    """
    text = _render_one(code, params, lang, symbol=symbol)
    margin = params.get("margin_reason")
    if isinstance(margin, str) and margin != code:
        text += "; " + _render_one(margin, params, lang, symbol=symbol)
    return text


def _render_one(code: str, params: Mapping[str, object], lang: str, *, symbol: bool = False) -> str:
    if lang not in LANGUAGES:
        raise AllocationError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    if code not in _TEMPLATES:
        _load_rule_modules()
    if code not in _TEMPLATES:
        raise AllocationError(f"unknown reason code {code!r}")
    currency = str(params.get("currency", "EUR"))
    try:
        return _Formatter(lang, currency, symbol).format(_TEMPLATES[code][lang], **params)
    except (KeyError, IndexError, ValueError) as exc:
        raise AllocationError(f"reason {code!r} cannot be written with params {dict(params)!r}: {exc}") from exc


def render(outcome: ProjectOutcome, lang: str = "en") -> str:
    """The explanation of one project outcome in ``lang`` ("en" or "nl"), with its margin when one was computed."""
    return render_reason(outcome.reason, outcome.params, lang)


def make_outcome(
    project_id: str,
    funded: bool,
    reason: str,
    params: Mapping[str, object],
    *,
    rank: int | None = None,
    support: int | None = None,
) -> ProjectOutcome:
    """A :class:`ProjectOutcome` whose ``explanation`` is the English sentence for ``reason``."""
    return ProjectOutcome(
        project_id=project_id,
        funded=funded,
        reason=reason,
        explanation=render_reason(reason, params, "en"),
        params=dict(params),
        rank=rank,
        support=support,
    )
