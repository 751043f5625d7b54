"""Access expectations of the media blueprint: photo files for everyone, a plan's photo page
for its initiator only (nobody in the matrix owns the world's plan), moderation for staff."""

from . import ANYONE, STAFF

NOBODY: frozenset[str] = frozenset()

EXPECT = {
    "media.photo_file": {"GET": ANYONE},
    "media.manage": {"GET": NOBODY, "POST": NOBODY},
    "media.remove": {"POST": NOBODY},
    "media.photo_queue": {"GET": STAFF},
    "media.photo_detail": {"GET": STAFF},
    "media.hide_photo": {"POST": STAFF},
    "media.unhide_photo": {"POST": STAFF},
}


def world(values: dict[str, object]) -> dict[str, object]:
    """A real photo on the world's plan, for photo_id and the file's name."""
    import io

    from PIL import Image

    from wijkfonds.extensions import db
    from wijkfonds.models import Initiative, User
    from wijkfonds.services.media import photos

    author = db.session.get(User, values["user_id"])
    ini = db.session.get(Initiative, values["initiative_id"])
    buf = io.BytesIO()
    Image.new("RGB", (400, 300), (200, 120, 40)).save(buf, "JPEG")
    photo = photos.add_to_initiative(ini, photos.store(buf.getvalue(), author), "Een oranje vlak", author)
    return {"photo_id": photo.id, "name": photos.ref(photo).name()}
