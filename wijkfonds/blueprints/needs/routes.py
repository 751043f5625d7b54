"""The needs board: the list per district, a need's page, posting, herkenbaar, replies, reports."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from wijkfonds.blueprints.media.forms import take_photo
from wijkfonds.blueprints.needs import bp
from wijkfonds.blueprints.needs.forms import UNKNOWN, NeedForm, ReplyForm, ReportForm
from wijkfonds.blueprints.public.context import get_or_404
from wijkfonds.common.numbers import parse_id
from wijkfonds.extensions import db
from wijkfonds.i18n.languages import request_lang
from wijkfonds.i18n.text import get_locale
from wijkfonds.i18n.text import gettext as _
from wijkfonds.models import BuildingBlock, ContentKind, District, Initiative, Need, NeedReply, Role, User
from wijkfonds.models.needs import SOURCE_CONVERSATION, SOURCE_PAPER, SOURCE_SELF
from wijkfonds.services.needs import board, links, media, moderation, responses
from wijkfonds.services.needs import privacy as needs_privacy
from wijkfonds.services.translations import content as translations
from wijkfonds.web.access import role_required
from wijkfonds.web.errors import domain_errors
from wijkfonds.web.login import current_user

resident_required = role_required(Role.RESIDENT)
writer_required = role_required(Role.RESIDENT, Role.STAFF)


def _me() -> User:
    return current_user._get_current_object()


def _viewer() -> User | None:
    return current_user._get_current_object() if current_user.is_authenticated else None


def _lang() -> str:
    return str(get_locale() or "nl")


def need_or_404(need_id: int) -> Need:
    """The need, or a 404 page."""
    return get_or_404(Need, need_id, _("Deze behoefte bestaat niet (meer)."))


def _blocks() -> list[BuildingBlock]:
    return list(
        db.session.scalars(
            select(BuildingBlock).where(BuildingBlock.active.is_(True)).order_by(BuildingBlock.number, BuildingBlock.id)
        )
    )


def _districts() -> list[District]:
    return list(db.session.scalars(select(District).where(District.active.is_(True)).order_by(District.name)))


def block_label(b: BuildingBlock, lang: str) -> str:
    """'1. Behoeften en verhalen'."""
    return f"{b.number}. {b.name(lang)}" if b.number else b.name(lang)


@bp.app_template_global("needs_answered_by")
def needs_answered_by(ini: Initiative) -> list[Need]:
    """The visible needs a plan answers (the plan page's small list)."""
    return links.needs_of(ini)


@bp.app_template_global("needs_deletion_figures")
def needs_deletion_figures(user: User) -> dict[str, int]:
    """What deleting the account does on the needs board (the privacy page's confirmation)."""
    return needs_privacy.deletion_figures(user)


@bp.route("/behoeften/", endpoint="board")
def board_page() -> ResponseReturnValue:
    """Needs and stories, filtered by district, building block, function or open; newest or most recognised."""
    args = request.args
    district_id = parse_id(args.get("gebied"))
    raw_block = args.get("bouwsteen", "")
    block: int | str | None = board.NO_BLOCK if raw_block == board.NO_BLOCK else parse_id(raw_block)
    theme_id = parse_id(args.get("functie"))
    sort = args.get("sort") or "nieuw"
    sort = sort if sort in board.SORTS else "nieuw"
    open_only = args.get("open") == "1"
    viewer = _viewer()
    cards = board.board(
        district_id=district_id,
        block=block,
        theme_id=theme_id,
        open_only=open_only,
        sort=sort,
        with_hidden=board.is_staff(viewer),
    )
    lang = _lang()
    return render_template(
        "needs/board.html",
        cards=cards,
        districts=_districts(),
        blocks=[(b.id, block_label(b, lang)) for b in _blocks()],
        functions=[(t.id, t.name(lang)) for t in board.function_themes()],
        chosen={"district": district_id, "block": block, "theme": theme_id, "sort": sort, "open": open_only},
        author_name=lambda n: board.author_name(n, viewer),
    )


def fill_choices(form: NeedForm, staff: bool) -> None:
    """Select options: districts, building blocks with "weet ik niet", the five functions; sources for staff."""
    lang = _lang()
    form.district.choices = [("", _("— kies een gebied —"))] + [(d.id, d.name) for d in _districts()]
    form.block.choices = [("", _("— kies een bouwsteen —")), (UNKNOWN, _("Weet ik niet"))] + [
        (b.id, block_label(b, lang)) for b in _blocks()
    ]
    form.theme.choices = [(UNKNOWN, _("Weet ik niet"))] + [(t.id, t.name(lang)) for t in board.function_themes()]
    form.source.choices = [(SOURCE_SELF, _("Ik schrijf dit zelf"))]
    if staff:
        form.source.choices = [
            (SOURCE_CONVERSATION, _("Een bewoner, in een gesprek")),
            (SOURCE_PAPER, _("Een bewoner, op een papieren formulier")),
            (SOURCE_SELF, _("Ik schrijf dit zelf")),
        ]


def _form_page(form: NeedForm, status: int = 200) -> tuple[str, int]:
    return render_template("needs/form.html", form=form, staff=board.is_staff(_viewer())), status


@bp.route("/behoeften/nieuw", methods=["GET", "POST"])
@writer_required
def new() -> ResponseReturnValue:
    """Post a need or a short story (staff: also on a resident's behalf)."""
    me = _me()
    staff = board.is_staff(me)
    form = NeedForm()
    fill_choices(form, staff)
    if request.method == "GET":
        form.district.data = parse_id(request.args.get("gebied")) or me.district_id
        form.theme.data = UNKNOWN
        if staff:
            form.source.data = SOURCE_CONVERSATION
        return _form_page(form)
    valid = form.validate()
    data = form.to_data()
    with domain_errors(form) as checked:
        board.validate(data, me)
    photo, photo_status = take_photo(form, me)
    if not (valid and checked.ok) or photo_status is not None:
        return _form_page(form, photo_status or 422)
    with domain_errors(form, refused="form") as outcome:
        need = board.post(data, author=me, limits=current_app.config["COMMENT_RATE_LIMITS"])
        if photo is not None:
            media.add_photo(need, photo, form.photo_alt.data, me)
    if not outcome.ok:
        return _form_page(form, outcome.status)
    db.session.commit()
    flash(_("Bedankt! Uw behoefte staat op het bord. Buren kunnen laten weten dat ze hem herkennen."), "success")
    return redirect(url_for("needs.detail", need_id=need.id))


def _detail_context(need: Need, reply_form: ReplyForm | None = None) -> dict[str, object]:
    viewer = _viewer()
    staff = board.is_staff(viewer)
    return {
        "need": need,
        "staff": staff,
        "author_name": board.author_name(need, viewer),
        "reply_author": lambda r: r.author.display_name,
        "count": board.recognitions(need),
        "recognised": board.recognised_by(need, viewer),
        "can_recognise": bool(viewer and viewer.has_role(Role.RESIDENT) and viewer.id != need.author_id),
        "can_reply": bool(viewer and viewer.has_role(Role.RESIDENT, Role.STAFF)),
        "replies": board.replies(need),
        "reply_form": reply_form or ReplyForm(formdata=None),
        "responses": responses.responses(need),
        "plans": board.plans_for(need),
        "photos": media.photo_refs(need),
        "reports": moderation.open_reports(need) if staff else [],
        **_translation(need, viewer),
    }


def _translation(need: Need, viewer: User | None) -> dict[str, object]:
    """The need in the reader's language where a translation exists (?origineel=1: the original)."""
    found = None if need.hidden_at else translations.shown(ContentKind.NEED, [need.id], request_lang()).get(need.id)
    old = None if need.hidden_at else translations.outdated(ContentKind.NEED, [need.id], request_lang()).get(need.id)
    return {
        "tr": None if request.args.get("origineel") == "1" else found,
        "plan_has_translation": found is not None,  # the notice's name (templates/languages/_plan_notice.html)
        "tr_old": old,  # of an earlier version: the need as written now, this one folded away
        "may_translate_need": not need.hidden_at and translations.may_translate(viewer, ContentKind.NEED.value, need),
    }


@bp.route("/behoeften/<int:need_id>")
def detail(need_id: int) -> ResponseReturnValue:
    """A need with its herkenbaar count, replies, staff's answers and the plans that answer it."""
    need = need_or_404(need_id)
    return render_template("needs/detail.html", **_detail_context(need))


@bp.route("/behoeften/<int:need_id>/herkenbaar", methods=["POST"])
@resident_required
def recognise(need_id: int) -> ResponseReturnValue:
    """Mark herkenbaar (want=1) or take it back (want=0); htmx swaps the box, without JS back to the page."""
    need = need_or_404(need_id)
    want = request.form.get("want")
    if want not in ("0", "1"):
        abort(422, description=_("Ongeldig verzoek: kies herkenbaar of terugnemen."))
    with domain_errors(refused="view") as outcome:
        if want == "1":
            board.recognise(need, _me())
        else:
            board.unrecognise(need, _me())
    if outcome.ok:
        db.session.commit()
    htmx = bool(request.headers.get("HX-Request"))
    if htmx:
        return render_template(
            "needs/_recognise.html",
            need=need,
            count=board.recognitions(need),
            recognised=board.recognised_by(need, _me()),
            can_recognise=True,
            message=outcome.error.message if outcome.error else None,
        ), outcome.status
    if outcome.error:
        abort(outcome.status, description=outcome.error.message)
    flash(_("U herkent deze behoefte.") if want == "1" else _("Uw ‘herkenbaar’ is ingetrokken."), "success")
    return redirect(url_for("needs.detail", need_id=need.id))


@bp.route("/behoeften/<int:need_id>/reactie", methods=["POST"])
@writer_required
def reply(need_id: int) -> ResponseReturnValue:
    """Reply to a need."""
    need = need_or_404(need_id)
    form = ReplyForm()
    with domain_errors(form) as outcome:
        board.reply(need, _me(), form.body.data, limits=current_app.config["COMMENT_RATE_LIMITS"])
    if not outcome.ok:
        return render_template("needs/detail.html", **_detail_context(need, form)), outcome.status
    db.session.commit()
    flash(_("Uw reactie is geplaatst."), "success")
    return redirect(url_for("needs.detail", need_id=need.id) + "#reacties")


def _reply_of(need: Need, raw: str | None) -> NeedReply | None:
    if not raw:
        return None
    item = db.session.get(NeedReply, parse_id(raw) or 0)
    if item is None or item.need_id != need.id:
        abort(404, description=_("Deze reactie bestaat niet (meer)."))
    return item


@bp.route("/behoeften/<int:need_id>/melden", methods=["GET", "POST"])
@resident_required
def report(need_id: int) -> ResponseReturnValue:
    """Ask a moderator to look at a need or one of its replies."""
    need = need_or_404(need_id)
    form = ReportForm(formdata=request.form if request.method == "POST" else None)
    raw = request.form.get("reply_id") if request.method == "POST" else request.args.get("reactie")
    item = _reply_of(need, raw)
    form.reply_id.data = str(item.id) if item is not None else ""
    if request.method == "POST":
        with domain_errors(form) as outcome:
            moderation.report(need, item, _me(), form.reason.data, limit=current_app.config["REPORT_RATE_LIMIT"])
        if outcome.ok:
            db.session.commit()
            flash(_("Dank u. Een moderator kijkt ernaar."), "success")
            return redirect(url_for("needs.detail", need_id=need.id))
        return render_template("needs/report.html", need=need, item=item, form=form), outcome.status
    return render_template("needs/report.html", need=need, item=item, form=form)
