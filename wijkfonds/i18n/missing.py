"""Development tool: find Dutch source strings that have no English translation.

``python -m wijkfonds.i18n.missing`` prints the missing entries as ``.po`` stubs, ready to
paste into a ``wijkfonds/i18n/translations/en/<area>.po`` file.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.extract import extract_from_dir

from wijkfonds.config import ROOT
from wijkfonds.i18n.languages import load_catalogue

METHOD_MAP = [
    ("**/allocation/**.py", "ignore"),
    ("**/i18n/missing.py", "ignore"),
    ("**.py", "python"),
    ("**.html", "jinja2"),
    ("**.txt", "jinja2"),  # the plain-text mail templates (templates/mail/*.txt)
]
KEYWORDS = {
    "_": None,
    "gettext": None,
    "lazy_gettext": None,
    "_l": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),  # a word that needs its context, e.g. pgettext("aantal", "Stemmen")
}
# How gettext keys a message with a context in a catalogue: "context\x04msgid".
CONTEXT_SEP = "\x04"


def source_messages() -> dict[str, str]:
    """msgid -> first 'file:line' where it is used, over wijkfonds/ and templates/ (mail's .txt included).

    A message with a context is keyed as the catalogue keys it, ``context\\x04msgid``.
    """
    found: dict[str, str] = {}
    for folder in (ROOT / "wijkfonds", ROOT / "templates"):
        for filename, lineno, message, _comments, context in extract_from_dir(
            str(folder),
            METHOD_MAP,
            keywords=KEYWORDS,
            options_map={"**.html": {"extensions": "jinja2.ext.i18n"}, "**.txt": {"extensions": "jinja2.ext.i18n"}},
        ):
            ids = message if isinstance(message, tuple) else (message,)
            for msgid in ids:
                if msgid:
                    key = f"{context}{CONTEXT_SEP}{msgid}" if context else msgid
                    found.setdefault(key, f"{Path(folder.name) / filename}:{lineno}")
    return found


def missing(lang: str = "en") -> dict[str, str]:
    """Source strings without a (non-empty) translation in ``lang``."""
    catalogue = load_catalogue(lang)
    known = {k for k, v in catalogue._catalog.items() if isinstance(k, str) and v}
    return {m: where for m, where in source_messages().items() if m not in known and m.strip()}


def _po_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def append(po_path: Path, mapping: dict[str, str]) -> int:
    """Append msgid -> msgstr pairs to a .po file (created with a header when new)."""
    if not po_path.exists():
        po_path.parent.mkdir(parents=True, exist_ok=True)
        po_path.write_text(
            'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: en\\n"\n\n',
            encoding="utf-8",
        )
    with po_path.open("a", encoding="utf-8") as fh:
        for msgid, msgstr in mapping.items():
            fh.write(f'msgid "{_po_escape(msgid)}"\nmsgstr "{_po_escape(msgstr)}"\n\n')
    return len(mapping)


def main() -> int:
    """Print missing entries as .po stubs; exit 1 when any are missing.

    ``add FILE.po`` appends a JSON object {dutch: english} read from standard input; a language
    code as the only argument checks that catalogue instead of English (``... missing ar``).
    """
    if len(sys.argv) == 3 and sys.argv[1] == "add":
        import json

        count = append(Path(sys.argv[2]), json.load(sys.stdin))
        print(f"appended {count} entries to {sys.argv[2]}")
        return 0
    gaps = missing(sys.argv[1] if len(sys.argv) == 2 else "en")
    for msgid, where in sorted(gaps.items(), key=lambda kv: kv[1]):
        context, _sep, text = msgid.rpartition(CONTEXT_SEP)
        ctxt = f'msgctxt "{_po_escape(context)}"\n' if context else ""
        print(f'#: {where}\n{ctxt}msgid "{_po_escape(text)}"\nmsgstr ""\n')
    print(f"# {len(gaps)} missing", file=sys.stderr)
    return 1 if gaps else 0


if __name__ == "__main__":
    raise SystemExit(main())
