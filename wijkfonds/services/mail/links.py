"""Absolute links in mail, built the same way in a request and in a worker.

Mail is read far from the request that caused it, so every link in it is absolute and
points at the site's public address, ``SITE_URL`` (``WIJKFONDS_SITE_URL``, e.g.
``https://wijkfonds.amsterdam.nl`` or ``https://gemeente.nl/wijkfonds`` when the app is
mounted under a path). Without it, ``PREFERRED_URL_SCHEME://SERVER_NAME`` is used when
``SERVER_NAME`` is set, and ``http://127.0.0.1:5000`` (``make demo``) otherwise. The
request's own host is never used: behind a proxy it may be an internal name, and a worker
has no request at all.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from flask import current_app
from werkzeug.routing import MapAdapter

DEV_SITE_URL = "http://127.0.0.1:5000"


def site_url() -> str:
    """The site's public address without a trailing slash (see the module docstring)."""
    cfg = current_app.config
    url = cfg.get("SITE_URL")
    if not url and cfg.get("SERVER_NAME"):
        url = f"{cfg.get('PREFERRED_URL_SCHEME') or 'http'}://{cfg['SERVER_NAME']}{cfg.get('APPLICATION_ROOT') or ''}"
    url = str(url or DEV_SITE_URL).rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(
            f"WIJKFONDS_SITE_URL must be the site's address like https://wijkfonds.example.nl (got {url!r})"
        )
    return url


def _adapter() -> MapAdapter:
    url = site_url()
    cache: dict[str, MapAdapter] = current_app.extensions.setdefault("wijkfonds_mail_links", {})
    found = cache.get(url)
    if found is None:
        parts = urlsplit(url)
        found = cache[url] = current_app.url_map.bind(
            parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme
        )
    return found


def absolute_url(endpoint: str, /, **values: Any) -> str:
    """``url_for(endpoint, **values)`` as an absolute link on ``site_url()`` (``_anchor`` works too)."""
    anchor = values.pop("_anchor", None)
    current_app.inject_url_defaults(endpoint, values)
    url = _adapter().build(endpoint, values, force_external=True)
    if anchor is not None:
        url += "#" + quote(str(anchor), safe="%!#$&'()*+,/:;=?@")
    return url
