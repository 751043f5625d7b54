"""Privacy (AVG): the privacy statement, a resident's copy of their data, deleting an account."""

from flask import Blueprint

from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.models import Role
from wijkfonds.web import nav

bp = Blueprint("privacy", __name__)
URL_PREFIX = "/privacy"

# Every logged-in role (an admin has them all); the statement itself is linked from the footer.
nav.add("privacy.account", _l("Mijn gegevens"), Role.RESIDENT, Role.STAFF, Role.AUDITOR, order=90, account=True)

from wijkfonds.blueprints.privacy import routes  # noqa: E402,F401
