"""Staff and auditors: a round's spreadsheet (rounds, plans, result, payments, implementation)."""

from __future__ import annotations

from flask import Response
from flask.typing import ResponseReturnValue

from wijkfonds.blueprints.report import bp
from wijkfonds.i18n.languages import request_lang
from wijkfonds.services.report import sheets
from wijkfonds.services.results.importer import slugify
from wijkfonds.services.rounds.lookup import get_round_or_404
from wijkfonds.web.access import auditor_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/ronde/<int:round_id>/export.xlsx")
@auditor_required
def round_xlsx(round_id: int) -> ResponseReturnValue:
    """The round as an .xlsx workbook with typed cells."""
    rnd = get_round_or_404(round_id)
    body = sheets.workbook(rnd, request_lang())
    name = f"wijkfonds-{slugify(rnd.name)}.xlsx"
    return Response(body, mimetype=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'})
