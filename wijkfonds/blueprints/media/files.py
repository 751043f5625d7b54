"""The photo file route: stored files only, as images, never as a page or a script."""

from __future__ import annotations

from flask import current_app, make_response, render_template, send_file
from flask.typing import ResponseReturnValue

from wijkfonds.blueprints.media import bp
from wijkfonds.models import Role
from wijkfonds.services.media import photos
from wijkfonds.web.login import current_user

YEAR = 365 * 24 * 3600
# An image needs nothing else; opened on its own it may run nothing and load nothing.
IMAGE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


@bp.route("/media/fotos/<name>")
def photo_file(name: str) -> ResponseReturnValue:
    """One stored width of a photo: hidden ones for staff only (404 for everyone else)."""
    staff = current_user.is_authenticated and current_user.has_role(Role.STAFF)
    found = photos.find_file(name, staff=staff)
    if found is None:
        missing = make_response(render_template("errors/page.html", code=404, error=None), 404)
        missing.headers["Cache-Control"] = "no-store"  # staff may see this address; no cache may keep the 404
        return missing
    response = send_file(found.path, mimetype=found.mimetype, conditional=True, etag=True, max_age=None)
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = IMAGE_CSP
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    if found.hidden:  # a staff member looking at a hidden photo: no cache keeps it
        response.headers["Cache-Control"] = "private, no-store"
    else:  # the name is its content: it never changes
        response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    return response


@bp.app_template_global("photo_max_size")
def photo_max_size() -> str:
    """The largest photo a form takes, as people read it ('10 MB')."""
    return photos.megabytes(current_app.config["PHOTO_MAX_BYTES"])


@bp.app_template_global("upload_max_size")
def upload_max_size() -> str:
    """The largest request the site reads (MAX_CONTENT_LENGTH), for the 413 page."""
    return photos.megabytes(current_app.config["MAX_CONTENT_LENGTH"])
