"""What the implementation pages show, shared by the staff and initiator views."""

from __future__ import annotations

from typing import Any

from flask import abort

from wijkfonds.blueprints.public.context import get_or_404
from wijkfonds.i18n.text import gettext as _
from wijkfonds.models import Implementation, Initiative, User
from wijkfonds.services.errors import DomainError
from wijkfonds.services.implementation import money, overview, progress, records
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
    """The record's story: updates (hidden ones only for staff) with their photos, milestones, money."""
    staff = records.is_staff(user)
    shown = impl.updates if staff else progress.visible_updates(impl)
    return {
        "impl": impl,
        "impl_updates": [
            (u, [photos.ref(p, staff=staff) for p in photos.for_owner(photos.OWNER_UPDATE, u.id, with_hidden=staff)])
            for u in reversed(shown)
        ],
        "impl_progress": overview.progress_of(impl),
        "impl_status_label": records.status_label,
        "impl_staff": staff,
        "may_submit_account": money.may_submit_account(impl),
    }
