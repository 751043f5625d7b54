"""Staff: allocation runs over closed rounds, comparing them, publishing one; importing elections."""

from flask import Blueprint

from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.models import Role
from wijkfonds.web import nav

bp = Blueprint("runs", __name__)
URL_PREFIX = "/beheer/toewijzing"

nav.add("runs.index", _l("Toewijzing"), Role.STAFF, order=65)

from wijkfonds.blueprints.runs import import_routes, routes  # noqa: E402,F401
