"""The reader and writer on every real election in ../shared/pabulib (skipped when absent)."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from pabulib_paths import file_id, shared_official_files, shared_pabulib_files

from wijkfonds.allocation import BallotType
from wijkfonds.allocation.pabulib import PbElection, read_election, read_pb, write_pb
from wijkfonds.allocation.rules.common import project_scores

pytestmark = pytest.mark.pabulib

ALL_FILES = shared_pabulib_files()
LARGE = set(shared_pabulib_files("large"))
# small enough for pabutools' parser to stay quick; one file per ballot type and quirk
PABUTOOLS_SAMPLE = [
    p
    for p in ALL_FILES
    if p.stem
    in {
        "France_Toulouse_2019",  # cumulative, CRLF
        "Canada_Stanford_Dataset_PB_Dieppe_2018_vote_approvals",
        "Netherlands_Amsterdam_252",  # neighbourhood caps
        "Netherlands_Amsterdam_604",  # a ballot repeats projects
        "Netherlands_Amsterdam_643",  # choose-1
        "Netherlands_Amsterdam_212",  # quoted names
        "Poland_Warszawa_2023_Wesola",
        "Poland_Katowice_2020",  # cumulative with voter columns
    }
]


@pytest.mark.parametrize("path", ALL_FILES, ids=file_id)
def test_every_shared_file_round_trips(path: Path, tmp_path: Path) -> None:
    first = read_pb(path)
    out = tmp_path / path.name
    write_pb(out, first)
    second = read_pb(out)
    assert second.same_as(first)
    assert second.num_voters == first.num_voters > 0
    if path not in LARGE:  # writing is deterministic: a second round trip gives the same bytes
        again = tmp_path / "again.pb"
        write_pb(again, second)
        assert again.read_bytes() == out.read_bytes()


@pytest.mark.parametrize("path", ALL_FILES, ids=file_id)
def test_meta_counts_agree_with_the_content(path: Path) -> None:
    e = read_pb(path)
    assert int(e.meta["num_projects"]) == len(e.projects)
    assert int(e.meta["num_votes"]) == e.num_voters
    assert e.indptr[-1] == e.indices.shape[0] == e.values.shape[0]
    assert np.all(np.diff(e.indptr) >= 0)


def _pabutools_ballots(path: Path) -> tuple[dict[str, int], list[dict[str, int]], str]:
    pabulib = pytest.importorskip("pabutools.election")
    instance, profile = pabulib.parse_pabulib(str(path))
    costs = {p.name: int(p.cost) for p in instance}
    vote_type = instance.meta["vote_type"]
    out: list[dict[str, int]] = []
    for ballot in profile:
        if vote_type in ("cumulative", "scoring"):
            out.append({p.name: int(v) for p, v in ballot.items()})
        elif vote_type == "ordinal":
            out.append({p.name: len(ballot) - i - 1 for i, p in enumerate(ballot)})
        else:
            out.append({p.name: 1 for p in ballot})
    return costs, out, vote_type


def _our_ballots(e: PbElection) -> list[dict[str, int]]:
    ids = e.project_ids
    return [
        {ids[i]: int(v) for i, v in zip(e.indices[a:b], e.values[a:b], strict=True)}
        for a, b in pairwise(e.indptr.tolist())
    ]


@pytest.mark.parametrize("path", PABUTOOLS_SAMPLE, ids=file_id)
def test_same_ballots_as_pabutools(path: Path) -> None:
    costs, theirs, vote_type = _pabutools_ballots(path)
    e = read_pb(path)
    assert e.ballot_type is BallotType(vote_type)
    assert {p["project_id"]: int(p["cost"]) for p in e.projects} == costs
    assert _our_ballots(e) == theirs


def test_warsaw_2023_is_one_round_of_18_districts() -> None:
    files = shared_pabulib_files("warszawa-2023")
    if not files:
        pytest.skip("../shared/pabulib is absent")
    inst, prof = read_election(files)
    assert len(inst.districts) == 18 and prof.districts == inst.districts
    assert inst.budget == sum(int(read_pb(f).meta["budget"]) for f in files) == sum(inst.district_budgets.values())
    assert "Mokotów" in inst.district_budgets
    counts = np.bincount(prof.voter_district, minlength=18)
    assert counts.sum() == prof.num_voters and (counts > 0).all()
    district_of = np.array([inst.districts.index(p.district) for p in inst.projects])
    entry_voter = np.repeat(np.arange(prof.num_voters), np.diff(prof.indptr))
    # every voter votes only for projects of their own district
    assert np.array_equal(district_of[prof.indices], prof.voter_district[entry_voter])


def test_amsterdam_caps() -> None:
    files = {p.stem: p for p in shared_pabulib_files("netherlands")}
    if "Netherlands_Amsterdam_252" not in files:
        pytest.skip("../shared/pabulib is absent")
    inst, _ = read_election([files["Netherlands_Amsterdam_252"]])
    assert inst.neighbourhood_caps == {"Oostelijke Eilanden": 150000, "Haarlemmerhouttuinen": 100000, "Other": 250000}
    assert {p.neighbourhood for p in inst.projects} <= set(inst.neighbourhood_caps)
    inst, _ = read_election([files["Netherlands_Amsterdam_166"]])
    assert inst.category_caps["Jeugdactiviteiten"] == 54000 and len(inst.category_caps) == 6
    assert read_election([files["Netherlands_Amsterdam_166"]], ignore_caps=True)[0].category_caps == {}


# Files whose PROJECTS columns disagree with their VOTES section, and why.
DISAGREEING = {
    # Some ballots name a project twice; PROJECTS `votes` counted each mention, the engine
    # counts an approval ballot as a set (each project once).
    "Netherlands_Amsterdam_604": "repeats",
}


def _mentions(path: Path) -> dict[str, int]:
    """How often the VOTES section mentions each project, repeats within a ballot included."""
    e = read_pb(path)
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").split("\nVOTES\n", 1)[1]
    rows = text.strip().split("\n")[1:]
    column = e.vote_columns.index("vote")
    mentions = dict.fromkeys(e.project_ids, 0)
    for row in rows:
        for pid in filter(None, row.split(";")[column].split(",")):
            mentions[pid] += 1
    return mentions


@pytest.mark.parametrize("path", ALL_FILES + shared_official_files(), ids=file_id)
def test_projects_votes_and_score_agree_with_the_votes_section(path: Path) -> None:
    e = read_pb(path)
    if path.stem not in DISAGREEING:
        assert e.warnings == []
        if "score" in e.project_columns:  # points (or the points by rank) add up as the city counted them
            inst, prof = read_election([path])
            assert project_scores(inst, prof).tolist() == [int(row["score"]) for row in e.projects]
        return
    assert e.warnings and all(w.startswith(f"{path}:") and "PROJECTS says votes" in w for w in e.warnings)
    mentions = _mentions(path)
    for row in e.projects:
        assert int(row["votes"]) == mentions[row["project_id"]]  # the file counted every mention


def test_krakow_scores_come_from_the_points_or_the_ranks() -> None:
    official = {p.stem: p for p in shared_official_files()}
    large = {p.stem: p for p in shared_pabulib_files("large")}
    if "Poland_Krakow_2021_Zwierzyniec" not in official or "Poland_Krakow_2024" not in large:
        pytest.skip("../shared/pabulib(-official) is absent")
    with_points = read_pb(official["Poland_Krakow_2021_Zwierzyniec"])
    assert "points" in with_points.vote_columns and set(with_points.values.tolist()) == {1, 2, 3}
    ranked = read_pb(large["Poland_Krakow_2024"])  # no points column: 3, 2, 1 by rank (max_length 3)
    assert "points" not in ranked.vote_columns and ranked.meta["max_length"] == "3"
    first = ranked.indptr[:-1]
    assert set(ranked.values[first].tolist()) == {3} and set(ranked.values.tolist()) == {1, 2, 3}
