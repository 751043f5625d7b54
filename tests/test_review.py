"""Staff review: queue, start review, decisions, cost estimates, text corrections, bad input."""

from __future__ import annotations

from sqlalchemy import select

from tests import factories_review as fr
from wijkfonds.extensions import db
from wijkfonds.models import Initiative, Phase, Revision, Status


def _decide(client, ini, **data):
    form = {f"i{ini.id}-{k}": v for k, v in data.items()}
    return client.post(f"/beheer/beoordeling/plan/{ini.id}/besluit", data=form)


def test_queue_lists_initiatives_with_enough_support(client, auth) -> None:
    rnd = fr.review_round(threshold=10)
    top = fr.supported(rnd, 12, title="Buurtmoestuin Bos en Lommer")
    low = fr.supported(rnd, 3, title="Te weinig steun plan")
    auth.login(fr.staff())
    page = client.get(f"/beheer/beoordeling/ronde/{rnd.id}").get_data(as_text=True)
    assert top.title in page and low.title not in page
    every = client.get(f"/beheer/beoordeling/ronde/{rnd.id}?toon=alle").get_data(as_text=True)
    assert low.title in every and "Niet genoeg steun" in every
