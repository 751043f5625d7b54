"""Public pages: home, browsing and initiative details, language switch."""

from flask import Blueprint

bp = Blueprint("public", __name__)
URL_PREFIX = None

from wijkfonds.blueprints.public import maps, routes, tiles  # noqa: E402,F401
