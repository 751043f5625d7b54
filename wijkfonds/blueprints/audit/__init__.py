"""Auditors: exports of closed rounds and the tamper-evident audit log."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from wijkfonds.web import nav
from wijkfonds.models import Role

bp = Blueprint("audit", __name__)
URL_PREFIX = "/controle"

nav.add("audit.index", _l("Controle"), Role.AUDITOR, Role.STAFF, order=80)

from wijkfonds.blueprints.audit import routes, log_routes  # noqa: E402,F401
