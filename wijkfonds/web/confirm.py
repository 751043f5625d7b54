"""Staff actions that cannot be undone ask first, with and without JavaScript.

The action's form posts as before; without ``confirm=1`` the view changes nothing and
answers with a page that says what will happen, with figures, and a form that posts the
same fields again with ``confirm=1`` (and a fresh CSRF token). No ``confirm()`` in the
browser: the server decides, so a stray click, a script or a replayed form without the
field cannot do it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flask import render_template, request

CONFIRM_FIELD = "confirm"


def confirmed() -> bool:
    """True when this POST is the confirmation sent from a confirmation page."""
    return request.form.get(CONFIRM_FIELD) == "1"


def confirmation_page(
    *,
    title: str,
    facts: Sequence[str],
    action: str,
    button: str,
    cancel: str,
    fields: Mapping[str, object] | None = None,
    warning: str | None = None,
) -> tuple[str, int]:
    """The page that asks: ``facts`` (what will happen), the same ``fields`` again, a button."""
    return render_template(
        "confirm.html",
        title=title,
        facts=facts,
        action=action,
        button=button,
        cancel=cancel,
        fields={k: "" if v is None else str(v) for k, v in (fields or {}).items()},
        warning=warning,
        confirm_field=CONFIRM_FIELD,
    ), 200
