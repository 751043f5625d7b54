"""Flask-Login's names, with their types: import them from here.

Flask-Login ships no type information (no ``py.typed``, no stubs), so to mypy every name
imported from it is ``Any`` and every import of it an error. This module is its stub for
the names the site uses: the type checker reads the declarations, the running code gets
Flask-Login's own objects (nothing is wrapped).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import timedelta
    from typing import Any, TypeVar

    from wijkfonds.models import User

    F = TypeVar("F", bound=Callable[..., Any])

    class CurrentUser(User):
        """``current_user``: a proxy that the type checker takes for the User it stands for.

        For a visitor who is not logged in it stands for Flask-Login's anonymous user, which
        has ``is_authenticated`` False and little else: views check that (or require a login)
        before they use the account.
        """

        def _get_current_object(self) -> User: ...

    current_user: CurrentUser

    def login_required(func: F) -> F: ...
    def login_user(
        user: User, remember: bool = False, duration: timedelta | None = None, force: bool = False, fresh: bool = True
    ) -> bool: ...
    def logout_user() -> bool: ...

else:
    from flask_login import current_user, login_required, login_user, logout_user

__all__ = ["current_user", "login_required", "login_user", "logout_user"]
