"""Flask CLI commands: users, demo data, audit verification, the mail outbox, notifications."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import AppGroup

from wijkfonds.extensions import db
from wijkfonds.models import Role


def register(app: Flask) -> None:
    """Attach every command group to the app."""
    app.cli.add_command(users)
    app.cli.add_command(audit_group)
    from wijkfonds.demo import load as demo

    app.cli.add_command(demo.demo_command)
    from wijkfonds.cli.import_pb import import_pb

    app.cli.add_command(import_pb)
    from wijkfonds.cli.mail import mail_group

    app.cli.add_command(mail_group)
    from wijkfonds.cli.privacy import privacy_group

    app.cli.add_command(privacy_group)

    from wijkfonds.cli.notify import notify_group

    app.cli.add_command(notify_group)

    from wijkfonds.cli.media import media_group

    app.cli.add_command(media_group)


users = AppGroup("users", help="Manage accounts.")


@users.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.RESIDENT.value, show_default=True)
@click.option("--name", "display_name", default=None, help="Display name (default: the part before @).")
@click.option("--district", default=None, help="Home district slug (residents).")
@click.option("--password", default=None, help="Password; asked for when omitted.")
def create_user(email: str, role: str, display_name: str | None, district: str | None, password: str | None) -> None:
    """Create an account, e.g. `flask --app wijkfonds users create a@b.nl --role staff`."""
    from sqlalchemy import select

    from wijkfonds.common.timeutil import utcnow
    from wijkfonds.models import District
    from wijkfonds.services.accounts import users as accounts
    from wijkfonds.services.errors import ValidationFailed

    if password is None:
        if not sys.stdin.isatty():
            raise click.UsageError("--password is required when not run interactively")
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    district_id = None
    if district:
        d = db.session.scalars(select(District).where(District.slug == district)).first()
        if d is None:
            raise click.BadParameter(f"unknown district {district!r}", param_hint="--district")
        district_id = d.id
    try:
        user = accounts.register(
            email=email,
            display_name=display_name or email.split("@", maxsplit=1)[0],
            password=password,
            district_id=district_id,
            role=Role(role),
        )
    except ValidationFailed as err:
        db.session.rollback()
        raise click.ClickException(err.message) from None
    # Confirmed: whoever runs this on the server typed the address, and the first admin must
    # be able to work before mail is set up (README, "Accounts").
    user.email_confirmed_at = utcnow()
    db.session.commit()
    click.echo(f"created {user.email} ({user.role})")


audit_group = AppGroup("audit", help="The tamper-evident audit log.")


@audit_group.command("verify")
@click.option(
    "--anchor",
    "anchor_files",
    multiple=True,
    metavar="FILE",
    help="A published anchor (or a JSON list of them): the chain must still contain its head.",
)
@click.option(
    "--public-key",
    default=None,
    metavar="KEY",
    help="The installation's public key (from the anchors page), when this machine has no key file.",
)
def audit_verify(anchor_files: tuple[str, ...], public_key: str | None) -> None:
    """Recompute the hash chain; exit 1 and name the first broken event when altered."""
    from wijkfonds.services.audit import log as audit

    if public_key is not None and not anchor_files:
        raise click.UsageError("--public-key checks anchors: give them with --anchor FILE")
    if anchor_files:
        from wijkfonds.cli.audit_anchors import verify_with_anchors

        verify_with_anchors(anchor_files, public_key)
        return
    count, problem = audit.verify()
    if problem is not None:
        click.echo(f"audit log BROKEN after checking {count} events: {problem.message}", err=True)
        sys.exit(1)
    click.echo(f"audit log intact: {count} events verified")


@audit_group.command("anchor")
@click.option("--publish", is_flag=True, help="Also store it as a published anchor (shown on the public page).")
@click.option("--due", is_flag=True, help="Publish every anchor that is due (for cron), nothing else.")
def audit_anchor(publish: bool, due: bool) -> None:
    """Print the chain's head (sequence number, hash, time) as an anchor signed with the installation's key."""
    from wijkfonds.cli.audit_anchors import anchor_command

    if publish and due:
        raise click.UsageError("use --publish or --due, not both")
    anchor_command(publish, due)
