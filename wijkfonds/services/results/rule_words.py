"""Plain words for the allocation rules: a Dutch name and one sentence per rule and completion.

Staff choose a rule by these words, and residents read them on the results; the engine's
names ("greedy", "ilp", "mes", "add1") stay in the audit export and the recompute command,
never in the text of a page. :func:`unspent_notice` tells staff when a result leaves more
than a tenth of a budget unspent and which choice would spend it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from wijkfonds.allocation import AllocationError
from wijkfonds.common.translation import LazyString
from wijkfonds.common.translation import lazy_gettext as _l
from wijkfonds.services.results import explanations


@dataclass(frozen=True)
class Words:
    """The name and the one sentence of a rule, of a completion, or of a rule with its completion."""

    name: LazyString
    sentence: LazyString


RULES: dict[str, Words] = {
    "greedy": Words(
        _l("Meeste stemmen eerst"),
        _l(
            "De plannen met de meeste stemmen krijgen als eerste geld; past een plan niet meer in het budget, "
            "dan slaan we het over en komt het volgende plan aan de beurt."
        ),
    ),
    "greedy-stop": Words(
        _l("Meeste stemmen eerst, stoppen bij het eerste plan dat niet past"),
        _l(
            "Zoals ‘meeste stemmen eerst’, maar in een gebied stopt de telling bij het eerste plan dat niet meer "
            "past: plannen met minder stemmen krijgen dan geen geld meer (zo doet West Begroot het)."
        ),
    ),
    "ilp": Words(
        _l("Zoveel mogelijk steun (exacte berekening)"),
        _l(
            "Zoekt de combinatie van plannen die binnen het budget samen de meeste steun krijgt (een stem weegt mee "
            "naar wat het plan kost), en is de enige regel die ook een minimum per gebied of per bouwsteen garandeert."
        ),
    ),
    "mes": Words(
        _l("Gelijke delen (Equal Shares)"),
        _l(
            "Elke stemmer krijgt een gelijk deel van het budget van het eigen gebied; een plan krijgt geld als de "
            "delen van zijn voorstanders samen genoeg zijn, zodat ook kleinere groepen stemmers iets krijgen."
        ),
    ),
}

COMPLETIONS: dict[str, Words] = {
    "none": Words(
        _l("Geen aanvulling"),
        _l("Alleen gelijke delen: wat de voorstanders van geen enkel plan meer samen kunnen dragen, blijft over."),
    ),
    "add1": Words(
        _l("Deel per stemmer verhogen"),
        _l(
            "Blijft er geld over, dan wordt het deel van elke stemmer steeds met € 1 verhoogd, zolang de plannen "
            "die dan geld krijgen samen in het budget passen."
        ),
    ),
    "add1-greedy": Words(
        _l("Deel per stemmer verhogen, daarna aanvullen op stemmen"),
        _l(
            "Eerst het deel per stemmer verhogen; wat daarna nog over is, gaat naar de overige plannen met de "
            "meeste stemmen die nog passen."
        ),
    ),
}

# Equal Shares with a completion, as one choice (run pages, results, comparison).
_MES_WITH: dict[str, Words] = {
    "none": RULES["mes"],
    "add1": Words(
        _l("Gelijke delen (Equal Shares), met een groter deel per stemmer"),
        _l(
            "Gelijke delen; blijft er geld over, dan wordt het deel van elke stemmer steeds met € 1 verhoogd, "
            "zolang de plannen die dan geld krijgen samen in het budget passen."
        ),
    ),
    "add1-greedy": Words(
        _l("Gelijke delen (Equal Shares), met een groter deel per stemmer en aanvullen op stemmen"),
        _l(
            "Gelijke delen met een groter deel per stemmer; wat daarna nog over is, gaat naar de overige plannen "
            "met de meeste stemmen die nog passen."
        ),
    ),
}

# The choice that spends what a rule leaves over: greedy-stop stops early, greedy does not;
# plain Equal Shares leaves money its voters cannot pool, its completions spend it.
SPENDS_MORE: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {
    ("greedy-stop", "none"): (("greedy", "none"),),
    ("mes", "none"): (("mes", "add1"), ("mes", "add1-greedy")),
    ("mes", "add1"): (("mes", "add1-greedy"),),
}

# A notice when more than this share of a budget stays unspent (as a fraction: 1/10).
UNSPENT_NUMERATOR, UNSPENT_DENOMINATOR = 1, 10


def words(rule: str, completion: str = "none") -> Words:
    """The words for a rule with its completion ("unknown rule" for a name the platform does not offer)."""
    if rule == "mes":
        return _MES_WITH.get(completion or "none", RULES["mes"])
    known = RULES.get(rule)
    return known if known is not None else Words(_l("Onbekende regel"), _l("Deze regel kent het platform niet."))


def rule_name(rule: str, completion: str = "none") -> str:
    """The plain name of a rule with its completion, in the current language."""
    return str(words(rule, completion).name)


def rule_sentence(rule: str, completion: str = "none") -> str:
    """One sentence on what a rule with its completion does, in the current language."""
    return str(words(rule, completion).sentence)


def rule_choices() -> list[tuple[str, LazyString]]:
    """The rules staff can choose (value, plain name), in the order of the form."""
    return [(rule, w.name) for rule, w in RULES.items()]


def completion_choices() -> list[tuple[str, LazyString]]:
    """The completions of Equal Shares (value, plain name)."""
    return [(c, w.name) for c, w in COMPLETIONS.items()]


def _too_much_left(budget: int, spent: int) -> bool:
    left = budget - spent
    return budget > 0 and left * UNSPENT_DENOMINATOR > budget * UNSPENT_NUMERATOR


def unspent_notice(result: Mapping[str, Any], rule: str, completion: str = "none") -> dict[str, Any] | None:
    """The budgets a result leaves more than 10% of unspent, and the choices that would spend it; else None.

    ``total`` is the round's budget when it is left so (None otherwise); ``districts`` lists each
    such district with its budget, what was spent, what is left and the cheapest plan there
    that got no money; ``spend_with`` are (rule, completion) pairs that spend more.
    """
    budgets: Mapping[str, int] = result.get("district_budgets", {})
    spend: Mapping[str, int] = result.get("district_spend", {})
    cheapest: dict[str, int] = {}
    for o in result.get("outcomes", {}).values():
        if not o.get("funded"):
            d = o.get("district", "")
            cheapest[d] = min(cheapest.get(d, int(o["cost"])), int(o["cost"]))
    districts = [
        {
            "name": d,
            "budget": int(b),
            "spent": int(spend.get(d, 0)),
            "left": int(b) - int(spend.get(d, 0)),
            "share": (int(b) - int(spend.get(d, 0))) / int(b),
            "cheapest": cheapest.get(d),
        }
        for d, b in sorted(budgets.items())
        if _too_much_left(int(b), int(spend.get(d, 0)))
    ]
    budget, cost = int(result.get("budget", 0)), int(result.get("cost", 0))
    total = (
        {"budget": budget, "spent": cost, "left": budget - cost, "share": (budget - cost) / budget}
        if _too_much_left(budget, cost)
        else None
    )
    if total is None and not districts:
        return None
    return {"total": total, "districts": districts, "spend_with": SPENDS_MORE.get((rule, completion or "none"), ())}


def share_text(outcome: Mapping[str, Any], lang: str) -> str:
    """For an Equal Shares outcome: one sentence on the equal share of the budget each voter of its district got.

    Empty for other rules and for results stored before the share was recorded.
    """
    params = outcome.get("params") or {}
    reason = str(outcome.get("reason", ""))
    if not reason.startswith("mes.") or "voter_share" not in params or not params.get("voters"):
        return ""
    raised = params.get("voter_share_used") not in (None, params["voter_share"])
    code = "mes.voter_share_raised" if raised else "mes.voter_share"
    with contextlib.suppress(AllocationError):
        return explanations.render(code, params, lang)
    return ""


def district_share_texts(result: Mapping[str, Any], lang: str) -> dict[str, str]:
    """For an Equal Shares result: district -> the sentence on each voter's equal share there."""
    out: dict[str, str] = {}
    for o in result.get("outcomes", {}).values():
        d = str(o.get("district", ""))
        if d not in out:
            text = share_text(o, lang)
            if text:
                out[d] = text
    return out
