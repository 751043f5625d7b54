"""The schedule of the background tasks, with each one's last run (read only)."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue

from wijkfonds.blueprints.background import bp
from wijkfonds.tasks.schedule import overview
from wijkfonds.web.access import staff_required


@bp.route("/")
@staff_required
def index() -> ResponseReturnValue:
    """Every scheduled task: when it runs, what it does, when it last ran and how that went."""
    return render_template("background/index.html", entries=overview())
