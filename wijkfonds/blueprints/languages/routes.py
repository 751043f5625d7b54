"""Translating what residents wrote (the author or a translator), and the accessibility statement."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from wijkfonds.blueprints.languages import bp
from wijkfonds.blueprints.languages.forms import HideForm, LetterLanguagesForm, TranslationForm
from wijkfonds.extensions import db
from wijkfonds.i18n.languages import request_lang
from wijkfonds.i18n.offer import language
from wijkfonds.i18n.text import format_date
from wijkfonds.i18n.text import gettext as _
from wijkfonds.models import ContentTranslation, District, Role
from wijkfonds.services.errors import DomainError, ValidationFailed
from wijkfonds.services.translations import content, letters
from wijkfonds.web.access import staff_required
from wijkfonds.web.errors import domain_errors
from wijkfonds.web.login import current_user, login_required

# When the statement was last checked against the site (change it with the statement).
STATEMENT_DATE = date(2026, 12, 1)


@bp.route("/toegankelijkheid")
def accessibility() -> ResponseReturnValue:
    """The accessibility statement (toegankelijkheidsverklaring), in the form Dutch government sites use."""
    return render_template(
        "languages/accessibility.html",
        contact=current_app.config.get("ACCESSIBILITY_CONTACT") or current_app.config["PRIVACY_CONTACT"],
        statement_date=format_date(STATEMENT_DATE, "long"),
    )


def _original_or_404(kind: str, object_id: int) -> Any:
    try:
        return content.original(kind, object_id)
    except DomainError as err:
        abort(err.status, description=err.message)


def _page_url(kind: str, obj: Any) -> str:
    endpoint, values, fragment = content.source(kind).page(obj)
    return url_for(endpoint, **values) + (f"#{fragment}" if fragment else "")


@bp.route("/vertalen/<kind>/<int:object_id>", methods=["GET", "POST"])
@login_required
def translate(kind: str, object_id: int) -> ResponseReturnValue:
    """Add or edit the translation of one plan, need or comment into one language; staff (who
    moderate) see the page too, with the translations to hide, without the form."""
    obj = _original_or_404(kind, object_id)
    user = current_user._get_current_object()
    may = content.may_translate(user, kind, obj)
    if not may and (request.method == "POST" or not user.has_role(Role.STAFF)):
        abort(403, description=_("Alleen de schrijver of een vertaler kan deze tekst vertalen."))
    have = {t.language: t for t in content.existing(kind, object_id)}
    form = TranslationForm()
    status = 200
    if request.method == "GET":
        asked = request.args.get("taal", "")
        first = next((c for c in content.target_languages() if c != request_lang() and c != "nl"), "en")
        form.language.data = asked if asked in content.target_languages() else first
        row = have.get(form.language.data or "")
        if row is not None:
            form.title.data, form.summary.data, form.text.data = row.title, row.summary, row.text
    elif form.validate_on_submit():
        texts = {"title": form.title.data or "", "summary": form.summary.data or "", "text": form.text.data or ""}
        with domain_errors(form) as outcome:
            row = content.save(kind, object_id, language=form.language.data or "", texts=texts, actor=user)
            db.session.commit()
        if outcome.ok:
            flash(
                _("De vertaling (%(language)s) is opgeslagen.", language=language(row.language).native_name), "success"
            )
            return redirect(_page_url(kind, obj))
        status = outcome.status
    else:
        status = 422
    return render_template(
        "languages/translate.html",
        form=form,
        kind=kind,
        obj=obj,
        original=content.source(kind).original(obj),
        existing=list(have.values()),
        stale={t.language for t in have.values() if not content.is_current(t, obj)},
        back=_page_url(kind, obj),
        hide_form=HideForm(formdata=None),
        may_translate=may,
        is_staff=user.has_role(Role.STAFF),
    ), status


@bp.route("/vertalingen/verouderd")
@login_required
def stale() -> ResponseReturnValue:
    """The translations of texts changed since they were translated, that this account may update."""
    found = content.stale_for(current_user._get_current_object())
    items = [(row, content.source(row.kind).original(obj), _page_url(row.kind, obj)) for row, obj in found]
    return render_template("languages/stale.html", items=items)


@bp.route("/vertalingen/<int:translation_id>/verbergen", methods=["POST"])
@staff_required
def hide(translation_id: int) -> ResponseReturnValue:
    """Staff hide a translation (the original shows again), or show a hidden one again."""
    row = db.session.get(ContentTranslation, translation_id) if 0 < translation_id < 2**63 else None
    if row is None:
        abort(404, description=_("Deze vertaling bestaat niet (meer)."))
    form = HideForm()
    if not form.validate_on_submit():
        abort(400)
    hidden = row.hidden_at is None
    content.set_hidden(row, hidden, actor=current_user._get_current_object())
    db.session.commit()
    flash(_("De vertaling is verborgen.") if hidden else _("De vertaling is weer zichtbaar."), "success")
    return redirect(url_for("languages.translate", kind=row.kind, object_id=row.object_id))


@bp.route("/beheer/stemcodes/brieftalen", methods=["GET", "POST"])
@staff_required
def letter_languages() -> ResponseReturnValue:
    """Per district: the languages its voting-code letters repeat the key sentence in."""
    districts = list(db.session.scalars(select(District).where(District.active.is_(True)).order_by(District.name)))
    form = LetterLanguagesForm()
    errors: dict[int, str] = {}
    status = 200
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        actor = current_user._get_current_object()
        for d in districts:  # every district checked first: nothing is saved when one is wrong
            unknown = [c for c in request.form.getlist(f"talen-{d.id}") if c not in letters.choosable()]
            if unknown:
                errors[d.id] = _("Deze taal biedt de site niet aan. Kies een taal uit de lijst.")
        if not errors:
            try:
                changed = [
                    d for d in districts if letters.set_languages(d, request.form.getlist(f"talen-{d.id}"), actor=actor)
                ]
            except ValidationFailed as err:  # a language left the site between the check and the save
                db.session.rollback()
                abort(422, description=err.message)
            db.session.commit()
            flash(_("De talen van de brieven zijn opgeslagen (%(n)s gebieden gewijzigd).", n=len(changed)), "success")
            return redirect(url_for("languages.letter_languages"))
        status = 422
    return render_template(
        "languages/letter_languages.html",
        form=form,
        districts=districts,
        choosable=[language(c) for c in letters.choosable()],
        chosen={d.id: letters.chosen(d) for d in districts},
        errors=errors,
    ), status
