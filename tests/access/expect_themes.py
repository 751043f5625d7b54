"""Access expectations of the public theme-nomination pages."""

from . import ANYONE, RESIDENT, STAFF

EXPECT = {
    "themes.index": {"GET": ANYONE},
    "themes.round_page": {"GET": ANYONE},
    "themes.propose": {"POST": RESIDENT},
    "themes.nomination": {"GET": ANYONE},
    "themes.support": {"POST": RESIDENT},
    "themes.comment": {"POST": RESIDENT},
    "themes.choose": {"POST": STAFF},
}


def world(values: dict[str, object]) -> dict[str, object]:
    """A nomination in the world's round, for the nomination URLs."""
    from wijkfonds.extensions import db
    from wijkfonds.models import ThemeNomination

    nom = ThemeNomination(
        round_id=values["round_id"],
        author_id=values["user_id"],
        title="Eenzaamheid",
        description="Veel ouderen in de buurt zijn eenzaam.",
    )
    db.session.add(nom)
    db.session.flush()
    return {"nomination_id": nom.id}
