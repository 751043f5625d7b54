"""``flask --app wijkfonds media purge``: delete photo files that no photo uses any more."""

from __future__ import annotations

import click
from flask.cli import AppGroup

media_group = AppGroup("media", help="Uploaded photos.")


@media_group.command("purge")
@click.option("--dry-run", is_flag=True, help="Only list the files that would be deleted.")
@click.option(
    "--hours", type=click.IntRange(0, 24 * 365), default=24, show_default=True, help="Leave files this new alone."
)
def purge(dry_run: bool, hours: int) -> None:
    """Delete files of removed photos and of uploads whose form was never sent."""
    from wijkfonds.services.media.photos import purge_unused

    gone = purge_unused(older_than=hours * 3600, dry_run=dry_run)
    for name in gone:
        click.echo(name)
    click.echo(f"{'would delete' if dry_run else 'deleted'} {len(gone)} files")
