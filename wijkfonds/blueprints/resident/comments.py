"""Dialogue views: comment and reply, edit one's own comment for a while, report a comment."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from wijkfonds.blueprints.public.context import detail_context, dialogue_context, get_or_404, is_htmx, render_dialogue
from wijkfonds.blueprints.resident import bp
from wijkfonds.blueprints.resident.forms import CommentForm, EditCommentForm, ReportForm, int_or_none
from wijkfonds.extensions import db
from wijkfonds.i18n.text import gettext as _
from wijkfonds.models import Comment, Initiative
from wijkfonds.services.dialogue import comments as dialogue
from wijkfonds.web.errors import domain_errors
from wijkfonds.web.login import current_user, login_required


def _anchor(comment: Comment) -> str:
    return url_for("public.detail", initiative_id=comment.initiative_id, _anchor=f"reactie-{comment.id}")


@bp.route("/<int:initiative_id>/reacties", methods=["POST"])
@login_required
def comment(initiative_id: int) -> ResponseReturnValue:
    """Post a comment, or a reply when parent_id is set (one level deep)."""
    ini = get_or_404(Initiative, initiative_id, _("Dit plan bestaat niet (meer)."))
    form = CommentForm()
    parent_id = int_or_none(form.parent_id.data)
    status = 422
    if form.validate_on_submit():
        with domain_errors(form, refused="form") as outcome:
            posted = dialogue.post(
                ini,
                current_user._get_current_object(),
                form.body.data,
                parent_id,
                limits=current_app.config["COMMENT_RATE_LIMITS"],
            )
        if outcome.ok:
            db.session.commit()
            if is_htmx():
                return render_dialogue(ini)
            flash(_("Uw reactie is geplaatst."), "success")
            return redirect(_anchor(posted)), 303
        status = outcome.status
    top = _reply_slot(ini, parent_id)
    main_form, replies = (None, {top: form}) if top is not None else (form, {})
    if is_htmx():
        return render_dialogue(ini, main_form, replies, status=status)
    return render_template("public/detail.html", **detail_context(ini, main_form, replies)), status


def _reply_slot(ini: Initiative, parent_id: int | None) -> int | None:
    """The top-level comment under which a failed reply's form is shown again (None: main form)."""
    parent = db.session.get(Comment, parent_id) if parent_id else None
    if parent is None or parent.initiative_id != ini.id:
        return None
    return parent.parent_id or parent.id


def _own_comment(comment_id: int) -> Comment:
    item = get_or_404(Comment, comment_id, _("Deze reactie bestaat niet (meer)."))
    if item.author_id != current_user.id:
        abort(403, description=_("U kunt alleen uw eigen reacties bewerken."))
    return item


def _render_comment(item: Comment, status: int = 200) -> tuple[str, int]:
    context = dialogue_context(item.initiative)
    return render_template("public/_comment.html", c=item, **context), status


@bp.route("/reacties/<int:comment_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit_comment(comment_id: int) -> ResponseReturnValue:
    """Change one's own comment in the first minutes after posting."""
    item = _own_comment(comment_id)
    minutes = current_app.config["COMMENT_EDIT_MINUTES"]
    if item.hidden_at is not None:
        abort(409, description=_("Een verborgen reactie kan niet worden bewerkt."))
    if not dialogue.can_edit(item, current_user, minutes):
        abort(
            409,
            description=_("U kunt een reactie alleen in de eerste %(n)d minuten na het plaatsen bewerken.", n=minutes),
        )
    form = EditCommentForm(obj=item if request.method == "GET" else None)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            with domain_errors(form) as outcome:
                dialogue.edit(item, current_user._get_current_object(), form.body.data, minutes=minutes)
            if outcome.ok:
                db.session.commit()
                if is_htmx():
                    return _render_comment(item)
                flash(_("Uw reactie is aangepast."), "success")
                return redirect(_anchor(item)), 303
        status = 422
    template = "resident/_comment_edit.html" if is_htmx() else "resident/comment_edit.html"
    return render_template(template, form=form, c=item), status


@bp.route("/reacties/<int:comment_id>/melden", methods=["GET", "POST"])
def report_comment(comment_id: int) -> ResponseReturnValue:
    """Report a comment to the moderators (anyone; rate limited)."""
    item = get_or_404(Comment, comment_id, _("Deze reactie bestaat niet (meer)."))
    form = ReportForm()
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            reporter = current_user._get_current_object() if current_user.is_authenticated else None
            with domain_errors(form, refused="form") as outcome:
                dialogue.report(
                    item,
                    reporter,
                    form.reason.data,
                    ip=request.remote_addr or "?",
                    limit=current_app.config.get("REPORT_RATE_LIMIT", (10, 3600)),
                )
            if outcome.ok:
                db.session.commit()
                flash(_("Bedankt. Een moderator bekijkt de reactie."), "success")
                return redirect(_anchor(item)), 303
            status = outcome.status
    return render_template("resident/report.html", form=form, c=item), status
