"""Parts of the page layout that are the same for many requests, rendered once per worker."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from flask import Flask, current_app, g, has_request_context, render_template, request, session, url_for
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from wijkfonds.i18n.languages import request_lang
from wijkfonds.web.login import current_user

MAX_ENTRIES = 4096  # headers and ballot options x languages; a flood of odd query strings only empties it
MAX_PAGES = 256  # whole pages (anonymous_page) are larger: fewer of them
_CACHE_KEY = "wijkfonds_layout"
_PAGES_KEY = "wijkfonds_pages"
_URLS_KEY = "wijkfonds_fixed_urls"
# Stands in for the visitor's CSRF token in a page rendered for everyone (plain ASCII, so
# escaping leaves it alone); each response gets the visitor's own token in its place.
TOKEN_SLOT = "wijkfonds-csrf-token-slot-5f0c1d"


def anonymous_header() -> Markup:
    """The site header as a visitor who is not logged in sees it on this page, in this language.

    Such visitors all see the same menu, so only the language and the page (for the
    language switch's way back) make a difference; on election night this spares every
    voter's page the menu's two dozen translations and links.
    """
    return _rendered(("header", request_lang(), request.script_root, request.full_path), "_site_header.html")


def ballot_option(option: Hashable, checked: bool, rules: Hashable = None, mark: int | None = None) -> Markup:
    """One option of a ballot (an immutable voting.snapshots.Option), ticked or not.

    Every voter of a district sees the same options, so each is rendered once per
    language and state instead of on every ballot page. On points and ranked ballots
    ``rules`` is the round (its frozen snapshot) and ``mark`` the plan's points or place.
    """
    return _rendered(
        ("option", request_lang(), option, checked, rules, mark),
        "vote/_option.html",
        ini=option,
        checked=checked,
        rules=rules,
        mark=mark,
    )


def anonymous_page(
    key: tuple[Hashable, ...], template: str, *, build: Callable[[], dict[str, Any]] | None = None, **context: Any
) -> str:
    """A whole page as every visitor who is not logged in sees it, rendered once per ``key``.

    For the busiest pages of election night (the code form, a district's empty ballot).
    ``key`` must hold everything in ``context`` that can change the page (frozen
    snapshots do). The language and the address are added here, and each response gets
    the visitor's own CSRF token. A visitor with a message waiting (flash) or logged in
    gets a page rendered for them alone. ``build`` gives the rest of the context (a form,
    the ballot's figures), which follows from ``key`` too: it is called only when the page
    is rendered, so a page served from the cache costs none of it.
    """
    if "_flashes" in session or current_user.is_authenticated:
        return render_template(template, **_with(context, build))
    full_key = (request_lang(), request.script_root, request.full_path, template, *key)
    cache: dict[tuple[Hashable, ...], Markup] = current_app.extensions[_PAGES_KEY]
    html = cache.get(full_key)
    if html is None:
        html = _rendered(
            full_key, template, _cache=_PAGES_KEY, _limit=MAX_PAGES, _token_slot=True, **_with(context, build)
        )
    return html.replace(TOKEN_SLOT, generate_csrf())


def _with(context: dict[str, Any], build: Callable[[], dict[str, Any]] | None) -> dict[str, Any]:
    return context if build is None else {**context, **build()}


def fixed_url(endpoint: str, **values: Any) -> str:
    """``url_for`` for the links on every page (static files, the icons, the footer), built
    once per host, mount point and values in this worker: nothing else changes them."""
    if not has_request_context():
        return url_for(endpoint, **values)
    key = (request.host, request.script_root, endpoint, *sorted(values.items()))
    cache: dict[tuple[Hashable, ...], str] = current_app.extensions[_URLS_KEY]
    found = cache.get(key)
    if found is None:
        if len(cache) >= MAX_ENTRIES:
            cache.clear()
        found = cache[key] = url_for(endpoint, **values)
    return found


def csrf_token() -> str:
    """The CSRF token for templates (or its slot while a page for everyone is rendered)."""
    return TOKEN_SLOT if g.get("_wijkfonds_token_slot") else generate_csrf()


def _rendered(
    key: tuple[Hashable, ...],
    template: str,
    *,
    _cache: str = _CACHE_KEY,
    _limit: int = MAX_ENTRIES,
    _token_slot: bool = False,
    **context: Any,
) -> Markup:
    """``template`` rendered with ``context``, once per ``key`` in this worker."""
    cache: dict[tuple[Hashable, ...], Markup] = current_app.extensions[_cache]
    html = cache.get(key)
    if html is None:
        if len(cache) >= _limit:
            cache.clear()
        outer = g.get("_wijkfonds_token_slot", False)
        g._wijkfonds_token_slot = _token_slot or outer  # a part of a page for everyone is for everyone too
        try:
            html = cache[key] = Markup(render_template(template, **context))
        finally:
            g._wijkfonds_token_slot = outer
    return html


def init_layout(app: Flask) -> None:
    """Register the layout helpers for templates."""
    app.extensions[_CACHE_KEY] = {}
    app.extensions[_PAGES_KEY] = {}
    app.extensions[_URLS_KEY] = {}
    # Replaces Flask-WTF's csrf_token() in templates (it sets both a global and a context
    # processor; this one runs after it), so that anonymous_page can leave a slot.
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.context_processor(lambda: {"csrf_token": csrf_token})
    app.jinja_env.globals["anonymous_header"] = anonymous_header
    app.jinja_env.globals["ballot_option"] = ballot_option
    app.jinja_env.globals["fixed_url"] = fixed_url
