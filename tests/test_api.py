"""The open-data API: shapes (validated against its own OpenAPI document), paging, ETag/304, CORS, JSON errors."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate as validate_spec

from tests import factories as f
from tests import factories_results as fr
from tests.api_helpers import publish, response_schema, schema_validator
from wijkfonds.extensions import db
from wijkfonds.models import Initiative, Phase, Photo, Role, Status
from wijkfonds.services.media import photos

API = "/api/v1"


def _world():
    """A published round with plans in every district, a plan with a point and photos (one hidden), a withdrawn plan."""
    rnd, plans = fr.closed_round(per_district=3, voters=6)
    ini = plans[0]
    ini.location, ini.latitude, ini.longitude = "Mercatorplein", 52.3676, 4.8530
    for k, hidden in enumerate((False, True)):
        db.session.add(
            Photo(
                owner_kind=photos.OWNER_INITIATIVE,
                owner_id=ini.id,
                digest=f"{k:032x}",
                fmt="jpeg",
                widths="320,640",
                width=640,
                height=480,
                alt=f"Foto {k}",
                hidden_at=db.func.now() if hidden else None,
            )
        )
    withdrawn = f.initiative(rnd, status=Status.WITHDRAWN, title="Ingetrokken plan")
    db.session.commit()
    run = publish(rnd)
    return rnd, plans, withdrawn, run


def _paths(rnd, plans) -> dict[str, str]:
    return {
        "/": f"{API}/",
        "/rounds": f"{API}/rounds",
        "/rounds/{round_id}": f"{API}/rounds/{rnd.id}",
        "/rounds/{round_id}/result": f"{API}/rounds/{rnd.id}/result",
        "/districts": f"{API}/districts",
        "/themes": f"{API}/themes",
        "/building-blocks": f"{API}/building-blocks",
        "/plans": f"{API}/plans?round={rnd.id}&per_page=5",
        "/plans/{initiative_id}": f"{API}/plans/{plans[0].id}",
        "/rounds/{round_id}/implementation": f"{API}/rounds/{rnd.id}/implementation",
        "/plans/{initiative_id}/implementation": f"{API}/plans/{_funded(plans).id}/implementation",
    }


def _funded(plans):
    return next(p for p in plans if p.status == Status.FUNDED.value)


def test_the_document_is_valid_openapi_and_every_answer_matches_it(client) -> None:
    rnd, plans, _w, _run = _world()
    doc = client.get(f"{API}/openapi.json").get_json()
    validate_spec(doc)
    paths = _paths(rnd, plans)
    assert set(paths) | {"/openapi.json"} == set(doc["paths"]), "every documented path is tested"
    for path, url in paths.items():
        resp = client.get(url)
        assert resp.status_code == 200, (url, resp.get_data(as_text=True))
        assert resp.mimetype == "application/json"
        validator = schema_validator(doc, response_schema(doc, path))
        errors = sorted(str(e.message) for e in validator.iter_errors(resp.get_json()))
        assert not errors, (url, errors)
    # Every plan of the list, each one's detail, and an error, too.
    for p in plans:
        data = client.get(f"{API}/plans/{p.id}").get_json()
        assert not list(schema_validator(doc, "PlanDetail").iter_errors(data))
    error = client.get(f"{API}/plans?page=x").get_json()
    assert not list(schema_validator(doc, "Error").iter_errors(error))


def test_the_schemas_catch_a_wrong_answer(client) -> None:
    """The validation can fail: an extra field or a wrong type is caught."""
    _rnd, plans, _w, _run = _world()
    doc = client.get(f"{API}/openapi.json").get_json()
    data = client.get(f"{API}/plans/{plans[0].id}").get_json()
    validator = schema_validator(doc, "PlanDetail")
    assert not list(validator.iter_errors(data))
    assert list(validator.iter_errors({**data, "author_email": "a@b.nl"}))
    assert list(validator.iter_errors({**data, "cost": {**data["cost"], "requested": "veel"}}))


def test_plan_shapes_follow_the_public_pages(client) -> None:
    rnd, plans, withdrawn, _run = _world()
    data = client.get(f"{API}/plans/{plans[0].id}").get_json()
    assert data["place"] == {"name": "Mercatorplein", "point": {"latitude": 52.3676, "longitude": 4.853}}
    assert data["cost"]["requested"] == plans[0].requested_cost
    assert data["district"]["id"] == plans[0].district_id
    assert data["building_block"]["id"] == plans[0].block_id
    assert [p["alt"] for p in data["photos"]] == ["Foto 0"], "hidden photos stay out"
    assert data["photos"][0]["files"][0]["url"].startswith("http://localhost/media/fotos/")
    assert data["links"]["page"] == f"http://localhost/initiatieven/{plans[0].id}"
    body = client.get(f"{API}/plans/{plans[0].id}").get_data(as_text=True)
    author = db.session.get(Initiative, plans[0].id).author
    assert author.email not in body and author.display_name not in body, "no personal data"
    listed = {p["id"] for p in client.get(f"{API}/plans?round={rnd.id}&per_page=200").get_json()["items"]}
    assert listed == {p.id for p in plans}, "withdrawn plans are not listed, as on the public list"
    only = client.get(f"{API}/plans?round={rnd.id}&status=withdrawn").get_json()["items"]
    assert [p["id"] for p in only] == [withdrawn.id]


def test_the_result_is_the_published_run(client) -> None:
    rnd, _plans, _w, run = _world()
    data = client.get(f"{API}/rounds/{rnd.id}/result").get_json()
    outcomes = run.result["outcomes"]
    assert data["selected"] == [outcomes[pid]["initiative_id"] for pid in run.result["selected"]]
    assert data["rule"]["code"] == "greedy" and data["rule"]["name"]["nl"] == "Meeste stemmen eerst"
    assert {p["plan_id"]: p["votes"] for p in data["plans"]} == {
        o["initiative_id"]: o["support"] for o in outcomes.values()
    }
    assert all(p["explanation"]["nl"] and p["explanation"]["en"] for p in data["plans"])
    assert {d["district"]: d["budget"] for d in data["districts"]} == run.result["district_budgets"]
    csv = client.get(data["links"]["csv"])
    assert csv.status_code == 200 and csv.headers["Access-Control-Allow-Origin"] == "*"
    assert len(data["links"]["pb"]) == 4
    pb = client.get(data["links"]["pb"][0]["url"])
    assert pb.status_code == 200 and "VOTES" in pb.get_data(as_text=True)


def test_paging_with_links_and_totals(client) -> None:
    rnd, plans, _w, _run = _world()
    ids = sorted(p.id for p in plans)
    first = client.get(f"{API}/plans?round={rnd.id}&per_page=5").get_json()
    assert first["meta"] == {
        "total": 12,
        "page": 1,
        "per_page": 5,
        "pages": 3,
        "filters": {"round": rnd.id, "district": None, "status": None},
    }
    assert [p["id"] for p in first["items"]] == ids[:5]
    assert first["links"]["prev"] is None
    second = client.get(first["links"]["next"]).get_json()
    assert [p["id"] for p in second["items"]] == ids[5:10]
    last = client.get(second["links"]["last"]).get_json()
    assert [p["id"] for p in last["items"]] == ids[10:] and last["links"]["next"] is None
    beyond = client.get(f"{API}/plans?round={rnd.id}&per_page=5&page=9").get_json()
    assert beyond["items"] == [] and beyond["meta"]["total"] == 12
    district = plans[0].district_id
    mine = client.get(f"{API}/plans?district={district}&status=funded").get_json()["items"]
    assert mine and all(p["district"]["id"] == district and p["status"] == "funded" for p in mine)


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("page=x", "page"),
        ("page=0", "page"),
        ("page=99999999999999999999", "page"),
        ("per_page=0", "per_page"),
        ("per_page=201", "per_page"),
        ("per_page=-1", "per_page"),
        ("status=lost", "status"),
        ("round=abc", "round"),
        ("round=999999", "round"),
        ("district=2147483648", "district"),
        ("colour=red", "colour"),
    ],
)
def test_bad_parameters_are_400_json(client, query: str, parameter: str) -> None:
    resp = client.get(f"{API}/plans?{query}")
    assert resp.status_code == 400 and resp.mimetype == "application/json"
    error = resp.get_json()["error"]
    assert error["status"] == 400 and error["parameter"] == parameter and error["message"]


def test_unknown_ids_paths_and_methods_are_json(client) -> None:
    rnd = f.round_(Phase.VOTING)
    db.session.commit()
    for url in (
        f"{API}/plans/999999",
        f"{API}/rounds/999999",
        f"{API}/rounds/999999/result",
        f"{API}/plans/99999999999",  # beyond MAX_INT: no route matches
        f"{API}/nothing-here",
        f"{API}/plans/abc",
        f"{API}/rounds/{rnd.id}/result",  # not published yet
    ):
        resp = client.get(url)
        assert resp.status_code == 404 and resp.mimetype == "application/json", url
        assert resp.get_json()["error"]["code"] == "not_found"
    assert "nog niet gepubliceerd" in client.get(f"{API}/rounds/{rnd.id}/result").get_json()["error"]["message"]
    english = client.get(f"{API}/rounds/{rnd.id}/result?lang=en").get_json()["error"]["message"]
    assert "not" in english.lower() and "gepubliceerd" not in english
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        resp = client.open(f"{API}/rounds", method=method)
        assert resp.status_code == 405 and resp.mimetype == "application/json", method
        assert "GET" in resp.headers["Allow"]
    assert client.get(f"{API}/rounds?x=%00").status_code == 400
    assert client.get(f"{API}/rounds?x=%00").mimetype == "application/json"


def test_etag_and_if_none_match(client) -> None:
    _world()
    first = client.get(f"{API}/rounds")
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert "max-age" in first.headers["Cache-Control"]
    again = client.get(f"{API}/rounds", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == etag
    stale = client.get(f"{API}/rounds", headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200 and stale.get_json() == first.get_json()
    # A change of the data changes the ETag.
    f.round_(Phase.SUBMISSION, name="Nog een ronde")
    db.session.commit()
    changed = client.get(f"{API}/rounds", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_cors_and_no_cookies(client, auth) -> None:
    rnd, plans, _w, _run = _world()
    resp = client.get(f"{API}/plans", headers={"Origin": "https://example.org"})
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    pre = client.open(
        f"{API}/plans",
        method="OPTIONS",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"},
    )
    assert pre.status_code == 204 and pre.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in pre.headers["Access-Control-Allow-Methods"]
    anonymous = {u: client.get(u) for u in _paths(rnd, plans).values()}
    assert all("Set-Cookie" not in r.headers for r in anonymous.values())
    staff = f.user(Role.STAFF)
    db.session.commit()
    auth.login(staff)
    for url, before in anonymous.items():
        resp = client.get(url)
        assert "Set-Cookie" not in resp.headers, url
        assert resp.get_data() == before.get_data(), "the API shows everyone the same, staff included"


def test_head_answers_like_get_without_a_body(client) -> None:
    _world()
    get = client.get(f"{API}/districts")
    head = client.head(f"{API}/districts")
    assert head.status_code == 200 and head.get_data() == b""
    assert head.headers["ETag"] == get.headers["ETag"] and head.headers["Access-Control-Allow-Origin"] == "*"


def test_an_unexpected_error_is_json_too(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import make_app
    from wijkfonds.services.opendata import catalog

    app = make_app(database_url, PROPAGATE_EXCEPTIONS=False)
    with app.app_context():

        def broken() -> list[dict[str, object]]:
            raise RuntimeError("boom")

        monkeypatch.setattr(catalog, "districts", broken)
        resp = app.test_client().get(f"{API}/districts")
        assert resp.status_code == 500 and resp.mimetype == "application/json"
        assert resp.get_json()["error"]["code"] == "server_error" and "boom" not in resp.get_data(as_text=True)
        page = app.test_client().get("/uitslag/")  # the rest of the site keeps its HTML pages
        assert page.mimetype == "text/html"
        db.session.remove()
        db.engine.dispose()


def test_downloads_before_publication_are_a_clear_404_page(client) -> None:
    rnd, plans = fr.closed_round(per_district=2, voters=3)
    db.session.commit()
    for url in (f"/uitslag/{rnd.id}/uitslag.csv", f"/uitslag/{rnd.id}/gebied/{plans[0].district_id}.pb"):
        resp = client.get(url)
        assert resp.status_code == 404 and resp.mimetype == "text/html"
        assert "nog niet gepubliceerd" in resp.get_data(as_text=True)
    publish(rnd)
    assert client.get(f"/uitslag/{rnd.id}/gebied/999999.pb").status_code == 404
    page = client.get(f"/uitslag/{rnd.id}").get_data(as_text=True)
    assert f"/uitslag/{rnd.id}/uitslag.csv" in page and f"/uitslag/{rnd.id}/gebied/{plans[0].district_id}.pb" in page


def test_implementation_follows_the_year_report_and_only_after_publication(client) -> None:
    from datetime import timedelta

    from wijkfonds.services.implementation import money, progress, records
    from wijkfonds.services.report import year

    rnd, plans = fr.closed_round(per_district=2, voters=6)
    db.session.commit()
    assert client.get(f"{API}/rounds/{rnd.id}/implementation").status_code == 404
    assert client.get(f"{API}/plans/{plans[0].id}/implementation").status_code == 404
    publish(rnd)
    ini = _funded(plans)
    impl = records.for_initiative(ini)
    staff = f.user(Role.STAFF)
    progress.set_status(impl, "started", staff)
    money.record_payment(impl, staff, impl.granted // 2, progress.local_today() - timedelta(days=1), "Eerste tranche")
    progress.add_milestone(impl, staff, "Eerste bijeenkomst", progress.local_today() + timedelta(days=20))
    db.session.commit()
    data = client.get(f"{API}/rounds/{rnd.id}/implementation").get_json()
    report = year.build(rnd)
    assert data["totals"] == {
        "granted": report.summary.granted,
        "paid": impl.granted // 2,
        "spent": 0,
        "returned": 0,
    }
    assert data["plans_count"]["funded"] == report.funded == len(data["plans"])
    assert sum(b["granted"] for b in data["building_blocks"]) == report.summary.granted
    assert sum(fn["granted"] for fn in data["functions"]) == report.summary.granted
    text = str(data)
    assert ini.author is None or ini.author.display_name not in text  # no personal data
    assert "Eerste tranche" not in text
    plan = client.get(f"{API}/plans/{ini.id}/implementation").get_json()
    assert plan["status"] == "started" and plan["paid"] == impl.granted // 2
    assert [m["title"] for m in plan["milestones"]] == ["Eerste bijeenkomst"]
    not_funded = f.initiative(rnd, status=Status.NOT_FEASIBLE, title="Niet haalbaar")
    db.session.commit()
    missing = client.get(f"{API}/plans/{not_funded.id}/implementation")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
