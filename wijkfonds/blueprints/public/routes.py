"""Public views."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, session, url_for

from ..auth.routes import _safe_next
from . import bp


@bp.route("/")
def index():
    """Home page."""
    return render_template("public/index.html")


@bp.route("/taal/<lang>")
def set_language(lang: str):
    """Remember the chosen language and go back."""
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    return redirect(_safe_next(request.args.get("next")))
