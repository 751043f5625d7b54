"""Money with cents: exact amounts in the model, the .pb reader and writer, every rule and the output."""

from __future__ import annotations

import json
import tempfile
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from cli_helpers import cli, cli_json
from helpers import make_round
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pabulib_paths import REPO_ROOT

from wijkfonds.allocation import AllocationError, Instance, Project
from wijkfonds.allocation.cli_output import json_money
from wijkfonds.allocation.explain import render_reason
from wijkfonds.allocation.money import as_money, format_money, money_scale, money_text, parse_money, to_units
from wijkfonds.allocation.pabulib import PabulibError, read_election, read_pb, write_pb
from wijkfonds.allocation.rules import run_rule

OFFICIAL = (REPO_ROOT / ".." / "shared" / "pabulib-official").resolve()
SASKA_KEPA = OFFICIAL / "Poland_Warszawa_2017_Saska_Kepa.pb"
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)

# Amounts as pabulib writes them: whole, or with one to three decimals (some files have 0.5 or .125).
AMOUNT_TEXT = st.builds(
    lambda whole, frac: f"{whole}" if frac is None else f"{whole}.{frac}",
    st.integers(0, 10**9),
    st.none() | st.from_regex(r"[0-9]{1,3}", fullmatch=True),
)


def test_amounts_are_exact_and_normal() -> None:
    assert parse_money("1893934.38") == Fraction(189393438, 100)
    assert parse_money("1200") == 1200 and isinstance(parse_money("1200"), int)
    assert parse_money("12.50") == Fraction(25, 2) and parse_money("7.00") == 7
    assert isinstance(parse_money("7.00"), int)  # whole amounts are ints, whatever their notation
    for bad in ("", "1e6", "1,50", ".5", "5.", "1 000", "0x10", "nan", "--1"):
        assert parse_money(bad) is None, bad
    assert as_money(Decimal("740793.05")) == Fraction(74079305, 100)
    assert as_money(Fraction(10, 2)) == 5 and isinstance(as_money(Fraction(10, 2)), int)
    with pytest.raises(AllocationError, match=r"float 12\.5: amounts must be exact"):
        as_money(12.5, "the cost")
    with pytest.raises(AllocationError, match="must be an amount of money"):
        as_money("12", "the cost")
    with pytest.raises(AllocationError, match="must be an amount of money"):
        as_money(True, "the cost")
    assert money_scale([1, Fraction(1, 2), Fraction(3, 100)]) == 100 and money_scale([5, 7]) == 1
    assert to_units(Fraction(74079305, 100), 100) == 74079305
    with pytest.raises(AllocationError, match="not a whole number of 1/100"):
        to_units(Fraction(1, 3), 100)


@SETTINGS
@given(AMOUNT_TEXT)
def test_parse_and_write_amounts(text: str) -> None:
    amount = parse_money(text)
    assert amount == Fraction(Decimal(text))
    assert parse_money(money_text(amount)) == amount  # the writer's notation reads back exactly
    assert Decimal(money_text(amount)) == Decimal(text)


def test_an_amount_without_decimal_notation_is_refused() -> None:
    with pytest.raises(AllocationError, match="no exact decimal notation"):
        money_text(Fraction(1, 3))


def test_money_for_residents() -> None:
    assert format_money(8400) == "EUR 8,400" and format_money(8400, "nl") == "€ 8.400"  # unchanged
    assert format_money(Fraction(74079305, 100), "en", "PLN") == "PLN 740,793.05"
    assert format_money(Fraction(74079305, 100), "nl", "PLN") == "PLN 740.793,05"
    assert format_money(Fraction(-1, 2), "nl") == "-€ 0,50"
    assert format_money(Fraction(1, 3)) == "EUR 0.33"  # rounded for reading only
    assert format_money("74079305/100", "en", "PLN") == "PLN 740,793.05"  # as stored outcomes hold it
    assert format_money(Decimal("12.50")) == "EUR 12.50"


def test_projects_and_instances_normalise_and_refuse_floats() -> None:
    p = Project("a", Decimal("10.50"))
    assert p.cost == Fraction(21, 2)
    assert Project("b", Fraction(4, 2)).cost == 2 and isinstance(Project("b", Fraction(4, 2)).cost, int)
    with pytest.raises(AllocationError, match=r"the cost of project 'c' is the float 3\.5"):
        Project("c", 3.5)
    inst = Instance((p,), Decimal("100.25"), {"": Decimal("100.25")}, category_caps={"x": Decimal("5")})
    assert inst.budget == Fraction(401, 4) and inst.district_budgets == {"": Fraction(401, 4)}
    assert inst.category_caps == {"x": 5} and inst.money_scale == 4
    with pytest.raises(AllocationError, match="the total budget is the float"):
        Instance((p,), 100.0, {"": 100})
    whole = Instance((Project("a", 10),), 20, {"": 20})
    assert whole.money_scale == 1 and isinstance(whole.budget, int)  # the platform's rounds: as before


def _pb(budget: str, costs: list[str], caps: str | None = None) -> str:
    meta = f"META\nkey;value\nbudget;{budget}\nvote_type;approval\n"
    if caps is not None:
        meta += f"categories;{','.join(f'c{k}' for k in range(len(costs)))}\nbudget_per_category;{caps}\n"
    projects = "PROJECTS\nproject_id;cost;category\n" + "".join(f"p{k};{c};c{k}\n" for k, c in enumerate(costs))
    votes = "VOTES\nvoter_id;vote\n" + "".join(f"v{k};p{k}\n" for k in range(len(costs)))
    return meta + projects + votes


@SETTINGS
@given(AMOUNT_TEXT, st.lists(AMOUNT_TEXT, min_size=1, max_size=6))
def test_fractional_amounts_round_trip_through_pb(budget: str, costs: list[str]) -> None:
    caps = ",".join(costs)
    text = _pb(budget, costs, caps)
    with tempfile.TemporaryDirectory() as tmp_dir:  # hypothesis runs the body many times: no fixture
        tmp = Path(tmp_dir)
        (tmp / "in.pb").write_text(text)
        first = read_pb(tmp / "in.pb")
        write_pb(tmp / "out.pb", first)
        assert (tmp / "out.pb").read_text() == text  # character for character: "12.50" stays "12.50"
        again = read_pb(tmp / "out.pb")
        assert again.same_as(first)
        inst, _ = read_election([tmp / "out.pb"])
    assert inst.budget == Fraction(Decimal(budget)) == inst.district_budgets["out"]
    assert [p.cost for p in inst.projects] == [Fraction(Decimal(c)) for c in costs]
    assert list(inst.category_caps.values()) == [Fraction(Decimal(c)) for c in costs]


def test_whole_amounts_can_be_required(tmp_path: Path) -> None:
    (tmp_path / "cents.pb").write_text(_pb("1000", ["400", "500.50"]))
    assert read_pb(tmp_path / "cents.pb").projects[1]["cost"] == "500.50"
    with pytest.raises(PabulibError, match=r"cents\.pb:8: the cost of project 'p1' has cents \(500\.50\)"):
        read_pb(tmp_path / "cents.pb", whole_amounts=True)
    (tmp_path / "budget.pb").write_text(_pb("1000.01", ["400"]))
    with pytest.raises(PabulibError, match=r"budget\.pb:3: budget has cents"):
        read_pb(tmp_path / "budget.pb", whole_amounts=True)
    (tmp_path / "whole.pb").write_text(_pb("1000", ["400", "500.00"]))  # .00 is whole
    assert read_pb(tmp_path / "whole.pb", whole_amounts=True).num_voters == 2


def _cents_round(data: st.DataObject) -> tuple[list[Project], list[list[str]], dict[str, object]]:
    n = data.draw(st.integers(1, 8))
    cents = st.integers(0, 6000)
    projects = [
        Project(
            str(i),
            Fraction(data.draw(cents), 100),
            district=data.draw(st.sampled_from(("N", "Z"))),
            categories=tuple(data.draw(st.sets(st.sampled_from(("g", "s")), max_size=2))),
        )
        for i in range(n)
    ]
    ids = [p.id for p in projects]
    ballots = data.draw(st.lists(st.lists(st.sampled_from(ids), min_size=1, max_size=4, unique=True), max_size=12))
    bounds: dict[str, object] = {
        "district_budgets": {"N": Fraction(data.draw(st.integers(0, 15000)), 100), "Z": Fraction(9000, 100)},
        "category_caps": data.draw(
            st.dictionaries(st.sampled_from(("g", "s")), st.integers(0, 9000).map(lambda c: Fraction(c, 100)))
        ),
        "category_max_share": data.draw(
            st.dictionaries(st.sampled_from(("g", "s")), st.fractions(0, 1, max_denominator=7))
        ),
    }
    budget = Fraction(data.draw(st.integers(0, 20000)), 100)
    return projects, ballots, {"budget": budget, **bounds}


def _times(
    scale: int, projects: list[Project], round_args: dict[str, object]
) -> tuple[list[Project], dict[str, object]]:
    """The same round in units of 1/scale: every amount multiplied by ``scale``."""
    scaled = [Project(p.id, p.cost * scale, district=p.district, categories=p.categories) for p in projects]
    args = dict(round_args)
    args["budget"] = round_args["budget"] * scale  # type: ignore[operator]
    for key in ("district_budgets", "category_caps"):
        args[key] = {k: v * scale for k, v in round_args[key].items()}  # type: ignore[attr-defined]
    return scaled, args


@SETTINGS
@given(st.data(), st.sampled_from(["greedy", "greedy-stop", "mes", "ilp"]))
def test_a_round_with_cents_decides_like_the_same_round_in_whole_cents(data: st.DataObject, rule: str) -> None:
    """Exactness: counting in euros with cents or in whole cents gives the same plan (and utility x 100)."""
    projects, ballots, args = _cents_round(data)
    inst, prof = make_round(projects, ballots, **args)  # type: ignore[arg-type]
    scaled, scaled_args = _times(100, projects, args)
    inst100, prof100 = make_round(scaled, ballots, **scaled_args)  # type: ignore[arg-type]
    assert inst100.money_scale == 1
    got, want = run_rule(rule, inst, prof), run_rule(rule, inst100, prof100)
    assert got.utility * 100 == want.utility and got.cost * 100 == want.cost
    if rule != "ilp":  # the ILP may pick another plan of the same utility
        assert got.selected == want.selected
    for pid, outcome in got.outcomes.items():
        assert outcome.funded == (pid in got.selected) and outcome.explanation


def test_mes_add1_raises_voter_budgets_by_whole_units_with_cents() -> None:
    projects = [Project("a", Fraction(601, 100)), Project("b", Fraction(399, 100))]
    inst, prof = make_round(projects, [["a"], ["a"], ["b"]], budget=Fraction(1000, 100))
    res = run_rule("mes", inst, prof, completion="add1")
    details = res.details["mes"][""]  # type: ignore[index]
    assert details["per_voter_budget"] == "10/3" and details["budget"] == 10
    # b0 = 10/3: a needs 6.01/2 each (affordable), b needs 3.99 > 10/3; one more euro (not cent)
    # per voter makes b affordable, and a + b = 10.00 fits: one increment, not 66
    assert set(res.selected) == {"a", "b"} and details["increments"] == 1
    assert details["effective_per_voter_budget"] == "13/3"


def test_explanations_show_cents() -> None:
    projects = [Project("a", Fraction(60050, 100)), Project("b", Fraction(50025, 100))]
    inst, prof = make_round(projects, [["a"], ["a", "b"]], budget=Fraction(100000, 100))
    res = run_rule("greedy", inst, prof)
    assert res.selected == ("a",) and res.cost == Fraction(1201, 2)
    text = res.outcomes["b"].explanation
    assert "only EUR 399.50 was left" in text and "it costs EUR 500.25" in text, text
    nl = render_reason(res.outcomes["b"].reason, res.outcomes["b"].params, "nl")
    assert "€ 399,50" in nl and "€ 500,25" in nl
    stored = {k: str(v) if isinstance(v, Fraction) else v for k, v in res.outcomes["b"].params.items()}
    assert render_reason(res.outcomes["b"].reason, stored, "en") == text  # 'p/q' strings, as the platform stores them


def test_json_amounts() -> None:
    assert json_money(12) == 12 and json_money(Fraction(74079305, 100)) == 740793.05
    assert json.dumps(json_money(Fraction(74079305, 100))) == "740793.05"
    assert json_money(Fraction(1, 3)) == "1/3"


@pytest.mark.pabulib
def test_warsaw_2017_with_its_budget_of_740793_05() -> None:
    if not SASKA_KEPA.is_file():
        pytest.skip(f"{SASKA_KEPA} is absent")
    e = read_pb(SASKA_KEPA)
    assert e.meta["budget"] == "740793.05"
    inst, prof = read_election([SASKA_KEPA])
    assert inst.budget == Fraction(74079305, 100) and inst.money_scale == 20  # every amount is a multiple of 0.05
    for rule in ("greedy", "greedy-stop", "mes", "ilp"):
        res = run_rule(rule, inst, prof)
        assert res.cost <= inst.budget
    out = cli_json(SASKA_KEPA, "--rule", "greedy")
    assert out["budget"] == 740793.05 and out["districts"]["Praga-Południe"]["budget"] == 740793.05
    table = cli(SASKA_KEPA, "--rule", "greedy")
    assert table.returncode == 0 and "740,793.05" in table.stdout


def test_cli_budget_with_cents(tmp_path: Path) -> None:
    (tmp_path / "r.pb").write_text(_pb("1000", ["400.25", "599.75", "0.01"]))
    out = cli_json(tmp_path / "r.pb", "--rule", "greedy", "--budget", "1000.00")
    assert out["cost"] == 1000 and sorted(out["selected"]) == ["p0", "p1"]  # 400.25 + 599.75; 0.01 no longer fits
    out = cli_json(tmp_path / "r.pb", "--rule", "ilp", "--budget", "999.99")
    assert out["cost"] == 599.76 and out["budget"] == 999.99
