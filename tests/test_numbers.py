"""Numbers that do not fit the database: a clear 4xx naming the field (or file and line), never a 500.

Every amount, count and id lives in an INTEGER column; PostgreSQL's holds 2**31 - 1, so
that is the one bound (wijkfonds.common.numbers.MAX_INT) for both databases.
"""

from __future__ import annotations

import html
import io
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests import factories as f
from tests import factories_resident as frs
from tests import factories_review as frv
from tests import factories_rounds as frd
from tests.test_access_matrix import world
from wijkfonds.common.numbers import MAX_EUROS, MAX_INT, parse_id, parse_page
from wijkfonds.extensions import db
from wijkfonds.models import (
    AuditEvent,
    Ballot,
    District,
    Initiative,
    Phase,
    Role,
    Round,
    Status,
    User,
    Voter,
    VotingCode,
)

TOO_BIG = str(MAX_INT + 1)
HUGE = "9" * 30
ENORMOUS = "9" * 5000  # more digits than Python's int() converts
TOO_HIGH = "te hoog"  # the message of every amount above MAX_EUROS


def _counts() -> tuple[int, ...]:
    models = (Round, District, Initiative, Voter, Ballot, User, VotingCode, AuditEvent)
    return tuple(db.session.scalar(select(func.count(m.id))) or 0 for m in models)


def _login(client, role: Role = Role.STAFF) -> User:
    user = f.user(role)
    db.session.commit()
    with client.session_transaction() as sess:
        sess["_user_id"] = user.get_id()
        sess["_fresh"] = True
    return user


def test_parse_id_and_page() -> None:
    assert parse_id("12") == 12 and parse_id(" 7 ") == 7 and parse_id(MAX_INT) == MAX_INT
    for bad in ("", None, "0", "-3", "1.5", "abc", "²", "١٢", TOO_BIG, HUGE, ENORMOUS, MAX_INT + 1, True):
        assert parse_id(bad) is None, bad
    assert parse_page("3") == 3 and parse_page("0") == 1 and parse_page("x") == 1 and parse_page(None) == 1
    assert parse_page(TOO_BIG) == MAX_INT and parse_page(ENORMOUS) == MAX_INT and parse_page("-2") == 1


# --- ids in URLs -------------------------------------------------------------------------


@pytest.mark.parametrize("value", [TOO_BIG, HUGE, ENORMOUS])
def test_huge_ids_in_urls_are_404(app: Flask, value: str) -> None:
    """Every route with an <int:...> argument, every method, as an admin: 404 (405 for a method)."""
    values = world()
    admin = f.user(Role.ADMIN)
    db.session.commit()
    problems = []
    tried = 0
    for rule in app.url_map.iter_rules():
        ints = [a for a in rule.arguments if type(rule._converters[a]).__name__ == "IdConverter"]
        for name in ints:
            marker = 1_234_567
            url = app.url_for(rule.endpoint, **{**values, name: marker}, _external=False)
            url = url.replace(str(marker), value)
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                client = app.test_client()
                with client.session_transaction() as sess:
                    sess["_user_id"] = admin.get_id()
                status = client.open(url, method=method, data={}).status_code
                tried += 1
                if status != 404:
                    problems.append(f"{method} {rule.rule} ({name}={value[:12]}...): {status}")
    assert tried > 50 and not problems, "\n".join(problems)


def test_the_example_from_the_issue(client) -> None:
    assert client.get("/initiatieven/99999999999999999999").status_code == 404
    assert client.get(f"/initiatieven/{MAX_INT}").status_code == 404


# --- query parameters --------------------------------------------------------------------


@pytest.mark.parametrize("value", [TOO_BIG, HUGE, ENORMOUS, "-5", "²"])
def test_numbers_in_query_strings(client, value: str) -> None:
    rnd = f.round_(Phase.REVIEW)
    fr_run_round = f.round_(Phase.SUBMISSION)
    db.session.commit()
    _login(client, Role.ADMIN)
    answers = {
        "/beheer/accounts": client.get("/beheer/accounts", query_string={"pagina": value}),
        "review": client.get(f"/beheer/beoordeling/ronde/{rnd.id}", query_string={"pagina": value, "gebied": value}),
        "audit": client.get("/controle/logboek", query_string={"pagina": value, "ronde": value}),
        "compare": client.get(f"/beheer/toewijzing/ronde/{rnd.id}/vergelijken", query_string={"a": value, "b": value}),
        "browse": client.get("/", query_string={"page": value, "district": value, "theme": value, "block": value}),
        "other round": client.get(f"/beheer/toewijzing/ronde/{fr_run_round.id}/vergelijken?a=1&b={value}"),
    }
    for where, resp in answers.items():
        assert resp.status_code < 500, f"{where}: {resp.status_code}"
    # A page beyond the last is empty (admin, review, audit) or 404 (the public list), never an error.
    assert answers["/beheer/accounts"].status_code == 200
    assert answers["compare"].status_code == 400
    if value in (TOO_BIG, HUGE, ENORMOUS):
        assert answers["browse"].status_code == 404
        assert answers["audit"].status_code == 400
        assert "Er is geen ronde met dit nummer." in answers["audit"].get_data(as_text=True)


# --- staff forms ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", [TOO_BIG, HUGE, "2.147.483.648", ENORMOUS])
@pytest.mark.parametrize("field", ["total_budget", "budget", "floor", "knapsack_min_spend"])
def test_round_amounts_that_do_not_fit(client, field: str, value: str) -> None:
    _login(client)
    first = f.districts()[0]
    name = {"budget": f"budget_{first.id}", "floor": f"floor_{first.id}"}.get(field, field)
    before = _counts()
    resp = client.post("/beheer/rondes/nieuw", data=frd.round_form(**{name: value}))
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422 and TOO_HIGH in body and "2.147.483.647" in body
    assert f'name="{name}"' in body  # the form comes back, the field with its message
    assert _counts() == before


def test_round_amount_at_the_bound_is_accepted_by_the_field(client) -> None:
    """MAX_EUROS itself fits: the form gets past the field (and then meets the sum check)."""
    _login(client)
    resp = client.post("/beheer/rondes/nieuw", data=frd.round_form(total_budget=str(MAX_EUROS)))
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422 and TOO_HIGH not in body and "tellen op tot" in body


@pytest.mark.parametrize("field", ["support_threshold", "approval_min", "approval_max"])
def test_round_counts_that_do_not_fit(client, field: str) -> None:
    _login(client)
    before = _counts()
    resp = client.post("/beheer/rondes/nieuw", data=frd.round_form(**{field: HUGE, "ballot_kind": "approval"}))
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422 and ("te groot" in body or "Vul een aantal in" in body)
    assert _counts() == before


def test_round_edit_with_a_huge_theme_id(client) -> None:
    _login(client)
    rnd = f.round_(Phase.SUBMISSION)
    db.session.commit()
    before = _counts()
    resp = client.post(f"/beheer/rondes/{rnd.id}/bewerken", data=frd.form_of(rnd) | {"themes": [HUGE, "²"]})
    assert resp.status_code == 422 and "Kies alleen thema's uit de lijst." in resp.get_data(as_text=True)
    assert _counts() == before


@pytest.mark.parametrize("value", [TOO_BIG, HUGE, ENORMOUS, "-" + HUGE])
def test_review_estimate_that_does_not_fit(client, value: str) -> None:
    rnd = frv.review_round()
    ini = frv.supported(rnd, 60, status=Status.IN_REVIEW)
    db.session.commit()
    _login(client)
    resp = client.post(
        f"/beheer/beoordeling/plan/{ini.id}/besluit",
        data={f"i{ini.id}-decision": "feasible", f"i{ini.id}-estimated_cost": value, f"i{ini.id}-reason": ""},
    )
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert (TOO_HIGH if not value.startswith("-") else "meer dan 0 euro") in body
    db.session.expire_all()
    assert ini.status == Status.IN_REVIEW.value and ini.estimated_cost is None


@pytest.mark.parametrize("value", [HUGE, ENORMOUS, "²", "١٢"])
def test_district_population_that_does_not_fit(client, value: str) -> None:
    _login(client, Role.ADMIN)
    before = _counts()
    resp = client.post("/beheer/gebieden/nieuw", data={"name": "Nieuwe Buurt", "population": value})
    assert resp.status_code == 422 and "aantal inwoners" in resp.get_data(as_text=True)
    assert _counts() == before


@pytest.mark.parametrize(("district", "count"), [(HUGE, "10"), (TOO_BIG, "10"), ("1", HUGE), ("1", ENORMOUS)])
def test_code_batch_numbers_that_do_not_fit(client, district: str, count: str) -> None:
    rnd = f.round_(Phase.REVIEW)
    db.session.commit()
    _login(client)
    before = _counts()
    resp = client.post(
        f"/beheer/stemcodes/ronde/{rnd.id}", data={"district": district, "count": count, "fmt": "csv", "confirm": "1"}
    )
    assert resp.status_code == 422 and "text/html" in resp.content_type
    assert _counts() == before


def test_paper_ballot_with_huge_initiative_ids(client) -> None:
    from tests import factories_vote as fv

    rnd = fv.voting_round()
    fv.feasible(rnd)
    code = fv.voting_code(rnd)
    db.session.commit()
    _login(client)
    before = _counts()
    resp = client.post(
        f"/beheer/stemcodes/ronde/{rnd.id}/papier",
        data={"code": code, "step": "ballot", "district": str(f.district().id), "initiative": [HUGE, "²", TOO_BIG]},
    )
    assert resp.status_code == 422 and "bestaat niet" in resp.get_data(as_text=True)
    assert _counts() == before


# --- resident forms ------------------------------------------------------------------------


@pytest.mark.parametrize("value", [TOO_BIG, "2.147.483.648", "999999999999999"])
def test_initiative_cost_that_does_not_fit(client, value: str) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    _login(client, Role.RESIDENT)
    before = frs.snapshot()
    resp = client.post("/initiatieven/nieuw", data=frs.initiative_form(rnd, requested_cost=value))
    assert resp.status_code == 422 and TOO_HIGH in resp.get_data(as_text=True)
    assert frs.snapshot() == before


@pytest.mark.parametrize("field", ["district", "theme", "block"])
def test_initiative_with_huge_select_values(client, field: str) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    _login(client, Role.RESIDENT)
    before = frs.snapshot()
    resp = client.post("/initiatieven/nieuw", data=frs.initiative_form(rnd, **{field: HUGE}))
    assert resp.status_code == 422
    assert frs.snapshot() == before


def test_registration_with_a_huge_district(client) -> None:
    before = _counts()
    resp = client.post(
        "/account/registreren",
        data={
            "email": "nieuw@voorbeeld.nl",
            "display_name": "Nieuwe Buur",
            "district": TOO_BIG,
            "password": "een lang wachtwoord",
            "password2": "een lang wachtwoord",
        },
    )
    assert resp.status_code == 422 and "Kies het gebied waar u woont." in resp.get_data(as_text=True)
    assert _counts() == before


# --- pabulib files: upload and CLI ---------------------------------------------------------

PB = """META
key;value
description;Buurtbudget Test
district;{district}
num_projects;2
num_votes;2
budget;{budget}
vote_type;approval
PROJECTS
project_id;cost;name
p1;{cost};Speeltuin
p2;5000;Bankjes
VOTES
voter_id;vote
v1;p1,p2
v2;p2
"""


def _pb(budget: object = 10_000, cost: object = 6_000, district: str = "Spaarndammerbuurt") -> str:
    return PB.format(budget=budget, cost=cost, district=district)


CASES = [
    (_pb(budget=HUGE), ":7: budget"),
    (_pb(budget=TOO_BIG), ":7: budget"),
    (_pb(cost=HUGE), ":11: the cost of project 'p1'"),
    (_pb(cost=TOO_BIG), ":11: the cost of project 'p1'"),
    (_pb(cost=ENORMOUS), ":11: number too long"),
]


@pytest.mark.parametrize(("text", "where"), CASES)
def test_upload_of_numbers_that_do_not_fit(client, text: str, where: str) -> None:
    _login(client)
    before = _counts()
    resp = client.post(
        "/beheer/toewijzing/importeren",
        data={"files": [(io.BytesIO(text.encode()), "groot.pb")], "name": ""},
        content_type="multipart/form-data",
    )
    body = html.unescape(resp.get_data(as_text=True))
    assert resp.status_code == 422 and f"groot.pb{where}" in body
    assert _counts() == before


@pytest.mark.parametrize(("text", "where"), CASES)
def test_cli_import_of_numbers_that_do_not_fit(runner, tmp_path: Path, text: str, where: str) -> None:
    path = tmp_path / "groot.pb"
    path.write_text(text, encoding="utf-8")
    before = _counts()
    result = runner.invoke(args=["import-pb", str(path)])
    assert result.exit_code == 2 and f"groot.pb{where}" in result.output
    assert _counts() == before


def test_budgets_that_add_up_beyond_the_bound(runner, client, tmp_path: Path) -> None:
    """Each file fits, their sum (the round's total budget) does not: refused, naming the files."""
    half = MAX_EUROS // 2 + 1
    a, b = tmp_path / "a.pb", tmp_path / "b.pb"
    a.write_text(_pb(budget=half), encoding="utf-8")
    b.write_text(_pb(budget=half, district="Zeeheldenbuurt").replace("p1;", "q1;").replace("v1;p1", "v1;q1"), "utf-8")
    before = _counts()
    result = runner.invoke(args=["import-pb", str(a), str(b)])
    assert result.exit_code == 2 and "add up to" in result.output and "a.pb" in result.output
    assert "b.pb" in result.output
    assert _counts() == before
    _login(client)
    before = _counts()
    resp = client.post(
        "/beheer/toewijzing/importeren",
        data={"files": [(io.BytesIO(a.read_bytes()), "a.pb"), (io.BytesIO(b.read_bytes()), "b.pb")], "name": ""},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 422 and "add up to" in resp.get_data(as_text=True)
    assert _counts() == before


def test_amounts_at_the_bound_import(runner, tmp_path: Path) -> None:
    path = tmp_path / "rand.pb"
    path.write_text(_pb(budget=MAX_EUROS, cost=MAX_EUROS), encoding="utf-8")
    result = runner.invoke(args=["import-pb", str(path)])
    assert result.exit_code == 0, result.output
    rnd = db.session.scalars(select(Round).where(Round.imported.is_(True))).one()
    assert rnd.total_budget == MAX_EUROS
    costs = sorted(db.session.scalars(select(Initiative.requested_cost).where(Initiative.round_id == rnd.id)))
    assert costs == [5000, MAX_EUROS]
