"""Languages: translating plans, needs and comments by hand, and the accessibility statement."""

from flask import Blueprint

bp = Blueprint("languages", __name__)
URL_PREFIX = None

from wijkfonds.blueprints.languages import routes  # noqa: E402,F401
