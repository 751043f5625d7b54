"""Parts of the page layout that are the same for many requests, rendered once per worker."""

from __future__ import annotations

from typing import Any, Hashable

from flask import Flask, current_app, render_template, request
from markupsafe import Markup

from .i18n import request_lang

MAX_ENTRIES = 4096  # pages and ballot options x languages; a flood of odd query strings only empties it
_CACHE_KEY = "wijkfonds_layout"


def anonymous_header() -> Markup:
    """The site header as a visitor who is not logged in sees it on this page, in this language.

    Such visitors all see the same menu, so only the language and the page (for the
    language switch's way back) make a difference; on election night this spares every
    voter's page the menu's two dozen translations and links.
    """
    return _rendered(("header", request_lang(), request.script_root, request.full_path), "_site_header.html")


def ballot_option(option: Hashable, checked: bool) -> Markup:
    """One option of a ballot (an immutable voting_data.Option), ticked or not.

    Every voter of a district sees the same options, so each is rendered once per
    language and state instead of on every ballot page.
    """
    return _rendered(("option", request_lang(), option, checked), "vote/_option.html", ini=option, checked=checked)


def _rendered(key: tuple, template: str, **context: Any) -> Markup:
    """``template`` rendered with ``context``, once per ``key`` in this worker."""
    cache: dict[tuple, Markup] = current_app.extensions[_CACHE_KEY]
    html = cache.get(key)
    if html is None:
        if len(cache) >= MAX_ENTRIES:
            cache.clear()
        html = cache[key] = Markup(render_template(template, **context))
    return html


def init_layout(app: Flask) -> None:
    """Register the layout helpers for templates."""
    app.extensions[_CACHE_KEY] = {}
    app.jinja_env.globals["anonymous_header"] = anonymous_header
    app.jinja_env.globals["ballot_option"] = ballot_option
