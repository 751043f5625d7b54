"""Role checks for routes."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort

from wijkfonds.models import Role
from wijkfonds.web.login import current_user, login_required

F = TypeVar("F", bound=Callable[..., Any])


def role_required(*roles: Role) -> Callable[[F], F]:
    """Anonymous users go to the login page; logged-in users without the role get 403."""

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return cast(F, wrapped)  # called like the view (and wraps() copies its name and docstring)

    return decorator


staff_required = role_required(Role.STAFF)
auditor_required = role_required(Role.AUDITOR, Role.STAFF)
admin_required = role_required(Role.ADMIN)
