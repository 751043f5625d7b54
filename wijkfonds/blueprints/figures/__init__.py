"""Public figures of a closed round: turnout per district, day and channel (after close only)."""

from flask import Blueprint

bp = Blueprint("figures", __name__)
URL_PREFIX = "/cijfers"

from wijkfonds.blueprints.figures import routes  # noqa: E402,F401
