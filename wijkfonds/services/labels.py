"""Human labels (Dutch source, translated) for enum values: used in services' messages and on pages."""

from __future__ import annotations

from wijkfonds.common.translation import lazy_gettext as _l
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
    Role.TRANSLATOR.value: _l("Vertaler"),
}

BALLOT_KINDS = {
    BallotKind.KNAPSACK.value: _l("Begroting samenstellen (binnen het budget van uw gebied)"),
    BallotKind.APPROVAL.value: _l("Plannen aankruisen (maximaal een aantal)"),
}
