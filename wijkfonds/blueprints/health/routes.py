"""/health (process alive, no database) and /health/db (database reachable)."""

from __future__ import annotations

from flask import jsonify
from sqlalchemy import text

from wijkfonds.extensions import db
from wijkfonds.blueprints.health import bp


@bp.route("/health")
def alive():
    """The process answers (also the trivial route the web benchmark compares against)."""
    return jsonify(status="ok")


@bp.route("/health/db")
def database():
    """The database answers a trivial query."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means "unavailable"
        db.session.rollback()
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok")
