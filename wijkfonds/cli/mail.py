"""``flask --app wijkfonds mail send|purge``: the outbox by hand (the task queue does it on its own)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from wijkfonds.extensions import db

mail_group = AppGroup("mail", help="The mail outbox.")


@mail_group.command("send")
@click.option(
    "--limit", type=click.IntRange(1, 10_000), default=100, show_default=True, help="At most this many messages."
)
def send(limit: int) -> None:
    """Send the messages that are due now (SMTP, or .eml files without WIJKFONDS_SMTP_URL)."""
    from wijkfonds.services.mail.sender import send_due

    try:
        report = send_due(limit=limit)
    except ValueError as err:  # a bad WIJKFONDS_SMTP_URL or WIJKFONDS_MAIL_FROM
        raise click.ClickException(str(err)) from None
    click.echo(str(report))
    for line in report.errors:
        click.echo(f"  {line}", err=True)


@mail_group.command("purge")
@click.option(
    "--days", type=click.IntRange(0, 3650), default=None, help="Retention in days (default MAIL_RETENTION_DAYS)."
)
def purge(days: int | None) -> None:
    """Delete sent and failed messages older than the retention period (AVG)."""
    from datetime import timedelta

    from wijkfonds.services.mail.outbox import purge_sent

    count = purge_sent(timedelta(days=days) if days is not None else None)
    db.session.commit()
    click.echo(f"purged {count} messages")
