"""District outlines (staff): upload a GeoJSON file per district, or remove it."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from wijkfonds.blueprints.admin import bp
from wijkfonds.blueprints.admin.forms import EmptyForm, OutlineForm
from wijkfonds.extensions import db
from wijkfonds.i18n.text import gettext as _
from wijkfonds.models import District
from wijkfonds.services.places import outlines as svc
from wijkfonds.services.places.points import outside_outline
from wijkfonds.web.access import staff_required
from wijkfonds.web.errors import domain_errors
from wijkfonds.web.login import current_user


def _district_or_404(district_id: int) -> District:
    district = db.session.get(District, district_id) if 0 < district_id < 2**63 else None
    if district is None:
        abort(404, description=_("Dit gebied bestaat niet."))
    return district


@bp.route("/gebieden/omtrekken")
@staff_required
def outlines() -> ResponseReturnValue:
    """Every district with whether it has an outline (and what a district without one accepts)."""
    rows = list(db.session.scalars(select(District).order_by(District.name)))
    return render_template(
        "admin/outlines.html",
        districts=rows,
        outlines={d.id: svc.get(d.id) for d in rows},
        bounds=svc.stadsdeel_bounds(),
    )


@bp.route("/gebieden/<int:district_id>/omtrek", methods=["GET", "POST"])
@staff_required
def edit_outline(district_id: int) -> ResponseReturnValue:
    """Upload a district's outline (a GeoJSON Feature or FeatureCollection of polygons)."""
    district = _district_or_404(district_id)
    form = OutlineForm()
    status = 200
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        status = 422
        upload = form.file.data
        if upload is None or not getattr(upload, "filename", ""):
            form.file.errors = [_("Kies een GeoJSON-bestand.")]
        else:
            # One byte past the limit is enough for the service to say the file is too large.
            raw = upload.stream.read(int(current_app.config["MAP_OUTLINE_MAX_BYTES"]) + 1)
            with domain_errors(form) as outcome:
                svc.set_outline(district, raw, actor=current_user._get_current_object())
                outside = outside_outline(district)
            if outcome.ok:
                db.session.commit()
                flash(_("De omtrek van ‘%(name)s’ is opgeslagen.", name=district.name), "success")
                if outside:
                    titles = ", ".join(f"‘{i.title}’" for i in outside[:5]) + (" …" if len(outside) > 5 else "")
                    if len(outside) == 1:
                        message = _(
                            "Let op: 1 plan in dit gebied heeft een punt buiten de nieuwe omtrek: %(titles)s.",
                            titles=titles,
                        )
                    else:
                        message = _(
                            "Let op: %(n)d plannen in dit gebied hebben een punt buiten de nieuwe omtrek: %(titles)s.",
                            n=len(outside),
                            titles=titles,
                        )
                    flash(message, "warning")
                return redirect(url_for("admin.outlines"))
    return render_template(
        "admin/outline_form.html",
        form=form,
        district=district,
        outline=svc.get(district.id),
        max_kb=int(current_app.config["MAP_OUTLINE_MAX_BYTES"]) // 1024,
        delete_form=EmptyForm(),
    ), status


@bp.route("/gebieden/<int:district_id>/omtrek/verwijderen", methods=["POST"])
@staff_required
def remove_outline(district_id: int) -> ResponseReturnValue:
    """Remove a district's outline: its plans' points are then checked against the stadsdeel's box."""
    district = _district_or_404(district_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    with domain_errors():
        svc.remove_outline(district, actor=current_user._get_current_object())
    db.session.commit()
    flash(_("De omtrek van ‘%(name)s’ is verwijderd.", name=district.name), "success")
    return redirect(url_for("admin.outlines"))
