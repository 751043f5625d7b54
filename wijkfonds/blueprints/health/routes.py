"""/health (process alive, no database) and /health/db (database reachable)."""

from __future__ import annotations

from flask import jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import text

from wijkfonds.blueprints.health import bp
from wijkfonds.extensions import db


@bp.route("/health")
def alive() -> ResponseReturnValue:
    """The process answers (also the trivial route the web benchmark compares against)."""
    return jsonify(status="ok")


@bp.route("/health/db")
def database() -> ResponseReturnValue:
    """The database answers a trivial query."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        db.session.rollback()
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok")
