"""Access expectations of the review blueprint (staff and admin only)."""

from . import STAFF

EXPECT = {
    "review.index": {"GET": STAFF},
    "review.queue": {"GET": STAFF},
    "review.start": {"POST": STAFF},
    "review.item": {"GET": STAFF},
    "review.decide": {"POST": STAFF},
    "review.correct": {"GET": STAFF, "POST": STAFF},
}
