"""Staff: allocation runs over closed rounds, comparing them, publishing one; importing elections."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ... import nav
from ...models import Role

bp = Blueprint("runs", __name__)
URL_PREFIX = "/beheer/toewijzing"

nav.add("runs.index", _l("Toewijzing"), Role.STAFF, order=70)

from . import routes, import_routes  # noqa: E402,F401
