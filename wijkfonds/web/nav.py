"""Main-menu entries; each blueprint adds its own, so the menu is never a shared edit."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request, url_for

from wijkfonds.i18n.languages import request_lang
from wijkfonds.models import Role
from wijkfonds.web.login import current_user


@dataclass(frozen=True)
class NavItem:
    """A link in the main menu for the given roles (empty: everyone)."""

    endpoint: str
    label: object  # a lazy string
    roles: tuple[Role, ...] = ()
    order: int = 50


_ITEMS: list[NavItem] = []


def add(endpoint: str, label: object, *roles: Role, order: int = 50) -> None:
    """Register a menu entry (called at blueprint import time)."""
    if all(i.endpoint != endpoint for i in _ITEMS):
        _ITEMS.append(NavItem(endpoint, label, roles, order))


def _build(role: str | None) -> list[dict[str, str]]:
    out = []
    for item in sorted(_ITEMS, key=lambda i: (i.order, i.endpoint)):
        if item.roles and not (role is not None and current_user.has_role(*item.roles)):
            continue
        out.append({"url": url_for(item.endpoint), "label": str(item.label)})
    return out


def items() -> list[dict[str, str]]:
    """Entries visible to the current user.

    The menu depends only on the role, the language and where the app is mounted, so it
    is built once per combination (every page shows it).
    """
    role = current_user.role if current_user.is_authenticated else None
    key = (role, request_lang(), request.script_root)
    cache: dict[tuple[str | None, str, str], list[dict[str, str]]] = current_app.extensions.setdefault(
        "wijkfonds_nav", {}
    )
    found = cache.get(key)
    if found is None:
        found = cache[key] = _build(role)
    return found
