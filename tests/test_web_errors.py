"""domain_errors(): a service's DomainError rolled back (or kept) and mapped onto the form or a 4xx."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from werkzeug.exceptions import HTTPException
from wtforms import StringField

from wijkfonds.extensions import db
from wijkfonds.models import RateEvent
from wijkfonds.services.errors import DomainError, NotAllowed, RateLimited, ValidationFailed
from wijkfonds.web.errors import domain_errors


class TitleForm(FlaskForm):
    class Meta:
        csrf = False

    title = StringField()


@pytest.fixture()
def form(app: Flask) -> Iterator[TitleForm]:
    with app.test_request_context(method="POST", data={"title": "x"}):
        yield TitleForm()


def _write_then(error: DomainError | None) -> None:
    """A service call: it writes a row, then raises ``error``."""
    db.session.add(RateEvent(bucket="test", key="k"))
    db.session.flush()
    if error is not None:
        raise error


def _rows() -> int:
    return db.session.scalar(select(func.count(RateEvent.id)).where(RateEvent.bucket == "test")) or 0


def test_success_leaves_the_commit_to_the_view(form: TitleForm) -> None:
    with domain_errors(form) as outcome:
        _write_then(None)
    assert outcome.ok and outcome.status == 200 and outcome.error is None and outcome.refusal is None
    db.session.commit()
    assert _rows() == 1


def test_validation_failed_goes_onto_the_form_and_rolls_back(form: TitleForm) -> None:
    with domain_errors(form) as outcome:
        _write_then(ValidationFailed([("title", "Te kort."), (None, "Iets anders.")]))
    assert not outcome.ok and outcome.status == 422
    assert outcome.on_form and outcome.refusal is None
    assert form.title.errors == ["Te kort."]
    assert form.form_errors == ["Iets anders."]
    assert _rows() == 0


def test_other_errors_abort_with_their_status_and_message(form: TitleForm) -> None:
    with pytest.raises(HTTPException) as caught, domain_errors(form):
        _write_then(NotAllowed("Niet uw plan."))
    assert caught.value.code == 403 and caught.value.description == "Niet uw plan."
    assert form.form_errors == []
    assert _rows() == 0


def test_without_a_form_validation_failed_aborts_too(app: Flask) -> None:
    with app.test_request_context(), pytest.raises(HTTPException) as caught, domain_errors():
        raise ValidationFailed([("role", "Geen gebied.")])
    assert caught.value.code == 422 and caught.value.description == "Geen gebied."


def test_refused_form_puts_the_message_above_the_form(form: TitleForm) -> None:
    with domain_errors(form, refused="form") as outcome:
        _write_then(DomainError("Te laat.", 409))
    assert outcome.status == 409 and outcome.on_form and outcome.refusal is None
    assert form.form_errors == ["Te laat."]
    assert _rows() == 0


def test_refused_view_leaves_the_answer_to_the_view(form: TitleForm) -> None:
    with domain_errors(form, refused="view") as outcome:
        _write_then(DomainError("Gesloten.", 409))
    assert outcome.refusal is outcome.error and outcome.status == 409
    assert form.form_errors == []
    with domain_errors(form, refused="view") as outcome:
        _write_then(ValidationFailed([("title", "Leeg.")]))
    assert outcome.refusal is None and outcome.status == 422 and form.title.errors == ["Leeg."]


def test_commit_on_keeps_what_the_failed_call_wrote(form: TitleForm) -> None:
    with domain_errors(form, refused="form", commit_on=(RateLimited,)) as outcome:
        _write_then(RateLimited("Te vaak."))
    assert outcome.status == 429 and form.form_errors == ["Te vaak."]
    db.session.rollback()  # what a later rollback would undo was already committed
    assert _rows() == 1
    with domain_errors(form, refused="form", commit_on=(RateLimited,)):
        _write_then(DomainError("Anders."))
    assert _rows() == 1


def test_other_exceptions_pass_through(form: TitleForm) -> None:
    with pytest.raises(KeyError), domain_errors(form):
        raise KeyError("not a domain error")


def test_refused_form_needs_a_form(app: Flask) -> None:
    with pytest.raises(ValueError, match="needs a form"), domain_errors(refused="form"):
        pass
