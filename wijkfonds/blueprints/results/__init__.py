"""Public results: funded initiatives, spend charts and why each initiative was (not) funded."""

from flask import Blueprint

from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.web import nav

bp = Blueprint("results", __name__)
URL_PREFIX = "/uitslag"

nav.add("results.index", _l("Uitslag"), order=40)

from wijkfonds.blueprints.results import downloads, routes  # noqa: E402,F401
