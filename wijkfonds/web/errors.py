"""A service's DomainError turned into the view's answer, written once (convention 5).

A view wraps its one service call::

    with domain_errors(form) as outcome:
        user = accounts.register(...)
    if outcome.ok:
        db.session.commit()
        ...
        return redirect(...)
    return render_template(..., form=form), outcome.status

On a DomainError the session is rolled back (or committed, for the errors in
``commit_on``: a counted wrong attempt must stay counted). A ValidationFailed's reasons go
onto ``form`` when there is one (status 422). Every other DomainError, and a
ValidationFailed without a form, is a refusal, answered as ``refused`` says:

``"abort"``
    the site's error page (or its htmx fragment) with the error's status and message;
``"form"``
    a message above the form, with the error's status;
``"view"``
    nothing here: the view answers from ``outcome.error`` (a fragment of its own, say).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

from flask import abort

from wijkfonds.extensions import db
from wijkfonds.services.errors import DomainError, ValidationFailed, apply_to_form
from wijkfonds.web.forms import FlaskForm

Refused = Literal["abort", "form", "view"]


@dataclass
class Outcome:
    """What the service call in ``domain_errors`` came to."""

    error: DomainError | None = None
    on_form: bool = False  # the error's messages were put on the form

    @property
    def ok(self) -> bool:
        """True when the service raised no DomainError."""
        return self.error is None

    @property
    def status(self) -> int:
        """The HTTP status to answer with: 200, or the error's own (422 for a ValidationFailed)."""
        return 200 if self.error is None else self.error.status

    @property
    def refusal(self) -> DomainError | None:
        """The error when it was not put on the form (only with ``refused="view"``)."""
        return None if self.on_form else self.error


@contextmanager
def domain_errors(
    form: FlaskForm | None = None,
    *,
    refused: Refused = "abort",
    commit_on: tuple[type[DomainError], ...] = (),
) -> Iterator[Outcome]:
    """Catch a DomainError of the service call in the block; roll back and map it (see the module)."""
    if refused == "form" and form is None:
        raise ValueError('refused="form" needs a form')
    outcome = Outcome()
    try:
        yield outcome
    except DomainError as err:
        if isinstance(err, commit_on):
            db.session.commit()
        else:
            db.session.rollback()
        outcome.error = err
        if form is not None and isinstance(err, ValidationFailed):
            apply_to_form(form, err)
            outcome.on_form = True
        elif refused == "abort":
            abort(err.status, description=err.message)
        elif refused == "form" and form is not None:
            form.form_errors.append(err.message)
            outcome.on_form = True
