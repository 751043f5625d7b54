"""Staff: who is reached, turnout per district against the eligible residents, in every phase."""

from flask import Blueprint

from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.models import Role
from wijkfonds.web import nav

bp = Blueprint("reach", __name__)
URL_PREFIX = "/beheer/bereik"

nav.add("reach.index", _l("Bereik"), Role.STAFF, order=66)

from wijkfonds.blueprints.reach import routes  # noqa: E402,F401
