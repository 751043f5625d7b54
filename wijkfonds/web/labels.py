"""Human labels (Dutch source, translated) for enum values shown in many places."""

from __future__ import annotations

from typing import Any

from flask import Flask

from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.models import BallotKind, Phase, Role, Status

PHASES = {
    Phase.UPCOMING.value: _l("Nog niet begonnen"),
    Phase.NOMINATION.value: _l("Thema's voorstellen"),
    Phase.SUBMISSION.value: _l("Plannen indienen"),
    Phase.REVIEW.value: _l("Beoordeling"),
    Phase.VOTING.value: _l("Stemmen"),
    Phase.RESULTS.value: _l("Uitslag"),
}

STATUSES = {
    Status.SUBMITTED.value: _l("Ingediend"),
    Status.IN_REVIEW.value: _l("In beoordeling"),
    Status.FEASIBLE.value: _l("Op de stemlijst"),
    Status.NOT_FEASIBLE.value: _l("Niet haalbaar"),
    Status.WITHDRAWN.value: _l("Ingetrokken"),
    Status.FUNDED.value: _l("Gefinancierd"),
    Status.NOT_FUNDED.value: _l("Niet gefinancierd"),
}

STATUS_BADGE = {
    Status.FEASIBLE.value: "ok",
    Status.FUNDED.value: "ok",
    Status.NOT_FEASIBLE.value: "bad",
    Status.NOT_FUNDED.value: "bad",
    Status.WITHDRAWN.value: "warn",
}

ROLES = {
    Role.RESIDENT.value: _l("Bewoner"),
    Role.STAFF.value: _l("Medewerker stadsdeel"),
    Role.AUDITOR.value: _l("Controleur"),
    Role.ADMIN.value: _l("Beheerder"),
}

BALLOT_KINDS = {
    BallotKind.KNAPSACK.value: _l("Begroting samenstellen (binnen het budget van uw gebied)"),
    BallotKind.APPROVAL.value: _l("Plannen aankruisen (maximaal een aantal)"),
}


def phase_label(phase: Any) -> Any:
    """The label of a Phase or of its value; anything else comes back unchanged."""
    return PHASES.get(getattr(phase, "value", phase), phase)


def register(app: Flask) -> None:
    """Expose the label tables to every template."""
    app.jinja_env.globals.update(
        phase_label=phase_label,
        status_label=lambda s: STATUSES.get(s, s),
        status_badge=lambda s: STATUS_BADGE.get(s, ""),
        role_label=lambda r: ROLES.get(r, r),
        ballot_kind_label=lambda k: BALLOT_KINDS.get(k, k),
    )
