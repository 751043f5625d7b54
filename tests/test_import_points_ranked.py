"""Importing cumulative and ordinal pabulib files: a points round and a ranked round that keep
every voter's points and order, refuse votes that break their rules (file and line, nothing
saved), run the platform's rules, and export back to a ``.pb`` file on which the engine selects
what it selects on the original file."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests import factories as f
from tests import factories_results as fr
from wijkfonds.allocation.pabulib import read_election, read_pb
from wijkfonds.allocation.rules import run_rule
from wijkfonds.extensions import db
from wijkfonds.models import Ballot, BallotItem, BallotKind, District, Initiative, Phase, Role, Round, Voter
from wijkfonds.services.results import exports
from wijkfonds.services.results.runs import round_input

DATA = Path(__file__).resolve().parent / "allocation" / "data"
SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "pabulib"
CASES = [("greedy", "none"), ("mes", "none"), ("mes", "add1"), ("ilp", "none")]

POINTS = """META
key;value
description;Punten proef
budget;10000
vote_type;cumulative
max_sum_points;6
min_length;2
max_points;4
PROJECTS
project_id;cost;name
a;6000;Speeltuin
b;3000;Bankjes
c;4000;Bomen
d;2000;Fietsrek
VOTES
voter_id;vote;points
1;a,b;4,2
2;c,b,d;2,2,2
3;d,a;1,4
4;b,c;3,3
5;a,d;4,1
"""

RANKED = """META
key;value
description;Volgorde proef
budget;9000
vote_type;ordinal
max_length;3
PROJECTS
project_id;cost;name
x;5000;Bibliotheek
y;4000;Buurthuis
z;3000;Moestuin
w;2000;Bankjes
VOTES
voter_id;vote
1;x,y,z
2;z,w
3;y,x
4;w
5;z,x,y
"""


def _counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count(m.id))) for m in (Round, District, Initiative, Voter, Ballot, BallotItem)
    )


def _import(runner, path: Path, *, warns: tuple[str, ...] = ()) -> Round:
    result = runner.invoke(args=["import-pb", str(path)])
    assert result.exit_code == 0, result.output
    warnings = [ln for ln in result.output.splitlines() if ln.startswith("warning: ")]
    assert len(warnings) == len(warns) and all(w in ln for w, ln in zip(warns, warnings, strict=True)), result.output
    return db.session.scalars(select(Round).where(Round.imported.is_(True)).order_by(Round.id.desc())).first()


def _stored(rnd: Round) -> list[list[tuple[str, int, int]]]:
    """Each stored ballot as (project id, position, points) in position order."""
    rows = db.session.execute(
        select(BallotItem.ballot_id, Initiative.external_id, BallotItem.position, BallotItem.points)
        .join(Ballot, Ballot.id == BallotItem.ballot_id)
        .join(Initiative, Initiative.id == BallotItem.initiative_id)
        .where(Ballot.round_id == rnd.id)
        .order_by(BallotItem.ballot_id, BallotItem.position)
    ).all()
    out: dict[int, list[tuple[str, int, int]]] = {}
    for ballot_id, pid, pos, points in rows:
        out.setdefault(ballot_id, []).append((pid, pos, points))
    return list(out.values())


def _votes(path: Path) -> list[list[tuple[str, int]]]:
    """The non-empty votes of a file as (project id, points) in the file's order."""
    e = read_pb(path)
    ids = e.project_ids
    return [
        [(ids[k], int(v)) for k, v in zip(e.indices[a:b].tolist(), e.values[a:b].tolist(), strict=True)]
        for a, b in zip(e.indptr[:-1].tolist(), e.indptr[1:].tolist(), strict=True)
        if b > a
    ]


def _export(rnd: Round, tmp_path: Path) -> list[Path]:
    """The round's .pb export (one file per district), written to ``tmp_path``."""
    tmp_path.mkdir(exist_ok=True)
    out = []
    for _district, name, text in exports.district_files(exports.load(rnd)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        out.append(path)
    return out


def _round_trip(rnd: Round, original: list[Path], tmp_path: Path, cases=CASES) -> list[Path]:
    """Every rule on the imported round as the platform runs it, and the engine on the original and
    on the export, all select the same plans."""
    staff = f.user(Role.STAFF)
    db.session.commit()
    files = _export(rnd, tmp_path / "export")
    orig_inst, orig_prof = read_election(original)
    exp_inst, exp_prof = read_election(files)
    assert exp_prof.ballot_type == orig_prof.ballot_type
    for rule, completion in cases:
        run = fr.finished_run(rnd, staff, rule, completion)
        assert run.status == "done", run.error
        on_original = run_rule(rule, orig_inst, orig_prof, completion=completion)
        on_export = run_rule(rule, exp_inst, exp_prof, completion=completion)
        assert list(on_export.selected) == list(on_original.selected), (rule, completion)
        assert sorted(run.result["selected"]) == sorted(on_original.selected), (rule, completion)
    return files


def test_cumulative_file_makes_a_points_round_that_round_trips(runner, tmp_path: Path) -> None:
    path = tmp_path / "punten.pb"
    path.write_text(POINTS, encoding="utf-8")
    rnd = _import(runner, path)
    assert rnd.ballot_kind == BallotKind.POINTS.value and rnd.phase() == Phase.RESULTS
    assert (rnd.points_total, rnd.points_min_plans, rnd.points_max_per_plan) == (6, 2, 4)
    # Each voter's points, in the file's order.
    assert [[(pid, pts) for pid, _pos, pts in b] for b in _stored(rnd)] == _votes(path)
    files = _round_trip(rnd, [path], tmp_path)
    exported = read_pb(files[0])
    assert exported.meta["vote_type"] == "cumulative" and "points" in exported.vote_columns
    assert (exported.meta["max_sum_points"], exported.meta["min_length"], exported.meta["max_points"]) == (
        "6",
        "2",
        "4",
    )
    assert sorted(map(sorted, _votes(files[0]))) == sorted(map(sorted, _votes(path)))
    # The adapter hands the rules each voter's points.
    assert sorted(round_input(rnd).profile.values.tolist()) == sorted(int(v) for v in read_pb(path).values)


def test_ordinal_file_makes_a_ranked_round_that_round_trips(runner, tmp_path: Path) -> None:
    path = tmp_path / "volgorde.pb"
    path.write_text(RANKED, encoding="utf-8")
    rnd = _import(runner, path)
    assert rnd.ballot_kind == BallotKind.RANKED.value and rnd.ranked_max == 3
    # The order is kept: position 0 is the first choice, scored 3, 2, 1 as a ranked round scores.
    assert _stored(rnd) == [
        [("x", 0, 3), ("y", 1, 2), ("z", 2, 1)],
        [("z", 0, 3), ("w", 1, 2)],
        [("y", 0, 3), ("x", 1, 2)],
        [("w", 0, 3)],
        [("z", 0, 3), ("x", 1, 2), ("y", 2, 1)],
    ]
    files = _round_trip(rnd, [path], tmp_path)
    exported = read_pb(files[0])
    assert exported.meta["vote_type"] == "ordinal" and exported.meta["max_length"] == "3"
    assert "points" in exported.vote_columns
    assert _votes(files[0]) == _votes(path)  # same rankings, same rank scores, same order


@pytest.mark.parametrize("name", ["cumulative_small.pb", "ordinal_small.pb"])
def test_the_small_test_files_round_trip(runner, tmp_path: Path, name: str) -> None:
    """The allocation tests' own files. The cumulative one has an empty vote, which no round stores:
    the import says so, and Equal Shares (a share of the budget per voter) selects otherwise."""
    points = name.startswith("cumulative")
    rnd = _import(runner, DATA / name, warns=("1 empty vote(s) are not imported",) if points else ())
    assert rnd.ballot_kind == (BallotKind.POINTS if points else BallotKind.RANKED).value
    assert [[(pid, pts) for pid, _pos, pts in b] for b in _stored(rnd)] == _votes(DATA / name)
    _round_trip(
        rnd, [DATA / name], tmp_path, cases=[("greedy", "none"), ("ilp", "none")] + [("mes", "none")] * (not points)
    )
    if points:
        inst, prof = read_election([DATA / name])
        assert run_rule("mes", inst, prof).selected == ("3",)
        assert sorted(fr.finished_run(rnd, f.user(Role.STAFF), "mes").result["selected"]) == ["2", "3"]


def test_meta_rules_that_no_round_holds_give_warnings(runner, tmp_path: Path) -> None:
    points = tmp_path / "p.pb"
    points.write_text(POINTS.replace("max_points;4", "max_points;4\nmax_length;3\nmin_sum_points;5"), encoding="utf-8")
    _import(runner, points, warns=("max_length is not imported", "min_sum_points is not imported"))
    kept = tmp_path / "k.pb"  # a ballot of 6 points names at most 6 plans; 2 plans have at least 2 points
    kept.write_text(POINTS.replace("max_points;4", "max_points;4\nmax_length;6\nmin_sum_points;2"), encoding="utf-8")
    _import(runner, kept)
    ranked = tmp_path / "r.pb"
    ranked.write_text(RANKED.replace("max_length;3", "max_length;3\nmin_length;2"), encoding="utf-8")
    _import(runner, ranked, warns=("min_length is not imported",))


def test_without_meta_the_ballots_give_the_rules(runner, tmp_path: Path) -> None:
    """N is the largest sum on one ballot and k is 1; a ranking's k is its longest ballot."""
    points = tmp_path / "p.pb"
    points.write_text(
        POINTS.replace("max_sum_points;6\n", "").replace("min_length;2\n", "").replace("max_points;4\n", "")
        + "6;c;5\n",
        encoding="utf-8",
    )
    rnd = _import(runner, points)
    assert (rnd.ballot_kind, rnd.points_total, rnd.points_min_plans, rnd.points_max_per_plan) == ("points", 6, 1, None)
    ranked = tmp_path / "r.pb"
    ranked.write_text(RANKED.replace("max_length;3\n", "").replace("1;x,y,z", "1;x,y"), encoding="utf-8")
    rnd = _import(runner, ranked)
    assert (rnd.ballot_kind, rnd.ranked_max) == ("ranked", 3)  # voter 5 ranks three
    assert _stored(rnd)[0] == [("x", 0, 3), ("y", 1, 2)]
    _round_trip(rnd, [ranked], tmp_path, cases=[("greedy", "none"), ("mes", "none")])


@pytest.mark.parametrize(
    "text,where,problem",
    [
        (POINTS.replace("4;b,c;3,3", "4;b,c;3,4"), "punten.pb:20:", "7 points in all; max_sum_points is 6"),
        (POINTS.replace("5;a,d;4,1", "5;a,d;5,1"), "punten.pb:21:", "'a' 5 points; max_points is 4"),
        (POINTS.replace("3;d,a;1,4", "3;a;4"), "punten.pb:19:", "points to 1 project(s); min_length is 2"),
        (POINTS.replace("2;c,b,d;2,2,2", "2;c,b,d;2,0,2"), "punten.pb:18:", "'b' 0 points; a points ballot lists"),
        (POINTS.replace("min_length;2", "min_length;9"), "punten.pb:7:", "min_length is 9 but max_sum_points 6"),
        (POINTS.replace("max_points;4", "max_points;7"), "punten.pb:8:", "max_points is 7; a round takes 1 to 6"),
        (
            RANKED.replace("voter_id;vote\n", "voter_id;vote;points\n")
            .replace("1;x,y,z\n", "1;x,y,z;3,2,1\n")
            .replace("2;z,w\n", "2;z,w;3,2\n")
            .replace("3;y,x\n", "3;y,x;2,1\n")
            .replace("4;w\n", "4;w;3\n")
            .replace("5;z,x,y\n", "5;z,x,y;3,2,1\n"),
            "punten.pb:17:",
            "points 2,1 are not the rank scores 3,2",
        ),
        (
            "META\nkey;value\nbudget;4000\nvote_type;scoring\nPROJECTS\nproject_id;cost\ns1;1000\n"
            "VOTES\nvoter_id;vote;points\n1;s1;4\n",
            "punten.pb:4:",
            "vote_type scoring cannot be imported",
        ),
    ],
)
def test_votes_that_break_the_rounds_rules_are_refused_by_file_and_line(
    runner, tmp_path: Path, text: str, where: str, problem: str
) -> None:
    before = _counts()
    path = tmp_path / "punten.pb"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(args=["import-pb", str(path)])
    assert result.exit_code == 2, result.output
    assert f"{tmp_path}/{where}" in result.output and problem in result.output, result.output
    assert _counts() == before


def test_files_that_disagree_on_the_rules_are_refused(runner, tmp_path: Path) -> None:
    a, b = tmp_path / "a.pb", tmp_path / "b.pb"
    a.write_text(POINTS.replace("description;", "district;Noord\ndescription;"), encoding="utf-8")
    b.write_text(
        "META\nkey;value\ndistrict;Zuid\nbudget;5000\nvote_type;cumulative\nmax_sum_points;8\n"
        "PROJECTS\nproject_id;cost\ne;3000\nf;2000\nVOTES\nvoter_id;vote;points\n1;e,f;5,3\n",
        encoding="utf-8",
    )
    before = _counts()
    result = runner.invoke(args=["import-pb", str(a), str(b)])
    assert result.exit_code == 2 and "max_sum_points is 8 but 6" in result.output, result.output
    assert _counts() == before


def test_ranked_files_without_max_length_must_agree_on_k(runner, tmp_path: Path) -> None:
    """Without max_length each file's ranks score from its own longest vote, which one round cannot hold."""
    a, b = tmp_path / "a.pb", tmp_path / "b.pb"
    a.write_text(RANKED.replace("max_length;3", "district;Noord"), encoding="utf-8")
    b.write_text(
        "META\nkey;value\ndistrict;Zuid\nbudget;5000\nvote_type;ordinal\n"
        "PROJECTS\nproject_id;cost\ne;3000\nf;2000\nVOTES\nvoter_id;vote\n1;e,f\n2;f\n",
        encoding="utf-8",
    )
    before = _counts()
    result = runner.invoke(args=["import-pb", str(a), str(b)])
    assert result.exit_code == 2 and f"{b}:12: the vote's points 2,1 are not the rank scores 3,2" in result.output
    assert "give every file max_length" in result.output and _counts() == before
    b.write_text(b.read_text(encoding="utf-8").replace("vote_type;ordinal", "vote_type;ordinal\nmax_length;3"))
    a.write_text(RANKED.replace("max_length;3", "district;Noord\nmax_length;3"), encoding="utf-8")
    result = runner.invoke(args=["import-pb", str(a), str(b)])
    assert result.exit_code == 0, result.output
    rnd = db.session.scalars(select(Round).where(Round.imported.is_(True))).one()
    assert rnd.ranked_max == 3 and _stored(rnd)[-2:] == [[("e", 0, 3), ("f", 1, 2)], [("f", 0, 3)]]


def _upload(client, body: str, filename: str):
    data = {"files": [(io.BytesIO(body.encode()), filename)], "name": ""}
    return client.post("/beheer/toewijzing/importeren", data=data, content_type="multipart/form-data")


@pytest.mark.parametrize(
    "body,sentence",
    [
        (POINTS, "Het is een puntenronde: elke stemmer verdeelt hoogstens 6 punten over minstens 2 plan(nen)."),
        (RANKED, "Het is een ronde met een volgorde: elke stemmer zet hoogstens 3 plan(nen) op volgorde."),
        (RANKED.replace("vote_type;ordinal", "vote_type;approval"), "Het is een ronde met aankruisen"),
    ],
)
def test_the_upload_says_which_kind_of_round_it_made(client, auth, body: str, sentence: str) -> None:
    auth.login(f.user(Role.STAFF))
    db.session.commit()
    ok = _upload(client, body, "proef.pb")
    assert ok.status_code == 302, ok.get_data(as_text=True)
    page = client.get(ok.headers["Location"]).get_data(as_text=True)
    assert "Geïmporteerd: 1 gebieden" in page and sentence in page
    if body is POINTS:
        assert "Eén plan krijgt hoogstens 4 punten." in page


def test_a_refused_upload_names_the_file_and_line(client, auth) -> None:
    auth.login(f.user(Role.STAFF))
    db.session.commit()
    before = _counts()
    bad = _upload(client, POINTS.replace("4;b,c;3,3", "4;b,c;3,4"), "te-veel.pb")
    body = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "te-veel.pb:20:" in body and "max_sum_points is 6" in body
    assert _counts() == before


def _shared(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.is_file():
        pytest.skip(f"{path} is not available")
    return path


@pytest.mark.parametrize(
    "parts,kind,cases",
    [
        (("misc", "France_Toulouse_2019.pb"), "points", CASES),
        (("large", "Poland_Katowice_2020.pb"), "points", [("greedy", "none")]),
        (("large", "Poland_Krakow_2024.pb"), "ranked", [("greedy", "none")]),
    ],
    ids=["toulouse", "katowice", "krakow"],
)
def test_real_points_and_ranked_elections_round_trip(runner, tmp_path: Path, parts, kind, cases) -> None:
    path = _shared(*parts)
    rnd = _import(runner, path, warns=("min_length is not imported",) if kind == "ranked" else ())
    assert rnd.ballot_kind == kind
    meta = read_pb(path).meta
    if kind == "points":
        assert rnd.points_total == int(meta["max_sum_points"])
    else:
        assert rnd.ranked_max == int(meta["max_length"])
    files = _round_trip(rnd, [path], tmp_path, cases=cases)
    exported = read_pb(files[0])
    assert exported.meta["vote_type"] == meta["vote_type"] and "points" in exported.vote_columns
    assert sorted(map(sorted, _votes(files[0]))) == sorted(map(sorted, _votes(path)))
