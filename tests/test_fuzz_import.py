"""Fuzzing the .pb importer: mutated and random files never give a 500 and never half-save."""

from __future__ import annotations

import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests import factories as f
from wijkfonds.extensions import db
from wijkfonds.models import Ballot, District, Initiative, Role, Round, Voter

DATA = Path(__file__).resolve().parent / "allocation" / "data"
SEEDS = sorted(p.read_bytes() for p in DATA.glob("*.pb"))


def _counts() -> tuple[int, ...]:
    return tuple(db.session.scalar(select(func.count(m.id))) for m in (Round, District, Initiative, Voter, Ballot))


@st.composite
def mutated_pb(draw) -> bytes:
    """A real small .pb file with random lines dropped, duplicated, replaced or garbled."""
    lines = draw(st.sampled_from(SEEDS)).split(b"\n")
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        i = draw(st.integers(min_value=0, max_value=max(0, len(lines) - 1)))
        op = draw(st.sampled_from(["drop", "dup", "replace", "garble", "field"]))
        if op == "drop" and lines:
            del lines[i]
        elif op == "dup" and lines:
            lines.insert(i, lines[i])
        elif op == "replace" and lines:
            lines[i] = draw(st.binary(max_size=60))
        elif op == "garble" and lines:
            lines[i] = (
                lines[i]
                .replace(b";", draw(st.sampled_from([b"", b";;", b",", b'"'])))
                .replace(b"1", draw(st.sampled_from([b"-1", b"x", b"1e9", b"99999999999999999999", b""])))
            )
        elif op == "field" and lines:
            lines[i] = lines[i] + b";" + draw(st.text(max_size=20)).encode("utf-8")
    return b"\n".join(lines)


def test_fuzz_pb_upload(client, auth) -> None:
    """Every upload either imports a whole round or shows an error and saves nothing."""
    staff = f.user(Role.STAFF)
    db.session.commit()
    auth.login(staff)
    assert SEEDS, "no seed files"

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(content=st.one_of(mutated_pb(), st.binary(max_size=400)))
    def fuzz(content: bytes) -> None:
        before = _counts()
        resp = client.post(
            "/beheer/toewijzing/importeren",
            data={"files": (io.BytesIO(content), "fuzz.pb"), "name": ""},
            content_type="multipart/form-data",
        )
        assert resp.status_code < 500, resp.status_code
        after = _counts()
        if resp.status_code == 302:
            assert after[0] == before[0] + 1, "a successful import creates exactly one round"
        else:
            assert resp.status_code == 422
            assert after == before, "a refused import saved something"
            assert 'class="error"' in resp.get_data(as_text=True)

    fuzz()
