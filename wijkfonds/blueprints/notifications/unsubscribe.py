"""One-click unsubscribe from a message's link, without logging in (RFC 8058).

GET shows a page with a button and changes nothing, so that link scanners and mail
previews that open every link unsubscribe nobody. POST switches the kind off: it is what the
button sends, and what a mail client sends on its own for ``List-Unsubscribe-Post:
List-Unsubscribe=One-Click``.
"""

from __future__ import annotations

from flask import abort, render_template
from flask.typing import ResponseReturnValue

from wijkfonds.blueprints.notifications import bp
from wijkfonds.blueprints.notifications.forms import KIND_LABELS
from wijkfonds.extensions import csrf, db
from wijkfonds.i18n.text import gettext as _
from wijkfonds.services.notifications import unsubscribe as links

PATH = "/account/meldingen/afmelden/<token>"


def _link_or_404(token: str) -> links.Unsubscribe:
    link = links.read(token)
    if link is None:
        abort(
            404,
            description=_("Deze afmeldlink klopt niet (meer). Log in en zet uw meldingen uit op de pagina Meldingen."),
        )
    return link


def _label(link: links.Unsubscribe) -> str:
    if link.kind is None:
        return _("Alle meldingen per mail (ook het dagelijkse overzicht)")
    return str(KIND_LABELS[link.kind])


@bp.route(PATH, methods=["GET"])
def unsubscribe_confirm(token: str) -> ResponseReturnValue:
    """The page behind a message's unsubscribe link: what it switches off, and the button."""
    link = _link_or_404(token)
    return render_template(
        "notifications/unsubscribe.html", token=token, label=_label(link), already_off=link.already_off()
    )


# Exempt from CSRF, this endpoint alone: a mail client's one-click POST (RFC 8058) comes
# from outside the site without a session or CSRF token, and must work. CSRF protection
# guards a logged-in session against a forged request; here the signed token in the URL
# is the whole authorisation, a forger would need it first, and all the request can do is
# turn that account's mail off.
@bp.route(PATH, methods=["POST"])
def unsubscribe(token: str) -> ResponseReturnValue:
    """Switch off what the link names (the button on the page, or the mail client's one-click POST)."""
    link = _link_or_404(token)
    links.apply(link)
    db.session.commit()
    return render_template("notifications/unsubscribed.html", label=_label(link))


csrf.exempt(unsubscribe)  # see the comment above
