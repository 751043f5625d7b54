"""Public integrity pages: the published anchors of the audit log, and a voter's inclusion proof.

No login: anyone may archive the anchors and the installation's public key, and a voter
downloads the proof of their own ballot with the receipt code.
"""

from __future__ import annotations

import json
import threading

from flask import Flask, Response, abort, current_app, render_template, request, url_for
from sqlalchemy import select

from wijkfonds.blueprints.audit import bp
from wijkfonds.common.timeutil import utcnow
from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.models import BallotCommitment, PublishedAnchor, Round
from wijkfonds.services.audit import anchors, commitment
from wijkfonds.services.errors import DomainError
from wijkfonds.web.labels import PHASES

NO_STORE = {"Cache-Control": "no-store, max-age=0", "Pragma": "no-cache"}
MAX_CODE = 40


def _publish_due() -> None:
    """Publish due anchors in a transaction of their own.

    A page view's transaction is read-only, so the writing happens in a short thread with
    its own app context and session (the way a task queue would do it); the page then
    reads in a new transaction and shows what was just published.
    """
    if not anchors.due(utcnow()):
        return
    db.session.commit()  # end this view's read transaction (and its snapshot)
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    failures: list[str] = []

    def work() -> None:
        with app.app_context():
            try:
                anchors.ensure_current(utcnow())
                db.session.commit()
            except DomainError as err:
                db.session.rollback()
                failures.append(err.message)
            except Exception:
                app.logger.exception("publishing due anchors failed")
                db.session.rollback()
            finally:
                db.session.remove()

    thread = threading.Thread(target=work, name="publish-due-anchors", daemon=True)
    thread.start()
    thread.join(timeout=30)
    if failures:
        abort(503, description=failures[0])


def _reason_label(row: PublishedAnchor) -> str:
    parts = anchors.reason_parts(row.reason)
    what = parts.get("what")
    if what == "phase":
        return _("Begin van de fase „%(phase)s”", phase=str(PHASES.get(parts.get("phase", ""), parts.get("phase"))))
    if what == "daily":
        return _("Dagelijks tijdens het stemmen")
    if what == "result":
        return _("Uitslag gepubliceerd")
    if what == "commitment":
        return _("Stembiljetten vastgelegd (%(n)s)", n=parts.get("size", "?"))
    return _("Met de hand vastgelegd")


def _public_key() -> str:
    try:
        return anchors.public_key()
    except DomainError as err:
        abort(err.status, description=err.message)


@bp.route("/ankers")
def anchors_page() -> str:
    """The published anchors, the installation's public key, and how to check them."""
    _publish_due()
    key = _public_key()
    rows, held_until = anchors.public(utcnow())
    names: dict[int, str] = dict(db.session.execute(select(Round.id, Round.name)).all())
    commitments = list(db.session.scalars(select(BallotCommitment).order_by(BallotCommitment.committed_at.desc())))
    return render_template(
        "audit/anchors.html",
        rows=[(row, _reason_label(row), names.get(row.round_id) if row.round_id else None) for row in rows],
        commitments=[(c, names.get(c.round_id, "")) for c in commitments],
        public_key=key,
        installation=anchors.installation(),
        held_until=held_until,
    )


def _json(body: str, filename: str) -> Response:
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/ankers.json")
def anchors_json() -> Response:
    """Every published anchor as one JSON list, oldest first."""
    _publish_due()
    rows, _until = anchors.public(utcnow())
    docs = [json.loads(row.document) for row in reversed(rows)]  # oldest first
    return _json(json.dumps(docs, ensure_ascii=False, indent=1, sort_keys=True), "ankers.json")


@bp.route("/ankers/<int:anchor_id>.json")
def anchor_json(anchor_id: int) -> Response:
    """One published anchor, exactly as signed."""
    row = db.session.get(PublishedAnchor, anchor_id)
    if row is None or anchors.withheld(row, anchors.open_voting_periods(utcnow())):
        abort(404, description=_("Dit anker bestaat niet."))
    return _json(row.document, f"anker-{row.id}-gebeurtenis-{row.seq}.json")


@bp.route("/ontvangstbewijs.json")
def receipt_proof() -> Response:
    """The inclusion proof of the counted ballot behind a receipt code (after the commitment)."""
    code = (request.args.get("code") or "").strip()
    if not code:
        abort(400, description=_("Vul uw ontvangstcode in."))
    if len(code) > MAX_CODE:
        abort(400, description=_("Deze ontvangstcode is te lang."))
    try:
        proof = commitment.proof_for_receipt(code)
    except DomainError as err:
        abort(err.status, description=err.message)
    headers = dict(NO_STORE)
    headers["Content-Disposition"] = f'attachment; filename="{proof_filename(int(proof["round_id"]))}"'
    return Response(
        json.dumps(proof, ensure_ascii=False, indent=1, sort_keys=True), mimetype="application/json", headers=headers
    )


@bp.app_template_global("ballot_commitment")
def ballot_commitment(round_id: int) -> BallotCommitment | None:
    """The round's ballot commitment, for the result and receipt pages (None before the close)."""
    return commitment.for_round(round_id)


@bp.app_template_global("receipt_proof_url")
def receipt_proof_url(code: str) -> str:
    """Where a voter downloads the proof for this receipt code."""
    return url_for("audit.receipt_proof", code=code)


def proof_filename(round_id: int) -> str:
    """The name a downloaded proof is saved under."""
    return f"stembewijs-ronde-{round_id}.json"


@bp.app_template_global("proof_command")
def proof_command(root: str, round_id: int) -> str:
    """The one command that checks a downloaded proof offline, as a line to copy."""
    return f"python -m wijkfonds.integrity proof {proof_filename(round_id)} --root {root}"
