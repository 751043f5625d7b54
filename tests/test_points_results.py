"""Points and ranked rounds through the results: every rule runs on them, the .pb export says
``cumulative`` / ``ordinal`` with points, recomputing from it gives the published result, and
the exact rule's goal is a round setting that changes its outcome."""

from __future__ import annotations

import io
import json
import os
import random
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests import factories as f
from tests import factories_results as fr
from wijkfonds.allocation import BallotType
from wijkfonds.allocation.pabulib import read_election, read_pb
from wijkfonds.extensions import db
from wijkfonds.models import Ballot, BallotItem, BallotKind, IlpGoal, Initiative, Phase, Role, Status, Voter
from wijkfonds.services.results.publication import publish
from wijkfonds.services.results.runs import round_input

ROOT = Path(__file__).resolve().parents[1]
RULES = [("greedy", "none"), ("greedy-stop", "none"), ("ilp", "none"), ("mes", "none"), ("mes", "add1")]


def _ballot(rnd, items: list[tuple[int, int]], district_id: int) -> None:
    """A stored ballot with (initiative id, points) items in order (position 0 first)."""
    voter = Voter(round_id=rnd.id, district_id=district_id)
    db.session.add(voter)
    db.session.flush()
    b = Ballot(round_id=rnd.id, voter_id=voter.id, district_id=district_id)
    b.items = [BallotItem(initiative_id=i, position=k, points=p) for k, (i, p) in enumerate(items)]
    db.session.add(b)
    db.session.flush()


def _closed(kind: BallotKind, *, seed: int = 5, voters: int = 14, **fields: object):
    """A closed points round (10 points over at least 2 plans) or ranked round (k = 3) with random ballots."""
    rng = random.Random(seed)
    rnd = f.round_(Phase.RESULTS, total=80_000, ballot_kind=kind.value, points_total=10, ranked_max=3, **fields)
    author = f.user()
    plans = []
    for d in f.districts():
        mine = [
            f.initiative(
                rnd,
                author,
                status=Status.FEASIBLE,
                district_slug=d.slug,
                cost=rng.randrange(3_000, 12_000, 500),
                title=f"Plan {d.name} {k + 1}",
            )
            for k in range(5)
        ]
        plans += mine
        for _ in range(voters):
            chosen = rng.sample(mine, rng.randint(2, 3))
            if kind == BallotKind.POINTS:
                cut = sorted(rng.sample(range(1, 10), len(chosen) - 1))
                points = [b - a for a, b in zip([0, *cut], [*cut, 10], strict=True)]
            else:
                points = [3 - k for k in range(len(chosen))]
            _ballot(rnd, list(zip((p.id for p in chosen), points, strict=True)), d.id)
    db.session.commit()
    return rnd, plans


@pytest.mark.parametrize("kind", [BallotKind.POINTS, BallotKind.RANKED])
def test_adapter_passes_points_and_ranks(app, kind) -> None:
    rnd, _plans = _closed(kind)
    data = round_input(rnd)
    prof = data.profile
    assert prof.ballot_type == (BallotType.CUMULATIVE if kind == BallotKind.POINTS else BallotType.ORDINAL)
    for v in range(prof.num_voters):
        _idx, vals = prof.ballot(v)
        if kind == BallotKind.POINTS:
            assert int(vals.sum()) == 10
        else:
            assert vals.tolist() == [3, 2, 1][: len(vals)]  # in rank order: 1e keuze first


@pytest.mark.parametrize("kind", [BallotKind.POINTS, BallotKind.RANKED])
@pytest.mark.parametrize("rule,completion", RULES)
def test_every_rule_runs_on_points_and_ranked_rounds(app, kind, rule, completion) -> None:
    rnd, _plans = _closed(kind)
    staff = f.user(Role.STAFF)
    run = fr.finished_run(rnd, staff, rule, completion)
    assert run.status == "done", run.error
    result = run.result
    assert result["ballot_type"] == ("cumulative" if kind == BallotKind.POINTS else "ordinal")
    data = round_input(rnd)
    # Support is the points (rank scores) a plan got, supporters the ballots naming it.
    for k, p in enumerate(data.instance.projects):
        mask = data.profile.indices == k
        assert result["outcomes"][p.id]["support"] == int(data.profile.values[mask].sum())
        assert result["outcomes"][p.id]["supporters"] == int(mask.sum())
    assert result["votes_total"] == int(data.profile.values.sum())
    assert result["selected"] and result["cost"] <= rnd.total_budget
    for d in data.instance.districts:
        assert result["district_spend"][d] <= data.instance.district_budgets[d]


def test_equal_shares_uses_points_as_utilities(app) -> None:
    """Equal Shares on a points round: a voter's utility for a plan is its points (equalshares.net).

    De Baarsjes has € 100 and two voters (€ 50 each). Both give 1 point to C (€ 100); one gives
    9 to A (€ 50), the other 9 to B (€ 50). With points, A and B cost their supporter € 50 for
    9 points, C € 50 each for 1 point: A and B win. Read as approvals (cost utilities) C would.
    """
    from wijkfonds.allocation import Profile
    from wijkfonds.allocation.rules import run_rule

    rnd = f.round_(Phase.RESULTS, total=400, ballot_kind=BallotKind.POINTS.value, points_total=10)
    author = f.user()
    a, b, c = (
        f.initiative(rnd, author, status=Status.FEASIBLE, cost=cost, title=title)
        for cost, title in ((50, "A"), (50, "B"), (100, "C"))
    )
    _ballot(rnd, [(a.id, 9), (c.id, 1)], a.district_id)
    _ballot(rnd, [(b.id, 9), (c.id, 1)], a.district_id)
    db.session.commit()
    run = fr.finished_run(rnd, f.user(Role.STAFF), "mes")
    assert run.status == "done", run.error
    assert sorted(run.result["selected"]) == sorted([str(a.id), str(b.id)])
    data = round_input(rnd)
    p = data.profile
    as_approval = Profile(BallotType.APPROVAL, p.districts, p.indptr, p.indices, p.values * 0 + 1, p.voter_district)
    assert run_rule("mes", data.instance, as_approval).selected == (str(c.id),)


def _export(client, rnd_id: int, tmp_path: Path) -> tuple[dict, list[Path]]:
    blob = client.get(f"/controle/ronde/{rnd_id}/export.zip").data
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        zf.extractall(tmp_path)
        name = next(n for n in zf.namelist() if n.endswith(".json"))
    data = json.loads((tmp_path / name).read_text(encoding="utf-8"))
    return data, sorted((tmp_path / "pb").glob("*.pb"))


def _recompute(data: dict, files: list[Path]) -> dict:
    """The export's own command (its pb/ names are relative to the unzipped folder), on this checkout's engine."""
    argv = data["recompute"]["argv"]
    assert argv[:3] == ["python", "-m", "wijkfonds.allocation"]
    argv = [sys.executable, *argv[1:]]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cwd = files[0].parent.parent
    done = subprocess.run(argv, capture_output=True, text=True, cwd=cwd, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("kind", [BallotKind.POINTS, BallotKind.RANKED])
@pytest.mark.parametrize("case", [("greedy", "none"), ("ilp", "none"), ("mes", "add1")], ids="-".join)
def test_export_round_trip(client, auth, tmp_path: Path, kind, case) -> None:
    rule, completion = case
    rnd, _plans = _closed(kind, ilp_goal=IlpGoal.APPROVAL.value)
    staff = f.user(Role.STAFF)
    run = fr.finished_run(rnd, staff, rule, completion)
    assert run.status == "done", run.error
    publish(run, reason="", actor=staff)
    auditor = f.user(Role.AUDITOR)
    db.session.commit()
    auth.login(auditor)
    data, files = _export(client, rnd.id, tmp_path)
    election = read_pb(files[0])
    if kind == BallotKind.POINTS:
        assert election.meta["vote_type"] == "cumulative" and election.meta["max_sum_points"] == "10"
    else:
        assert election.meta["vote_type"] == "ordinal" and election.meta["max_length"] == "3"
    assert "points" in election.vote_columns
    # The engine's reader sees the platform's ballots: same order, same points.
    ours = round_input(rnd)
    instance, profile = read_election(files)
    assert profile.ballot_type == ours.profile.ballot_type
    assert (profile.indices == ours.profile.indices).all() and (profile.values == ours.profile.values).all()
    assert [p.id for p in instance.projects] == [p.id for p in ours.instance.projects]
    if rule == "ilp":
        assert (
            "--goal approval" in data["recompute"]["command"]
            and data["recompute"]["argv"][data["recompute"]["argv"].index("--goal") + 1] == "approval"
        )
    out = _recompute(data, files)
    assert set(out["selected"]) == set(run.result["selected"]) and out["cost"] == run.result["cost"]


def _goal_round(goal: IlpGoal):
    """De Baarsjes has € 100: one plan of € 100 with 3 supporters, two of € 50 with 2 each."""
    rnd = f.round_(Phase.RESULTS, total=400, ilp_goal=goal.value)
    author = f.user()
    big, s1, s2 = (
        f.initiative(rnd, author, status=Status.FEASIBLE, cost=cost, title=title)
        for cost, title in ((100, "Groot plan"), (50, "Klein plan 1"), (50, "Klein plan 2"))
    )
    did = big.district_id
    for items in ([big], [big], [big, s1], [s1], [s2], [s2]):
        _ballot(rnd, [(i.id, 1) for i in items], did)
    db.session.commit()
    return rnd, big, s1, s2


def test_the_exact_rules_goal_is_a_round_setting_that_changes_the_outcome(app) -> None:
    staff = f.user(Role.STAFF)
    funded = {}
    for goal in IlpGoal:
        rnd, big, s1, s2 = _goal_round(goal)
        run = fr.finished_run(rnd, staff, "ilp")
        assert run.status == "done", run.error
        assert run.params["goal"] == goal.value and run.result["details"]["goal"] == goal.value
        names = {str(big.id): "big", str(s1.id): "s1", str(s2.id): "s2"}
        funded[goal] = sorted(names[pid] for pid in run.result["selected"])
    # Money to supported plans: 100 x 3 = 300 beats 50 x 2 + 50 x 2; supporters reached: 2 + 2 beats 3.
    assert funded == {IlpGoal.COST_APPROVAL: ["big"], IlpGoal.APPROVAL: ["s1", "s2"]}


def test_results_of_a_points_round_speak_of_points(client, auth) -> None:
    rnd, _plans = _closed(BallotKind.POINTS)
    staff = f.user(Role.STAFF)
    run = fr.finished_run(rnd, staff, "greedy")
    publish(run, reason="", actor=staff)
    db.session.commit()
    public = client.get(f"/uitslag/{rnd.id}").get_data(as_text=True)
    assert "op punten" in public and "op stemmen" not in public and ">Punten</th>" in public
    plan = db.session.get(Initiative, run.result["outcomes"][run.result["selected"][0]]["initiative_id"])
    why = client.get(f"/uitslag/initiatief/{plan.id}").get_data(as_text=True)
    assert "op punten" in why and "op stemmen" not in why
    auth.login(staff)
    body = client.get(f"/beheer/toewijzing/berekening/{run.id}").get_data(as_text=True)
    assert "op punten" in body and "op stemmen" not in body
    assert '<th scope="col" class="num">Punten</th>' in body and "punten (" in body
