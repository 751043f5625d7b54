"""Accounts: register, log in, log out."""

from flask import Blueprint

bp = Blueprint("auth", __name__)
URL_PREFIX = "/account"

from wijkfonds.blueprints.auth import routes  # noqa: E402,F401
