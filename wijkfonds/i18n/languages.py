"""Languages: Dutch source strings, catalogues in wijkfonds/i18n/translations/<code>/*.po.

The offered languages and their codes are listed in ``i18n/offer.py``. Each area of the site keeps its own ``.po`` file, so that catalogues never conflict; at
start-up they are merged in memory (no compile step, no ``.mo`` files in git).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from io import BytesIO
from typing import Any, TypeVar

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from flask import Flask, current_app, g, has_app_context, has_request_context, request, session
from markupsafe import Markup

from wijkfonds.extensions import babel
from wijkfonds.i18n.offer import BY_CODE, TRANSLATIONS_DIR, Language, language
from wijkfonds.i18n.text import Domain, force_locale, get_locale


def load_catalogue(lang: str) -> Translations:
    """Merge every ``translations/<lang>/*.po`` file into one Translations object."""
    merged: Translations | None = None
    # b1 is not a Babel locale: its catalogue is read with Dutch plural rules.
    locale = BY_CODE[lang].babel_locale if lang in BY_CODE else lang
    for po in sorted((TRANSLATIONS_DIR / lang).glob("*.po")):
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=locale)
        buf = BytesIO()
        write_mo(buf, catalog)
        buf.seek(0)
        part = Translations(fp=buf)
        if merged is None:
            merged = part
        else:
            merged.merge(part)
    return merged or Translations()


_SOURCE = NullTranslations()  # Dutch is the source language: strings pass through
_TRANSLATIONS_KEY = "_wijkfonds_translations"


class CatalogueDomain(Domain):
    """A Flask-Babel domain that serves the merged in-memory catalogues."""

    def __init__(self) -> None:
        super().__init__()
        self._catalogues: dict[str, NullTranslations] = {}

    def get_translations(self) -> NullTranslations:
        """Catalogue of the current language (Dutch is the source language)."""
        return self.catalogue(request_lang())

    def catalogue(self, lang: str) -> NullTranslations:
        """Catalogue of a site language, merged once per app (Dutch: strings pass through)."""
        return _kept(self._catalogues, lang)


def _kept(store: dict[str, NullTranslations], lang: str) -> NullTranslations:
    """``lang``'s merged catalogue from ``store``, loaded the first time (Dutch: the source)."""
    if lang == "nl":
        return _SOURCE
    if lang not in store:
        store[lang] = load_catalogue(lang)
    return store[lang]


_OUTSIDE_APP: dict[str, NullTranslations] = {}  # catalogues read outside an app (a script, a test)


def catalogue(lang: str) -> NullTranslations:
    """The catalogue of a named language, whatever the request's own (a mail, a report, a
    reference name in another language): the app's merged copy, read once per app."""
    babel_ext = current_app.extensions.get("babel") if has_app_context() else None
    domain = babel_ext.instance.domain_instance if babel_ext is not None else None
    if isinstance(domain, CatalogueDomain):
        return domain.catalogue(lang)
    return _kept(_OUTSIDE_APP, lang)


_LANG_KEY = "_wijkfonds_lang"
_CHOSEN_KEY = "_wijkfonds_chosen_lang"  # select_locale's choice, for _current_code in the same call
_FORCED_KEY = "_wijkfonds_forced_lang"
T = TypeVar("T")


def request_lang() -> str:
    """This request's site language code (see i18n/offer.py: nl, b1, en, tr, ar, pl), looked
    up once per request; inside ``use_language`` the language it switched to."""
    if has_app_context():
        forced: str | None = g.get(_FORCED_KEY)
        if forced:
            return forced
    return _once_per_request(_LANG_KEY, _current_code)


def request_language() -> Language:
    """This request's Language: direction, HTML lang, formatting locale."""
    return language(request_lang())


def _current_code() -> str:
    """The site code behind Flask-Babel's locale: the Babel locale 'nl' is Dutch or B1 Dutch."""
    if has_request_context():
        g.pop(_CHOSEN_KEY, None)
    babel_locale = str(get_locale() or "nl")
    if babel_locale == "nl" and has_request_context():
        # select_locale leaves its choice here when get_locale() just asked it (else, e.g.
        # under force_locale or when the locale was known already, it is worked out again).
        chosen: str | None = g.pop(_CHOSEN_KEY, None)
        if chosen is None:
            chosen = chosen_language()
        return chosen if language(chosen).babel_locale == "nl" else babel_locale
    return babel_locale


def request_translations() -> NullTranslations:
    """This request's catalogue, looked up once per request.

    Templates translate a few dozen strings per page; going through Flask-Babel's context
    and domain lookup for each of them cost about a tenth of a simple page's time.
    """
    return _once_per_request(_TRANSLATIONS_KEY, _current_translations)


def _current_translations() -> NullTranslations:
    """The catalogue Flask-Babel's domain gives for the current locale (CatalogueDomain's)."""
    domain: CatalogueDomain = current_app.extensions["babel"].instance.domain_instance
    return domain.get_translations()


def _once_per_request(key: str, compute: Callable[[], T]) -> T:
    """``compute()``, kept on ``g`` for the rest of the request (computed anew outside one)."""
    if not has_request_context():
        return compute()
    found: T | None = g.get(key)
    if found is None:
        found = compute()
        setattr(g, key, found)
    return found


def template_gettext(message: str, **variables: Any) -> Markup:
    """``_()`` in templates, as Jinja's new-style gettext does it, without its context lookups.

    The translation is trusted markup; the variables are escaped by ``%`` (so a literal
    percent sign is written ``%%``, as before).
    """
    return Markup(request_translations().ugettext(message)) % variables


@contextmanager
def use_language(lang: str) -> Iterator[None]:
    """Switch this request to another language for a while (Flask-Babel's force_locale
    plus the per-request caches above)."""
    before = g.get(_FORCED_KEY) if has_app_context() else None
    forget_request_translations()
    try:
        with force_locale(language(lang).babel_locale):
            if has_app_context():
                setattr(g, _FORCED_KEY, lang)
            yield
    finally:
        if has_app_context():
            setattr(g, _FORCED_KEY, before)
        forget_request_translations()


def forget_request_translations() -> None:
    """Drop the cached language and catalogue (a new request, or the language changed)."""
    g.pop(_TRANSLATIONS_KEY, None)
    g.pop(_LANG_KEY, None)


def chosen_language() -> str:
    """The site code asked for: ?lang= for this request, else the saved choice, else Dutch."""
    default = str(current_app.config["BABEL_DEFAULT_LOCALE"])
    if not has_request_context():
        return default
    langs = current_app.config["LANGUAGES"]
    asked = request.args.get("lang")
    if asked is not None and asked in langs:
        return asked
    saved = session.get("lang")
    return saved if isinstance(saved, str) and saved in langs else default


def select_locale() -> Locale:
    """Flask-Babel's locale: the Babel locale of the chosen language (b1 formats as nl).

    A Locale rather than its name: Flask-Babel passes a Locale through as it is, where a
    name is parsed anew on every request (a tenth of a cached ballot page's own time).
    """
    chosen = chosen_language()
    if has_request_context():
        setattr(g, _CHOSEN_KEY, chosen)
    return _babel_locale(language(chosen).babel_locale)


@cache
def _babel_locale(name: str) -> Locale:
    """Babel's Locale of this name, parsed once per process (a handful of names)."""
    return Locale.parse(name)


def offered_languages() -> list[Language]:
    """The languages this site offers (config LANGUAGES), in the switch's order."""
    codes = current_app.config["LANGUAGES"]
    return [BY_CODE[c] for c in codes if c in BY_CODE]


def init_i18n(app: Flask) -> None:
    """Bind Flask-Babel with our locale selector and in-memory catalogues."""
    babel.init_app(app, locale_selector=select_locale, default_timezone="Europe/Amsterdam")
    domain = CatalogueDomain()
    app.extensions["babel"].instance.domain_instance = domain
    app.jinja_env.globals["current_lang"] = request_lang
    app.jinja_env.globals["current_language"] = request_language
    app.jinja_env.globals["offered_languages"] = offered_languages
    app.jinja_env.globals["language_of"] = language
    # Replaces Flask-Babel's per-string lookups. The method comes with Jinja's i18n extension,
    # which Flask-Babel adds to the environment at run time: the Environment type lacks it.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
    )
    app.jinja_env.globals["_"] = template_gettext
