"""The register_* steps of the application factory."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import Flask, Response, abort, g, render_template, request
from flask.sansio.app import App
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from wijkfonds.common.money import euro
from wijkfonds.common.timeutil import to_local
from wijkfonds.config import ROOT
from wijkfonds.database.engines import init_engines
from wijkfonds.extensions import csrf, db, login_manager, migrate
from wijkfonds.i18n.languages import forget_request_translations, init_i18n
from wijkfonds.i18n.text import format_datetime
from wijkfonds.i18n.text import gettext as _
from wijkfonds.services.voting.snapshots import init_snapshots
from wijkfonds.tasks import init_app as init_tasks
from wijkfonds.web import labels, nav
from wijkfonds.web.layout import init_layout
from wijkfonds.web.maps import init_maps


def register_extensions(app: Flask) -> None:
    """Bind every extension to the app."""
    from wijkfonds import models  # noqa: F401  (every table must be known to Alembic)
    from wijkfonds.services.accounts.users import load_user

    db.init_app(app)
    init_engines(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.user_loader(load_user)
    init_i18n(app)
    init_snapshots(app)
    init_layout(app)
    init_tasks(app)


def register_blueprints(app: Flask) -> None:
    """Mount one blueprint per audience."""
    from wijkfonds.blueprints import registered

    for bp, prefix in registered():
        app.register_blueprint(bp, url_prefix=prefix)


ErrorResponder = Callable[[HTTPException], ResponseReturnValue]
# app.extensions key: [(url prefix, responder)] of blueprints that answer their own errors.
ERROR_RESPONDERS = "wijkfonds.error_responders"


def answer_errors_under(app: App, prefix: str, responder: ErrorResponder) -> None:
    """Let ``responder`` answer every error (404 and 405 of unknown URLs too) under ``prefix``."""
    app.extensions.setdefault(ERROR_RESPONDERS, []).append((prefix.rstrip("/"), responder))


def register_errorhandlers(app: Flask) -> None:
    """Custom error pages in the site's layout (and small fragments for htmx)."""

    def render_error(error: HTTPException) -> ResponseReturnValue:
        code = error.code or 500
        responder = own_errors(request.path)
        if responder is not None:
            return responder(error)
        template = "errors/_fragment.html" if request.headers.get("HX-Request") else "errors/page.html"
        return render_template(template, code=code, error=error), code

    for code in (400, 403, 404, 405, 409, 413, 422, 429, 500):
        app.register_error_handler(code, render_error)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        return render_template("errors/page.html", code=400, error=error, csrf=True), 400

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> ResponseReturnValue:
        if isinstance(error, HTTPException):
            return render_error(error)
        app.logger.exception("unhandled error")
        db.session.rollback()
        responder = own_errors(request.path)
        if responder is not None:
            return responder(InternalServerError())
        return render_template("errors/page.html", code=500, error=None), 500

    def own_errors(path: str) -> ErrorResponder | None:
        # A blueprint that answers its errors itself (the JSON API) registers its URL prefix.
        registered: list[tuple[str, ErrorResponder]] = app.extensions.get(ERROR_RESPONDERS, [])
        for prefix, responder in registered:
            if path == prefix or path.startswith(prefix + "/"):
                return responder
        return None


def local_dt(value: datetime | None, fmt: str = "d MMM y HH:mm") -> str:
    """Naive UTC datetime shown in Europe/Amsterdam time."""
    if value is None:
        return ""
    return format_datetime(to_local(value), fmt, rebase=False)


def message_is_ours(error: HTTPException) -> bool:
    """True when a view passed its own description to abort() (not werkzeug's default)."""
    return error.description != type(error).description


def register_hooks(app: Flask) -> None:
    """Security headers, template helpers."""
    app.jinja_env.filters["euro"] = euro
    app.jinja_env.filters["local_dt"] = local_dt
    app.jinja_env.globals["nav_menu"] = nav.menu
    labels.register(app)
    app.jinja_env.globals["message_is_ours"] = message_is_ours
    # img-src: this site, data: URLs, and the map's tile host (web.maps derives it from MAP_TILE_URL).
    img_src = init_maps(app)

    defaults = [
        (
            "Content-Security-Policy",
            f"default-src 'self'; script-src 'self'; style-src 'self'; img-src {img_src}; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'",
        ),
        ("X-Frame-Options", "DENY"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
    ]
    if app.config.get("PRODUCTION"):
        defaults.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))

    @app.after_request
    def security_headers(response: Response) -> Response:
        # One pass over the response's headers: a view's own value for one of these stays.
        present = {name.lower() for name, _value in response.headers}
        for name, value in defaults:
            if name.lower() not in present:
                response.headers.add(name, value)
        if request.environ.get("HTTP_HX_REQUEST"):
            response.headers.add("Vary", "HX-Request")
        return response

    @app.before_request
    def _refuse_nul_bytes() -> None:
        # No text a person types contains NUL, and PostgreSQL refuses it in text columns:
        # answer with a clear 400 before any view can half-process such input.
        values = list(request.args.values())
        if request.method in ("POST", "PUT", "PATCH"):
            values += list(request.form.values())
        if any("\x00" in v for v in values):
            abort(400, description=_("De invoer bevat ongeldige tekens."))

    @app.before_request
    def _fresh_request_state() -> None:
        # Flask reuses an already pushed app context (tests, CLI scripts), and with it `g`;
        # Flask-Login, Flask-Babel and Flask-WTF cache the user, locale and CSRF token there,
        # so start clean.
        for key in ("_login_user", "_flask_babel", app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")):
            g.pop(key, None)
        forget_request_translations()


def register_commands(app: Flask) -> None:
    """Flask CLI commands."""
    from wijkfonds.cli.commands import register

    register(app)
