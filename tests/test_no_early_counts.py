"""No vote count leaks before publication: every API endpoint and every public page and export is probed.

One plan gets a distinctive number of ballots (PROBE). While voting is open, and after it
closed but before the result is published, that number appears nowhere an anonymous visitor
can read. The same probe then finds it after publication (so it cannot pass trivially),
and the API's selection equals the published run's.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from flask import Flask

from tests import factories as f
from tests import factories_results as fr
from tests.api_helpers import publish
from tests.test_access_matrix import expectations
from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.models import Initiative, Phase, Round, Status

PROBE = 437  # ballots for one plan: no id, minute, cost, budget or population of this world is 437
# The probe as a number of its own: not part of a longer number, a word, or a Dutch "1.437".
WORD = re.compile(rf"(?<![\w.]){PROBE}(?!\w|\.\d)")
VOTE_KEYS = re.compile(r"vote|ballot|voter|turnout", re.IGNORECASE)


def _set_phase(rnd: Round, phase: Phase) -> None:
    # Whole hours, so that no time shown on a page has the probe's digits by chance.
    base = utcnow().replace(minute=0, second=0, microsecond=0)
    for name, value in f.phase_dates(phase, base).items():
        setattr(rnd, name, value)
    db.session.commit()


def _world() -> tuple[Round, Initiative, Initiative]:
    rnd = f.round_(Phase.VOTING)
    _set_phase(rnd, Phase.VOTING)
    author = f.user()
    probe = f.initiative(rnd, author, status=Status.FEASIBLE, district_slug="de-baarsjes", title="Speeltuin")
    other = f.initiative(rnd, author, status=Status.FEASIBLE, district_slug="de-baarsjes", title="Bankjes")
    f.initiative(rnd, author, status=Status.FEASIBLE, district_slug="oud-west", title="Moestuin")
    probe.support_count = 12  # supporters (likes) from the submission phase: public, not votes
    for _ in range(PROBE):
        fr.ballot(rnd, [probe])
    for _ in range(3):
        fr.ballot(rnd, [other])
    db.session.commit()
    return rnd, probe, other


def _public_urls(app: Flask, values: dict[str, Any]) -> list[str]:
    """Every GET route an anonymous visitor may open whose URL arguments this world can fill."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or "anonymous" not in expectations().get(rule.endpoint, {}).get("GET", ()):
            continue
        if rule.endpoint == "static" or not set(rule.arguments) <= set(values):
            continue
        urls.append(app.url_for(rule.endpoint, **{a: values[a] for a in rule.arguments}, _external=False))
    return sorted(set(urls))


def _walk(data: Any, path: str = "") -> list[str]:
    """Where a JSON document shows a vote count: the probe as a number, or a vote-like key with a number or a list."""
    found = []
    if isinstance(data, dict):
        for k, v in data.items():
            counted = (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, (list, dict)) and v)
            if VOTE_KEYS.search(k) and counted:
                found.append(f"{path}.{k}={v!r}"[:120])
            found += _walk(v, f"{path}.{k}")
    elif isinstance(data, list):
        for i, v in enumerate(data):
            found += _walk(v, f"{path}[{i}]")
    elif isinstance(data, int) and not isinstance(data, bool) and data == PROBE:
        found.append(f"{path}={data}")
    return found


def _pdf_text(data: bytes) -> str:
    """The text of a PDF answer (the year report), so it is probed like a page."""
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def _probe(client, urls: list[str]) -> dict[str, list[str]]:
    """url -> where the count shows (empty when nowhere); every answer is checked, status 4xx included."""
    leaks: dict[str, list[str]] = {}
    for url in urls:
        resp = client.get(url)
        assert resp.status_code < 500, (url, resp.status_code)
        if resp.mimetype == "application/pdf":
            text = _pdf_text(resp.data)
        else:
            text = resp.get_data().decode("utf-8", "replace")  # images (the favicon) are read as text too
        found = [f"text: …{text[max(0, m.start() - 60) : m.end() + 20]}…" for m in WORD.finditer(text)]
        if resp.mimetype == "application/json" and not url.endswith("/openapi.json"):  # the document names the keys
            found += _walk(json.loads(text))
        if found:
            leaks[url] = found
    return leaks


def _urls(app: Flask, rnd: Round, probe: Initiative) -> list[str]:
    values = {
        "round_id": rnd.id,
        "initiative_id": probe.id,
        "district_id": probe.district_id,
        "block_id": probe.block_id,
        "slug": rnd.slug,
        "lang": "nl",
    }
    urls = _public_urls(app, values)
    extra = [
        f"/api/v1/plans?round={rnd.id}",
        f"/api/v1/plans?round={rnd.id}&status=feasible",
        f"/?district={probe.district_id}",
        "/?sort=support",
        "/?weergave=kaart",
        "/api/v1/openapi.json",
    ]
    return sorted(set(urls + extra))


def test_no_vote_count_before_publication_and_the_probe_finds_it_after(app: Flask, client) -> None:
    rnd, probe, _other = _world()
    urls = _urls(app, rnd, probe)
    covered = {u.split("?")[0] for u in urls}
    # Every API endpoint and every public export is among the probed URLs.
    for needed in (
        "/api/v1/",
        "/api/v1/rounds",
        f"/api/v1/rounds/{rnd.id}",
        f"/api/v1/rounds/{rnd.id}/result",
        "/api/v1/districts",
        "/api/v1/themes",
        "/api/v1/building-blocks",
        "/api/v1/plans",
        f"/api/v1/plans/{probe.id}",
        f"/uitslag/{rnd.id}",
        f"/uitslag/{rnd.id}/uitslag.csv",
        f"/uitslag/{rnd.id}/gebied/{probe.district_id}.pb",
        f"/uitslag/initiatief/{probe.id}",
        f"/initiatieven/{probe.id}",
    ):
        assert needed in covered, needed

    assert _probe(client, urls) == {}, "a vote count shows while voting is open"
    assert client.get(f"/uitslag/{rnd.id}/uitslag.csv").status_code == 404
    assert client.get(f"/uitslag/{rnd.id}/gebied/{probe.district_id}.pb").status_code == 404
    assert client.get(f"/api/v1/rounds/{rnd.id}/result").status_code == 404

    _set_phase(rnd, Phase.RESULTS)  # closed, not yet published
    assert _probe(client, urls) == {}, "a vote count shows before publication"

    run = publish(rnd)
    leaks = _probe(client, urls)
    for shown in (
        f"/api/v1/rounds/{rnd.id}/result",
        f"/api/v1/plans/{probe.id}",
        f"/uitslag/{rnd.id}",
        f"/uitslag/{rnd.id}/uitslag.csv",
        f"/uitslag/{rnd.id}/gebied/{probe.district_id}.pb",
    ):
        assert shown in leaks, f"the probe does not find the published count on {shown}"
    rows = csv.DictReader(io.StringIO(client.get(f"/uitslag/{rnd.id}/uitslag.csv").get_data(as_text=True)))
    assert {r["initiative_id"]: r["votes"] for r in rows}[str(probe.id)] == str(PROBE)
    pb = client.get(f"/uitslag/{rnd.id}/gebied/{probe.district_id}.pb").get_data(as_text=True)
    projects = pb.split("PROJECTS")[1].split("VOTES")[0]
    assert f";{PROBE};" in projects, "the .pb file's PROJECTS section carries the votes"
    assert f"/api/v1/plans?round={rnd.id}" not in leaks, "the plan list carries no votes, even after publication"

    result = client.get(f"/api/v1/rounds/{rnd.id}/result").get_json()
    outcomes = run.result["outcomes"]
    assert result["selected"] == [outcomes[pid]["initiative_id"] for pid in run.result["selected"]]
    assert probe.id in result["selected"]
    funded = {p["id"] for p in client.get(f"/api/v1/plans?round={rnd.id}&status=funded").get_json()["items"]}
    assert funded == set(result["selected"])
    assert client.get(f"/api/v1/plans/{probe.id}").get_json()["result"]["votes"] == PROBE
