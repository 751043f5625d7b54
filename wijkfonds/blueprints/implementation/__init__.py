"""After the vote: staff follow funded plans (/beheer/uitvoering); initiators post updates and their account."""

from flask import Blueprint

from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.models import Role
from wijkfonds.web import nav

bp = Blueprint("implementation", __name__)
URL_PREFIX = None  # staff pages under /beheer/uitvoering, the initiator's under /uitvoering

nav.add("implementation.overview", _l("Uitvoering"), Role.STAFF, order=67)

from wijkfonds.blueprints.implementation import initiator, routes  # noqa: E402,F401
