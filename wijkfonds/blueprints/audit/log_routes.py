"""The audit log in the browser (filters, pages) and as JSON Lines."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import Response, current_app, render_template, request, stream_with_context
from flask.typing import ResponseReturnValue

from wijkfonds.blueprints.audit import bp
from wijkfonds.common.numbers import parse_id, parse_page
from wijkfonds.common.timeutil import from_local
from wijkfonds.i18n.text import gettext as _
from wijkfonds.services.audit import export as audit_export
from wijkfonds.web.access import auditor_required


def _day(name: str, errors: list[str]) -> date | None:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors.append(_("Vul een datum in als jjjj-mm-dd, bijvoorbeeld 2027-03-01."))
        return None


def _filter(errors: list[str]) -> audit_export.LogFilter:
    kind = (request.args.get("soort") or "").strip()[:64]
    raw_round = (request.args.get("ronde") or "").strip()
    round_id = None
    if raw_round:
        if raw_round.isascii() and raw_round.isdigit():
            round_id = parse_id(raw_round)
            if round_id is None:
                errors.append(_("Er is geen ronde met dit nummer."))
        else:
            errors.append(_("Het rondenummer moet een getal zijn."))
    start, end = _day("van", errors), _day("tot", errors)
    # Dates are Amsterdam calendar days; the log stores naive UTC.
    return audit_export.LogFilter(
        kind=kind,
        round_id=round_id,
        date_from=from_local(datetime.combine(start, time.min)) if start else None,
        date_to=from_local(datetime.combine(end + timedelta(days=1), time.min)) if end else None,
    )


@bp.route("/logboek")
@auditor_required
def log() -> ResponseReturnValue:
    """Browse the audit log, newest first, filtered by kind, round and date."""
    errors: list[str] = []
    flt = _filter(errors)
    number = request.args.get("pagina", 1, type=parse_page)
    per_page = current_app.config.get("AUDIT_PER_PAGE", 50)
    rows, total = audit_export.page(flt, number, per_page) if not errors else ([], 0)
    pages = max(1, -(-total // per_page))
    args = {k: v for k, v in request.args.items() if k != "pagina" and v}
    return render_template(
        "audit/log.html",
        rows=rows,
        total=total,
        number=number,
        pages=pages,
        args=args,
        kinds=audit_export.kinds(),
        errors=errors,
    ), (400 if errors else 200)


@bp.route("/logboek.jsonl")
@auditor_required
def log_jsonl() -> ResponseReturnValue:
    """The whole chain as JSON Lines, so that anyone can recompute every hash."""
    body = stream_with_context(audit_export.jsonl_lines())
    return Response(
        body, mimetype="application/x-ndjson", headers={"Content-Disposition": 'attachment; filename="auditlog.jsonl"'}
    )
