"""Staff: create and edit rounds, their budgets, rules and phases."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ... import nav
from ...models import Role

bp = Blueprint("rounds", __name__)
URL_PREFIX = "/beheer/rondes"
nav.add("rounds.index", _l("Rondes"), Role.STAFF, order=70)

from . import routes  # noqa: E402,F401
