"""A person's own account: its page, confirming the address, a forgotten password, a new address."""

from flask import Blueprint

bp = Blueprint("account", __name__)
URL_PREFIX = "/account"

from wijkfonds.blueprints.account import links, routes  # noqa: E402,F401
