"""``flask --app wijkfonds privacy purge``: the retention steps by hand or from cron (the queue runs them on its own)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from wijkfonds.extensions import db

privacy_group = AppGroup("privacy", help="Privacy (AVG): retention of personal data.")


@privacy_group.command("purge")
def purge() -> None:
    """Remove personal data past its retention (services/accounts/privacy_retention.py); safe to repeat."""
    from wijkfonds.services.accounts.privacy_retention import run_all

    counts = run_all(current_app.config)
    db.session.commit()
    for step, count in counts.items():
        click.echo(f"{step}: {count}")
