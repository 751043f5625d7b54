"""Template context for the initiative page and its fragments (shared with the resident views)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from flask import abort, current_app, render_template, request

from wijkfonds.extensions import db
from wijkfonds.i18n.languages import request_lang
from wijkfonds.models import ContentKind, Initiative, Phase, Role, User
from wijkfonds.services.dialogue import comments as dialogue
from wijkfonds.services.dialogue import initiatives as svc
from wijkfonds.services.media import photos
from wijkfonds.services.translations import content as translations
from wijkfonds.web.login import current_user

if TYPE_CHECKING:
    from wijkfonds.blueprints.resident.forms import CommentForm

T = TypeVar("T")


def is_htmx() -> bool:
    """True for an htmx request that wants a fragment (not a history restore)."""
    return bool(request.headers.get("HX-Request")) and not request.headers.get("HX-History-Restore-Request")


def _user() -> User | None:
    return current_user if current_user.is_authenticated else None


def support_context(ini: Initiative) -> dict[str, Any]:
    """What the support box needs: count, threshold, and whether this user can (un)support."""
    user = _user()
    is_resident = user is not None and user.has_role(Role.RESIDENT)
    supported = svc.has_supported(ini, user)
    refusal = svc.support_refusal(ini, user, giving=not supported) if user is not None and is_resident else None
    return {
        "initiative": ini,
        "supported": supported,
        # The refusal is the unconfirmed address: the box links to sending the mail again.
        "needs_confirmation": refusal is not None and refusal == svc.unconfirmed_message(),
        "support_open": ini.round.phase() == Phase.SUBMISSION and ini.status == "submitted",
        "may_support": is_resident and refusal is None,
        "support_refusal": refusal,
        "needed": svc.support_needed(ini),
    }


def dialogue_context(
    ini: Initiative, form: CommentForm | None = None, reply_forms: dict[int, CommentForm] | None = None
) -> dict[str, Any]:
    """What the dialogue section needs: the thread, forms and who may edit what."""
    from wijkfonds.blueprints.resident.forms import CommentForm  # here, not at import: resident imports this module

    minutes = current_app.config["COMMENT_EDIT_MINUTES"]
    user = _user()
    comments = dialogue.thread(ini)
    ids = [c.id for c in comments] + [r.id for c in comments for r in c.replies]
    return {
        "initiative": ini,
        "comments": comments,
        "comment_translations": {} if show_original() else translations.shown(ContentKind.COMMENT, ids, request_lang()),
        # Translations of an earlier version: the comment shows as written now, the old one folded away.
        "comment_outdated": translations.outdated(ContentKind.COMMENT, ids, request_lang()),
        "may_translate_comment": lambda c: translations.may_translate(user, ContentKind.COMMENT.value, c),
        "comment_count": dialogue.count_for(ini),
        "new_comment_form": form or CommentForm(formdata=None),
        "reply_forms": reply_forms or {},
        "editable": lambda c: dialogue.can_edit(c, user, minutes),
        "is_moderator": user is not None and user.has_role(Role.STAFF),
    }


def render_support(ini: Initiative, status: int = 200, error: str | None = None) -> tuple[str, int]:
    """The support box as a fragment (with an error message when an action was refused)."""
    return render_template("public/_support.html", support_error=error, **support_context(ini)), status


def render_dialogue(
    ini: Initiative,
    form: CommentForm | None = None,
    reply_forms: dict[int, CommentForm] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    """The dialogue section as a fragment."""
    return render_template("public/_dialogue.html", **dialogue_context(ini, form, reply_forms)), status


def photo_context(ini: Initiative) -> dict[str, Any]:
    """The plan's photos: (row, PhotoRef) for each, the PhotoRef None where a hidden one is
    not for this visitor (staff see hidden photos), and whether this user may change them."""
    user = _user()
    staff = user is not None and user.has_role(Role.STAFF)
    rows = photos.for_owner(photos.OWNER_INITIATIVE, ini.id, with_hidden=True)
    return {
        "plan_photos": [(p, photos.ref(p, staff=staff) if p.hidden_at is None or staff else None) for p in rows],
        "can_manage_photos": photos.can_manage(ini, user),
    }


def show_original() -> bool:
    """?origineel=1: the reader asked for the originals instead of the translations."""
    return request.args.get("origineel") == "1"


def translation_context(ini: Initiative) -> dict[str, Any]:
    """The plan's translation into the reader's language (None: show the original), one of an
    earlier version of the plan (shown below the original, with a notice), and who may add one."""
    found = translations.shown(ContentKind.PLAN, [ini.id], request_lang()).get(ini.id)
    return {
        "plan_translation": None if show_original() else found,
        "plan_has_translation": found is not None,
        "tr_old": translations.outdated(ContentKind.PLAN, [ini.id], request_lang()).get(ini.id),
        "may_translate_plan": translations.may_translate(_user(), ContentKind.PLAN.value, ini),
    }


def detail_context(
    ini: Initiative, form: CommentForm | None = None, reply_forms: dict[int, CommentForm] | None = None
) -> dict[str, Any]:
    """Everything the full initiative page needs."""
    user = _user()
    return {
        **support_context(ini),
        **dialogue_context(ini, form, reply_forms),
        **photo_context(ini),
        **translation_context(ini),
        "revisions": svc.revisions(ini),
        "can_edit": svc.can_edit(ini, user),
        "can_withdraw": svc.can_withdraw(ini, user),
    }


def get_or_404(model: type[T], object_id: int, message: str) -> T:
    """The row with this id, or a 404 page (ids beyond 64 bits never reach the database)."""
    obj = db.session.get(model, object_id) if 0 < object_id < 2**63 else None
    if obj is None:
        abort(404, description=message)
    return obj
