"""The quick path's two VOTES readers agree: the C one (``_votes.c``) and the plain-Python one.

The Python reader is the reference (its output is what ``test_quick.py`` checks against the
full engine); the C one must give the same :class:`Groups`, or decline (None) exactly when the
Python one does, on every shared file, on random files with the mistakes of ``test_quick``, and
on random bytes-level sections (multi-byte characters, stray separators, long digits).
"""

from __future__ import annotations

import importlib
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pabulib_paths import DATA_DIR, every_shared_file
from test_quick import pb_files

from wijkfonds.allocation.errors import AllocationError
from wijkfonds.allocation.pabulib_head import read_head
from wijkfonds.allocation.quick import ballots


def both(path: Path) -> tuple[ballots.Groups | None, ballots.Groups | None] | None:
    """(C, Python) readings of ``path``; None when its head is refused (the full reader's case).

    The C reading is checked a second time from the undecoded bytes (``decode_votes=False``,
    as the command line reads): it must equal the first, and be None for every file the full
    reader refuses (bytes that are not UTF-8, a NUL byte).
    """
    try:
        lazy: ballots.Groups | None = ballots.read_groups(read_head(str(path), decode_votes=False))
    except (AllocationError, ValueError, KeyError):
        lazy = None
    try:
        head = read_head(str(path))
    except (AllocationError, ValueError, KeyError):
        assert lazy is None, "the quick path read a file that the full reader refuses"
        return None
    c = ballots.read_groups(head)
    assert lazy == c
    return c, ballots.read_groups(head, python=True)


def test_the_c_reader_is_built() -> None:
    """``make install`` compiles it; without it the quick path is some 70 ms slower on Katowice."""
    module = importlib.import_module("wijkfonds.allocation.quick._votes")
    assert ballots._read_in_c is module.read_groups


def test_every_shared_file_reads_alike() -> None:
    files = every_shared_file()
    read = 0
    for path in files:
        pair = both(path)
        if pair is None:
            continue
        c, python = pair
        assert c == python, path.name
        read += c is not None
    assert read > len(files) // 2  # most shared files are plain enough for the quick path


def test_our_test_files_read_alike() -> None:
    for path in sorted(DATA_DIR.glob("*.pb")):
        pair = both(path)
        if pair is not None:
            assert pair[0] == pair[1], path.name


def test_what_a_group_holds(tmp_path: Path) -> None:
    """A small cumulative file read by hand: groups in the order first met, zero points no support."""
    path = tmp_path / "small.pb"
    path.write_text(
        "META\nkey;value\nnum_projects;3\nnum_votes;4\nbudget;100\nvote_type;cumulative\n"
        "PROJECTS\nproject_id;cost\nłódź;10\nb;20\nc;30\n"
        "VOTES\nvoter_id;vote;points\n1;łódź,b;2,0\n2;c;3\n3;łódź,b;2,0\n4;;\n",
        encoding="utf-8",
    )
    c, python = both(path)  # type: ignore[misc]
    assert (
        c
        == python
        == ballots.Groups(
            supporters=[([0], [2]), ([], []), ([1], [3])],
            counts=[2, 1, 1],
            voters=4,
            named=[2, 2, 1],
            sums=[4, 0, 3],
            people=[2, 0, 1],
            entries=3,
        )
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pb_files())
def test_random_files_read_alike(tmp_path: Path, made: tuple[str, str]) -> None:
    path = tmp_path / "random.pb"
    path.write_text(made[0], encoding="utf-8")
    pair = both(path)
    if pair is not None:
        assert pair[0] == pair[1], made[1]


_HEAD = (
    "META\nkey;value\nnum_projects;4\nnum_votes;1\nbudget;100\nvote_type;{kind}\n{extra}"
    "PROJECTS\nproject_id;cost\n1;10\nł2;20\n😀;30\np-4;40\nVOTES\n{header}\n"
)
_IDS = ["1", "ł2", "😀", "p-4"]
# Mostly good fields, sometimes a bad one: a stray separator, an unknown or empty id, a sign,
# a long number, a space, a multi-byte digit.
_GOOD_VOTE = st.lists(st.sampled_from(_IDS), max_size=4, unique=True).map(",".join)
_BAD_VOTE = st.sampled_from(["", ",", "1,", "x", "1,1", " 1", "ł", "😀,p-4,ł2,1", "١"])
_BAD_POINTS = st.sampled_from(["", ",", "1,,2", "-1", "+1", " 1", "١", "1234567890", "999999999", "0,0"])
_BAD_VOTER = st.sampled_from(["", "ł", "1 ", "1"])


def _maybe(draw: st.DrawFn, good: str, bad: st.SearchStrategy[str]) -> str:
    """``good``, or one time in thirty a field from ``bad``."""
    return draw(bad) if draw(st.integers(0, 29)) == 0 else good


@st.composite
def sections(draw: st.DrawFn) -> str:
    """A VOTES section's rows for ``header``: plain rows, with now and then a broken one."""
    header = draw(
        st.sampled_from(["voter_id;vote", "voter_id;vote;points", "vote;voter_id", "age;points;vote;voter_id"])
    )
    columns = header.split(";")
    rows = []
    for _ in range(draw(st.integers(1, 12))):
        vote = draw(_GOOD_VOTE)
        size = vote.count(",") + bool(vote)
        points = ",".join(map(str, draw(st.lists(st.integers(0, 12), min_size=size, max_size=size))))
        fields = {
            "voter_id": _maybe(draw, str(len(rows) + 1), _BAD_VOTER),
            "vote": _maybe(draw, vote, _BAD_VOTE),
            "points": _maybe(draw, points, _BAD_POINTS),
            "age": "30",
        }
        row = [fields[c] for c in columns]
        if draw(st.integers(0, 20)) == 0:
            row = row[:-1] if draw(st.booleans()) else [*row, "x"]
        rows.append(";".join(row))
    if draw(st.integers(0, 20)) == 0:
        rows.insert(draw(st.integers(0, len(rows))), "")
    return header + "\n" + "\n".join(rows)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kind=st.sampled_from(["approval", "approval", "cumulative", "cumulative", "ordinal", "ordinal", "choose-1"]),
    extra=st.sampled_from(["", "", "", "", "max_length;3\n", "max_length;0\n", "max_length;12345678901\n"]),
    section=sections(),
    newline=st.sampled_from(["\n", "\n", "\r\n"]),
    bom=st.booleans(),
    end=st.sampled_from(["\n", "\n", "\n\n", "\u00a0\n", "\u2028", "\x1c", " " * 70 + "\n", "\u3000" * 30]),
    bad=st.sampled_from(
        [b"", b"", b"", b"", b"", b"", b"\xff", b"\x00", b"\xed\xa0\x80", b"\xc0\xaf", b"\xf4\x90\x80\x80", b"\xe2\x82"]
    ),
    where=st.floats(0, 1),
)
def test_random_sections_read_alike(  # noqa: PLR0917 - one drawn value each
    tmp_path: Path, kind: str, extra: str, section: str, newline: str, end: str, bad: bytes, where: float, *, bom: bool
) -> None:
    """Also with CRLF (the C reader then reads the text re-encoded), a byte-order mark (the
    file's own bytes, three bytes further on), Unicode blanks or a long blank run at the end,
    and a byte that is not UTF-8 (or a NUL) somewhere in the section."""
    path = tmp_path / "section.pb"
    header, rows = section.split("\n", 1)
    head = _HEAD.format(kind=kind, extra=extra, header=header).replace("\n", newline).encode()
    body = (rows + end).replace("\n", newline).encode()
    at = int(where * len(body))
    path.write_bytes(b"\xef\xbb\xbf" * bom + head + body[:at] + bad + body[at:])
    pair = both(path)
    if pair is not None:
        assert pair[0] == pair[1]
