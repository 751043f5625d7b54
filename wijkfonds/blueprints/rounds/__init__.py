"""Staff: create and edit rounds, their budgets, rules and phases."""

from flask import Blueprint

from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.models import Role
from wijkfonds.web import nav

bp = Blueprint("rounds", __name__)
URL_PREFIX = "/beheer/rondes"
nav.add("rounds.index", _l("Rondes"), Role.STAFF, order=61)

from wijkfonds.blueprints.rounds import routes  # noqa: E402,F401
