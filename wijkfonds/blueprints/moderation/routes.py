"""Moderation views: reported comments, hide with a reason, show again, dismiss reports."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from wijkfonds.blueprints.auth.forms import EmptyForm
from wijkfonds.blueprints.moderation import bp
from wijkfonds.blueprints.moderation.forms import HideForm
from wijkfonds.blueprints.public.context import get_or_404
from wijkfonds.extensions import db
from wijkfonds.i18n.text import gettext as _
from wijkfonds.models import Comment, User
from wijkfonds.services.dialogue import comments as dialogue
from wijkfonds.web.access import staff_required
from wijkfonds.web.errors import domain_errors
from wijkfonds.web.login import current_user


def _comment(comment_id: int) -> Comment:
    return get_or_404(Comment, comment_id, _("Deze reactie bestaat niet (meer)."))


def _page(item: Comment, form: HideForm | None = None, status: int = 200) -> tuple[str, int]:
    return render_template(
        "moderation/comment.html",
        c=item,
        reports=dialogue.open_reports(item),
        form=form or HideForm(formdata=None),
    ), status


@bp.route("/")
@staff_required
def queue() -> ResponseReturnValue:
    """Reported comments first, then recently hidden ones."""
    return render_template("moderation/queue.html", items=dialogue.queue(), hidden=dialogue.recently_hidden())


@bp.route("/reacties/<int:comment_id>")
@staff_required
def comment(comment_id: int) -> ResponseReturnValue:
    """One comment with its open reports and the moderation actions."""
    return _page(_comment(comment_id))


@bp.route("/reacties/<int:comment_id>/verbergen", methods=["POST"])
@staff_required
def hide(comment_id: int) -> ResponseReturnValue:
    """Hide a comment with a reason."""
    item = _comment(comment_id)
    form = HideForm()
    if form.validate_on_submit():
        with domain_errors(form) as outcome:
            dialogue.hide(item, current_user._get_current_object(), form.reason.data)
        if outcome.ok:
            db.session.commit()
            flash(_("De reactie is verborgen."), "success")
            return redirect(url_for("moderation.queue")), 303
    return _page(item, form, 422)


def _simple(comment_id: int, action: Callable[[Comment, User], object], done: str) -> ResponseReturnValue:
    item = _comment(comment_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    with domain_errors():
        action(item, current_user._get_current_object())
    db.session.commit()
    flash(done, "success")
    target = request.form.get("back") == "comment"
    return redirect(url_for("moderation.comment", comment_id=item.id) if target else url_for("moderation.queue")), 303


@bp.route("/reacties/<int:comment_id>/tonen", methods=["POST"])
@staff_required
def unhide(comment_id: int) -> ResponseReturnValue:
    """Show a hidden comment again."""
    return _simple(comment_id, dialogue.unhide, _("De reactie is weer zichtbaar."))


@bp.route("/reacties/<int:comment_id>/meldingen-sluiten", methods=["POST"])
@staff_required
def dismiss(comment_id: int) -> ResponseReturnValue:
    """Close the open reports without hiding the comment."""
    return _simple(comment_id, dialogue.dismiss_reports, _("De meldingen zijn gesloten; de reactie blijft zichtbaar."))
