"""Rendering one message from ``templates/mail/<name>.txt`` and ``.html`` in one language.

A message is two templates that usually extend ``mail/_layout.txt`` and
``mail/_layout.html`` (the site's name, a link back, the unsubscribe line):

- the **subject** is the ``{% block subject %}`` of the ``.txt`` template (one line; white
  space is collapsed), and both templates see it as ``subject``;
- the **plain text** is the whole ``.txt`` template (not escaped; trailing spaces and runs
  of blank lines are tidied);
- the **HTML** is the whole ``.html`` template (escaped as every page is).

Strings are translated as on the site, with ``_("...", name=value)``, in the language of
the recipient (``use_language``), so each message exists in Dutch and in English through
the catalogues (``i18n/translations/en/mail.po``). In ``.txt`` templates ``_`` gives plain
text, so a value like "Jansen & Zn" is not turned into HTML entities.

Every template sees: ``site_name``, ``site_url``, ``language``, ``unsubscribe_url`` (or
None), ``subject`` (not in the subject block itself), and ``url_for``, which here always
builds an absolute link on the site's public address (``links.absolute_url``); plus
whatever the caller passes in ``context``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app
from jinja2 import Template, TemplateNotFound

from wijkfonds.i18n.languages import request_translations, use_language
from wijkfonds.services.mail.links import absolute_url, site_url

NAME = re.compile(r"[a-z][a-z0-9_]*(/[a-z][a-z0-9_]*)*")
RESERVED = frozenset({"site_name", "site_url", "language", "unsubscribe_url", "subject", "url_for", "_", "ngettext"})
SUBJECT_MAX = 500


@dataclass(frozen=True)
class Rendered:
    """A message's three parts, in one language."""

    subject: str
    text: str
    html: str


def _plain_gettext(message: str, **variables: Any) -> str:
    return request_translations().ugettext(message) % variables


def _plain_ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    variables.setdefault("num", num)
    return request_translations().ungettext(singular, plural, num) % variables


def _template(name: str, suffix: str) -> Template:
    try:
        return current_app.jinja_env.get_template(f"mail/{name}.{suffix}")
    except TemplateNotFound:
        raise ValueError(f"there is no mail template templates/mail/{name}.{suffix}") from None


def _tidy_text(text: str) -> str:
    # "-- " (with its space) starts a signature, which mail clients recognise and fold away.
    lines = [line if line == "-- " else line.rstrip() for line in text.strip("\n").splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"


def _subject(template: Template, context: dict[str, Any], name: str) -> str:
    block: Callable[[Any], Any] | None = template.blocks.get("subject")
    if block is None:
        raise ValueError(f"templates/mail/{name}.txt has no {{% block subject %}}")
    subject = " ".join("".join(block(template.new_context(context))).split())
    if not subject:
        raise ValueError(f"the subject of templates/mail/{name}.txt is empty")
    if len(subject) > SUBJECT_MAX:
        subject = subject[: SUBJECT_MAX - 1].rstrip() + "…"
    return subject


def render(name: str, *, language: str, context: Mapping[str, Any], unsubscribe_url: str | None = None) -> Rendered:
    """Subject, text and HTML of ``templates/mail/<name>`` in ``language`` (see the module)."""
    if not NAME.fullmatch(name):
        raise ValueError(f"a mail template name is lower-case letters, digits and _ (got {name!r})")
    languages = tuple(current_app.config["LANGUAGES"])
    if language not in languages:
        raise ValueError(f"unknown language {language!r}; the site has {', '.join(languages)}")
    clash = RESERVED & set(context)
    if clash:
        raise ValueError(f"mail context keys {sorted(clash)} are set by the renderer; choose other names")
    txt, html = _template(name, "txt"), _template(name, "html")
    with use_language(language):
        base: dict[str, Any] = {
            **context,
            "site_name": _plain_gettext("Wijkfonds"),
            "site_url": site_url() + "/",
            "language": language,
            "unsubscribe_url": unsubscribe_url,
            "url_for": absolute_url,
        }
        text_context = {**base, "_": _plain_gettext, "ngettext": _plain_ngettext}
        subject = _subject(txt, text_context, name)
        text = _tidy_text(txt.render({**text_context, "subject": subject}))
        body_html = html.render({**base, "subject": subject})
    return Rendered(subject=subject, text=text, html=body_html)
