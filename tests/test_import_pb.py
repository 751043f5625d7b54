"""Importing pabulib elections (CLI and upload form), and replaying West Begroot in the platform."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests import factories as f
from tests import factories_results as fr
from wijkfonds.allocation.pabulib import read_election
from wijkfonds.allocation.rules import run_rule
from wijkfonds.extensions import db
from wijkfonds.models import Ballot, BallotItem, District, Initiative, Phase, Role, Round, Voter

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
WEST_BEGROOT = ("Netherlands_Amsterdam_509.pb", "Netherlands_Amsterdam_309.pb")

GOOD = """META
key;value
description;Buurtbudget Test
district;Spaarndammerbuurt
num_projects;3
num_votes;4
budget;10000
vote_type;approval
PROJECTS
project_id;cost;name
p1;6000;Speeltuin
p2;5000;"Moestuin; groot"
p3;3000;Bankjes
VOTES
voter_id;vote
v1;p1,p2
v2;p2
v3;p2,p3
v4;p1
"""


def _counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count(m.id))) for m in (Round, District, Initiative, Voter, Ballot, BallotItem)
    )


def test_cli_imports_a_closed_round(runner, tmp_path: Path) -> None:
    path = tmp_path / "buurt.pb"
    path.write_text(GOOD, encoding="utf-8")
    result = runner.invoke(args=["import-pb", str(path), "--name", "Buurtbudget 2020"])
    assert result.exit_code == 0, result.output
    rnd = db.session.scalars(select(Round).where(Round.imported.is_(True))).one()
    assert rnd.name == "Buurtbudget 2020" and rnd.phase() == Phase.RESULTS and rnd.total_budget == 10_000
    inis = list(db.session.scalars(select(Initiative).where(Initiative.round_id == rnd.id).order_by(Initiative.id)))
    assert [(i.external_id, i.cost, i.status) for i in inis] == [
        ("p1", 6000, "feasible"),
        ("p2", 5000, "feasible"),
        ("p3", 3000, "feasible"),
    ]
    assert inis[1].title == "Moestuin; groot" and inis[0].author_id is None
    assert inis[0].district.name == "Spaarndammerbuurt"
    voters = list(db.session.scalars(select(Voter).where(Voter.round_id == rnd.id)))
    assert len(voters) == 4 and all(v.user_id is None and v.code_id is None for v in voters)
    assert db.session.scalar(select(func.count(BallotItem.id))) == 6
    run = fr.finished_run(rnd, f.user(Role.STAFF), "greedy")
    assert run.status == "done" and run.result["selected"] == ["p2", "p3"]


@pytest.mark.parametrize(
    "text,problem",
    [
        ("", "the file is empty"),
        ("META\nkey;value\nbudget;10\n", ":"),
        (GOOD.replace("v4;p1", "v4;p9"), "unknown project"),
        (GOOD.replace("p3;3000", "p3;drie"), "bad number"),
        (
            GOOD.replace("vote_type;approval", "vote_type;scoring")
            .replace("voter_id;vote\n", "voter_id;vote;points\n")
            .replace("v4;p1\n", "v4;p1;4\n")
            .replace("v2;p2\n", "v2;p2;1\n")
            .replace("v1;p1,p2\n", "v1;p1,p2;1,2\n")
            .replace("v3;p2,p3\n", "v3;p2,p3;3,1\n"),
            "kapot.pb:8: vote_type scoring cannot be imported",
        ),
    ],
)
def test_cli_bad_file_exit_2_one_line_nothing_saved(runner, tmp_path: Path, text: str, problem: str) -> None:
    before = _counts()
    path = tmp_path / "kapot.pb"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(args=["import-pb", str(path)])
    assert result.exit_code == 2
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "kapot.pb" in lines[0] and problem in lines[0]
    assert _counts() == before


def test_cli_refuses_duplicate_ids_across_files(runner, tmp_path: Path) -> None:
    (tmp_path / "a.pb").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.pb").write_text(GOOD.replace("Spaarndammerbuurt", "Zeeheldenbuurt"), encoding="utf-8")
    before = _counts()
    result = runner.invoke(args=["import-pb", str(tmp_path / "a.pb"), str(tmp_path / "b.pb")])
    assert result.exit_code == 2 and "unique" in result.output
    assert _counts() == before


def _upload(client, files: list[tuple[bytes, str]], name: str = ""):
    data = {"files": [(io.BytesIO(body), filename) for body, filename in files], "name": name}
    return client.post("/beheer/toewijzing/importeren", data=data, content_type="multipart/form-data")


def test_upload_form(client, auth) -> None:
    auth.login(f.user(Role.STAFF))
    db.session.commit()
    assert client.get("/beheer/toewijzing/importeren").status_code == 200
    ok = _upload(client, [(GOOD.encode(), "buurt.pb")], "Proef")
    assert ok.status_code == 302
    rnd = db.session.scalars(select(Round).where(Round.name == "Proef")).one()
    assert rnd.imported and ok.headers["Location"].endswith(f"/beheer/toewijzing/ronde/{rnd.id}")


def test_upload_errors_are_form_errors(client, auth) -> None:
    auth.login(f.user(Role.STAFF))
    db.session.commit()
    before = _counts()
    none = _upload(client, [])
    assert none.status_code == 422 and "Kies minstens één .pb-bestand" in none.get_data(as_text=True)
    bad = _upload(client, [(GOOD.replace("p3;3000", "p3;-5").encode(), "fout.pb")])
    body = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "fout.pb:" in body and "negative" in body
    binary = _upload(client, [(b"\x00\x01\x02", "plaatje.pb")])
    assert binary.status_code == 422 and "plaatje.pb" in binary.get_data(as_text=True)
    assert _counts() == before


@pytest.mark.skipif(not (SHARED / "pabulib" / "netherlands").is_dir(), reason="../shared/pabulib is not available")
@pytest.mark.parametrize("filename", WEST_BEGROOT)
def test_replaying_west_begroot_with_greedy(runner, filename: str) -> None:
    path = SHARED / "pabulib" / "netherlands" / filename
    result = runner.invoke(args=["import-pb", str(path)])
    assert result.exit_code == 0, result.output
    rnd = db.session.scalars(select(Round).where(Round.imported.is_(True))).one()
    run = fr.finished_run(rnd, f.user(Role.STAFF), "greedy")
    assert run.status == "done", run.error
    instance, profile = read_election([path])
    engine = run_rule("greedy", instance, profile)
    assert run.result["selected"] == list(engine.selected)
    assert run.result["cost"] == engine.cost and run.result["voters"] == profile.num_voters


def test_a_file_with_cents_is_refused_by_name_and_line(runner, tmp_path: Path) -> None:
    """The engine reads cents; rounds of the platform count whole euros, so the import says so."""
    path = tmp_path / "centen.pb"
    path.write_text(GOOD.replace("budget;10000", "budget;10000.50"), encoding="utf-8")
    assert "budget;10000.50" in path.read_text(encoding="utf-8")
    before = _counts()
    result = runner.invoke(args=["import-pb", str(path)])
    assert result.exit_code != 0 and f"{path}:" in result.output and "cents" in result.output
    assert _counts() == before
