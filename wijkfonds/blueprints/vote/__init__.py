"""Voting: the ballot (account or voting code), receipts and the public receipt check."""

from flask import Blueprint

from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.web import nav

bp = Blueprint("vote", __name__)
URL_PREFIX = "/stemmen"

# Always shown: the page itself explains when voting opens and closes.
nav.add("vote.index", _l("Stemmen"), order=30)

from wijkfonds.blueprints.vote import routes  # noqa: E402,F401
