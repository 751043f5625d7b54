"""Staff round management: create, fill by population, every bad input, audit."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from tests import factories as f
from tests import factories_rounds as fr
from wijkfonds.blueprints.rounds.fields import format_percent, parse_euros, parse_local, parse_percent
from wijkfonds.extensions import db
from wijkfonds.models import AuditEvent, BlockQuota, DistrictBudget, Phase, Role, Round
from wijkfonds.services.rounds.budget import split_by_population

URL = "/beheer/rondes/nieuw"


@pytest.fixture()
def staff(auth):
    """A logged-in staff member."""
    user = f.user(Role.STAFF)
    db.session.commit()
    auth.login(user)
    return user


def _snapshot() -> tuple[int, int, int, int]:
    return fr.count(Round), fr.count(DistrictBudget), fr.count(BlockQuota), fr.count(AuditEvent)


def test_create_round_saves_everything_and_audits(client, staff) -> None:
    blocks = [f.block(0), f.block(1)]
    data = fr.round_form(
        name="West Begroot 2028",
        **{f"min_{blocks[0].id}": "12,5", f"max_{blocks[0].id}": "40", f"max_{blocks[1].id}": "10.25"},
    )
    first = f.districts()[0]
    data[f"floor_{first.id}"] = "10.000"
    resp = client.post(URL, data=data)
    assert resp.status_code == 302, resp.get_data(as_text=True)
    rnd = db.session.scalars(select(Round).where(Round.name == "West Begroot 2028")).one()
    assert rnd.slug == "west-begroot-2028" and rnd.total_budget == 300_000
    assert sorted(b.amount for b in rnd.district_budgets) == [75_000] * 4
    assert (
        rnd.budget_for(first.id) == 75_000
        and {b.district_id: b.floor for b in rnd.district_budgets}[first.id] == 10_000
    )
    assert {q.block_id: (q.min_bp, q.max_bp) for q in rnd.block_quotas} == {
        blocks[0].id: (1250, 4000),
        blocks[1].id: (0, 1025),
    }
    assert [t.id for t in rnd.themes] == [f.theme(0).id, f.theme(1).id]
    assert rnd.phase() == Phase.UPCOMING
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.kind == "round.created")).one()
    assert event.round_id == rnd.id and event.actor_id == staff.id
    assert json.loads(event.payload)["total_budget"] == 300_000


def test_same_name_gets_a_unique_slug(client, staff) -> None:
    assert client.post(URL, data=fr.round_form(name="Ronde Oost")).status_code == 302
    assert client.post(URL, data=fr.round_form(name="Ronde Oost")).status_code == 302
    assert sorted(db.session.scalars(select(Round.slug))) == ["ronde-oost", "ronde-oost-2"]


def test_fill_by_population_fills_without_saving(client, staff) -> None:
    before = _snapshot()
    ds = f.districts()
    resp = client.post(URL, data=fr.round_form(total_budget="300000", fill_by_population="1"))
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "<html" in body
    for d, amount in zip(ds, split_by_population(300_000, [d.population for d in ds]), strict=True):
        assert f'name="budget_{d.id}"' in body and f'value="{amount}"' in body
    assert "nog niets opgeslagen" in body
    assert _snapshot() == before


def test_fill_by_population_htmx_returns_the_fragment(client, staff) -> None:
    resp = client.post(
        URL, data=fr.round_form(total_budget="1000", fill_by_population="1"), headers={"HX-Request": "true"}
    )
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "<html" not in body and 'id="district-budgets"' in body
    ds = f.districts()
    amounts = split_by_population(1000, [d.population for d in ds])
    assert sum(amounts) == 1000 and all(f'value="{a}"' in body for a in amounts)


def test_fill_by_population_needs_a_total(client, staff) -> None:
    before = _snapshot()
    resp = client.post(URL, data=fr.round_form(total_budget="", fill_by_population="1"))
    assert resp.status_code == 422
    assert "Vul eerst het totale budget in" in resp.get_data(as_text=True)
    assert _snapshot() == before


def _bad_cases() -> list[tuple[str, dict, str]]:
    """(case id, changes to a valid form, expected Dutch message); resolved inside the app."""
    return [
        ("empty-name", {"name": "  "}, "Vul een naam in."),
        ("long-name", {"name": "x" * 121}, "hoogstens 120 tekens"),
        ("total-text", {"total_budget": "veel"}, "Vul een bedrag in hele euro"),
        ("total-cents", {"total_budget": "300000,50"}, "zonder centen"),
        ("total-negative", {"total_budget": "-300000"}, "niet negatief"),
        ("total-zero", {"total_budget": "0", "budgets": "0"}, "meer dan € 0"),
        ("total-huge", {"total_budget": "9999999999999"}, "te hoog"),
        ("sum-short", {"budget0": "74999"}, "te weinig"),
        ("sum-over", {"budget0": "75010"}, "te veel"),
        ("budget-empty", {"budget0": ""}, "Vul een bedrag in (0 mag ook)."),
        ("floor-over", {"floor0": "80000"}, "ondergrens mag niet hoger"),
        ("share-over-100", {"min0": "120"}, "van 0 tot en met 100"),
        ("share-3-decimals", {"min0": "12,345"}, "hoogstens 2 cijfers achter de komma"),
        ("share-text", {"max0": "veel"}, "Vul een percentage in"),
        ("min-above-max", {"min0": "30", "max0": "20"}, "niet lager zijn dan het minimum"),
        ("mins-over-100", {"min0": "40", "min1": "40", "min2": "20,01"}, "tellen op tot 100,01 %"),
        ("threshold-text", {"support_threshold": "vijftig"}, "Vul een heel getal in"),
        ("ballot-unknown", {"ballot_kind": "loterij"}, "Kies een manier van stemmen."),
        ("min-spend-too-high", {"knapsack_min_spend": "80000"}, "minimale besteding mag niet hoger"),
        (
            "approval-m-above-k",
            {"ballot_kind": "approval", "approval_min": "5", "approval_max": "3"},
            "niet lager zijn dan het minimum aantal",
        ),
        ("approval-k-zero", {"ballot_kind": "approval", "approval_max": "0"}, "van 1 tot en met 1000"),
        ("theme-unknown", {"themes": ["999999"]}, "Kies alleen thema's uit de lijst."),
        ("theme-text", {"themes": ["abc"]}, "Kies alleen thema's uit de lijst."),
        ("no-themes", {"themes": []}, "Kies minstens één thema"),
        ("date-missing", {"submission_start": ""}, "Vul een datum en tijd in."),
        ("date-garbage", {"review_start": "volgende week"}, "Vul een datum en tijd in, bijvoorbeeld"),
        ("date-order", {"review_start": "2020-01-01T10:00"}, "moet na"),
        ("nomination-after-submission", {"nomination_start": "2200-01-01"}, "moet na"),
    ]


@pytest.mark.parametrize("case", [c[0] for c in _bad_cases()])
def test_bad_round_input_is_refused_and_nothing_saved(client, staff, case: str) -> None:
    _, changes, message = next(c for c in _bad_cases() if c[0] == case)
    ds, blocks = f.districts(), [f.block(i) for i in range(3)]
    data = fr.round_form()
    for key, value in changes.items():
        if key == "budgets":
            data.update({f"budget_{d.id}": value for d in ds})
        elif key[:-1] in ("budget", "floor"):
            data[f"{key[:-1]}_{ds[int(key[-1])].id}"] = value
        elif key[:3] in ("min", "max") and key[3:].isdigit():
            data[f"{key[:3]}_{blocks[int(key[3:])].id}"] = value
        else:
            data[key] = value
    before = _snapshot()
    resp = client.post(URL, data=data)
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422, case
    assert message in body.replace("\u00a0", " ").replace("&#39;", "'"), (
        case,
        body[body.find('class="error"') - 200 :][:600],
    )
    assert 'class="error"' in body
    assert _snapshot() == before


@pytest.mark.parametrize("url", ["/beheer/rondes/", "/beheer/rondes/nieuw"])
def test_residents_cannot_manage_rounds(client, auth, url: str) -> None:
    auth.login(f.user())
    db.session.commit()
    assert client.get(url).status_code == 403
    before = _snapshot()
    assert client.post("/beheer/rondes/nieuw", data=fr.round_form()).status_code == 403
    assert _snapshot() == before


def test_parsers() -> None:
    assert parse_euros("€ 300.000") == 300_000 and parse_euros("300000,00") == 300_000 and parse_euros("") is None
    assert parse_euros("1 250") == 1250
    for bad in ("12.5", "1,5", "abc", "-1", "3.00.0"):
        with pytest.raises(ValueError):
            parse_euros(bad)
    assert parse_percent("12,5") == 1250 and parse_percent("0.01 %") == 1 and parse_percent("100") == 10_000
    for bad in ("100,01", "-1", "1,234", "NaN", "x"):
        with pytest.raises(ValueError):
            parse_percent(bad)
    # 1 March 2027 09:00 in Amsterdam is 08:00 UTC (winter time); 1 July is summer time.
    assert parse_local("2027-03-01T09:00").hour == 8 and parse_local("2027-07-01").hour == 22
    with pytest.raises(ValueError):
        parse_local("31-02-2027")


def test_format_percent(app) -> None:
    with app.test_request_context("/"):
        assert format_percent(1250) == "12,5" and format_percent(1000) == "10" and format_percent(1) == "0,01"


def test_create_approval_round(client, staff) -> None:
    data = fr.round_form(
        name="Aankruisronde",
        ballot_kind="approval",
        approval_min="1",
        approval_max="5",
        nomination_start=fr.local(fr.utcnow() + fr.timedelta(hours=1)),
        themes=[],
    )
    assert client.post(URL, data=data).status_code == 302
    rnd = db.session.scalars(select(Round).where(Round.name == "Aankruisronde")).one()
    assert (rnd.ballot_kind, rnd.approval_min, rnd.approval_max) == ("approval", 1, 5)
    assert rnd.themes == [] and rnd.nomination_start is not None


def test_round_form_in_english(client, staff) -> None:
    client.get("/taal/en?next=/")
    body = client.get(URL).get_data(as_text=True)
    assert "Split the total by population" in body and "Total budget (whole euros)" in body
    resp = client.post(URL, data=fr.round_form(total_budget="12,50"))
    assert resp.status_code == 422 and "Enter whole euros, without cents." in resp.get_data(as_text=True)
