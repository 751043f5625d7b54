"""Residents: submit and change plans, support plans, take part in the dialogue."""

from flask import Blueprint

from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.models import Role
from wijkfonds.web import nav

bp = Blueprint("resident", __name__)
URL_PREFIX = "/initiatieven"

nav.add("resident.new", _l("Plan indienen"), Role.RESIDENT, order=20)
nav.add("resident.mine", _l("Mijn plannen"), Role.RESIDENT, order=21, account=True)

from wijkfonds.blueprints.resident import comments, routes, support  # noqa: E402,F401
