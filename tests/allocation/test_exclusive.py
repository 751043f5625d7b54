"""Projects that exclude each other: every rule, the explanations, the .pb key and --exclusive."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cli_helpers import cli, cli_json
from helpers import make_round
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wijkfonds.allocation import AllocationError, Instance, Project
from wijkfonds.allocation.explain import render
from wijkfonds.allocation.pabulib import PabulibError, read_election, read_pb, write_pb
from wijkfonds.allocation.rules import run_rule

DATA = Path(__file__).resolve().parent / "data"
NOORD = DATA / "approval_small.pb"  # p1 6,000 (4 votes), p2 3,000 (3), p3 4,000 (3), p4 500 (1); budget 10,000


def _round(groups: list[list[str]]) -> tuple[Instance, object]:
    projects = [Project("a", 50, name="Speeltuin"), Project("b", 40), Project("c", 30), Project("d", 20)]
    ballots = [["a", "b"], ["a", "b"], ["a", "c"], ["b", "c"], ["d"]]
    return make_round(projects, ballots, budget=100, exclusive_groups=groups)


def test_groups_are_checked() -> None:
    projects = (Project("a", 1), Project("b", 1))
    for groups, message in (
        ([["a"]], "at least two projects"),
        ([["a", "a"]], "names a project twice"),
        ([["a", "x"]], "names 'x', which is not a project"),
    ):
        with pytest.raises(AllocationError, match=message):
            Instance(projects, 2, {"": 2}, exclusive_groups=groups)
    assert Instance(projects, 2, {"": 2}, exclusive_groups=[["a", "b"]]).exclusive_groups == (("a", "b"),)


def test_greedy_skips_the_rest_of_a_group() -> None:
    free = run_rule("greedy", *_round([]))
    assert free.selected == ("a", "b")  # a (3 votes) 50, b (3) 40; c (2) 30 no longer fits
    got = run_rule("greedy", *_round([["a", "b"]]))
    assert got.selected == ("a", "c", "d")  # b excluded by a: c and d fit instead
    b = got.outcomes["b"]
    assert b.reason == "greedy.excluded" and b.params["other"] == "a"
    assert b.explanation == (
        "not funded: it cannot be carried out together with Speeltuin (a), which was funded before it "
        "(this project came at rank 2 by votes)"
    )
    assert render(b, "nl") == (
        "niet gefinancierd: het kan niet samen met Speeltuin (a) worden uitgevoerd, dat eerder werd "
        "gefinancierd (dit project stond op plaats 2 op stemmen)"
    )
    # an excluded project does not stop the count of greedy-stop
    assert run_rule("greedy-stop", *_round([["a", "b"]])).selected == ("a", "c", "d")
    assert run_rule("greedy-stop", *_round([])).selected == ("a", "b")


def test_equal_shares_skips_the_rest_of_a_group_and_its_supporters_keep_their_money() -> None:
    # 5 voters with 20 each: a (50, voters 1-3) is bought first, then d (20) by voter 5 alone
    free = run_rule("mes", *_round([]))
    assert free.selected == ("a", "d")
    got = run_rule("mes", *_round([["a", "d"]]))
    assert got.selected == ("a",)
    d = got.outcomes["d"]
    assert d.reason == "mes.excluded" and d.params["other"] == "a"
    assert (
        d.explanation
        == "not funded (Equal Shares): it cannot be carried out together with Speeltuin (a), which was funded"
    )
    assert "niet samen met Speeltuin (a)" in render(d, "nl")
    assert got.details["mes"][""]["mes_cost"] == 50  # type: ignore[index]
    for completion in ("add1", "add1-greedy"):
        res = run_rule("mes", *_round([["a", "d"]]), completion=completion)
        assert not {"a", "d"} <= set(res.selected) and res.cost <= 100


def test_ilp_honours_groups_as_a_constraint() -> None:
    free = run_rule("ilp", *_round([]))
    got = run_rule("ilp", *_round([["a", "b"]]))
    assert {"a", "b"} <= set(free.selected) and got.optimal is True
    assert not {"a", "b"} <= set(got.selected)
    loser = next(pid for pid in ("a", "b") if pid not in got.selected)
    winner = "b" if loser == "a" else "a"
    assert got.outcomes[loser].reason == "ilp.excluded" and got.outcomes[loser].params["other"] == winner
    assert "the optimal plan funds" in got.outcomes[loser].explanation
    assert "het beste plan financiert" in render(got.outcomes[loser], "nl")


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(st.data())
def test_no_rule_funds_two_projects_of_a_group(data: st.DataObject) -> None:
    ids = [str(k) for k in range(data.draw(st.integers(2, 7)))]
    projects = [Project(pid, data.draw(st.integers(0, 40))) for pid in ids]
    groups = data.draw(st.lists(st.lists(st.sampled_from(ids), min_size=2, max_size=3, unique=True), max_size=3))
    ballots = data.draw(st.lists(st.lists(st.sampled_from(ids), min_size=1, max_size=3, unique=True), max_size=10))
    inst, prof = make_round(projects, ballots, budget=data.draw(st.integers(0, 120)), exclusive_groups=groups)
    runs = [("greedy", "none"), ("greedy-stop", "none"), ("ilp", "none")]
    runs += [("mes", c) for c in ("none", "add1", "add1-greedy")]
    for rule, completion in runs:
        res = run_rule(rule, inst, prof, completion=completion)
        for group in groups:
            assert len(set(group) & set(res.selected)) <= 1, (rule, completion, group, res.selected)
        assert res.cost <= inst.budget
        assert {pid for pid, o in res.outcomes.items() if o.funded} == set(res.selected)


def test_the_pb_key_is_read_written_and_read_back(tmp_path: Path) -> None:
    text = NOORD.read_text().replace("district;Noord\n", "district;Noord\nexclusive_groups;p1,p2;p3,p4\n")
    (tmp_path / "x.pb").write_text(text)
    inst, prof = read_election([tmp_path / "x.pb"])
    assert inst.exclusive_groups == (("p1", "p2"), ("p3", "p4"))
    assert run_rule("greedy", inst, prof).selected == ("p1", "p3")  # p2 excluded by p1, p4 by p3
    e = read_pb(NOORD)
    write_pb(tmp_path / "w.pb", e, exclusive_groups=[("p2", "p4")])
    written = read_pb(tmp_path / "w.pb")
    assert written.meta["exclusive_groups"] == "p2,p4"
    assert read_election([tmp_path / "w.pb"])[0].exclusive_groups == (("p2", "p4"),)
    write_pb(tmp_path / "none.pb", written, exclusive_groups=[])  # an empty list removes the key
    assert "exclusive_groups" not in read_pb(tmp_path / "none.pb").meta
    write_pb(tmp_path / "same.pb", written)  # without the argument the META stays as it was
    assert (tmp_path / "same.pb").read_text() == (tmp_path / "w.pb").read_text()
    with pytest.raises(PabulibError, match="names 'z9', not a project of this file"):
        write_pb(tmp_path / "bad.pb", e, exclusive_groups=[("p1", "z9")])


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("p1", "'p1' is not a group of two or more ids"),
        ("p1,p1", "names a project twice"),
        ("p1,q7", "names 'q7', which is not a project of this file"),
        ("p1,", "is not a group of two or more ids"),
    ],
)
def test_bad_groups_in_the_file_name_file_and_line(tmp_path: Path, value: str, message: str) -> None:
    (tmp_path / "g.pb").write_text(
        NOORD.read_text().replace("district;Noord\n", f"district;Noord\nexclusive_groups;{value}\n")
    )
    with pytest.raises(PabulibError, match=rf"g\.pb:7: .*{re.escape(message)}"):
        read_election([tmp_path / "g.pb"])


def test_exclusive_on_the_command_line(tmp_path: Path) -> None:
    free = cli_json(NOORD, "--rule", "greedy")
    assert free["selected"] == ["p1", "p2", "p4"]
    got = cli_json(NOORD, "--rule", "greedy", "--exclusive", "p1,p2", "--exclusive", "p3,p4")
    assert got["selected"] == ["p1", "p3"]
    assert got["outcomes"]["p2"]["reason"] == "greedy.excluded"
    out = tmp_path / "out.pb"
    cli_json(NOORD, "--rule", "greedy", "--exclusive", "p1,p2", "--output", out)
    assert read_pb(out).meta["exclusive_groups"] == "p1,p2"
    again = cli_json(out, "--rule", "greedy")  # read back: the same outcome without --exclusive
    assert again["selected"] == ["p1", "p3"]
    for args, message in (
        (["--exclusive", "p1"], "is not a list of two or more project ids"),
        (["--exclusive", "p1,q9"], "--exclusive p1,q9: no project 'q9' in the files"),
    ):
        done = cli(NOORD, "--rule", "greedy", *args)
        assert done.returncode == 2 and message in done.stderr and done.stderr.startswith("error: ")
    zuid = DATA / "district_zuid.pb"
    done = cli(NOORD, zuid, "--rule", "greedy", "--exclusive", "p1,z1", "--output", tmp_path / "two")
    assert done.returncode == 2 and "the exclusive group p1,z1 spans several files" in done.stderr


@pytest.mark.pabulib
def test_bemowo_2022_with_its_two_plans_for_one_place() -> None:
    """META comment #2: projects 773 and 153 both targeted the area near ul. Konarskiego."""
    path = (Path(__file__).resolve().parents[2] / ".." / "shared" / "pabulib-official").resolve()
    path = path / "Poland_Warszawa_2022_Bemowo.pb"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    assert "773 and 153" in read_pb(path).meta["comment"]
    refused = cli(path, "--rule", "official")
    assert refused.returncode == 2 and "give them with --exclusive" in refused.stderr
    plain = cli(path, "--rule", "greedy", "--check-selected")
    assert plain.returncode == 3 and "funded here, not officially: 153" in plain.stdout
    done = cli(path, "--rule", "official", "--exclusive", "773,153", "--check-selected")
    assert done.returncode == 0, done.stdout[-500:]
    assert "Official outcome (PROJECTS selected): the same 34 projects" in done.stdout
