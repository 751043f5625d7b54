"""Staff review of initiatives: the queue per round, feasibility, cost and text fixes."""

from flask import Blueprint

from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.models import Role
from wijkfonds.web import nav

bp = Blueprint("review", __name__)
URL_PREFIX = "/beheer/beoordeling"

nav.add("review.index", _l("Beoordelen"), Role.STAFF, order=62)

from wijkfonds.blueprints.review import routes  # noqa: E402,F401
