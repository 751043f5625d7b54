"""Staff: allocation runs over closed rounds, comparing them, publishing one; importing elections."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from wijkfonds.web import nav
from wijkfonds.models import Role

bp = Blueprint("runs", __name__)
URL_PREFIX = "/beheer/toewijzing"

nav.add("runs.index", _l("Toewijzing"), Role.STAFF, order=70)

from wijkfonds.blueprints.runs import routes, import_routes  # noqa: E402,F401
