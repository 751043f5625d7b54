"""Public downloads of a published result: the result as CSV, and the round's pabulib .pb file per district."""

from __future__ import annotations

from flask import Response
from flask.typing import ResponseReturnValue

from wijkfonds.blueprints.results import bp
from wijkfonds.services.opendata import downloads
from wijkfonds.services.rounds.lookup import get_round_or_404
from wijkfonds.web.errors import domain_errors


def _download(body: str, mimetype: str, filename: str) -> Response:
    return Response(
        body,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Access-Control-Allow-Origin": "*",  # open data: any page may read it
            "Cache-Control": "public, max-age=300",
        },
    )


@bp.route("/<int:round_id>/uitslag.csv")
def result_csv(round_id: int) -> ResponseReturnValue:
    """Every plan of the round with cost, votes and whether it is funded (after publication only)."""
    rnd = get_round_or_404(round_id)
    with domain_errors():
        filename, text = downloads.result_csv(rnd)
    return _download(text, "text/csv; charset=utf-8", filename)


@bp.route("/<int:round_id>/gebied/<int:district_id>.pb")
def result_pb(round_id: int, district_id: int) -> ResponseReturnValue:
    """One district's pabulib file: plans, costs, votes, the anonymous ballots (after publication only)."""
    rnd = get_round_or_404(round_id)
    with domain_errors():
        filename, text = downloads.district_pb(rnd, district_id)
    return _download(text, "text/plain; charset=utf-8", filename)
