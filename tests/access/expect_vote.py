"""Access expectations of the vote blueprint: every page is public (the ballot checks who votes)."""

from . import ANYONE, LOGGED_IN

EXPECT = {
    "vote.index": {"GET": ANYONE},
    "vote.ballot": {"GET": ANYONE, "POST": ANYONE},
    "vote.meter": {"POST": ANYONE},
    "vote.confirmation": {"GET": ANYONE},
    "vote.receipt_file": {"GET": ANYONE},
    "vote.finish": {"POST": ANYONE},
    "vote.enter_code": {"GET": ANYONE, "POST": ANYONE},
    "vote.bind_code": {"GET": LOGGED_IN, "POST": LOGGED_IN},
    "vote.check_receipt": {"GET": ANYONE},
}
