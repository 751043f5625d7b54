"""The outbox for staff: the list, one message (its HTML sandboxed), send again, a test message."""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from wijkfonds.blueprints.outbox import bp
from wijkfonds.blueprints.outbox.forms import RetryForm, TestMailForm
from wijkfonds.extensions import db
from wijkfonds.i18n.languages import request_lang
from wijkfonds.i18n.text import gettext as _
from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.models import MailStatus, OutboxMessage
from wijkfonds.services.mail import outbox
from wijkfonds.services.mail.sender import transport_for
from wijkfonds.tasks import kick_mail
from wijkfonds.web.access import staff_required
from wijkfonds.web.errors import domain_errors
from wijkfonds.web.login import current_user

# The message's own HTML is shown in a sandboxed frame, from this response alone: no
# script, no form, no request to anywhere (remote images included), a unique origin that
# cannot read the site's pages or cookies; only inline styles and data: images.
HTML_POLICY = (
    "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "form-action 'none'; base-uri 'none'; frame-ancestors 'self'"
)

STATUS_LABELS = {
    MailStatus.QUEUED.value: _l("In de wachtrij"),
    MailStatus.SENT.value: _l("Verzonden"),
    MailStatus.FAILED.value: _l("Mislukt"),
}


@bp.app_template_global("mail_status_label")
def mail_status_label(status: str) -> str:
    """A message status in words."""
    label = STATUS_LABELS.get(status)
    return str(label) if label is not None else status


def _message_or_404(mail_id: int) -> OutboxMessage:
    row = outbox.get(mail_id)
    if row is None:
        abort(404, description=_("Dit bericht staat niet (meer) in de uitgaande mail."))
    return row


def _delivery() -> tuple[str, str | None]:
    """Where mail goes, in words, and a configuration problem (or None)."""
    try:
        transport = transport_for(current_app.config)
    except ValueError as err:
        return "", str(err)
    if current_app.config.get("SMTP_URL"):
        return _("Via de mailserver %(server)s.", server=transport.describe()), None
    return _(
        "Er is geen mailserver ingesteld (WIJKFONDS_SMTP_URL): berichten worden als .eml-bestand geschreven in %(dir)s.",
        dir=transport.describe(),
    ), None


def _index(form: TestMailForm, status_code: int = 200) -> ResponseReturnValue:
    errors: list[str] = []
    status = request.args.get("status", "")
    if status and status not in {s.value for s in MailStatus}:
        errors.append(_("Kies een status uit de lijst."))
        status = ""
    per_page = int(current_app.config.get("MAIL_PER_PAGE", 50))
    total = outbox.count(status or None)
    pages = max(1, -(-total // per_page))
    raw_page = request.args.get("pagina", "1")
    number = int(raw_page) if raw_page.isdigit() and len(raw_page) < 10 else 0
    if number < 1:
        errors.append(_("Het paginanummer moet een getal vanaf 1 zijn."))
        number = 1
    elif number > pages:
        errors.append(_("Er zijn maar %(pages)s pagina’s.", pages=pages))
        number = pages
    rows = outbox.page(status or None, number, per_page)
    delivery, problem = _delivery()
    return render_template(
        "outbox/index.html",
        rows=rows,
        total=total,
        number=number,
        pages=pages,
        status=status,
        counts=outbox.count_by_status(),
        errors=errors,
        delivery=delivery,
        problem=problem,
        form=form,
        retention_days=current_app.config["MAIL_RETENTION_DAYS"],
    ), (400 if errors and status_code == 200 else status_code)


@bp.route("/")
@staff_required
def index() -> ResponseReturnValue:
    """Every message, newest first, filtered by status, with paging."""
    return _index(TestMailForm(formdata=None, language=request_lang()))


@bp.route("/<int:mail_id>")
@staff_required
def message(mail_id: int) -> ResponseReturnValue:
    """One message: its headers, its plain text, and its HTML in a sandboxed frame and as source."""
    row = _message_or_404(mail_id)
    return render_template("outbox/message.html", row=row, form=RetryForm())


@bp.route("/<int:mail_id>/html")
@staff_required
def message_html(mail_id: int) -> ResponseReturnValue:
    """The message's HTML alone, for the sandboxed frame on the message page."""
    row = _message_or_404(mail_id)
    response = Response(row.body_html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = HTML_POLICY
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/<int:mail_id>/opnieuw", methods=["POST"])
@staff_required
def retry(mail_id: int) -> ResponseReturnValue:
    """Send a failed (or waiting) message on the sender's next run."""
    row = _message_or_404(mail_id)
    if not RetryForm().validate_on_submit():
        abort(400, description=_("Het formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens."))
    with domain_errors():
        outbox.retry_now(row, actor=current_user._get_current_object())
    db.session.commit()
    kick_mail()
    flash(_("Het bericht aan %(email)s wordt zo dadelijk opnieuw verstuurd.", email=row.to_address), "success")
    return redirect(url_for("outbox.message", mail_id=row.id))


@bp.route("/test", methods=["POST"])
@staff_required
def send_test() -> ResponseReturnValue:
    """Queue a test message to an address, in one of the offered languages."""
    form = TestMailForm()
    valid = form.validate_on_submit()
    if form.language.data not in current_app.config["LANGUAGES"]:
        form.language.errors = [*form.language.errors, _("Kies een taal uit de lijst.")]
        valid = False
    if not valid:
        return _index(form, 422)
    row = outbox.queue(
        form.email.data,
        "test_message",
        language=form.language.data,
        context={"requested_by": current_user.display_name},
    )
    db.session.commit()
    kick_mail()
    flash(_("Het testbericht aan %(email)s staat in de wachtrij.", email=row.to_address), "success")
    return redirect(url_for("outbox.index"))
