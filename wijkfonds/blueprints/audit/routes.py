"""Auditor views: which rounds can be exported, and the exports themselves."""

from __future__ import annotations

import json

from flask import Response, abort, render_template
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from wijkfonds.blueprints.audit import bp
from wijkfonds.extensions import db
from wijkfonds.models import District, Phase, Round
from wijkfonds.services.results import exports, recompute, recompute_kit
from wijkfonds.services.results.publication import published_run
from wijkfonds.services.rounds.lookup import get_round_or_404
from wijkfonds.web.access import auditor_required
from wijkfonds.web.errors import domain_errors


def _export(round_id: int) -> exports.RoundExport:
    with domain_errors():
        return exports.load(get_round_or_404(round_id))


def _download(body: str | bytes, mimetype: str, filename: str) -> Response:
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/")
@auditor_required
def index() -> ResponseReturnValue:
    """Closed rounds with their exports; the audit log."""
    rounds = [
        r for r in db.session.scalars(select(Round).order_by(Round.results_start.desc())) if r.phase() == Phase.RESULTS
    ]
    return render_template("audit/index.html", rounds=rounds, published={r.id: published_run(r.id) for r in rounds})


@bp.route("/ronde/<int:round_id>")
@auditor_required
def round_exports(round_id: int) -> ResponseReturnValue:
    """Export links of one closed round, with the recompute command."""
    export = _export(round_id)
    files = [
        (name, db.session.scalars(select(District).where(District.name == name)).first())
        for name in export.data.instance.districts
    ]
    with_projects = {p.district for p in export.data.instance.projects}
    return render_template(
        "audit/round.html",
        rnd=export.round,
        export=export,
        plan=recompute_kit.recompute_plan(export),
        check=recompute_kit.pabutools_check(export),
        pabutools_script=recompute.PABUTOOLS_SCRIPT,
        districts=[d for name, d in files if d is not None and name in with_projects],
    )


@bp.route("/ronde/<int:round_id>/export.csv")
@auditor_required
def export_csv(round_id: int) -> ResponseReturnValue:
    """Initiatives with votes, cost and result."""
    export = _export(round_id)
    return _download(exports.csv_text(export), "text/csv; charset=utf-8", f"{export.round.slug}.csv")


def _json_text(export: exports.RoundExport) -> str:
    return json.dumps(exports.json_data(export), ensure_ascii=False, indent=1, sort_keys=True)


@bp.route("/ronde/<int:round_id>/export.json")
@auditor_required
def export_json(round_id: int) -> ResponseReturnValue:
    """Everything needed to recompute the result."""
    export = _export(round_id)
    return _download(_json_text(export), "application/json", f"{export.round.slug}.json")


@bp.route("/ronde/<int:round_id>/export.zip")
@auditor_required
def export_zip(round_id: int) -> ResponseReturnValue:
    """CSV, JSON and one .pb file per district in one zip."""
    export = _export(round_id)
    return _download(exports.zip_bytes(export, _json_text(export)), "application/zip", f"{export.round.slug}.zip")


@bp.route("/ronde/<int:round_id>/gebied/<int:district_id>.pb")
@auditor_required
def export_pb(round_id: int, district_id: int) -> ResponseReturnValue:
    """The pabulib file of one district (with a `selected` column once published)."""
    export = _export(round_id)
    district = db.session.get(District, district_id)
    if district is None:
        abort(404)
    for name, filename, text in exports.district_files(export):
        if name == district.name:
            return _download(text, "text/plain; charset=utf-8", filename)
    abort(404)
