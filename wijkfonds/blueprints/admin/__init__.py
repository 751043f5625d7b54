"""Administration: accounts and districts (admin), building blocks (staff)."""

from flask import Blueprint

from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.models import Role
from wijkfonds.web import nav

bp = Blueprint("admin", __name__)
URL_PREFIX = "/beheer"

nav.add("admin.blocks", _l("Bouwstenen"), Role.STAFF, order=75)
nav.add("admin.outlines", _l("Gebiedsgrenzen"), Role.STAFF, order=76)
nav.add("admin.index", _l("Beheer"), Role.ADMIN, order=80)

from wijkfonds.blueprints.admin import catalog, outlines, routes  # noqa: E402,F401
