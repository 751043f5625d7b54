"""Hiding by staff, the same for comments, photos, needs and their replies, and progress updates:
the reason is checked first, then whether it is hidden already, and each kind records its own event."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from tests import factories as f
from tests import factories_implementation as fi
from tests import factories_media as fm
from tests import factories_resident as fres
from wijkfonds.extensions import db
from wijkfonds.models import AuditEvent, Phase, Role
from wijkfonds.services.dialogue import comments
from wijkfonds.services.errors import DomainError, ValidationFailed
from wijkfonds.services.implementation import progress
from wijkfonds.services.media import photos
from wijkfonds.services.needs import board, moderation

ALT = "Een leeg grasveld met twee bankjes onder een boom"


def _last() -> tuple[str, int | None, int | None, dict[str, Any]]:
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert event is not None
    return event.kind, event.actor_id, event.round_id, json.loads(event.payload)


def _walk(
    item: Any,
    hide: Callable[[str | None], None],
    unhide: Callable[[], None],
    *,
    hidden: tuple[str, int | None, int | None, dict[str, Any]],
    unhidden: tuple[str, int | None, int | None, dict[str, Any]],
    already: str,
    not_hidden: str,
) -> None:
    with pytest.raises(DomainError) as refused:
        unhide()
    assert (refused.value.args[0], refused.value.status) == (not_hidden, 409)
    with pytest.raises(ValidationFailed):
        hide("   ")
    assert item.hidden_at is None
    hide("  Persoonlijke gegevens  ")
    assert (item.hidden_reason, item.hidden_at is not None) == ("Persoonlijke gegevens", True)
    assert _last() == hidden
    with pytest.raises(ValidationFailed):  # the reason is checked before whether it is hidden already
        hide("")
    with pytest.raises(DomainError) as again:
        hide("Nog eens")
    assert (again.value.args[0], again.value.status) == (already, 409)
    unhide()
    assert (item.hidden_at, item.hidden_by_id, item.hidden_reason) == (None, None, "")
    assert _last() == unhidden


def test_a_comment_is_hidden_and_shown_with_its_reports_resolved(app) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    ini = f.initiative(rnd, f.user())
    c = fres.comment(ini)
    fres.report(c)
    fres.report(c, reason="Beledigend")
    staff = f.user(Role.STAFF)
    ids = {"comment_id": c.id, "initiative_id": ini.id}
    _walk(
        c,
        lambda reason: comments.hide(c, staff, reason),
        lambda: comments.unhide(c, staff),
        hidden=("comment.hidden", staff.id, rnd.id, {**ids, "reports_resolved": 2}),
        unhidden=("comment.unhidden", staff.id, rnd.id, ids),
        already="Deze reactie is al verborgen.",
        not_hidden="Deze reactie is niet verborgen.",
    )


def test_a_photo_is_hidden_and_shown(app) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    author = f.user()
    ini = f.initiative(rnd, author)
    photo = photos.add_to_initiative(ini, photos.store(fm.jpeg((400, 300)), author), ALT, author)
    staff = f.user(Role.STAFF)
    ids = {"photo_id": photo.id, "owner_kind": photo.owner_kind, "owner_id": ini.id}
    _walk(
        photo,
        lambda reason: photos.hide(photo, staff, reason),
        lambda: photos.unhide(photo, staff),
        hidden=("photo.hidden", staff.id, rnd.id, ids),
        unhidden=("photo.unhidden", staff.id, rnd.id, ids),
        already="Deze foto is al verborgen.",
        not_hidden="Deze foto is niet verborgen.",
    )


@pytest.mark.parametrize(
    ("on_reply", "kinds", "word", "resolved"),
    [
        (False, ("need.hidden", "need.unhidden"), "Deze behoefte", 1),
        (True, ("need.reply_hidden", "need.reply_unhidden"), "Deze reactie", 2),
    ],
)
def test_a_need_or_reply_is_hidden_and_shown_with_its_own_reports_resolved(
    app, on_reply, kinds, word, resolved
) -> None:
    data = board.NeedData(
        title="Geen plek om samen te koken",
        body="In onze straat wonen veel ouderen alleen. Samen koken zou helpen.",
        district_id=f.district().id,
        block_id=f.block(10).id,
    )
    need = board.post(data, author=f.user())
    reply = board.reply(need, f.user(), "Een vervelende reactie")
    moderation.report(need, None, f.user(), "Persoonlijk", limit=(10, 3600))
    for _i in range(2):  # the other item's report stays open
        moderation.report(need, reply, f.user(), "Onaardig", limit=(10, 3600))
    item = reply if on_reply else need
    staff = f.user(Role.STAFF)
    ids = {"need_id": need.id, "reply_id": reply.id if on_reply else None}
    _walk(
        item,
        lambda reason: moderation.hide(item, staff, reason),
        lambda: moderation.unhide(item, staff),
        hidden=(kinds[0], staff.id, None, {**ids, "reports_resolved": resolved}),
        unhidden=(kinds[1], staff.id, None, ids),
        already=f"{word} is al verborgen.",
        not_hidden=f"{word} is niet verborgen.",
    )


def test_a_progress_update_is_hidden_and_shown(app) -> None:
    rnd, staff, impls = fi.published()
    impl = impls[0]
    update = progress.add_update(impl, staff, "Het stadsdeel meldt: de vergunning is rond.")
    ids = {"initiative_id": impl.initiative_id, "update_id": update.id}
    _walk(
        update,
        lambda reason: progress.hide_update(update, staff, reason),
        lambda: progress.unhide_update(update, staff),
        hidden=("implementation.update_hidden", staff.id, rnd.id, ids),
        unhidden=("implementation.update_unhidden", staff.id, rnd.id, ids),
        already="Dit bericht is al verborgen.",
        not_hidden="Dit bericht is niet verborgen.",
    )
