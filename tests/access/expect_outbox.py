"""Access expectations of the outbox blueprint: staff (and admins) only."""

from . import STAFF

EXPECT = {
    "outbox.index": {"GET": STAFF},
    "outbox.message": {"GET": STAFF},
    "outbox.message_html": {"GET": STAFF},
    "outbox.retry": {"POST": STAFF},
    "outbox.send_test": {"POST": STAFF},
}


def world(values: dict[str, object]) -> dict[str, object]:
    """A queued message, so that the message pages have one to show."""
    from wijkfonds.services.mail.outbox import queue

    row = queue("bewoner@voorbeeld.nl", "test_message", language="nl", context={"requested_by": "Matrix"})
    return {"mail_id": row.id}
