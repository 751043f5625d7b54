"""Auditors: exports of closed rounds and the tamper-evident audit log."""

from flask import Blueprint

from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.models import Role
from wijkfonds.web import nav

bp = Blueprint("audit", __name__)
URL_PREFIX = "/controle"

nav.add("audit.index", _l("Controle"), Role.AUDITOR, Role.STAFF, order=80)

from wijkfonds.blueprints.audit import anchor_routes, log_routes, routes  # noqa: E402,F401
