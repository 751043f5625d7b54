"""`flask --app wijkfonds import-pb FILE.pb ...`: pabulib elections -> a closed, imported round."""

from __future__ import annotations

import sys

import click

from wijkfonds.extensions import db


@click.command("import-pb")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--name", default=None, help="Name of the new round (default: from the files' META).")
def import_pb(files: tuple[str, ...], name: str | None) -> None:
    """Import pabulib files (one per district) as one closed round with anonymous ballots."""
    from wijkfonds.services.results.import_rules import ImportFailed
    from wijkfonds.services.results.importer import import_elections, read_files

    try:
        elections = read_files(list(files))
        summary = import_elections(elections, name=name)
    except ImportFailed as exc:
        db.session.rollback()
        click.echo("error: " + " ".join(exc.message.split()), err=True)
        sys.exit(2)
    db.session.commit()
    for warning in summary.warnings:
        click.echo("warning: " + warning, err=True)
    r = summary.round
    click.echo(
        f"imported round {r.slug} (id {r.id}): {summary.districts} districts, "
        f"{summary.initiatives} initiatives, {summary.ballots} ballots; {summary.rules.describe()}"
    )
