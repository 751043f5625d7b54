"""Access expectations of the staff pages for voting codes, paper ballots and turnout."""

from . import STAFF

EXPECT = {
    "codes.index": {"GET": STAFF},
    "codes.batches": {"GET": STAFF, "POST": STAFF},
    "codes.paper": {"GET": STAFF, "POST": STAFF},
    "codes.turnout": {"GET": STAFF},
}
