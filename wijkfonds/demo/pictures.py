"""Demo photos: simple drawn pictures (so the demo ships no image files) on a few plans of each
demo round, so that plan pages, the overview and the ballot cards show what a photo looks like.

Each picture goes through the real upload path (``services.media.photos.store``: Pillow's
check, re-encoding, the widths for ``srcset``) and carries alt text that says what it shows.
"""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw
from sqlalchemy import select

from wijkfonds.extensions import db
from wijkfonds.models import Initiative, Photo, Round, User
from wijkfonds.services.audit import log as audit
from wijkfonds.services.media import photos

# What a picture shows, with its alt text (the drawing matches the words).
MOTIFS: dict[str, str] = {
    "tafels": "Getekende impressie: houten tafels en plantenbakken op een grasveld",
    "boeken": "Getekende impressie: een boekenkast met gekleurde boeken in een buurtkamer",
    "fietsen": "Getekende impressie: twee bakfietsen voor een buurthuis",
}
# How many plans per demo round get a photo (the first ones by id, those without one yet).
PER_ROUND = 3


def picture(seed: int, motif: str = "tafels") -> bytes:
    """A JPEG of 960 × 640 drawn from ``seed``: tables on grass, a bookcase, or two cargo bikes."""
    rng = random.Random(seed)
    if motif == "boeken":
        img = Image.new("RGB", (960, 640), (236, 226, 205))
        draw = ImageDraw.Draw(img)
        draw.rectangle((180, 60, 780, 600), fill=(120, 80, 45))
        for shelf in range(4):
            top = 80 + shelf * 130
            draw.rectangle((195, top + 110, 765, top + 120), fill=(90, 60, 30))
            x = 205
            while x < 740:
                w = rng.randint(18, 38)
                colour = (rng.randint(40, 220), rng.randint(40, 200), rng.randint(40, 200))
                draw.rectangle((x, top + rng.randint(15, 40), x + w, top + 110), fill=colour)
                x += w + 3
    elif motif == "fietsen":
        img = Image.new("RGB", (960, 640), (200, 220, 235))
        draw = ImageDraw.Draw(img)
        draw.rectangle((0, 430, 960, 640), fill=(150, 150, 150))
        draw.rectangle((120, 120, 840, 430), fill=(170, 90, 70))
        draw.rectangle((430, 260, 530, 430), fill=(80, 50, 40))
        for x0 in (150, 560):
            draw.rectangle((x0, 380, x0 + 160, 470), fill=(30, 110 + rng.randint(0, 60), 160))
            for cx in (x0 + 20, x0 + 230):
                draw.ellipse((cx - 45, 470, cx + 45, 560), outline=(20, 20, 20), width=8)
    else:
        img = Image.new("RGB", (960, 640), (150 + rng.randint(0, 60), 190, 120 + rng.randint(0, 40)))
        draw = ImageDraw.Draw(img)
        draw.rectangle((0, 0, 960, 200), fill=(185, 215, 240))
        for _ in range(12):
            x, y = rng.randint(0, 900), rng.randint(220, 600)
            draw.rectangle((x, y, x + 60, y + 30), fill=(90, 60 + rng.randint(0, 40), 30))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def add_plan_photos() -> dict[str, int]:
    """Give the first plans of every demo round a photo by their initiator, once (idempotent)."""
    added = 0
    motifs = list(MOTIFS)
    with_photo = select(Photo.owner_id).where(Photo.owner_kind == photos.OWNER_INITIATIVE)
    for rnd in db.session.scalars(select(Round).order_by(Round.id)):
        plans = db.session.scalars(
            select(Initiative)
            .where(Initiative.round_id == rnd.id, Initiative.external_id.like("demo%"))
            .order_by(Initiative.id)
            .limit(PER_ROUND)
        ).all()
        for n, ini in enumerate(plans):
            if db.session.scalar(with_photo.where(Photo.owner_id == ini.id).limit(1)) is not None:
                continue
            motif = motifs[(rnd.id + n) % len(motifs)]
            author = db.session.get(User, ini.author_id)
            if author is None:
                continue
            stored = photos.store(picture(rnd.id * 100 + n, motif), author)
            # Straight onto the plan: in the demo's story the photo came with the plan, before
            # voting began (add_to_initiative refuses changes once voting has started).
            photo = photos.attach(photos.OWNER_INITIATIVE, ini.id, stored, MOTIFS[motif], author)
            audit.record("photo.added", actor=author, round_id=ini.round_id, photo_id=photo.id, initiative_id=ini.id)
            added += 1
    db.session.flush()
    return {"photos": added}
