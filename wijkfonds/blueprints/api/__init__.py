"""Open data: a read-only JSON API (rounds, districts, themes, building blocks, plans, results)."""

from flask import Blueprint
from flask.blueprints import BlueprintSetupState

from wijkfonds.extensions import csrf
from wijkfonds.web.factory import answer_errors_under

bp = Blueprint("api", __name__)
URL_PREFIX = "/api/v1"
csrf.exempt(bp)  # GET, HEAD and OPTIONS only: nothing to protect, and no cookie is needed


@bp.record_once
def _json_errors(state: BlueprintSetupState) -> None:
    # Every error under /api/v1 (unknown paths and methods too) is answered as JSON, never HTML.
    from wijkfonds.blueprints.api.respond import error_response

    answer_errors_under(state.app, state.url_prefix or URL_PREFIX, error_response)


from wijkfonds.blueprints.api import routes  # noqa: E402,F401
