"""Residents' own plans: submit, edit until review starts, withdraw, list."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from wijkfonds.blueprints.auth.forms import EmptyForm
from wijkfonds.blueprints.media.forms import take_photo
from wijkfonds.blueprints.public.context import get_or_404
from wijkfonds.blueprints.resident import bp
from wijkfonds.blueprints.resident.forms import InitiativeForm, int_or_none
from wijkfonds.extensions import db
from wijkfonds.i18n.text import get_locale
from wijkfonds.i18n.text import gettext as _
from wijkfonds.models import BuildingBlock, District, Initiative, Role, Round, User
from wijkfonds.services.dialogue import initiatives as svc
from wijkfonds.services.errors import ValidationFailed
from wijkfonds.services.media import photos
from wijkfonds.services.needs import links as need_links
from wijkfonds.services.places import outlines
from wijkfonds.services.rounds.lookup import current_round
from wijkfonds.web.access import role_required
from wijkfonds.web.errors import domain_errors
from wijkfonds.web.login import current_user

resident_required = role_required(Role.RESIDENT)


def _me() -> User:
    return current_user._get_current_object()


def fill_choices(form: InitiativeForm, rnd: Round, linked: list[int] | None = None) -> None:
    """Select options: active districts, the round's themes, active building blocks, the needs board."""
    form.needs.choices = [(n.id, f"{n.title} ({n.district.name})") for n in need_links.choices(linked or [])]
    lang = str(get_locale() or "nl")
    districts = db.session.scalars(select(District).where(District.active.is_(True)).order_by(District.name))
    blocks = db.session.scalars(
        select(BuildingBlock).where(BuildingBlock.active.is_(True)).order_by(BuildingBlock.number, BuildingBlock.id)
    )
    form.district.choices = [("", _("— kies een gebied —"))] + [(d.id, d.name) for d in districts]
    form.theme.choices = [("", _("— kies een thema —"))] + [(t.id, t.name(lang)) for t in rnd.themes]
    form.block.choices = [("", _("— kies een bouwsteen —"))] + [
        (b.id, f"{b.number}. {b.name(lang)}" if b.number else b.name(lang)) for b in blocks
    ]


def map_context() -> dict[str, object]:
    """What the form's map needs: the names of the active districts without an outline."""
    outlined = outlines.with_outline()
    rows = db.session.scalars(select(District).where(District.active.is_(True)).order_by(District.name))
    return {"without_outline": [d.name for d in rows if d.id not in outlined]}


def form_is_valid(form: InitiativeForm, rnd: Round, linked: list[int] | None = None) -> bool:
    """Validate the form and the service rules together, so that every error shows at once."""
    ok = form.validate()
    errors: list[tuple[str | None, str]] = []
    for check in (
        lambda: svc.validate(form.to_data(), rnd),
        lambda: need_links.check(form.needs.data or [], form.district.data, keep=linked or []),
    ):
        try:
            check()
        except ValidationFailed as err:
            errors += err.errors
    if errors:
        ok = False
        for name, message in errors:
            target = getattr(form, name or "", None)
            if target is None:
                form.form_errors.append(message)
            elif not target.errors:
                target.errors = [message]
    return ok


def _closed(message: str, rnd: Round | None, status: int = 409) -> tuple[str, int]:
    return render_template("resident/closed.html", message=message, round=rnd), status


@bp.route("/nieuw", methods=["GET", "POST"])
@resident_required
def new() -> ResponseReturnValue:
    """Submit a plan in the current round's submission phase."""
    rnd = current_round()
    with domain_errors(refused="view") as outcome:
        rnd = svc.require_submission_phase(rnd)
    if outcome.error:
        return _closed(outcome.error.message, rnd, outcome.status)
    form = InitiativeForm()
    fill_choices(form, rnd)
    status = 200
    if request.method == "GET" and form.district.data is None:
        form.district.data = current_user.district_id
    if request.method == "GET" and request.args.get("behoefte"):  # "answer this need" on a need's page
        form.needs.data = [i for i in [int_or_none(request.args.get("behoefte"))] if i is not None]
    if request.method == "POST":
        valid = form_is_valid(form, rnd)
        photo, photo_status = take_photo(form, _me())
        status = photo_status or 422
        if valid and photo_status is None:
            with domain_errors(form, refused="view") as outcome:
                ini = svc.submit(form.to_data(), rnd, author=_me())
                need_links.set_needs(ini, form.needs.data or [], actor=_me())
                if photo is not None:
                    photos.add_to_initiative(ini, photo, form.photo_alt.data, _me())
            if outcome.refusal:
                return _closed(outcome.refusal.message, rnd, outcome.status)
            if outcome.ok:
                db.session.commit()
                flash(_("Uw plan is ingediend. Vraag buren om uw plan te steunen!"), "success")
                return redirect(url_for("public.detail", initiative_id=ini.id))
    return render_template("resident/form.html", form=form, round=rnd, initiative=None, **map_context()), status


def _own(initiative_id: int) -> Initiative:
    ini = get_or_404(Initiative, initiative_id, _("Dit plan bestaat niet (meer)."))
    with domain_errors():  # not the author: 403
        svc.require_author(ini, _me())
    return ini


@bp.route("/<int:initiative_id>/bewerken", methods=["GET", "POST"])
@resident_required
def edit(initiative_id: int) -> ResponseReturnValue:
    """Change one's own plan until the review starts (the old text is kept)."""
    ini = _own(initiative_id)
    if not svc.can_edit(ini, _me()):
        return _closed(_("Dit plan kan niet meer worden gewijzigd: de beoordeling is begonnen."), ini.round)
    form = InitiativeForm(obj=None if request.method == "POST" else ini)
    form.submit.label.text = _("Wijzigingen opslaan")
    linked = need_links.linked_ids(ini)
    fill_choices(form, ini.round, linked)
    if request.method == "GET":
        form.district.data, form.theme.data, form.block.data = ini.district_id, ini.theme_id, ini.block_id
        form.needs.data = linked
        form.requested_cost.data = ini.requested_cost
    status = 200
    if request.method == "POST":
        valid = form_is_valid(form, ini.round, linked)
        photo, photo_status = take_photo(form, _me())
        status = photo_status or 422
        if valid and photo_status is None:
            with domain_errors(form, refused="view") as outcome:
                changed = svc.edit(ini, form.to_data(), author=_me())
                changed = need_links.set_needs(ini, form.needs.data or [], actor=_me()) or changed
                if photo is not None:
                    photos.add_to_initiative(ini, photo, form.photo_alt.data, _me())
                    changed = True
            if outcome.refusal:
                return _closed(outcome.refusal.message, ini.round, outcome.status)
            if outcome.ok:
                db.session.commit()
                flash(_("Uw wijzigingen zijn opgeslagen.") if changed else _("Er was niets veranderd."), "success")
                return redirect(url_for("public.detail", initiative_id=ini.id))
    return render_template("resident/form.html", form=form, round=ini.round, initiative=ini, **map_context()), status


@bp.route("/<int:initiative_id>/intrekken", methods=["GET", "POST"])
@resident_required
def withdraw(initiative_id: int) -> ResponseReturnValue:
    """Ask for confirmation, then withdraw one's own plan."""
    ini = _own(initiative_id)
    if not svc.can_withdraw(ini, _me()):
        return _closed(_("Dit plan kan niet meer worden ingetrokken."), ini.round)
    form = EmptyForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        with domain_errors(refused="view") as outcome:
            svc.withdraw(ini, author=_me())
        if outcome.error:
            return _closed(outcome.error.message, ini.round, outcome.status)
        db.session.commit()
        flash(_("Uw plan is ingetrokken."), "info")
        return redirect(url_for("public.detail", initiative_id=ini.id))
    return render_template("resident/withdraw.html", form=form, initiative=ini)


@bp.route("/mijn")
@resident_required
def mine() -> ResponseReturnValue:
    """The plans this resident submitted, newest first."""
    rows = db.session.scalars(
        select(Initiative)
        .where(Initiative.author_id == current_user.id)
        .order_by(Initiative.created_at.desc(), Initiative.id.desc())
    )
    items = list(rows)
    return render_template(
        "resident/mine.html",
        initiatives=items,
        can_edit=lambda i: svc.can_edit(i, _me()),
        can_withdraw=lambda i: svc.can_withdraw(i, _me()),
    )
