"""Building blocks (staff) and districts (admin)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from wijkfonds.blueprints.admin import bp
from wijkfonds.blueprints.admin.forms import BlockForm, DistrictForm, EmptyForm
from wijkfonds.extensions import db
from wijkfonds.i18n.text import gettext as _
from wijkfonds.models import BuildingBlock, District
from wijkfonds.services.catalog import admin as catalog_admin
from wijkfonds.web.access import admin_required, staff_required
from wijkfonds.web.errors import domain_errors
from wijkfonds.web.login import current_user


def _block_or_404(block_id: int) -> BuildingBlock:
    block = db.session.get(BuildingBlock, block_id)
    if block is None:
        abort(404, description=_("Deze bouwsteen bestaat niet."))
    return block


def _district_or_404(district_id: int) -> District:
    district = db.session.get(District, district_id)
    if district is None:
        abort(404, description=_("Dit gebied bestaat niet."))
    return district


def _block_data(form: BlockForm) -> catalog_admin.BlockData:
    return catalog_admin.BlockData(
        form.name_nl.data or "",
        form.name_en.data or "",
        form.description_nl.data or "",
        form.description_en.data or "",
        bool(form.active.data),
    )


@bp.route("/bouwstenen")
@staff_required
def blocks() -> ResponseReturnValue:
    """The 21 building blocks and the custom ones, with how often each is used."""
    rows = list(
        db.session.scalars(select(BuildingBlock).order_by(BuildingBlock.custom, BuildingBlock.number, BuildingBlock.id))
    )
    return render_template("admin/blocks.html", blocks=rows, usage=catalog_admin.block_usage(), delete_form=EmptyForm())


def _save_block(form: BlockForm, block: BuildingBlock | None) -> ResponseReturnValue | None:
    """Validate, call the service, commit; returns a response or None to re-render with 422."""
    actor = current_user._get_current_object()
    with domain_errors(form) as outcome:
        if block is None:
            block = catalog_admin.create_block(_block_data(form), actor=actor)
            message = _("De bouwsteen ‘%(name)s’ is toegevoegd.", name=block.name_nl)
        else:
            catalog_admin.update_block(block, _block_data(form), actor=actor)
            message = _("De bouwsteen ‘%(name)s’ is opgeslagen.", name=block.name_nl)
    if not outcome.ok:
        return None
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("admin.blocks"))


@bp.route("/bouwstenen/nieuw", methods=["GET", "POST"])
@staff_required
def new_block() -> ResponseReturnValue:
    """Add a custom building block ('jouw eigen bouwstenen')."""
    form = BlockForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        done = _save_block(form, None)
        if done is not None:
            return done
    return render_template("admin/block_form.html", form=form, block=None), 422 if request.method == "POST" else 200


@bp.route("/bouwstenen/<int:block_id>", methods=["GET", "POST"])
@staff_required
def edit_block(block_id: int) -> ResponseReturnValue:
    """Edit the names, descriptions and active flag of a building block."""
    block = _block_or_404(block_id)
    form = BlockForm(obj=block) if request.method == "GET" else BlockForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        done = _save_block(form, block)
        if done is not None:
            return done
    usage = catalog_admin.block_usage().get(block.id, 0)
    return render_template(
        "admin/block_form.html", form=form, block=block, usage=usage, delete_form=EmptyForm()
    ), 422 if request.method == "POST" else 200


@bp.route("/bouwstenen/<int:block_id>/verwijderen", methods=["POST"])
@staff_required
def delete_block(block_id: int) -> ResponseReturnValue:
    """Delete an unused custom building block."""
    block = _block_or_404(block_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    name = block.name_nl
    with domain_errors():
        catalog_admin.delete_block(block, actor=current_user._get_current_object())
    db.session.commit()
    flash(_("De bouwsteen ‘%(name)s’ is verwijderd.", name=name), "success")
    return redirect(url_for("admin.blocks"))


@bp.route("/gebieden")
@admin_required
def districts() -> ResponseReturnValue:
    """The districts with their population."""
    rows = list(db.session.scalars(select(District).order_by(District.name)))
    return render_template("admin/districts.html", districts=rows)


@bp.route("/gebieden/nieuw", methods=["GET", "POST"])
@bp.route("/gebieden/<int:district_id>", methods=["GET", "POST"])
@admin_required
def edit_district(district_id: int | None = None) -> ResponseReturnValue:
    """Add a district, or change the name and population of one."""
    district = _district_or_404(district_id) if district_id is not None else None
    form = DistrictForm(obj=district) if request.method == "GET" and district else DistrictForm()
    if request.method == "GET" and district:
        form.population.data = str(district.population)
    status = 200
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        actor = current_user._get_current_object()
        with domain_errors(form) as outcome:
            if district is None:
                district = catalog_admin.create_district(form.name.data or "", form.population.data, actor=actor)
            else:
                catalog_admin.update_district(district, form.name.data or "", form.population.data, actor=actor)
        if outcome.ok:
            db.session.commit()
            flash(_("Het gebied ‘%(name)s’ is opgeslagen.", name=district.name), "success")
            return redirect(url_for("admin.districts"))
        status = outcome.status
    return render_template("admin/district_form.html", form=form, district=district), status
