"""The engine's fairness report for finished runs of a round, for the staff compare page.

Recomputed from :func:`~wijkfonds.services.results.runs.round_input` (the round's ballots as
they are now) and each run's stored selection, with the building block and the function
(theme) of every plan as the two project groupings. When the round's input no longer has the
digest a run was computed on, the report says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from wijkfonds.allocation import AllocationError
from wijkfonds.allocation.fairness import FairnessReport, outcome_fairness
from wijkfonds.common.translation import gettext as _
from wijkfonds.models import AllocationRun
from wijkfonds.services.errors import DomainError
from wijkfonds.services.results.runs import round_input

# The staff page waits for this check; longer searches answer "undecided".
EJR_SECONDS = 5.0


@dataclass(frozen=True)
class RunsFairness:
    """One report per run, index-aligned with the runs given; ``stale`` lists runs on older input."""

    reports: list[FairnessReport]
    stale: list[int]


def runs_fairness(runs: Sequence[AllocationRun]) -> RunsFairness:
    """The fairness report of every run (all of one round, all finished)."""
    if not runs or len({r.round_id for r in runs}) != 1 or any(not r.result for r in runs):
        raise DomainError(_("Een eerlijkheidsoverzicht vraagt om geslaagde berekeningen van één ronde."), 400)
    try:
        data = round_input(runs[0].round)
    except AllocationError as exc:
        raise DomainError(str(exc), 409) from exc
    groups = {
        "bouwsteen": {pid: (name,) for pid, name in data.block_of.items() if name},
        "functie": {pid: (name,) for pid, name in data.theme_of.items() if name},
    }
    known = {p.id for p in data.instance.projects}
    reports = []
    for run in runs:
        selected = [pid for pid in (run.result or {}).get("selected", []) if pid in known]
        reports.append(
            outcome_fairness(
                data.instance, data.profile, selected, rule=run.rule, groups=groups, ejr_time_limit=EJR_SECONDS
            )
        )
    stale = [r.id for r in runs if r.input_digest and r.input_digest != data.digest]
    return RunsFairness(reports, stale)
