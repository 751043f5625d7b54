"""The reason codes of Equal Shares' explanations, and the choice among the funded ones.

Registered when imported (:func:`~wijkfonds.allocation.explain.register_reasons`). Apart
from :mod:`.mes_explain`, which needs numpy, so that the command line's quick path
(:mod:`wijkfonds.allocation.quick`) writes the same sentences without loading it.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from wijkfonds.allocation.explain import BOUND_PLACES, register_reasons
from wijkfonds.allocation.money import Money

from .common import normal_money

__all__ = ["READING_EPS", "funded_reason", "reading_floor", "reading_round", "voter_shares"]

_REASONS: dict[str, dict[str, str]] = {
    "mes.funded": {
        "en": "funded (Equal Shares): its {supporters} supporters each put {share:money} of their share of the "
        "budget into it",
        "nl": "gefinancierd (Equal Shares): de {supporters} voorstanders zetten elk {share:money} van hun deel van "
        "het budget in",
    },
    "mes.funded_some_all_in": {
        "en": "funded (Equal Shares): of its {supporters} supporters, {rich} each put {share:money} of their share "
        "of the budget into it and {poor} put in all that was left of theirs",
        "nl": "gefinancierd (Equal Shares): van de {supporters} voorstanders zetten er {rich} elk {share:money} van "
        "hun deel van het budget in en {poor} alles wat nog over was van hun deel",
    },
    "mes.funded_points": {
        "en": "funded (Equal Shares): its {supporters} supporters covered the cost of {cost:money} together from "
        "their shares of the budget, in proportion to their points",
        "nl": "gefinancierd (Equal Shares): de {supporters} voorstanders droegen de kosten van {cost:money} samen "
        "uit hun delen van het budget, naar verhouding van hun punten",
    },
    "mes.funded_free": {
        "en": "funded (Equal Shares): it costs nothing and {supporters} voters support it",
        "nl": "gefinancierd (Equal Shares): het kost niets en {supporters} stemmers steunen het",
    },
    "mes.insufficient_support": {
        "en": "not funded (Equal Shares): its {supporters} supporters had {left:money} left of their shares of the "
        "budget together, it costs {cost:money}",
        "nl": "niet gefinancierd (Equal Shares): de {supporters} voorstanders hadden van hun delen van het budget "
        "samen nog {left:money} over, het kost {cost:money}",
    },
    "mes.no_support": {
        "en": "not funded (Equal Shares): no voter supported it",
        "nl": "niet gefinancierd (Equal Shares): geen enkele stemmer steunde het",
    },
    "mes.excluded": {
        "en": "not funded (Equal Shares): it cannot be carried out together with {other_label}, which was funded",
        "nl": "niet gefinancierd (Equal Shares): het kan niet samen met {other_label} worden uitgevoerd, dat werd "
        "gefinancierd",
    },
    "mes.completion_greedy_funded": {
        "en": "funded (completion by votes): after Equal Shares {left:money} was left in "
        "{district}, and at rank {rank} by votes it fit",
        "nl": "gefinancierd (aanvulling op stemmen): na Equal Shares was er nog {left:money} over "
        "in {district}, en op plaats {rank} op stemmen paste het",
    },
    # Not an outcome: the sentence on the share each voter of a district gets (params of any outcome there).
    "mes.voter_share": {
        "en": "With Equal Shares every voter in {district} gets an equal share of the budget: {voter_share:money} "
        "({district_budget:money} divided by {voters} voters).",
        "nl": "Bij Equal Shares krijgt elke stemmer in {district} een gelijk deel van het budget: "
        "{voter_share:money} ({district_budget:money} gedeeld door {voters} stemmers).",
    },
    "mes.voter_share_raised": {
        "en": "With Equal Shares every voter in {district} gets an equal share of the budget: {voter_share:money} "
        "({district_budget:money} divided by {voters} voters); because money was left, that share was raised "
        "step by step to {voter_share_used:money} while the funded plans still fit the budget.",
        "nl": "Bij Equal Shares krijgt elke stemmer in {district} een gelijk deel van het budget: "
        "{voter_share:money} ({district_budget:money} gedeeld door {voters} stemmers); omdat er geld over bleef, "
        "is dat deel stap voor stap verhoogd tot {voter_share_used:money}, zolang de plannen met geld samen in "
        "het budget pasten.",
    },
}
for _kind, (_en, _nl) in BOUND_PLACES.items():
    _REASONS[f"mes.bound_skipped.{_kind}"] = {
        "en": "not funded (Equal Shares): the shares of its supporters were enough, but it costs "
        f"{{cost:money}} and only {{left:money}} was left {_en}",
        "nl": "niet gefinancierd (Equal Shares): de delen van de voorstanders waren genoeg, maar het kost "
        f"{{cost:money}} en er was nog maar {{left:money}} over {_nl}",
    }
    _REASONS[f"mes.completion_no_room.{_kind}"] = {
        "en": "not funded: under Equal Shares its {supporters} supporters had {supporters_left:money} "
        "left of their shares (it costs {cost:money}); in the completion by votes (rank {rank}) only "
        f"{{left:money}} was left {_en}",
        "nl": "niet gefinancierd: bij Equal Shares hadden de {supporters} voorstanders van hun delen nog "
        "{supporters_left:money} over (het kost {cost:money}); bij de aanvulling op stemmen "
        f"(plaats {{rank}}) was er nog maar {{left:money}} over {_nl}",
    }
register_reasons(_REASONS)

# Amounts in explanations are read off float sums (the voters' budgets left, a share): a value
# this close below a whole number (relative) is taken as that number, so that float noise
# never shows "1,499" for a true 1,500, and both Equal Shares paths read the same number.
READING_EPS = 1e-7


def reading_floor(value: float) -> int:
    """``value`` rounded down for reading (see :data:`READING_EPS`)."""
    return math.floor(value + READING_EPS * max(1.0, abs(value)))


def reading_round(value: float) -> int:
    """``value`` rounded to the nearest whole number for reading, halves up (see :data:`READING_EPS`)."""
    return math.floor(value + 0.5 + READING_EPS * max(1.0, abs(value)))


def funded_reason(
    base: dict[str, Any], *, free: bool, points: bool, share: Money, poor: int
) -> tuple[str, dict[str, Any]]:
    """Reason and params of a funded project: free, paid in proportion to points, or an equal share.

    ``share`` is what each supporter who could pay it in full put in (money, rounded for
    reading), ``poor`` how many supporters put in all they had left.
    """
    if free:
        return "mes.funded_free", base
    if points:
        return "mes.funded_points", base
    if poor == 0:
        return "mes.funded", dict(base, share=share)
    return "mes.funded_some_all_in", dict(base, share=share, poor=poor, rich=base["supporters"] - poor)


def voter_shares(voters: int, budget: Money, budget_units: int, scale: int, increments: int) -> dict[str, Any]:
    """A district's voters, budget and equal share per voter (before and after ``increments`` add1 steps).

    ``budget_units`` is the budget in money units (``scale`` units per currency unit); the
    shares are rounded to money units for reading.
    """
    if voters == 0:
        return {"voters": 0, "district_budget": budget, "voter_share": 0, "voter_share_used": 0}
    b0 = Fraction(budget_units, voters)
    return {
        "voters": voters,
        "district_budget": budget,
        "voter_share": normal_money(Fraction(round(b0), scale)),
        "voter_share_used": normal_money(Fraction(round(b0 + increments * scale), scale)),
    }
