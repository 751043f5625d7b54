"""``flask --app wijkfonds audit anchor`` and the anchor check of ``audit verify --anchor``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from wijkfonds.extensions import db


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(1)


def anchor_command(publish: bool, due: bool) -> None:
    """Print the chain's head as a signed anchor; store it with ``publish``; publish what is due with ``due``."""
    from wijkfonds.services.audit import anchors
    from wijkfonds.services.errors import DomainError

    try:
        if due:
            made = anchors.ensure_current()
            db.session.commit()
            for row in made:
                click.echo(f"published anchor {row.id}: event {row.seq} ({row.reason})")
            if not made:
                click.echo("no anchor was due")
            return
        if publish:
            row = anchors.publish("manual")
            db.session.commit()
            click.echo(row.document)
            click.echo(f"published as anchor {row.id}", err=True)
            return
        click.echo(anchors.document_text(anchors.make_document("manual")))
    except DomainError as err:
        db.session.rollback()
        raise click.ClickException(err.message) from None


def read_anchor_files(paths: tuple[str, ...]) -> list[tuple[str, Any]]:
    """(name, document) for every anchor in the files; a bad file is a usage error naming it and the line."""
    from wijkfonds.integrity import anchor

    texts = []
    for path in paths:
        try:
            texts.append((path, Path(path).read_text(encoding="utf-8")))
        except OSError as err:
            raise click.BadParameter(f"{path}: cannot read: {err.strerror}", param_hint="--anchor") from None
        except UnicodeDecodeError as err:
            raise click.BadParameter(f"{path}: not UTF-8 text ({err.reason})", param_hint="--anchor") from None
    try:
        docs = anchor.read_documents(texts)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--anchor") from None
    named: list[tuple[str, Any]] = []
    counts: dict[str, int] = {}
    for path, _doc in docs:
        counts[path] = counts.get(path, 0) + 1
    seen: dict[str, int] = {}
    for path, doc in docs:
        seen[path] = seen.get(path, 0) + 1
        named.append((f"{path} (anchor {seen[path]})" if counts[path] > 1 else path, doc))
    if not named:
        raise click.BadParameter(f"{paths[0]}: holds no anchor (an empty list)", param_hint="--anchor")
    return named


def verify_with_anchors(paths: tuple[str, ...], public_key: str | None = None) -> None:
    """Recompute the chain and check it against anchor files; exit 1 naming every problem."""
    from wijkfonds.services.audit import anchors
    from wijkfonds.services.errors import DomainError

    named = read_anchor_files(paths)
    try:
        report = anchors.verify_with_anchors(named, public_key)
    except DomainError as err:
        raise click.ClickException(err.message) from None
    if report.chain_problem is not None:
        click.echo(f"audit log BROKEN after checking {report.events} events: {report.chain_problem.message}", err=True)
    for problem in report.problems:
        click.echo(f"anchor does not hold: {problem}", err=True)
    where = report.where()
    if where:
        click.echo(where, err=True)
    if not report.ok:
        _fail(
            f"audit log does NOT match its anchors: {len(report.problems)} problem(s), "
            f"{len(report.held)} of {len(named)} anchor(s) hold"
        )
    click.echo(
        f"audit log intact: {report.events} events verified; "
        f"{len(named)} anchor(s) signed by {report.public_key} hold ({json.dumps(sorted(report.held))})"
    )
