"""Main-menu entries; each blueprint adds its own, so the menu is never a shared edit.

The header has two rows: the brand with the account menu and the language, then the main
menu on one line. So that the main menu stays one line on a 1280 px screen (the page is
70rem wide there) whatever the role, entries past a width budget move into a "Meer"
disclosure (a <details>, so it works without JavaScript), the last ones first; entries
marked ``account`` (the visitor's own pages) live in the account disclosure instead.
A new entry therefore never breaks the line: at worst it pushes the last one into "Meer".
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request, url_for

from wijkfonds.i18n.languages import request_lang
from wijkfonds.models import Role
from wijkfonds.web.login import current_user

# The main menu's width in px at 1280 px (70rem minus padding is 1088 px), less a margin.
LINE_BUDGET = 1040
CHAR_PX = 8.5  # a generous average for the header's 16 px font
ITEM_PX = 16  # a link's own padding plus the gap to the next
MORE_PX = 80  # the "Meer ▾" summary itself


@dataclass(frozen=True)
class NavItem:
    """A link in the main menu for the given roles (empty: everyone)."""

    endpoint: str
    label: object  # a lazy string
    roles: tuple[Role, ...] = ()
    order: int = 50
    account: bool = False  # in the account menu (under the user's name), not the main line


_ITEMS: list[NavItem] = []


def add(endpoint: str, label: object, *roles: Role, order: int = 50, account: bool = False) -> None:
    """Register a menu entry (called at blueprint import time)."""
    if all(i.endpoint != endpoint for i in _ITEMS):
        _ITEMS.append(NavItem(endpoint, label, roles, order, account))


def width(label: str) -> float:
    """The estimated width of one main-menu entry in px."""
    return len(label) * CHAR_PX + ITEM_PX


def split(labels: list[str], budget: float = LINE_BUDGET) -> int:
    """How many of ``labels`` (in menu order) stay on the main line; the rest go to "Meer"."""
    if sum(width(x) for x in labels) <= budget:
        return len(labels)
    used: float = MORE_PX
    keep = 0
    for label in labels:
        used += width(label)
        if used > budget:
            break
        keep += 1
    return keep


def _build(role: str | None, first: str) -> dict[str, list[dict[str, str]]]:
    visible = [
        item
        for item in sorted(_ITEMS, key=lambda i: (i.order, i.endpoint))
        if not item.roles or (role is not None and current_user.has_role(*item.roles))
    ]
    main = [{"url": url_for(i.endpoint), "label": str(i.label)} for i in visible if not i.account]
    keep = split([first] + [m["label"] for m in main]) - 1  # the first entry always stays
    return {
        "main": main[: max(keep, 0)],
        "more": main[max(keep, 0) :],
        "account": [{"url": url_for(i.endpoint), "label": str(i.label)} for i in visible if i.account],
    }


def menu(first: str) -> dict[str, list[dict[str, str]]]:
    """The current user's entries: ``main`` (one line), ``more`` (the disclosure), ``account``.

    The menu depends only on the role, the language and where the app is mounted, so it
    is built once per combination (every page shows it). ``first`` is the translated
    label of the header's own first entry (the plans overview), which takes its share of
    the line; it follows from the language, which is part of the key.
    """
    role = current_user.role if current_user.is_authenticated else None
    key = (role, request_lang(), request.script_root)
    cache: dict[tuple[str | None, str, str], dict[str, list[dict[str, str]]]] = current_app.extensions.setdefault(
        "wijkfonds_nav", {}
    )
    found = cache.get(key)
    if found is None:
        found = cache[key] = _build(role, first)
    return found
