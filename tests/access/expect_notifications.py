"""Access expectations of the notifications blueprint.

The settings page and following need an account; the unsubscribe link works for anyone who
has it (signed, no login: a message is read where nobody is logged in).
"""

from . import ANYONE, LOGGED_IN

EXPECT = {
    "notifications.preferences": {"GET": LOGGED_IN, "POST": LOGGED_IN},
    "notifications.follow": {"POST": LOGGED_IN},
    "notifications.unfollow": {"POST": LOGGED_IN},
    "notifications.unsubscribe_confirm": {"GET": ANYONE},
    "notifications.unsubscribe": {"POST": ANYONE},
}


def world(values: dict[str, object]) -> dict[str, object]:
    """A valid unsubscribe link (the world's author, comments)."""
    from wijkfonds.extensions import db
    from wijkfonds.models import NotificationKind, User
    from wijkfonds.services.notifications.unsubscribe import token_for

    author = db.session.get(User, values["user_id"])
    assert author is not None
    return {"token": token_for(author, NotificationKind.COMMENT)}
