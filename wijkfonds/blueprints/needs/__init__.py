"""The needs and stories board (residents, all year) and staff's matrix of needs and plans."""

from flask import Blueprint

from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.models import Role
from wijkfonds.web import nav

bp = Blueprint("needs", __name__)
URL_PREFIX = None  # the board lives at /behoeften, staff's matrix at /beheer/behoeften

nav.add("needs.board", _l("Behoeften"), order=15)
nav.add("needs.matrix", _l("Behoeften en plannen"), Role.STAFF, order=69)

from wijkfonds.blueprints.needs import routes, staff  # noqa: E402,F401
