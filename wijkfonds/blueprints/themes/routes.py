"""Theme nomination pages: public ranking, proposing, support, comments; staff choose themes."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from wijkfonds.blueprints.themes import bp
from wijkfonds.blueprints.themes.forms import CommentForm, NominationForm
from wijkfonds.extensions import db
from wijkfonds.i18n.text import gettext as _
from wijkfonds.models import Role, Round, ThemeNomination, User
from wijkfonds.services.rounds import nominations
from wijkfonds.services.rounds.admin import is_locked
from wijkfonds.services.rounds.lookup import get_round_or_404
from wijkfonds.web.access import role_required, staff_required
from wijkfonds.web.errors import domain_errors
from wijkfonds.web.login import current_user
from wijkfonds.web.redirects import safe_next

resident_required = role_required(Role.RESIDENT)


def _htmx() -> bool:
    """True for requests made by htmx (answer with a fragment)."""
    return bool(request.headers.get("HX-Request"))


def _nomination_or_404(nomination_id: int) -> ThemeNomination:
    nom = db.session.get(ThemeNomination, nomination_id)
    if nom is None:
        abort(404)
    return nom


def _nomination_round_or_404(round_id: int) -> Round:
    rnd = get_round_or_404(round_id)
    if not nominations.has_nominations(rnd):
        abort(404, description=_("Bij deze ronde kunnen bewoners geen thema's voorstellen."))
    return rnd


def _user() -> User | None:
    return current_user._get_current_object() if current_user.is_authenticated else None


def _me() -> User:
    """The logged-in user (in views that require a login)."""
    return current_user._get_current_object()


@bp.route("/")
def index() -> ResponseReturnValue:
    """Rounds with a theme-nomination phase, newest first."""
    rounds = list(
        db.session.scalars(
            select(Round).where(Round.nomination_start.is_not(None)).order_by(Round.nomination_start.desc())
        )
    )
    return render_template("themes/index.html", rounds=rounds, is_open=nominations.is_open)


def _round_page(rnd: Round, form: NominationForm, status: int = 200) -> tuple[str, int]:
    user = _user()
    ranked = nominations.ranking(rnd)
    supported = {r.nomination.id for r in ranked if nominations.supports(r.nomination, user)}
    return render_template(
        "themes/round.html",
        rnd=rnd,
        ranked=ranked,
        supported=supported,
        form=form,
        is_open=nominations.is_open(rnd),
        locked=is_locked(rnd),
        can_choose=bool(user and user.has_role(Role.STAFF)),
        can_take_part=bool(user and user.has_role(Role.RESIDENT)),
    ), status


@bp.route("/ronde/<int:round_id>")
def round_page(round_id: int) -> ResponseReturnValue:
    """The ranking of nominated themes, and the form to propose one."""
    return _round_page(_nomination_round_or_404(round_id), NominationForm())


@bp.route("/ronde/<int:round_id>/voorstellen", methods=["POST"])
@resident_required
def propose(round_id: int) -> ResponseReturnValue:
    """Propose a theme."""
    rnd = _nomination_round_or_404(round_id)
    form = NominationForm()
    if not form.validate():
        return _round_page(rnd, form, 422)
    with domain_errors(form) as outcome:
        nom = nominations.propose(
            rnd, title=form.title.data or "", description=form.description.data or "", author=_me()
        )
    if not outcome.ok:
        return _round_page(rnd, form, outcome.status)
    db.session.commit()
    flash(_("Bedankt! Uw thema is voorgesteld. Andere bewoners kunnen het nu steunen."), "success")
    return redirect(url_for("themes.nomination", nomination_id=nom.id))


def _nomination_page(nom: ThemeNomination, form: CommentForm, status: int = 200) -> tuple[str, int]:
    rnd = db.session.get_one(Round, nom.round_id)
    user = _user()
    return render_template(
        "themes/nomination.html",
        nom=nom,
        rnd=rnd,
        form=form,
        comments=nominations.comments(nom),
        count=nominations.support_count(nom),
        supported=nominations.supports(nom, user),
        is_open=nominations.is_open(rnd),
        locked=is_locked(rnd),
        can_choose=bool(user and user.has_role(Role.STAFF)),
        can_take_part=bool(user and user.has_role(Role.RESIDENT)),
    ), status


@bp.route("/voorstel/<int:nomination_id>")
def nomination(nomination_id: int) -> ResponseReturnValue:
    """One nominated theme with its support and comments."""
    return _nomination_page(_nomination_or_404(nomination_id), CommentForm())


@bp.route("/voorstel/<int:nomination_id>/steun", methods=["POST"])
@resident_required
def support(nomination_id: int) -> ResponseReturnValue:
    """Give or take back support (htmx swaps the button; without JS back to the page)."""
    nom = _nomination_or_404(nomination_id)
    want = request.form.get("want")
    if want not in ("0", "1"):
        abort(422, description=_("Ongeldig verzoek: kies steunen of steun intrekken."))
    with domain_errors():
        now_supported = nominations.set_support(nom, _me(), want == "1")
    db.session.commit()
    if _htmx():
        return render_template(
            "themes/_support.html",
            nom=nom,
            count=nominations.support_count(nom),
            supported=now_supported,
            is_open=True,
            can_take_part=True,
        )
    flash(_("U steunt dit thema.") if now_supported else _("Uw steun is ingetrokken."), "success")
    return redirect(
        safe_next(request.form.get("next"))
        if request.form.get("next")
        else url_for("themes.nomination", nomination_id=nom.id)
    )


@bp.route("/voorstel/<int:nomination_id>/reactie", methods=["POST"])
@resident_required
def comment(nomination_id: int) -> ResponseReturnValue:
    """Comment on a nomination."""
    nom = _nomination_or_404(nomination_id)
    form = CommentForm()
    if not form.validate():
        return _nomination_page(nom, form, 422)
    with domain_errors(form) as outcome:
        nominations.add_comment(
            nom, body=form.body.data or "", author=_me(), limits=current_app.config["COMMENT_RATE_LIMITS"]
        )
    if not outcome.ok:
        if _htmx():
            return render_template(
                "themes/_comments.html",
                nom=nom,
                form=form,
                comments=nominations.comments(nom),
                is_open=True,
                can_take_part=True,
            ), outcome.status
        return _nomination_page(nom, form, outcome.status)
    db.session.commit()
    if _htmx():
        return render_template(
            "themes/_comments.html",
            nom=nom,
            form=CommentForm(formdata=None),
            comments=nominations.comments(nom),
            is_open=True,
            can_take_part=True,
        )
    flash(_("Uw reactie is geplaatst."), "success")
    return redirect(url_for("themes.nomination", nomination_id=nom.id) + "#reacties")


@bp.route("/voorstel/<int:nomination_id>/kiezen", methods=["POST"])
@staff_required
def choose(nomination_id: int) -> ResponseReturnValue:
    """Staff: make this nomination one of the round's themes."""
    nom = _nomination_or_404(nomination_id)
    with domain_errors():
        theme = nominations.choose(nom, actor=_me())
    db.session.commit()
    flash(_("„%(name)s” is nu een thema van deze ronde.", name=theme.name_nl), "success")
    return redirect(url_for("themes.round_page", round_id=nom.round_id))
