"""Public views: "Wat is er met uw stem gebeurd?" for a published round or district, as page and PDF."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext

from flask import Response, current_app, render_template, request
from flask.typing import ResponseReturnValue

from wijkfonds.blueprints.report import bp, charts, pdf
from wijkfonds.i18n.languages import request_lang, use_language
from wijkfonds.services.report import year
from wijkfonds.services.rounds.lookup import get_round_or_404
from wijkfonds.web.errors import domain_errors


def _language() -> AbstractContextManager[None]:
    """?taal=en (or ?lang=en, or the visitor's choice) for this page or PDF."""
    asked = request.args.get("taal")
    if asked is not None and asked in current_app.config["LANGUAGES"]:
        return use_language(asked)
    return nullcontext()


def _report(round_id: int, district_id: int | None) -> year.YearReport:
    rnd = get_round_or_404(round_id)
    with domain_errors():
        return year.build(rnd, district_id, lang=request_lang())


def _page(round_id: int, district_id: int | None) -> str:
    report = _report(round_id, district_id)
    return render_template("report/page.html", report=report, figures=charts.figures(report))


def _pdf(round_id: int, district_id: int | None) -> Response:
    report = _report(round_id, district_id)
    body = pdf.render(report, charts.figures(report, prefix="pdf"), request_lang())
    name = pdf.filename(report, request_lang())
    return Response(body, mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/ronde/<int:round_id>")
def round_report(round_id: int) -> ResponseReturnValue:
    """What happened with the money of a published round (404 before publication)."""
    with _language():
        return _page(round_id, None)


@bp.route("/ronde/<int:round_id>/gebied/<int:district_id>")
def district_report(round_id: int, district_id: int) -> ResponseReturnValue:
    """The same for one district of the round."""
    with _language():
        return _page(round_id, district_id)


@bp.route("/ronde/<int:round_id>/jaarverslag.pdf")
def round_pdf(round_id: int) -> ResponseReturnValue:
    """The round's year report as a PDF (Dutch, or English with ?taal=en)."""
    with _language():
        return _pdf(round_id, None)


@bp.route("/ronde/<int:round_id>/gebied/<int:district_id>/jaarverslag.pdf")
def district_pdf(round_id: int, district_id: int) -> ResponseReturnValue:
    """One district's year report as a PDF, to send to its council."""
    with _language():
        return _pdf(round_id, district_id)
