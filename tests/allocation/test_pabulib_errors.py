"""Every malformed pabulib input raises PabulibError naming the file, the line and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from wijkfonds.allocation import AllocationError
from wijkfonds.allocation.pabulib import PabulibError, read_election, read_pb

META = "META\nkey;value\nbudget;1000\nvote_type;approval\n"
PROJECTS = "PROJECTS\nproject_id;cost;name\na;400;A\nb;500;B\nc;300;C\n"
VOTES = "VOTES\nvoter_id;vote\n1;a,b\n2;c\n"


def pb(meta: str = META, projects: str = PROJECTS, votes: str = VOTES) -> str:
    """A valid file unless one of its sections is replaced by a broken one."""
    return meta + projects + votes


def line_of(text: str, marker: str) -> int:
    """1-based line of the line equal to ``marker``, else of the first line containing it."""
    lines = text.split("\n")
    if marker in lines:
        return lines.index(marker) + 1
    for number, line in enumerate(lines, start=1):
        if marker in line:
            return number
    raise AssertionError(f"{marker!r} not in the text")


# (id, file text, marker of the offending line (or its number), fragment of the problem)
CASES: list[tuple[str, str, str | int, str]] = [
    ("missing-meta", PROJECTS + VOTES, 1, "section PROJECTS where META was expected"),
    ("text-before-meta", "hello\n" + pb(), 1, "expected the section header META"),
    ("missing-projects", META + VOTES, "VOTES", "section VOTES where PROJECTS was expected"),
    ("missing-votes", META + PROJECTS, "c;300", "missing section VOTES"),
    ("sections-reversed", META + VOTES + PROJECTS, "VOTES", "where PROJECTS was expected"),
    ("meta-header", pb(meta="META\nname;value\nbudget;1000\nvote_type;approval\n"), "name;value", "'key;value'"),
    ("meta-row-without-value", pb(meta=META + "country\n"), "country", "a META row needs"),
    (
        "meta-key-twice",
        pb(meta=META + "budget;2000\n"),
        "budget;2000",
        "META key 'budget' occurs twice (first on line 3)",
    ),
    ("no-budget", pb(meta="META\nkey;value\nvote_type;approval\n"), 1, "META lacks the key 'budget'"),
    ("no-vote-type", pb(meta="META\nkey;value\nbudget;10\n"), 1, "META lacks the key 'vote_type'"),
    ("bad-budget", pb(meta=META.replace("1000", "1e6")), "budget;", "bad number for the budget: '1e6'"),
    ("negative-budget", pb(meta=META.replace("1000", "-5")), "budget;", "negative budget (-5)"),
    ("unknown-vote-type", pb(meta=META.replace("approval", "approve")), "vote_type", "unknown vote_type 'approve'"),
    (
        "projects-no-cost",
        pb(projects="PROJECTS\nproject_id;price\na;400\n"),
        "project_id;price",
        "lacks the column 'cost'",
    ),
    (
        "project-header-repeat",
        pb(projects="PROJECTS\nproject_id;cost;cost\na;1;1\n"),
        "project_id;cost;cost",
        "repeats the column 'cost'",
    ),
    (
        "project-field-count",
        pb(projects=PROJECTS + "d;100\n"),
        "d;100",
        "expected 3 fields (project_id;cost;name), found 2",
    ),
    ("duplicate-project", pb(projects=PROJECTS + "b;100;B2\n"), "b;100", "duplicate project id 'b' (first on line 8)"),
    (
        "negative-cost",
        pb(projects=PROJECTS.replace("b;500", "b;-500")),
        "b;-500",
        "negative cost (-500) for project 'b'",
    ),
    (
        "decimal-comma-cost",
        pb(projects=PROJECTS.replace("b;500", "b;500,50")),
        "b;500,50",
        "bad number for the cost of project 'b': '500,50'",
    ),
    ("text-cost", pb(projects=PROJECTS.replace("b;500", "b;lots")), "b;lots", "bad number for the cost of project 'b'"),
    ("empty-project-id", pb(projects=PROJECTS + ";100;X\n"), ";100;X", "empty project_id"),
    ("comma-in-project-id", pb(projects=PROJECTS + '"d,e";100;X\n'), "d,e", "contains a comma"),
    ("unclosed-quote-project", pb(projects=PROJECTS + 'd;100;"X\n'), 'd;100;"X', "quoted field is not closed"),
    ("votes-no-vote", pb(votes="VOTES\nvoter_id;ballot\n1;a\n"), "voter_id;ballot", "lacks the column 'vote'"),
    ("votes-no-header", pb(votes="VOTES\n\n"), "VOTES", "section VOTES has no header row"),
    ("vote-field-count", pb(votes=VOTES + "3;a;extra\n"), "3;a;extra", "expected 2 fields (voter_id;vote), found 3"),
    ("vote-field-count-quoted", pb(votes=VOTES + '3;"a";x\n'), '3;"a";x', "expected 2 fields (voter_id;vote), found 3"),
    ("unclosed-quote-vote", pb(votes=VOTES + '3;"a\n'), '3;"a', "quoted field is not closed"),
    ("unknown-project", pb(votes=VOTES + "3;a,zz\n"), "3;a,zz", "the vote names an unknown project 'zz'"),
    ("empty-item-in-vote", pb(votes=VOTES + "3;a,,b\n"), "3;a,,b", "empty project id in the vote"),
    ("unknown-after-blank-lines", pb(votes=VOTES + "\n\n3;q\n"), "3;q", "unknown project 'q'"),
    ("duplicate-voter", pb(votes=VOTES + "1;c\n"), "1;c", "duplicate voter_id '1' (first on line"),
    ("empty-voter-id", pb(votes=VOTES + ";c\n"), ";c", "empty voter_id"),
    (
        "over-max-length",
        pb(meta=META + "max_length;2\n", votes=VOTES + "3;a,b,c\n"),
        "3;a,b,c",
        "names 3 projects but max_length is 2",
    ),
    (
        "choose-1-with-two",
        pb(meta=META.replace("approval", "choose-1"), votes=VOTES),
        "1;a,b",
        "names 2 projects but choose-1 allows 1",
    ),
    ("bad-max-length", pb(meta=META + "max_length;many\n"), "max_length", "bad number for max_length"),
    (
        "ordinal-repeat",
        pb(meta=META.replace("approval", "ordinal"), votes=VOTES + "3;a,b,a\n"),
        "3;a,b,a",
        "names project 'a' twice",
    ),
    (
        "points-missing-column",
        pb(meta=META.replace("approval", "cumulative")),
        "voter_id;vote",
        "lacks the column 'points'",
    ),
    (
        "points-count",
        pb(meta=META.replace("approval", "cumulative"), votes="VOTES\nvoter_id;vote;points\n1;a,b;1\n"),
        "1;a,b;1",
        "names 2 projects but points has 1 numbers",
    ),
    (
        "points-bad-number",
        pb(meta=META.replace("approval", "scoring"), votes="VOTES\nvoter_id;vote;points\n1;a;2\n2;a,b;1,x\n"),
        "2;a,b;1,x",
        "bad number for points: 'x'",
    ),
    (
        "points-negative",
        pb(meta=META.replace("approval", "cumulative"), votes="VOTES\nvoter_id;vote;points\n1;a;2\n2;b;-1\n"),
        "2;b;-1",
        "negative points (-1)",
    ),
]


@pytest.mark.parametrize(("text", "marker", "problem"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_malformed_file(tmp_path: Path, text: str, marker: str | int, problem: str) -> None:
    path = tmp_path / "bad.pb"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PabulibError) as err:
        read_pb(path)
    line = marker if isinstance(marker, int) else line_of(text, marker)
    assert str(err.value).startswith(f"{path}:{line}: "), str(err.value)
    assert problem in err.value.problem, str(err.value)
    assert err.value.line == line and isinstance(err.value, AllocationError)


@pytest.mark.parametrize(
    ("raw", "line", "problem"),
    [
        (b"", 1, "the file is empty"),
        (b"  \n\r\n\n", 1, "the file is empty"),
        (b"META\nkey;value\n\x00\x01\x02\xff garbage", 3, "binary data"),
        (bytes(range(256)) * 4, 1, "binary data"),
        (b"META\nkey;value\ndescription;caf\xe9\n", 3, "not UTF-8 text (byte 0xe9)"),
        (b"\x89PNG\r\n\x1a\n" + b"\xde\xad\xbe\xef" * 8, 1, "not UTF-8"),
    ],
    ids=["empty", "blank", "nul-bytes", "all-bytes", "latin-1", "png"],
)
def test_not_a_text_file(tmp_path: Path, raw: bytes, line: int, problem: str) -> None:
    path = tmp_path / "junk.pb"
    path.write_bytes(raw)
    with pytest.raises(PabulibError) as err:
        read_pb(path)
    assert str(err.value).startswith(f"{path}:{line}: ") and problem in str(err.value)


def test_missing_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(PabulibError, match=r"nope\.pb: cannot read the file"):
        read_pb(tmp_path / "nope.pb")


@pytest.mark.parametrize(
    ("extra_meta", "problem"),
    [
        ("budget_per_category;10,20\n", "budget_per_category needs the META key 'categories'"),
        ("categories;A,B,C\nbudget_per_category;10,20\n", "budget_per_category has 2 amounts but categories names 3"),
        ("neighborhoods;N\nbudget_per_neighborhood;ten\n", "bad number for budget_per_neighborhood"),
        ("neighborhoods;N,M\nbudget_per_neighborhood;5,-1\n", "budget_per_neighborhood has a negative amount"),
    ],
)
def test_bad_caps(tmp_path: Path, extra_meta: str, problem: str) -> None:
    path = tmp_path / "caps.pb"
    text = pb(meta=META + extra_meta)
    path.write_text(text)
    read_pb(path)  # the file itself is fine; only the round built from it is not
    with pytest.raises(PabulibError) as err:
        read_election([path])
    assert problem in str(err.value)
    assert str(err.value).startswith(f"{path}:{line_of(text, 'budget_per_')}: ")
    read_election([path], ignore_caps=True)


def test_a_votes_line_with_more_than_the_word_is_refused_by_line(tmp_path: Path) -> None:
    """Found by the upload fuzzer: 'VOTES\\r;' passed the section search but not the vote parser."""
    path = tmp_path / "votes.pb"
    path.write_bytes(
        b"META\r\nkey;value\r\nnum_projects;1\r\nnum_votes;1\r\nbudget;100\r\nvote_type;approval\r\n"
        b"PROJECTS\r\nproject_id;cost\r\np1;50\r\nVOTES\r;\nvoter_id;vote\r\nv1;p1\r\n"
    )
    with pytest.raises(PabulibError, match=r"votes\.pb:10: the VOTES line must hold only the word VOTES"):
        read_pb(path)
