"""What the implementation pages show, shared by the staff and initiator views."""

from __future__ import annotations

from typing import Any

from flask import abort

from wijkfonds.blueprints.public.context import get_or_404
from wijkfonds.i18n.text import gettext as _
from wijkfonds.models import Implementation, Initiative, User
from wijkfonds.services.errors import DomainError
from wijkfonds.services.implementation import money, overview, records
from wijkfonds.services.media import photos


def funded(initiative_id: int) -> tuple[Initiative, Implementation]:
    """The plan and its record; 404 for no plan, 409 for a plan that was not funded."""
    ini = get_or_404(Initiative, initiative_id, _("Dit plan bestaat niet (meer)."))
    try:
        impl = records.require(ini)
    except DomainError as err:
        abort(err.status, description=err.message)
    return ini, impl


def timeline(impl: Implementation, user: User | None) -> dict[str, Any]:
    """The record's story, newest first: updates with their photos (a hidden one shows its reason;
    its text and photos only to staff), milestones, money."""
    staff = records.is_staff(user)

    def pictures(update_id: int, hidden: bool) -> list[photos.PhotoRef]:
        if hidden and not staff:
            return []
        return [photos.ref(p, staff=staff) for p in photos.for_owner(photos.OWNER_UPDATE, update_id, with_hidden=staff)]

    return {
        "impl": impl,
        "impl_updates": [(u, pictures(u.id, u.hidden_at is not None)) for u in reversed(impl.updates)],
        "impl_progress": overview.progress_of(impl),
        "impl_status_label": records.status_label,
        "impl_staff": staff,
        "may_submit_account": money.may_submit_account(impl),
    }
