"""Staff on the needs board: hide and show, public answers, the matrix, a theme out of a cluster of needs."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from wijkfonds.blueprints.auth.forms import EmptyForm
from wijkfonds.blueprints.needs import bp
from wijkfonds.blueprints.needs.forms import HideForm, ResponseForm, ThemeForm
from wijkfonds.blueprints.needs.routes import _detail_context, block_label, need_or_404
from wijkfonds.blueprints.public.context import get_or_404
from wijkfonds.common.numbers import parse_id
from wijkfonds.extensions import db
from wijkfonds.i18n.text import get_locale
from wijkfonds.i18n.text import gettext as _
from wijkfonds.models import Need, NeedReply, User
from wijkfonds.models.needs import RESPONSE_PICKED_UP, RESPONSE_REFERRED, RESPONSE_THEME
from wijkfonds.services.needs import board, matrix, moderation, responses
from wijkfonds.web.access import staff_required
from wijkfonds.web.errors import domain_errors
from wijkfonds.web.login import current_user


def _me() -> User:
    return current_user._get_current_object()


@bp.app_template_global("reported_needs")
def reported_needs() -> list[tuple[Need, int]]:
    """Needs with open reports (about them or their replies), for the moderation pages."""
    return moderation.reported_needs()


@bp.app_template_global("response_choices")
def response_choices() -> list[tuple[str, str]]:
    """The kinds of staff's answer, in words."""
    return [
        ("", _("— kies —")),
        (RESPONSE_PICKED_UP, _("Opgepakt")),
        (RESPONSE_REFERRED, _("Doorverwezen naar …")),
        (RESPONSE_THEME, _("Meegenomen in het thema van de volgende ronde")),
    ]


def _moderate_page(need: Need, item: Need | NeedReply, form: HideForm, status: int) -> tuple[str, int]:
    return render_template("needs/moderate.html", need=need, item=item, form=form), status


def _hide(need: Need, item: Need | NeedReply) -> ResponseReturnValue:
    form = HideForm()
    if request.method == "GET":
        return _moderate_page(need, item, HideForm(formdata=None), 200)
    with domain_errors(form) as outcome:
        moderation.hide(item, _me(), form.reason.data)
    if not outcome.ok:
        return _moderate_page(need, item, form, outcome.status)
    db.session.commit()
    flash(_("Verborgen. De reden staat nu in de plaats van de tekst."), "success")
    return redirect(url_for("needs.detail", need_id=need.id)), 303


def _unhide(need: Need, item: Need | NeedReply) -> ResponseReturnValue:
    if not EmptyForm().validate_on_submit():
        abort(400)
    with domain_errors():
        moderation.unhide(item, _me())
    db.session.commit()
    flash(_("Weer zichtbaar."), "success")
    return redirect(url_for("needs.detail", need_id=need.id)), 303


@bp.route("/behoeften/<int:need_id>/verbergen", methods=["GET", "POST"])
@staff_required
def hide(need_id: int) -> ResponseReturnValue:
    """Hide a need with a reason (the form, then the action)."""
    need = need_or_404(need_id)
    return _hide(need, need)


@bp.route("/behoeften/<int:need_id>/tonen", methods=["POST"])
@staff_required
def unhide(need_id: int) -> ResponseReturnValue:
    """Show a hidden need again."""
    need = need_or_404(need_id)
    return _unhide(need, need)


def _reply(reply_id: int) -> tuple[Need, NeedReply]:
    item = get_or_404(NeedReply, reply_id, _("Deze reactie bestaat niet (meer)."))
    return db.session.get_one(Need, item.need_id), item


@bp.route("/behoeften/reactie/<int:reply_id>/verbergen", methods=["GET", "POST"])
@staff_required
def hide_reply(reply_id: int) -> ResponseReturnValue:
    """Hide a reply with a reason."""
    need, item = _reply(reply_id)
    return _hide(need, item)


@bp.route("/behoeften/reactie/<int:reply_id>/tonen", methods=["POST"])
@staff_required
def unhide_reply(reply_id: int) -> ResponseReturnValue:
    """Show a hidden reply again."""
    need, item = _reply(reply_id)
    return _unhide(need, item)


@bp.route("/behoeften/<int:need_id>/antwoord", methods=["POST"])
@staff_required
def respond(need_id: int) -> ResponseReturnValue:
    """Staff's public answer: opgepakt, doorverwezen naar …, meegenomen in een thema."""
    need = need_or_404(need_id)
    form = ResponseForm()
    form.kind.choices = response_choices()
    with domain_errors(form) as outcome:
        responses.respond(need, _me(), form.kind.data, form.text.data)
    if not outcome.ok:
        ctx = _detail_context(need)
        ctx["response_form"] = form
        return render_template("needs/detail.html", **ctx), outcome.status
    db.session.commit()
    flash(_("Uw antwoord staat bij de behoefte."), "success")
    return redirect(url_for("needs.detail", need_id=need.id) + "#antwoorden")


@bp.route("/beheer/behoeften", endpoint="matrix")
@staff_required
def matrix_page() -> ResponseReturnValue:
    """Districts by building blocks (or the five functions): needs, herkenbaar, plans, and open needs."""
    axis = request.args.get("per") or matrix.BY_BLOCK
    axis = axis if axis in matrix.AXES else matrix.BY_BLOCK
    return render_template(
        "needs/matrix.html",
        m=matrix.build(axis),
        lang=str(get_locale() or "nl"),
    )


def _theme_page(form: ThemeForm, status: int = 200) -> tuple[str, int]:
    district_id = parse_id(request.args.get("gebied"))
    raw_block = request.args.get("bouwsteen", "")
    block: int | str | None = board.NO_BLOCK if raw_block == board.NO_BLOCK else parse_id(raw_block)
    theme_id = parse_id(request.args.get("functie"))
    cards = board.board(district_id=district_id, block=block, theme_id=theme_id, sort="herkenbaar")
    if not form.needs.data and request.method == "GET":
        form.needs.data = [c.need.id for c in cards]
    lang = str(get_locale() or "nl")
    unknown = _("weet ik niet")
    form.needs.choices = [
        (
            c.need.id,
            f"{c.need.title} ({c.need.district.name}; {block_label(c.need.block, lang) if c.need.block else unknown}; "
            + _("%(n)d keer herkenbaar", n=c.recognitions)
            + ")",
        )
        for c in cards
    ]
    form.round.choices = [("", _("— kies een ronde —"))] + [(r.id, r.name) for r in responses.theme_rounds()]
    return render_template("needs/theme.html", form=form, cards=cards), status


@bp.route("/beheer/behoeften/thema", methods=["GET", "POST"])
@staff_required
def theme() -> ResponseReturnValue:
    """Choose needs (a cell of the matrix, pre-selected) and make them a theme of the next round."""
    form = ThemeForm()
    if request.method == "GET":
        return _theme_page(form)
    with domain_errors(form) as outcome:
        made = responses.to_theme(
            list(form.needs.data or []),
            round_id=form.round.data,
            title=form.title.data,
            description=form.description.data,
            actor=_me(),
        )
    if not outcome.ok:
        return _theme_page(form, outcome.status)
    db.session.commit()
    flash(
        _("„%(name)s” is nu een thema van de ronde. De behoeften tonen dit als antwoord.", name=made.name_nl), "success"
    )
    return redirect(url_for("needs.matrix")), 303
