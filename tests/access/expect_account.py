"""Access expectations of the account blueprint: the account page, and the pages mail links open.

The link pages are for anyone (whoever has the mail may not be logged in); with the
matrix's made-up token they answer 404, never a login redirect or a 403.
"""

from . import ANYONE, LOGGED_IN

EXPECT = {
    "account.index": {"GET": LOGGED_IN},
    "account.resend_confirmation": {"POST": LOGGED_IN},
    "account.change_email": {"GET": LOGGED_IN, "POST": LOGGED_IN},
    "account.change_email_sent": {"GET": LOGGED_IN},
    "account.confirm": {"GET": ANYONE, "POST": ANYONE},
    "account.forgot_password": {"GET": ANYONE, "POST": ANYONE},
    "account.reset_sent": {"GET": ANYONE},
    "account.reset_password": {"GET": ANYONE, "POST": ANYONE},
    "account.confirm_email_change": {"GET": ANYONE, "POST": ANYONE},
}


def world(values: dict[str, object]) -> dict[str, object]:
    """A link token that was never issued (the link pages answer 404 for it)."""
    return {"token": "nie-uitgegeven-token-0123456789"}
