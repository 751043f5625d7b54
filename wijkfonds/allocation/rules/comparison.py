"""Equal Shares with add1 and the comparison step of equalshares.net (pabulib ``equalshares/add1-comparison``).

The compute tool of equalshares.net (Peters; ``comparisonStep`` in its worker) does this:
compute the Method of Equal Shares with the add1 completion, compute the greedy outcome by
votes on the same budget, and count for every voter which of the two outcomes gives them
more funded projects that they support ("satisfaction"). When more voters prefer the
greedy outcome than the MES outcome, the greedy outcome is taken; otherwise (also on a
tie) the MES outcome stays.

Here the MES outcome is :func:`~.mes.equal_shares` with ``completion="add1"`` and the
greedy outcome is :func:`~.greedy.greedy` on the same instance (every bound honoured by
both). The comparison counts all voters of the round together, which for the single
district of a pabulib file is the tool's comparison. Greedy orders by support (the sum of
points on cardinal ballots), where the tool orders approval ballots by their approvals: on
approval ballots the two agree.
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np
import numpy.typing as npt

from wijkfonds.allocation.model import Allocation, Instance, Profile

from .greedy import greedy
from .mes import equal_shares

__all__ = ["equal_shares_with_comparison", "satisfaction"]


def satisfaction(instance: Instance, profile: Profile, selected: tuple[str, ...]) -> npt.NDArray[np.int64]:
    """Per voter: how many of the ``selected`` projects the voter supports (gives a positive value)."""
    index = instance.index_of()
    funded = np.zeros(len(instance.projects), dtype=bool)
    funded[[index[pid] for pid in selected]] = True
    indptr = np.asarray(profile.indptr, dtype=np.int64)
    voter = np.repeat(np.arange(profile.num_voters, dtype=np.int64), np.diff(indptr))
    hit = funded[np.asarray(profile.indices, dtype=np.int64)] & (np.asarray(profile.values) > 0)
    return np.bincount(voter[hit], minlength=profile.num_voters).astype(np.int64)


def equal_shares_with_comparison(instance: Instance, profile: Profile) -> Allocation:
    """MES with add1, replaced by greedy when more voters prefer greedy's outcome (see the module docstring)."""
    start = time.perf_counter()
    mes = equal_shares(instance, profile, completion="add1")
    grd = greedy(instance, profile)
    mine, theirs = satisfaction(instance, profile, mes.selected), satisfaction(instance, profile, grd.selected)
    prefer_mes = int(np.count_nonzero(mine > theirs))
    prefer_greedy = int(np.count_nonzero(theirs > mine))
    chosen = grd if prefer_greedy > prefer_mes else mes
    comparison = {
        "voters_preferring_mes": prefer_mes,
        "voters_preferring_greedy": prefer_greedy,
        "outcome": "greedy" if chosen is grd else "mes",
        "mes_selected": list(mes.selected),
        "greedy_selected": list(grd.selected),
    }
    verdict = (
        f"comparison step: {prefer_greedy} voters prefer the greedy outcome and {prefer_mes} the Equal Shares "
        f"outcome, so the {'greedy' if chosen is grd else 'Equal Shares'} outcome is taken"
    )
    return dataclasses.replace(
        chosen,
        rule="mes",
        completion="add1-comparison",
        status=f"{chosen.status}; {verdict}",
        seconds=time.perf_counter() - start,
        details={**chosen.details, "comparison": comparison},
    )
