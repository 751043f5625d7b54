"""Access expectations of the privacy blueprint.

Deleting an account is for resident accounts only (an admin, who has every role, blocks
accounts instead of deleting them here), so its set is not RESIDENT.
"""

from . import ANYONE, LOGGED_IN

RESIDENT_ACCOUNTS = frozenset({"resident"})

EXPECT = {
    "privacy.statement": {"GET": ANYONE},
    "privacy.account": {"GET": LOGGED_IN},
    "privacy.download": {"GET": LOGGED_IN},
    "privacy.delete": {"GET": RESIDENT_ACCOUNTS, "POST": RESIDENT_ACCOUNTS},
    "privacy.deleted": {"GET": ANYONE},
}
