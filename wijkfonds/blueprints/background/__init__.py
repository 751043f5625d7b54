"""Staff: what runs in the background (the task queue's schedule) and when each task last ran."""

from flask import Blueprint

from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.models import Role
from wijkfonds.web import nav

bp = Blueprint("background", __name__)
URL_PREFIX = "/beheer/achtergrond"

nav.add("background.index", _l("Achtergrondtaken"), Role.STAFF, order=78)

from wijkfonds.blueprints.background import routes  # noqa: E402,F401
