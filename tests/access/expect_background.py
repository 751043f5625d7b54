"""Access expectations of the staff page on background tasks."""

from . import STAFF

EXPECT = {
    "background.index": {"GET": STAFF},
}
