"""Access expectations of the moderation blueprint (staff only)."""

from . import STAFF

EXPECT = {
    "moderation.queue": {"GET": STAFF},
    "moderation.comment": {"GET": STAFF},
    "moderation.hide": {"POST": STAFF},
    "moderation.unhide": {"POST": STAFF},
    "moderation.dismiss": {"POST": STAFF},
}
