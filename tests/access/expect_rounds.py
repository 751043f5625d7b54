"""Access expectations of the staff round management."""

from . import STAFF

EXPECT = {
    "rounds.index": {"GET": STAFF},
    "rounds.create": {"GET": STAFF, "POST": STAFF},
    "rounds.show": {"GET": STAFF},
    "rounds.edit": {"GET": STAFF, "POST": STAFF},
    "rounds.advance": {"POST": STAFF},
}
