"""Access expectations of the needs board and staff's matrix of needs and plans."""

from . import ANYONE, RESIDENT, STAFF

WRITERS = RESIDENT | STAFF  # residents post and reply; staff also, on a resident's behalf

EXPECT = {
    "needs.board": {"GET": ANYONE},
    "needs.detail": {"GET": ANYONE},
    "needs.new": {"GET": WRITERS, "POST": WRITERS},
    "needs.recognise": {"POST": RESIDENT},
    "needs.reply": {"POST": WRITERS},
    "needs.report": {"GET": RESIDENT, "POST": RESIDENT},
    "needs.hide": {"GET": STAFF, "POST": STAFF},
    "needs.unhide": {"POST": STAFF},
    "needs.hide_reply": {"GET": STAFF, "POST": STAFF},
    "needs.unhide_reply": {"POST": STAFF},
    "needs.respond": {"POST": STAFF},
    "needs.matrix": {"GET": STAFF},
    "needs.theme": {"GET": STAFF, "POST": STAFF},
}


def world(values: dict[str, object]) -> dict[str, object]:
    """A need with a reply in the world's district, for the need URLs."""
    from wijkfonds.extensions import db
    from wijkfonds.models import Need, NeedReply

    need = Need(
        district_id=values["district_id"],
        block_id=values["block_id"],
        author_id=values["user_id"],
        title="Geen plek om samen te koken",
        body="In onze straat wonen veel mensen alleen.",
        hidden_reason="",
    )
    db.session.add(need)
    db.session.flush()
    reply = NeedReply(need_id=need.id, author_id=values["user_id"], body="Herkenbaar!", hidden_reason="")
    db.session.add(reply)
    db.session.flush()
    return {"need_id": need.id, "reply_id": reply.id}
