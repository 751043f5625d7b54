"""Photos on plans through the pages: uploading with a plan or afterwards, what the forms refuse
and say, the file route's headers, hiding by staff, and the initiator's photo page."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests import factories as f
from tests import factories_media as fm
from tests import factories_resident as fr
from wijkfonds.extensions import db
from wijkfonds.models import AuditEvent, Initiative, Phase, Photo, RateEvent, Role, Status
from wijkfonds.services.media import photos, storage

ALT = "Een leeg grasveld met twee bankjes onder een boom"
SRCSET = re.compile(r'srcset="([^"]+)"')


def _resident(auth):
    me = f.user()
    db.session.commit()
    auth.login(me)
    return me


def _file(data: bytes, name: str = "foto.jpg", mimetype: str = "image/jpeg") -> tuple[io.BytesIO, str, str]:
    return (io.BytesIO(data), name, mimetype)


def _submit(client, rnd, data: bytes | None, alt: str = ALT, **over):
    form = fr.initiative_form(rnd, photo_alt=alt, **over)
    if data is not None:
        form["photo"] = _file(data)
    return client.post("/initiatieven/nieuw", data=form, content_type="multipart/form-data")


def _urls(html: str) -> list[str]:
    return [part.split()[0] for found in SRCSET.findall(html) for part in found.split(",")]


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_a_plan_submitted_with_a_photo_shows_it_on_its_page_and_in_the_list(client, auth) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    me = _resident(auth)
    resp = _submit(client, rnd, fm.jpeg_with_gps())
    assert resp.status_code == 302
    ini = db.session.scalars(select(Initiative)).one()
    photo = db.session.scalars(select(Photo)).one()
    assert (photo.owner_kind, photo.owner_id, photo.uploader_id, photo.alt) == ("initiative", ini.id, me.id, ALT)
    assert (photo.widths, photo.width, photo.height, photo.fmt) == ("320,640,1280", 1280, 960, "jpeg")
    kinds = list(db.session.scalars(select(AuditEvent.kind).order_by(AuditEvent.seq)))
    assert kinds[-2:] == ["initiative.submitted", "photo.added"]

    page = client.get(f"/initiatieven/{ini.id}").get_data(as_text=True)
    img = re.search(r"<img [^>]+>", page).group(0)
    assert f'alt="{ALT}"' in img and 'width="1280"' in img and 'height="960"' in img
    assert 'sizes="' in img and f"/media/fotos/{photo.digest}-640.jpg" in img
    assert _urls(page) == [f"/media/fotos/{photo.digest}-{w}.jpg" for w in (320, 640, 1280)]
    assert "Foto's toevoegen of verwijderen" in page  # the initiator may still change them

    listing = client.get("/").get_data(as_text=True)
    assert f"/media/fotos/{photo.digest}-640.jpg" in listing and f'alt="{ALT}"' in listing
    assert 'loading="lazy"' in listing

    for url in _urls(page):
        served = client.get(url)
        assert served.status_code == 200 and served.mimetype == "image/jpeg"
        assert b"Exif" not in served.data and b"Telefoonmerk" not in served.data


def test_every_img_on_the_plan_and_list_pages_has_alt_text(client, auth) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    _resident(auth)
    assert _submit(client, rnd, fm.png()).status_code == 302
    ini = db.session.scalars(select(Initiative)).one()
    for html in (client.get("/").get_data(as_text=True), client.get(f"/initiatieven/{ini.id}").get_data(as_text=True)):
        tags = re.findall(r"<img [^>]+>", html)
        assert tags and all(re.search(r'alt="[^"]+"', t) for t in tags)


def test_alt_text_is_required_and_the_photo_is_kept_for_the_next_try(client, auth) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    _resident(auth)
    resp = _submit(client, rnd, fm.jpeg(), alt="   ")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "Beschrijf in een zin wat er op de foto te zien is" in body
    assert 'id="photo_alt-error"' in body and _count(Initiative) == 0 and _count(Photo) == 0
    assert "Uw foto is ontvangen" in body
    token = re.search(r'name="photo_token" type="hidden" value="([^"]+)"', body).group(1)
    # The next try sends the token instead of the file (a browser never refills a file field).
    again = client.post(
        "/initiatieven/nieuw",
        data=fr.initiative_form(rnd, photo_alt=ALT, photo_token=token),
        content_type="multipart/form-data",
    )
    assert again.status_code == 302
    assert db.session.scalars(select(Photo.alt)).one() == ALT


def test_a_token_of_someone_else_or_a_forged_one_brings_no_photo(client, auth, app: Flask) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    other = f.user()
    stored = photos.store(fm.jpeg(), other)
    db.session.commit()
    _resident(auth)
    token = photos.token_for(stored, other)
    for bad in (token, token[:-2] + "xx"):
        resp = client.post(
            "/initiatieven/nieuw",
            data=fr.initiative_form(rnd, photo_alt=ALT, photo_token=bad),
            content_type="multipart/form-data",
        )
        assert resp.status_code == 302
    assert _count(Photo) == 0 and _count(Initiative) == 2


def test_other_mistakes_and_a_bad_photo_show_together(client, auth) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    _resident(auth)
    resp = _submit(client, rnd, fm.SVG, title="")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "Geef uw plan een titel." in body and "geen foto die we kunnen lezen" in body
    assert 'id="photo-error"' in body and "Uw foto is ontvangen" not in body


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (fm.SVG, "tekening.svg"),
        (b"Dit is gewoon tekst.\n" * 50, "foto.jpg"),
        (fm.gif(), "plaatje.gif"),
        (b"<html><body><script>alert(1)</script></body></html>", "pagina.jpg"),
    ],
    ids=["svg-with-script", "text-renamed-jpg", "gif", "html-renamed-jpg"],
)
def test_files_that_are_not_jpeg_png_or_webp_are_refused_on_the_form(client, auth, data: bytes, name: str) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    _resident(auth)
    form = fr.initiative_form(rnd, photo_alt=ALT)
    form["photo"] = _file(data, name)
    resp = client.post("/initiatieven/nieuw", data=form, content_type="multipart/form-data")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "Dit bestand is geen foto die we kunnen lezen. Kies een foto in JPEG-, PNG- of WebP-formaat." in body
    assert "Moestuin op het Mercatorplein" in body  # what was typed stays
    assert _count(Initiative) == 0 and _count(Photo) == 0


def test_a_decompression_bomb_is_refused_on_the_form(client, auth) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    _resident(auth)
    resp = _submit(client, rnd, fm.bomb())
    assert resp.status_code == 422
    assert "9000 × 9000 beeldpunten; dat mag hoogstens 40 miljoen" in resp.get_data(as_text=True)


def test_a_photo_over_the_photo_limit_gets_a_message_on_the_form(client, auth) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    _resident(auth)
    big = fm.jpeg() + b"\0" * (12 * 1024 * 1024)  # 12 MB: under the request limit, over the photo limit
    resp = _submit(client, rnd, big)
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "De foto is 12 MB; dat mag hoogstens 10 MB zijn. Verklein de foto en probeer het opnieuw." in body
    assert "Moestuin op het Mercatorplein" in body and _count(Initiative) == 0
    assert _count(RateEvent) == 0  # nothing was decoded


def test_a_30_mb_file_gets_a_clear_page_not_a_bare_413(client, auth) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    _resident(auth)
    resp = _submit(client, rnd, b"\xff\xd8\xff" + b"\0" * (30 * 1024 * 1024))
    body = resp.get_data(as_text=True)
    assert resp.status_code == 413
    assert "Het bestand is te groot" in body
    assert "groter dan 16 MB, het meeste dat de site in één keer aanneemt. Een foto mag hoogstens 10 MB zijn." in body
    assert "knop Terug van uw browser" in body and "Kies dan een kleinere foto" in body
    assert _count(Initiative) == 0


def test_the_english_413_page_is_clear_too(client, auth) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    _resident(auth)
    client.get("/taal/en?next=/")
    body = _submit(client, rnd, b"\0" * (17 * 1024 * 1024)).get_data(as_text=True)
    assert "larger than 16 MB" in body and "at most 10 MB" in body


def test_the_file_route_serves_images_with_safe_headers(client, auth) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    _resident(auth)
    assert _submit(client, rnd, fm.png(mode="RGBA", colour=(0, 0, 0, 90))).status_code == 302
    photo = db.session.scalars(select(Photo)).one()
    assert photo.fmt == "png"
    resp = client.get(f"/media/fotos/{photo.digest}-320.png")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "image/png"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Content-Disposition"] == f'inline; filename="{photo.digest}-320.png"'
    assert resp.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert (
        "sandbox" in resp.headers["Content-Security-Policy"]
        and "script-src" not in resp.headers["Content-Security-Policy"]
    )
    assert resp.data.startswith(b"\x89PNG")
    again = client.get(f"/media/fotos/{photo.digest}-320.png", headers={"If-None-Match": resp.headers["ETag"]})
    assert again.status_code == 304


def test_the_file_route_serves_nothing_but_stored_names(client, auth, app: Flask) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    _resident(auth)
    assert _submit(client, rnd, fm.jpeg()).status_code == 302
    photo = db.session.scalars(select(Photo)).one()
    d = photo.digest
    # A file planted in the upload folder under a well-formed name, but no photo row knows it.
    planted = "0" * 32 + "-320.jpg"
    storage.path_of(planted).parent.mkdir(parents=True, exist_ok=True)
    storage.path_of(planted).write_bytes(b"<script>alert(1)</script>")
    (storage.root() / d[:2] / f"{d}-320.html").write_text("<script>alert(1)</script>")
    names = [
        planted,
        f"{d}-320.html",
        f"{d}-320.svg",
        f"{d}-999.jpg",  # a width that was not stored
        f"{d}-320.png",  # the wrong format for this photo
        f"{d.upper()}-320.jpg",
        f"{d}-320.jpg.html",
        f"{d}-0320.jpg",
    ]
    for name in names:
        resp = client.get(f"/media/fotos/{name}")
        assert resp.status_code == 404, name
        assert resp.mimetype == "text/html" and resp.headers["Cache-Control"] == "no-store"
    for path in (f"..%2F{d[:2]}%2F{d}-320.jpg", "..%2F..%2Fwijkfonds.sqlite3", f"{d[:2]}/{d}-320.jpg", "a/b"):
        resp = client.get(f"/media/fotos/{path}")  # a slash never reaches the route
        assert resp.status_code == 404 and resp.mimetype == "text/html", path
    assert client.get(f"/media/fotos/{d}-320.jpg").status_code == 200


def test_staff_hide_a_photo_with_a_reason_and_the_public_gets_404(app: Flask, auth) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    author = f.user()
    ini = f.initiative(rnd, author)
    photo = photos.add_to_initiative(ini, photos.store(fm.jpeg(), author), ALT, author)
    staff = f.user(Role.STAFF)
    db.session.commit()
    url = f"/media/fotos/{photos.ref(photo).name(320)}"
    public, moderator = app.test_client(), app.test_client()
    with moderator.session_transaction() as sess:
        sess["_user_id"] = staff.get_id()
    assert public.get(url).status_code == 200

    refused = moderator.post(f"/moderatie/fotos/{photo.id}/verbergen", data={"reason": " "})
    assert refused.status_code == 422 and "Geef een reden." in refused.get_data(as_text=True)
    resp = moderator.post(f"/moderatie/fotos/{photo.id}/verbergen", data={"reason": "Herkenbare kinderen"})
    assert resp.status_code == 303
    db.session.expire_all()
    assert db.session.get(Photo, photo.id).hidden_reason == "Herkenbare kinderen"
    assert db.session.scalars(select(AuditEvent.kind).order_by(AuditEvent.seq.desc())).first() == "photo.hidden"

    assert public.get(url).status_code == 404
    for who in (public, app.test_client()):
        page = who.get(f"/initiatieven/{ini.id}").get_data(as_text=True)
        assert "Deze foto is verborgen door een moderator: Herkenbare kinderen" in page
        assert "/media/fotos/" not in page and ALT not in page
    assert photos.covers("initiative", [ini.id]) == {}
    assert "/media/fotos/" not in public.get("/").get_data(as_text=True)

    seen = moderator.get(url)  # staff still see it, and nothing keeps a copy
    assert seen.status_code == 200 and seen.headers["Cache-Control"] == "private, no-store"
    staff_page = moderator.get(f"/initiatieven/{ini.id}").get_data(as_text=True)
    assert url in staff_page and "Moderatie: weer tonen" in staff_page
    queue = moderator.get("/moderatie/fotos/").get_data(as_text=True)
    assert "Herkenbare kinderen" in queue

    assert moderator.post(f"/moderatie/fotos/{photo.id}/tonen").status_code == 303
    assert public.get(url).status_code == 200
    assert moderator.post(f"/moderatie/fotos/{photo.id}/tonen").status_code == 409  # not hidden (any more)


def test_residents_cannot_moderate_photos(app: Flask, client, auth) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    author = f.user()
    photo = photos.add_to_initiative(f.initiative(rnd, author), photos.store(fm.jpeg(), author), ALT, author)
    db.session.commit()
    auth.login(author)
    assert client.post(f"/moderatie/fotos/{photo.id}/verbergen", data={"reason": "weg"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Photo, photo.id).hidden_at is None


def test_the_initiator_adds_and_removes_photos_afterwards(client, auth) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    me = _resident(auth)
    ini = f.initiative(rnd, me)
    db.session.commit()
    page = client.get(f"/initiatieven/{ini.id}/fotos")
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.get_data(as_text=True)
    nothing = client.post(f"/initiatieven/{ini.id}/fotos", data={"photo_alt": ALT}, content_type="multipart/form-data")
    assert nothing.status_code == 422 and "Kies een foto." in nothing.get_data(as_text=True)
    no_alt = client.post(
        f"/initiatieven/{ini.id}/fotos", data={"photo": _file(fm.webp())}, content_type="multipart/form-data"
    )
    assert no_alt.status_code == 422 and "Beschrijf in een zin" in no_alt.get_data(as_text=True)
    added = client.post(
        f"/initiatieven/{ini.id}/fotos",
        data={"photo": _file(fm.webp(), "foto.webp", "image/webp"), "photo_alt": ALT},
        content_type="multipart/form-data",
    )
    assert added.status_code == 303
    photo = db.session.scalars(select(Photo)).one()
    assert photo.fmt == "jpeg"
    listing = client.get(f"/initiatieven/{ini.id}/fotos").get_data(as_text=True)
    assert f"/media/fotos/{photo.digest}-640.jpg" in listing
    assert client.post(f"/initiatieven/{ini.id}/fotos/{photo.id}/verwijderen").status_code == 303
    assert _count(Photo) == 0
    assert db.session.scalars(select(AuditEvent.kind).order_by(AuditEvent.seq.desc())).first() == "photo.removed"
    assert client.get(f"/media/fotos/{photo.digest}-640.jpg").status_code == 404  # its row is gone


def test_only_the_initiator_manages_photos_and_only_until_voting(app: Flask, client, auth) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    author = f.user()
    ini = f.initiative(rnd, author)
    photo = photos.add_to_initiative(ini, photos.store(fm.jpeg(), author), ALT, author)
    db.session.commit()
    _resident(auth)  # someone else
    assert client.get(f"/initiatieven/{ini.id}/fotos").status_code == 403
    assert client.post(f"/initiatieven/{ini.id}/fotos/{photo.id}/verwijderen").status_code == 403
    auth.login(author)
    voting = f.round_(Phase.VOTING)
    on_ballot = f.initiative(voting, author, status=Status.FEASIBLE)
    db.session.commit()
    locked = client.get(f"/initiatieven/{on_ballot.id}/fotos").get_data(as_text=True)
    assert "het stemmen is begonnen" in locked and 'type="file"' not in locked
    resp = client.post(
        f"/initiatieven/{on_ballot.id}/fotos",
        data={"photo": _file(fm.jpeg()), "photo_alt": ALT},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 409 and "het stemmen is begonnen" in resp.get_data(as_text=True)
    assert photos.count_for("initiative", on_ballot.id) == 0
    # Another plan's photo cannot be removed through this plan's address.
    assert client.post(f"/initiatieven/{on_ballot.id}/fotos/{photo.id}/verwijderen").status_code == 409


def test_a_plan_takes_at_most_the_configured_number_of_photos(app: Flask, client, auth) -> None:
    app.config["PHOTO_MAX_PER_PLAN"] = 2
    rnd = f.round_(Phase.SUBMISSION)
    me = _resident(auth)
    ini = f.initiative(rnd, me)
    db.session.commit()
    for colour in ((1, 1, 1), (2, 2, 2)):
        data = {"photo": _file(fm.jpeg(colour=colour)), "photo_alt": ALT}
        assert (
            client.post(f"/initiatieven/{ini.id}/fotos", data=data, content_type="multipart/form-data").status_code
            == 303
        )
    full = client.post(
        f"/initiatieven/{ini.id}/fotos",
        data={"photo": _file(fm.jpeg()), "photo_alt": ALT},
        content_type="multipart/form-data",
    )
    assert full.status_code == 422 and "hoogstens 2 foto&#39;s" in full.get_data(as_text=True)
    assert photos.count_for("initiative", ini.id) == 2


def test_uploads_are_rate_limited_per_account(app: Flask, client, auth) -> None:
    app.config["PHOTO_UPLOAD_RATE_LIMIT"] = (2, 3600)
    rnd = f.round_(Phase.SUBMISSION)
    me = _resident(auth)
    ini = f.initiative(rnd, me)
    db.session.commit()
    # Refused files count too (decoding them is the cost), and the count survives the 422.
    bad = client.post(
        f"/initiatieven/{ini.id}/fotos",
        data={"photo": _file(fm.SVG), "photo_alt": ALT},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422
    ok = client.post(
        f"/initiatieven/{ini.id}/fotos",
        data={"photo": _file(fm.jpeg()), "photo_alt": ALT},
        content_type="multipart/form-data",
    )
    assert ok.status_code == 303
    limited = client.post(
        f"/initiatieven/{ini.id}/fotos",
        data={"photo": _file(fm.jpeg()), "photo_alt": ALT},
        content_type="multipart/form-data",
    )
    assert limited.status_code == 429
    assert "U heeft in korte tijd al 2 foto&#39;s geüpload" in limited.get_data(as_text=True)
    assert photos.count_for("initiative", ini.id) == 1


def test_editing_a_plan_can_add_a_photo(client, auth) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    me = _resident(auth)
    ini = f.initiative(rnd, me)
    db.session.commit()
    form = fr.initiative_form(rnd, title=ini.title, photo_alt=ALT)
    form.update(summary=ini.summary, description=ini.description, requested_cost=str(ini.requested_cost))
    form.update(district=ini.district_id, theme=ini.theme_id, block=ini.block_id, location="")
    form["photo"] = _file(fm.jpeg())
    resp = client.post(f"/initiatieven/{ini.id}/bewerken", data=form, content_type="multipart/form-data")
    assert resp.status_code == 302
    assert photos.count_for("initiative", ini.id) == 1


def test_upload_forms_need_a_csrf_token(csrf_app: Flask) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    me = f.user()
    ini = f.initiative(rnd, me)
    db.session.commit()
    client = csrf_app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = me.get_id()
    resp = client.post(
        f"/initiatieven/{ini.id}/fotos",
        data={"photo": _file(fm.jpeg()), "photo_alt": ALT},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 400 and _count(Photo) == 0
    page = client.get(f"/initiatieven/{ini.id}/fotos").get_data(as_text=True)
    assert 'name="csrf_token"' in page


def test_purge_deletes_only_files_no_photo_uses(app: Flask, tmp_path: Path) -> None:
    author = f.user()
    ini = f.initiative(f.round_(Phase.SUBMISSION), author)
    kept = photos.add_to_initiative(ini, photos.store(fm.jpeg(colour=(9, 9, 9)), author), ALT, author)
    orphan = photos.store(fm.jpeg(colour=(8, 8, 8)), author)  # a form that was never sent again
    db.session.commit()
    assert photos.purge_unused() == []  # too new: its token may still come back
    gone = photos.purge_unused(older_than=0)
    assert sorted(gone) == sorted(storage.file_name(orphan.digest, w, orphan.fmt) for w in orphan.widths)
    assert storage.exists(kept.digest, kept.fmt, photos.parse_widths(kept.widths))
    assert not storage.exists(orphan.digest, orphan.fmt, orphan.widths)
    assert str(storage.root()).startswith(str(tmp_path))  # tests never write into instance/uploads
