"""Access expectations of turnout: the public figures of a closed round, and staff's reach pages.

The public page answers anyone, with 404 before voting closes (tests/test_figures.py), so
it is "allowed" here in every phase: a 404 is not a refusal by role.
"""

from . import ANYONE, STAFF

EXPECT = {
    "figures.round_figures": {"GET": ANYONE},
    "reach.index": {"GET": STAFF},
    "reach.round_reach": {"GET": STAFF},
    "reach.eligible": {"GET": STAFF, "POST": STAFF},
}
