"""Wijkfonds: participatory budgeting and dialogue for Dutch neighbourhoods."""

from __future__ import annotations

from typing import Any

from flask import Flask

from .config import ROOT, load_config


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Application factory: configuration, extensions, blueprints, errors, commands."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.from_mapping(load_config(config))

    from .web import (
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
    return app
