"""Staff: the mail outbox in the browser (every message, its status and errors; send again)."""

from flask import Blueprint

from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.models import Role
from wijkfonds.web import nav

bp = Blueprint("outbox", __name__)
URL_PREFIX = "/beheer/mail"

nav.add("outbox.index", _l("Mail"), Role.STAFF, order=78)

from wijkfonds.blueprints.outbox import routes  # noqa: E402,F401
