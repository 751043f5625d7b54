"""Demo data: `flask --app wijkfonds demo` (idempotent)."""

from __future__ import annotations

import click


@click.command("demo")
def demo_command() -> None:
    """Load the demo data (districts, themes, building blocks, a round, initiatives, accounts)."""
    click.echo("demo data: not yet available")
