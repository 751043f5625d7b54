"""Publishing a run, the public results page with charts, and explanations per initiative."""

from __future__ import annotations

from sqlalchemy import select

from tests import factories as f
from tests import factories_results as fr
from wijkfonds.allocation.explain import render_reason
from wijkfonds.extensions import db
from wijkfonds.models import AuditEvent, Initiative, Role, Status
from wijkfonds.services.results.publication import explanation_for, published_run


def _publish(client, run_id: int, reason: str = ""):
    return client.post(f"/beheer/toewijzing/berekening/{run_id}/publiceren", data={"reason": reason, "confirm": "1"})


def test_publish_sets_statuses_and_replacing_needs_a_reason(client, auth) -> None:
    rnd, inis = fr.closed_round(seed=3)
    staff = f.user(Role.STAFF)
    greedy = fr.finished_run(rnd, staff, "greedy")
    ilp = fr.finished_run(rnd, staff, "ilp")
    auth.login(staff)
    assert _publish(client, greedy.id).status_code == 302
    db.session.expire_all()
    chosen = set(greedy.result["selected"])
    for ini in inis:
        assert ini.status == (Status.FUNDED.value if str(ini.id) in chosen else Status.NOT_FUNDED.value)
    again = _publish(client, ilp.id)
    assert again.status_code == 422 and "Geef een reden" in again.get_data(as_text=True)
    db.session.expire_all()
    assert published_run(rnd.id).id == greedy.id  # nothing changed
    assert _publish(client, ilp.id, "De raad koos de exacte methode.").status_code == 302
    db.session.expire_all()
    assert published_run(rnd.id).id == ilp.id
    chosen = set(ilp.result["selected"])
    assert {i.id for i in inis if i.status == Status.FUNDED.value} == {int(p) for p in chosen}
    events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.kind == "allocation.published")))
    assert len(events) == 2 and "De raad koos" in events[1].payload
    twice = _publish(client, ilp.id, "nog eens")
    assert twice.status_code == 409 and "al de officiële uitslag" in twice.get_data(as_text=True)


def test_publish_refuses_a_failed_run_and_changed_input(client, auth) -> None:
    from wijkfonds.models import BlockQuota

    rnd, inis = fr.closed_round()
    staff = f.user(Role.STAFF)
    ok = fr.finished_run(rnd, staff, "greedy")
    quota = BlockQuota(round_id=rnd.id, block_id=inis[0].block_id, min_bp=9_000)
    db.session.add(quota)
    failed = fr.finished_run(rnd, staff, "ilp")
    auth.login(staff)
    resp = _publish(client, failed.id)
    assert resp.status_code == 409 and "Alleen een geslaagde berekening" in resp.get_data(as_text=True)
    changed = _publish(client, ok.id)  # the quota changed the input after this run
    assert changed.status_code == 409 and "veranderd" in changed.get_data(as_text=True)
    db.session.expire_all()
    assert published_run(rnd.id) is None
    assert all(
        i.status == Status.FEASIBLE.value
        for i in db.session.scalars(select(Initiative).where(Initiative.round_id == rnd.id))
    )


def test_results_page_only_after_publication(client, auth) -> None:
    rnd, _inis = fr.closed_round()
    staff = f.user(Role.STAFF)
    run = fr.finished_run(rnd, staff, "greedy")
    before = client.get(f"/uitslag/{rnd.id}")
    assert before.status_code == 404 and "nog niet gepubliceerd" in before.get_data(as_text=True)
    auth.login(staff)
    _publish(client, run.id)
    auth.logout()
    resp = client.get(f"/uitslag/{rnd.id}")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert body.count("<svg") == 2 and 'role="img"' in body and "<table" in body
    assert "Besteding per gebied in cijfers" in body and "Besteding per bouwsteen in cijfers" in body
    funded = db.session.scalars(select(Initiative).where(Initiative.status == Status.FUNDED.value)).all()
    assert funded and all(i.title in body for i in funded)
    # plans without money are in view, each with its reason, under a heading of their own; below the header (whose language switch is a disclosure)
    assert "<details" not in body.partition("</header>")[2] and "Niet gefinancierd (" in body
    for o in run.result["outcomes"].values():
        if not o["funded"]:
            assert render_reason(o["reason"], o["params"], "nl").replace("'", "&#39;") in body
    assert "Berekend met: <strong>Meeste stemmen eerst</strong>." in body
    assert "<script" not in body.split("</head>")[1]
    listing = client.get("/uitslag/").get_data(as_text=True)
    assert rnd.name in listing
    from flask import current_app, url_for

    if "vote.check_receipt" in current_app.view_functions:  # the voting blueprint's receipt check
        assert f'href="{url_for("vote.check_receipt", _external=False)}"' in body


def test_explanations_in_both_languages(client, auth) -> None:
    rnd, inis = fr.closed_round(seed=5)
    staff = f.user(Role.STAFF)
    run = fr.finished_run(rnd, staff, "greedy")
    assert explanation_for(inis[0], "nl") is None
    auth.login(staff)
    _publish(client, run.id)
    db.session.expire_all()
    losers = [i for i in inis if i.status == Status.NOT_FUNDED.value]
    winners = [i for i in inis if i.status == Status.FUNDED.value]
    nl = explanation_for(losers[0], "nl")
    en = explanation_for(losers[0], "en")
    assert nl["funded"] is False and nl["text"].startswith("niet gefinancierd")
    # The engine's English sentence, with euros written as every English page writes them.
    stored = run.result["outcomes"][str(losers[0].id)]["explanation"]
    assert en["text"].startswith("not funded") and en["text"] == stored.replace("EUR ", "€ ")
    assert explanation_for(winners[0], "nl")["text"].startswith("gefinancierd")
    frag = client.get(f"/uitslag/initiatief/{losers[0].id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in frag and nl["text"] in frag.replace("&#39;", "'")
    client.get("/taal/en?next=/")
    page = client.get(f"/uitslag/initiatief/{losers[0].id}").get_data(as_text=True)
    assert "<html" in page and "not funded" in page and "Not funded" in page


def test_explanation_before_any_result(client) -> None:
    _rnd, inis = fr.closed_round()
    db.session.commit()
    body = client.get(f"/uitslag/initiatief/{inis[0].id}").get_data(as_text=True)
    assert "De uitslag is nog niet bekend" in body
    assert client.get("/uitslag/initiatief/999999").status_code == 404
