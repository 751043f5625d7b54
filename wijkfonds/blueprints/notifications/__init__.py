"""Notifications: follow a plan, the settings page, and the one-click unsubscribe links."""

from flask import Blueprint

from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.models import Role
from wijkfonds.web import nav

bp = Blueprint("notifications", __name__)
# Routes name their own paths: the settings under /account/meldingen, following under the
# plan's own address (/initiatieven/<id>/volgen).
URL_PREFIX = None

nav.add("notifications.preferences", _l("Meldingen"), Role.RESIDENT, Role.STAFF, Role.AUDITOR, order=23, account=True)

from wijkfonds.blueprints.notifications import routes, unsubscribe  # noqa: E402,F401
