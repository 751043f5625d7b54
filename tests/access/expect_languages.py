"""Access expectations of the languages blueprint.

Translating is for the author of the text or an account with the translator role; the
matrix's users never wrote the world's plan or comment, and of its roles only the admin has
the translator's rights (an admin has every role). That authors and translators can, and
residents cannot, is tested in tests/test_translations.py.
"""

from . import ADMIN, ANYONE, LOGGED_IN, STAFF


def world(values: dict[str, object]) -> dict[str, object]:
    """A translation of the world's plan, for the hide route."""
    from wijkfonds.extensions import db
    from wijkfonds.models import ContentTranslation

    row = ContentTranslation(kind="plan", object_id=values["initiative_id"], language="en", title="A plan", text="Text")
    db.session.add(row)
    db.session.flush()
    return {"kind": "plan", "object_id": values["initiative_id"], "translation_id": row.id}


EXPECT = {
    "languages.accessibility": {"GET": ANYONE},
    # Staff see the page (to hide a translation) but cannot write one.
    "languages.translate": {"GET": STAFF, "POST": ADMIN},
    "languages.hide": {"POST": STAFF},
    "languages.stale": {"GET": LOGGED_IN},  # an empty list for whoever has none to update
    "languages.letter_languages": {"GET": STAFF, "POST": STAFF},
}
