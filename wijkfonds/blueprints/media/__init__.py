"""Photos: the file route (everyone), a plan's photos for its initiator, and hiding them (staff)."""

from flask import Blueprint

bp = Blueprint("media", __name__)
URL_PREFIX = None  # each route names its whole path: /media/..., /initiatieven/..., /moderatie/...

from wijkfonds.blueprints.media import files, manage, moderate  # noqa: E402,F401
