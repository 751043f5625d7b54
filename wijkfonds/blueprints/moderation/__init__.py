"""Moderation of the dialogue: the report queue, hiding and showing comments (staff)."""

from flask import Blueprint

from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.models import Role
from wijkfonds.web import nav

bp = Blueprint("moderation", __name__)
URL_PREFIX = "/moderatie"

nav.add("moderation.queue", _l("Moderatie"), Role.STAFF, order=68)

from wijkfonds.blueprints.moderation import routes  # noqa: E402,F401
