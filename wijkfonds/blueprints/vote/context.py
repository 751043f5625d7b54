"""What a ballot page needs, shared by the voters' ballot and staff's paper ballot entry."""

from __future__ import annotations

from typing import Any

from wijkfonds.services.voting import ballots as voting
from wijkfonds.services.voting.snapshots import sheet


def ballot_context(
    rnd: voting.RoundRules, district_id: int, chosen_ids: set[int], errors: list[str] | None = None
) -> dict[str, Any]:
    """Everything the ballot form and its meter need."""
    ballot_sheet = sheet(rnd.id, district_id)
    chosen = [o for o in ballot_sheet.options if o.id in chosen_ids]
    return {
        "rnd": rnd,
        "district_id": district_id,
        "district_name": ballot_sheet.district_name,
        "options": ballot_sheet.options,
        "chosen_ids": chosen_ids,
        "tally": voting.tally(rnd, ballot_sheet.budget, chosen),
        "errors": errors or [],
    }
