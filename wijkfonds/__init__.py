"""Wijkfonds: participatory budgeting and dialogue for Dutch neighbourhoods."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

# Nothing web-related is imported at package level, so that `wijkfonds.allocation` stays a
# pure library (importing it must not load Flask or SQLAlchemy).


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Application factory: configuration, extensions, blueprints, errors, commands."""
    from wijkfonds.config import ROOT, load_config
    from wijkfonds.web.flaskapp import WijkfondsFlask

    app = WijkfondsFlask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.from_mapping(load_config(config))
    if app.config["PRODUCTION"]:
        missing = [
            name
            for name, ok in (
                ("WIJKFONDS_SECRET_KEY", app.config["SECRET_KEY_FROM_ENV"]),
                ("WIJKFONDS_DATABASE_URL", app.config["DATABASE_URL_FROM_ENV"]),
            )
            if not ok
        ]
        if missing:
            raise RuntimeError("refusing to start in production without " + " and ".join(missing))

    from wijkfonds.web.factory import (
        register_blueprints,
        register_commands,
        register_errorhandlers,
        register_extensions,
        register_hooks,
    )

    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_hooks(app)
    register_commands(app)
    if app.config["PROXY_HOPS"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_HOPS"]
        # Flask's documented way to add WSGI middleware; Flask declares wsgi_app as a method.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    return app
