"""After the vote, in public: "Wat is er met uw stem gebeurd?" per round and district, its PDF,
and the round's spreadsheet for staff and auditors."""

from flask import Blueprint

from wijkfonds.common.money import number
from wijkfonds.services.implementation.records import status_label

bp = Blueprint("report", __name__)
URL_PREFIX = "/verslag"


@bp.context_processor
def _helpers() -> dict[str, object]:
    return {"number": number, "status_label": status_label}


from wijkfonds.blueprints.report import routes, sheets  # noqa: E402,F401
