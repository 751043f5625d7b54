"""Domain errors raised by services and mapped onto forms or 4xx pages by the views."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wtforms import Form


class DomainError(Exception):
    """A rule of the domain forbids this action; ``status`` is the HTTP status to answer."""

    status = 409

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class ValidationFailed(DomainError):
    """Input is invalid; ``errors`` lists (field name or None, message)."""

    status = 422

    def __init__(self, errors: list[tuple[str | None, str]]) -> None:
        super().__init__("; ".join(m for _, m in errors))
        self.errors = errors


class NotAllowed(DomainError):
    """The current user may not do this."""

    status = 403


class RateLimited(DomainError):
    """Too many attempts in a short time."""

    status = 429


def apply_to_form(form: Form, error: ValidationFailed) -> None:
    """Copy a ValidationFailed's messages onto the matching form fields (or form-level)."""
    for field, message in error.errors:
        target = getattr(form, field, None) if field else None
        if target is not None and hasattr(target, "errors"):
            errors = list(target.errors) if not isinstance(target.errors, list) else target.errors
            errors.append(message)
            target.errors = errors
        else:
            form.form_errors.append(message)
