"""Public theme nominations: residents propose and support themes; staff choose the round's themes."""

from flask import Blueprint

from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.web import nav

bp = Blueprint("themes", __name__)
URL_PREFIX = "/themas"
nav.add("themes.index", _l("Thema's"), order=20)

from wijkfonds.blueprints.themes import routes  # noqa: E402,F401
