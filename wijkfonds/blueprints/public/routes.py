"""Public views: home with the browsable list of initiatives, an initiative's page, language, favicon."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, redirect, render_template, request, send_from_directory, session
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from wijkfonds.blueprints.public import bp, browse
from wijkfonds.blueprints.public.context import detail_context, get_or_404, is_htmx
from wijkfonds.extensions import db
from wijkfonds.i18n.languages import request_lang
from wijkfonds.i18n.text import gettext as _
from wijkfonds.models import BuildingBlock, ContentKind, District, Initiative, Round, Status
from wijkfonds.services.media import photos
from wijkfonds.services.rounds.lookup import current_round
from wijkfonds.services.translations import content as translations
from wijkfonds.web.redirects import safe_next


def _choices(rnd: Round | None) -> dict[str, list[Any]]:
    return {
        "districts": list(
            db.session.scalars(select(District).where(District.active.is_(True)).order_by(District.name))
        ),
        "themes": list(rnd.themes) if rnd is not None else [],
        "blocks": list(
            db.session.scalars(
                select(BuildingBlock)
                .where(BuildingBlock.active.is_(True))
                .order_by(BuildingBlock.number, BuildingBlock.id)
            )
        ),
        "statuses": [s.value for s in Status],
    }


@bp.route("/")
def index() -> ResponseReturnValue:
    """Home: the current round, its timeline and its initiatives (filters, search, sort, pages)."""
    rnd = current_round()
    filters = browse.parse(request.args, rnd)
    page, places_total = None, 0
    places: list[Initiative] = []
    if rnd is not None and filters.view == "kaart":
        # The map view: every listed plan's place (no pages), the map drawn over it by map.js.
        places, places_total = browse.places(browse.query(rnd, filters), current_app.config["MAP_MAX_POINTS"])
    elif rnd is not None:
        page = browse.paginate(browse.query(rnd, filters), filters.page, current_app.config["PER_PAGE"])
        if page is None:
            abort(404, description=_("Deze pagina van de lijst bestaat niet. Ga terug naar de eerste pagina."))
    covers = photos.covers(photos.OWNER_INITIATIVE, [i.id for i in page.items]) if page is not None else {}
    context = {
        "round": rnd,
        "filters": filters,
        "page": page,
        "places": places,
        "places_total": places_total,
        "covers": covers,
        # The reader's language where a plan has a translation (titles and summaries of the cards).
        "card_translations": translations.shown(
            ContentKind.PLAN, [i.id for i in page.items] if page is not None else [], request_lang()
        ),
        **_choices(rnd),
    }
    if is_htmx() and request.headers.get("HX-Target") == "initiative-list":
        fragment = "public/_places.html" if filters.view == "kaart" else "public/_list.html"
        return render_template(fragment, **context)
    return render_template("public/index.html", **context)


@bp.route("/initiatieven/<int:initiative_id>")
def detail(initiative_id: int) -> ResponseReturnValue:
    """One initiative with its costs, status, history, support and dialogue."""
    ini = get_or_404(Initiative, initiative_id, _("Dit plan bestaat niet (meer)."))
    return render_template("public/detail.html", **detail_context(ini))


@bp.route("/taal/<lang>")
def set_language(lang: str) -> ResponseReturnValue:
    """Remember the chosen language and go back."""
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    return redirect(safe_next(request.args.get("next")))


@bp.route("/favicon.ico")
def favicon() -> ResponseReturnValue:
    """The site's icon where browsers and feed readers look for it without reading the page."""
    return send_from_directory(
        str(current_app.static_folder), "favicon.ico", mimetype="image/vnd.microsoft.icon", max_age=86400
    )
