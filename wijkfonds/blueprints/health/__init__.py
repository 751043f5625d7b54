"""Health checks for load balancers and monitoring."""

from flask import Blueprint

bp = Blueprint("health", __name__)
URL_PREFIX = None

from wijkfonds.blueprints.health import routes  # noqa: E402,F401
