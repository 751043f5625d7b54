"""Staff: voting-code batches (download once), paper ballots and turnout."""

from flask import Blueprint

from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.models import Role
from wijkfonds.web import nav

bp = Blueprint("codes", __name__)
URL_PREFIX = "/beheer/stemcodes"

nav.add("codes.index", _l("Stemcodes"), Role.STAFF, order=63)

from wijkfonds.blueprints.codes import routes  # noqa: E402,F401
