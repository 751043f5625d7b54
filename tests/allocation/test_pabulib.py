"""pabulib reader and writer on our own small files: values, conventions, multi-district rounds."""

from __future__ import annotations

import io
from fractions import Fraction
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

from wijkfonds.allocation import AllocationError, BallotType
from wijkfonds.allocation.model import Allocation
from wijkfonds.allocation.pabulib import (
    PabulibError,
    PbElection,
    read_election,
    read_pb,
    write_pb,
)
from wijkfonds.allocation.rules.common import project_scores

DATA = Path(__file__).resolve().parent / "data"
OWN_FILES = sorted(DATA.glob("*.pb"))


def ballots(e: PbElection) -> list[list[str]]:
    """Ballots as lists of project ids, in the file's order."""
    ids = e.project_ids
    return [[ids[i] for i in e.indices[a:b]] for a, b in pairwise(e.indptr.tolist())]


def roundtrip(e: PbElection, tmp_path: Path, allocation: Allocation | None = None) -> PbElection:
    out = tmp_path / "out.pb"
    write_pb(out, e, allocation)
    return read_pb(out)


def test_approval_file_keeps_every_column() -> None:
    e = read_pb(DATA / "approval_small.pb")
    assert e.ballot_type is BallotType.APPROVAL
    assert e.meta["budget"] == "10000" and e.meta["district"] == "Noord"
    assert e.project_columns == ["project_id", "cost", "votes", "name", "category", "neighborhood", "selected"]
    assert e.projects[0]["name"] == 'Speeltuin "De Eik"; nieuw'
    assert e.projects[3]["neighborhood"] == ""
    assert e.voter_ids == ["v1", "v2", "v3", "v4", "v5", "v6"]
    assert ballots(e) == [["p1", "p2"], ["p1", "p3"], ["p3", "p1", "p2"], ["p1"], ["p2", "p4", "p3"], []]
    assert e.values.tolist() == [1] * 11
    assert e.voter_extra == {"age": ["34", "51", "27", "19", "66", "40"], "sex": ["F", "M", "F", "X", "M", "F"]}
    assert e.indptr.dtype == np.int64 and e.indices.dtype == np.int32 and e.values.dtype == np.int64


def test_crlf_and_bom_read_like_lf() -> None:
    lf = read_pb(DATA / "approval_small.pb")
    crlf = read_pb(DATA / "approval_crlf_bom.pb")
    assert next(iter(crlf.meta)) == "description"  # the BOM did not stick to the first key
    assert crlf.projects[0]["name"] == lf.projects[0]["name"]
    assert np.array_equal(crlf.indptr, lf.indptr) and np.array_equal(crlf.indices, lf.indices)
    assert crlf.voter_extra == lf.voter_extra


def test_cumulative_points_and_empty_ballot() -> None:
    e = read_pb(DATA / "cumulative_small.pb")
    assert e.ballot_type is BallotType.CUMULATIVE
    assert ballots(e) == [["1", "2"], ["3"], ["2", "1", "3"], []]
    assert e.values.tolist() == [3, 2, 5, 1, 1, 3]
    assert e.voter_extra == {"age": ["30", "41", "22", "50"]}
    assert "points" not in e.voter_extra


def test_ordinal_without_points_gets_points_by_rank_and_keeps_order(tmp_path: Path) -> None:
    e = read_pb(DATA / "ordinal_small.pb")
    assert ballots(e) == [["x", "y", "z"], ["z", "x"], ["y"]]
    # the first choice gets max_length (3) points, the next one less: 3, 2, 1 whatever the length
    assert e.values.tolist() == [3, 2, 1, 3, 2, 3]
    # without max_length the longest ballot (3) takes its place
    (tmp_path / "o.pb").write_text((DATA / "ordinal_small.pb").read_text().replace("max_length;3\n", ""))
    assert read_pb(tmp_path / "o.pb").values.tolist() == [3, 2, 1, 3, 2, 3]
    (tmp_path / "o2.pb").write_text((DATA / "ordinal_small.pb").read_text().replace("max_length;3", "max_length;5"))
    assert read_pb(tmp_path / "o2.pb").values.tolist() == [5, 4, 3, 5, 4, 5]


def test_ordinal_points_column_is_used(tmp_path: Path) -> None:
    text = (
        (DATA / "ordinal_small.pb")
        .read_text()
        .replace("voter_id;vote\n1;x,y,z\n2;z,x\n3;y\n", "voter_id;vote;points\n1;x,y,z;3,2,1\n2;z,x;5,1\n3;y;2\n")
    )
    (tmp_path / "p.pb").write_text(text)
    e = read_pb(tmp_path / "p.pb")
    assert e.values.tolist() == [3, 2, 1, 5, 1, 2] and "points" not in e.voter_extra
    assert roundtrip(e, tmp_path).same_as(e)
    inst, prof = read_election([tmp_path / "p.pb"])
    assert project_scores(inst, prof).tolist() == [3 + 1, 2 + 2, 1 + 5]  # x, y, z: sums of the points
    (tmp_path / "neg.pb").write_text(text.replace("5,1", "5,-1"))
    with pytest.raises(PabulibError, match=r"neg\.pb:\d+: negative points \(-1\) in a ordinal vote"):
        read_pb(tmp_path / "neg.pb")


def test_projects_columns_that_disagree_with_the_votes_are_warned_about(tmp_path: Path) -> None:
    assert read_pb(DATA / "approval_small.pb").warnings == []  # its votes column agrees
    text = (
        (DATA / "approval_small.pb").read_text().replace("p1;6000;4;", "p1;6000;5;").replace("p2;3000;3;", "p2;3000;x;")
    )
    (tmp_path / "w.pb").write_text(text)
    e = read_pb(tmp_path / "w.pb")
    assert e.warnings == [
        f"{tmp_path / 'w.pb'}:16: project 'p1': PROJECTS says votes 5, but 4 ballots in VOTES name it; "
        "the engine counts the VOTES section",
        f"{tmp_path / 'w.pb'}:17: project 'p2': PROJECTS votes is not a number ('x'); "
        "the engine counts the VOTES section",
    ]
    scored = (
        (DATA / "cumulative_small.pb")
        .read_text()
        .replace("project_id;cost;name\n", "project_id;cost;name;score\n")
        .replace("1;5000;Park\n", "1;5000;Park;4\n")  # a gives 3 and c gives 1
        .replace("2;4000;Plein\n", "2;4000;Plein;3\n")
        .replace("3;2000;Fietsrek\n", "3;2000;Fietsrek;9\n")  # b gives 5 and c 3: 8, not 9
    )
    (tmp_path / "c.pb").write_text(scored)
    assert read_pb(tmp_path / "c.pb").warnings == [
        f"{tmp_path / 'c.pb'}:11: project '3': PROJECTS says score 9, but its points in VOTES add up to 8; "
        "the engine counts the VOTES section"
    ]


def test_choose1_and_scoring() -> None:
    c = read_pb(DATA / "choose1_small.pb")
    assert c.ballot_type is BallotType.CHOOSE_1 and ballots(c) == [["k1"], ["k2"], ["k2"]]
    s = read_pb(DATA / "scoring_small.pb")
    assert s.ballot_type is BallotType.SCORING and s.values.tolist() == [4, 10, 7]


def test_repeated_project_in_an_approval_ballot_counts_once(tmp_path: Path) -> None:
    text = (DATA / "approval_small.pb").read_text().replace("v1;p1,p2;", "v1;p1,p2,p1,p2;")
    (tmp_path / "rep.pb").write_text(text)
    e = read_pb(tmp_path / "rep.pb")
    assert ballots(e)[0] == ["p1", "p2"] and e.indptr.tolist()[:2] == [0, 2]
    assert ballots(e)[1:] == ballots(read_pb(DATA / "approval_small.pb"))[1:]


def test_multi_district_round() -> None:
    inst, prof = read_election([DATA / "approval_small.pb", DATA / "district_zuid.pb"])
    assert inst.district_budgets == {"Noord": 10000, "Zuid": 8000} and inst.budget == 18000
    assert [p.id for p in inst.projects] == ["p1", "p2", "p3", "p4", "z1", "z2"]
    p1, p4, z1 = inst.projects[0], inst.projects[3], inst.projects[4]
    assert p1.cost == 6000 and p1.district == "Noord" and p1.categories == ("Jeugd", "Groen")
    assert p1.neighbourhood == "Centrum" and p1.extra == {"votes": "4", "selected": "1"}
    assert p4.neighbourhood is None and z1.district == "Zuid" and z1.categories == ("Groen",)
    assert prof.districts == ("Noord", "Zuid") and prof.num_voters == 8
    assert prof.voter_district.tolist() == [0] * 6 + [1, 1]
    assert prof.ballot(6)[0].tolist() == [4, 5] and prof.ballot(7)[0].tolist() == [5]
    assert prof.indptr.tolist() == [0, 2, 4, 7, 8, 11, 11, 13, 14]
    assert list(prof.voter_ids) == ["v1", "v2", "v3", "v4", "v5", "v6", "w1", "w2"]
    assert prof.voter_extra["age"][-2:] == ["70", "15"] and prof.voter_extra["sex"][-2:] == ["", ""]
    assert inst.meta["Zuid"]["description"].startswith("Second district")


def test_district_name_falls_back_to_the_file_stem() -> None:
    inst, prof = read_election([DATA / "ordinal_small.pb"])
    assert inst.districts == ("ordinal_small",) and prof.districts == ("ordinal_small",)
    assert inst.budget == 7000


def test_caps_are_read_and_can_be_ignored() -> None:
    inst, _ = read_election([DATA / "caps_centrum.pb"])
    assert inst.neighbourhood_caps == {"Oost": 12000, "West": 9000}
    assert inst.category_caps == {"Groen": 10000, "Cultuur": 15000}
    assert inst.projects[2].categories == ("Groen", "Cultuur")
    plain, _ = read_election([DATA / "caps_centrum.pb"], ignore_caps=True)
    assert plain.neighbourhood_caps == {} and plain.category_caps == {}


def test_a_cap_may_not_bind_another_files_projects() -> None:
    files = [DATA / "caps_centrum.pb", DATA / "district_zuid.pb"]  # both have category Groen
    with pytest.raises(PabulibError, match=r"caps_centrum\.pb:\d+: category 'Groen' has a cap .* district 'Zuid'"):
        read_election(files)
    inst, _ = read_election(files, ignore_caps=True)
    assert inst.budget == 28000


def test_duplicate_project_id_across_files(tmp_path: Path) -> None:
    other = tmp_path / "other.pb"
    other.write_text((DATA / "district_zuid.pb").read_text().replace("z1;", "p2;").replace("w1;z1,", "w1;p2,"))
    with pytest.raises(PabulibError) as err:
        read_election([DATA / "approval_small.pb", other])
    msg = str(err.value)
    assert msg.startswith(f"{other}:") and "'p2'" in msg and "approval_small.pb:17" in msg and "unique" in msg


def test_files_of_a_round_must_agree(tmp_path: Path) -> None:
    with pytest.raises(PabulibError, match="vote_type cumulative differs from approval"):
        read_election([DATA / "approval_small.pb", DATA / "cumulative_small.pb"])
    twin = tmp_path / "twin.pb"
    twin.write_text(
        (DATA / "district_zuid.pb").read_text().replace("district;Zuid", "district;Noord").replace("z", "y")
    )
    with pytest.raises(PabulibError, match=r"twin\.pb:4: district 'Noord' is also the district of"):
        read_election([DATA / "approval_small.pb", twin])
    with pytest.raises(AllocationError, match="no pabulib file"):
        read_election([])


@pytest.mark.parametrize("path", OWN_FILES, ids=lambda p: p.name)
def test_own_files_round_trip(path: Path, tmp_path: Path) -> None:
    e = read_pb(path)
    again = roundtrip(e, tmp_path)
    assert again.same_as(e)
    assert ballots(again) == ballots(e) and again.projects == e.projects and again.meta == e.meta


def test_writer_adds_selected_from_an_allocation(tmp_path: Path) -> None:
    e = read_pb(DATA / "cumulative_small.pb")
    alloc = Allocation(
        rule="greedy",
        completion="none",
        selected=("2", "3"),
        cost=6000,
        utility=9,
        district_spend={},
        category_spend={},
        outcomes={},
        optimal=None,
        status="ok",
        seconds=0.0,
    )
    out = roundtrip(e, tmp_path, alloc)
    assert out.project_columns == ["project_id", "cost", "name", "selected"]
    assert [p["selected"] for p in out.projects] == ["0", "1", "1"]
    assert np.array_equal(out.values, e.values)
    existing = read_pb(DATA / "approval_small.pb")  # has a selected column already: it is overwritten
    out2 = roundtrip(existing, tmp_path, alloc)
    assert out2.project_columns == existing.project_columns
    assert [p["selected"] for p in out2.projects] == ["0", "0", "0", "0"]


def test_writer_quotes_only_when_needed_and_writes_to_streams() -> None:
    e = read_pb(DATA / "approval_small.pb")
    buf = io.StringIO()
    write_pb(buf, e)
    text = buf.getvalue()
    assert 'p1;6000;4;"Speeltuin ""De Eik""; nieuw";Jeugd,Groen;Centrum;1\n' in text
    assert "\nv3;p3,p1,p2;27;F\n" in text and "\nv6;;40;F\n" in text
    assert text.startswith("META\nkey;value\ndescription;") and "\r" not in text


def test_writer_refuses_a_line_break(tmp_path: Path) -> None:
    e = read_pb(DATA / "approval_small.pb")
    e.projects[1]["name"] = "two\nlines"
    with pytest.raises(PabulibError, match="line break"):
        write_pb(tmp_path / "x.pb", e)


def test_instance_shares_stay_exact() -> None:
    inst, _ = read_election([DATA / "approval_small.pb"])
    assert isinstance(inst.budget, int) and all(isinstance(p.cost, int) for p in inst.projects)
    assert Fraction(inst.projects[0].cost, inst.budget) == Fraction(3, 5)


def test_blank_lines_and_trailing_whitespace_are_ignored(tmp_path: Path) -> None:
    text = (DATA / "approval_small.pb").read_text()
    text = text.replace("PROJECTS\n", "\nPROJECTS\n").replace("v3;", "\n  \nv3;") + "\n \t\n\n"
    (tmp_path / "airy.pb").write_text(text)
    airy, plain = read_pb(tmp_path / "airy.pb"), read_pb(DATA / "approval_small.pb")
    assert airy.same_as(plain)
