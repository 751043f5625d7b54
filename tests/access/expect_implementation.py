"""Access expectations of the implementation blueprint: staff pages, and the initiator's page
(nobody in the matrix is the initiator of the world's plan)."""

from . import STAFF

NOBODY: frozenset[str] = frozenset()

EXPECT = {
    "implementation.overview": {"GET": STAFF},
    "implementation.manage": {"GET": STAFF},
    "implementation.set_status": {"POST": STAFF},
    "implementation.payment": {"POST": STAFF},
    "implementation.milestone": {"POST": STAFF},
    "implementation.milestone_done": {"POST": STAFF},
    "implementation.staff_update": {"POST": STAFF},
    "implementation.approve": {"POST": STAFF},
    "implementation.send_back": {"POST": STAFF},
    "implementation.hide_update": {"POST": STAFF},
    "implementation.unhide_update": {"POST": STAFF},
    "implementation.initiator": {"GET": NOBODY, "POST": NOBODY},
    "implementation.submit_account": {"POST": NOBODY},
}


def world(values: dict[str, object]) -> dict[str, object]:
    """Ids of an update and a milestone that do not exist (their routes answer 404 to staff)."""
    return {"update_id": 2**31 - 2, "milestone_id": 2**31 - 2}
