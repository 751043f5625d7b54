"""What a ballot page needs, shared by the voters' ballot and staff's paper ballot entry."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from werkzeug.datastructures import MultiDict

from wijkfonds.common.numbers import parse_id
from wijkfonds.models import BallotKind
from wijkfonds.services.voting import ballots as voting
from wijkfonds.services.voting.snapshots import sheet

# The field of each plan on a points ballot ("points-12") and on a ranked ballot ("rank-12").
MARK_FIELDS = {BallotKind.POINTS.value: "points-", BallotKind.RANKED.value: "rank-"}


class MarkRules(NamedTuple):
    """What a points or ranked option card shows of the round's rules (hashable: cards are rendered once per state)."""

    kind: str
    points_total: int
    points_max_per_plan: int | None
    ranked_max: int


def mark_rules(rnd: voting.RoundRules, plans: int) -> MarkRules | None:
    """The card rules of a points or ranked round (None for ticks); a card offers no more places than there are plans."""
    if rnd.ballot_kind not in MARK_FIELDS:
        return None
    return MarkRules(rnd.ballot_kind, rnd.points_total, rnd.points_max_per_plan, min(rnd.ranked_max, max(plans, 1)))


def ballot_fields(rnd: voting.RoundRules, form: MultiDict[str, str]) -> tuple[list[str], list[str] | None]:
    """The ballot as submitted, for ``voting.cast``: the plans, and their points or places (None: ticks)."""
    prefix = MARK_FIELDS.get(rnd.ballot_kind)
    if prefix is None:
        return form.getlist("initiative"), None
    pairs = [(k[len(prefix) :], v) for k, v in form.items(multi=True) if k.startswith(prefix)]
    return [k for k, _v in pairs], [v for _k, v in pairs]


def form_marks(ids: list[str], marks: list[str] | None) -> dict[int, int]:
    """What a refused ballot had, to show it again: plan -> points or place (what is not a number is dropped)."""
    if marks is None:
        return {i: 1 for i in map(parse_id, ids) if i is not None}
    out: dict[int, int] = {}
    for raw_id, raw in zip(ids, marks, strict=True):
        iid, value = parse_id(raw_id), parse_id(raw)
        if iid is not None and value is not None:
            out[iid] = value
    return out


def ballot_context(
    rnd: voting.RoundRules,
    district_id: int,
    chosen_ids: set[int],
    errors: list[str] | None = None,
    marks: Mapping[int, int] | None = None,
) -> dict[str, Any]:
    """Everything the ballot form and its meter need; ``marks``: points or places per plan (points and ranked ballots)."""
    ballot_sheet = sheet(rnd.id, district_id)
    marks = dict(marks or {})
    if rnd.ballot_kind in MARK_FIELDS:
        chosen_ids = {i for i, v in marks.items() if v > 0}
    chosen = [o for o in ballot_sheet.options if o.id in chosen_ids]
    points = marks if rnd.ballot_kind == BallotKind.POINTS.value else None
    return {
        "rnd": rnd,
        "district_id": district_id,
        "district_name": ballot_sheet.district_name,
        "options": ballot_sheet.options,
        "chosen_ids": chosen_ids,
        "marks": marks,
        "mark_rules": mark_rules(rnd, len(ballot_sheet.options)),
        "ranked": sorted(chosen, key=lambda o: marks.get(o.id, 0)),
        "tally": voting.tally(rnd, ballot_sheet.budget, chosen, points),
        "errors": errors or [],
    }


def choice_marks(rnd: voting.RoundRules, ranks: Mapping[int, int], points: Mapping[int, int]) -> dict[int, int]:
    """A stored ballot's marks for the form: places on a ranked ballot, points on a points ballot."""
    if rnd.ballot_kind == BallotKind.RANKED.value:
        return dict(ranks)
    return dict(points) if rnd.ballot_kind == BallotKind.POINTS.value else {}
