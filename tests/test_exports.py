"""Auditor exports: CSV, JSON, .pb per district, zip; recomputing from them gives the published result."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests import factories as f
from tests import factories_results as fr
from wijkfonds.allocation.pabulib import read_election, read_pb
from wijkfonds.extensions import db
from wijkfonds.models import BlockQuota, Phase, Role
from wijkfonds.services.results.publication import publish
from wijkfonds.services.results.runs import canonical_json

ROOT = Path(__file__).resolve().parents[1]


def _published_round(rule: str = "greedy", completion: str = "none", *, quotas: bool = True):
    rnd, inis = fr.closed_round(seed=11, per_district=6, voters=15, total=120_000)
    if quotas:
        dearest = max(inis, key=lambda i: i.cost)
        capped = next(i for i in inis if i.block_id != dearest.block_id)
        db.session.add(BlockQuota(round_id=rnd.id, block_id=dearest.block_id, min_bp=dearest.cost * 10_000 // 120_000))
        db.session.add(BlockQuota(round_id=rnd.id, block_id=capped.block_id, max_bp=500))
    staff = f.user(Role.STAFF)
    run = fr.finished_run(rnd, staff, rule, completion)
    assert run.status == "done", run.error
    publish(run, reason="", actor=staff)
    db.session.commit()
    return rnd, inis, run


def _auditor(client, auth) -> None:
    auth.login(f.user(Role.AUDITOR))
    db.session.commit()


def test_csv_and_json_exports(client, auth) -> None:
    rnd, inis, run = _published_round()
    _auditor(client, auth)
    resp = client.get(f"/controle/ronde/{rnd.id}/export.csv")
    assert resp.status_code == 200 and "attachment" in resp.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(resp.get_data(as_text=True))))
    assert len(rows) == len(inis)
    chosen = set(run.result["selected"])
    for row in rows:
        assert row["selected"] == ("1" if row["project_id"] in chosen else "0")
        assert int(row["votes"]) == run.result["outcomes"][row["project_id"]]["support"]
    data = json.loads(client.get(f"/controle/ronde/{rnd.id}/export.json").get_data(as_text=True))
    digest = hashlib.sha256(canonical_json(data["input"]).encode("utf-8")).hexdigest()
    assert digest == data["input_digest"] == run.input_digest == data["published"]["input_digest"]
    assert data["published"]["rule"] == "greedy" and data["published"]["result"]["selected"] == run.result["selected"]
    assert len(data["input"]["ballots"]) == run.result["voters"]


def test_exports_hold_no_personal_data(client, auth) -> None:
    rnd, inis, _run = _published_round()
    author = inis[0].author
    _auditor(client, auth)
    blob = client.get(f"/controle/ronde/{rnd.id}/export.zip").data
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        text = "".join(zf.read(n).decode("utf-8") for n in zf.namelist())
        assert any(n.startswith("pb/") for n in zf.namelist())
    for secret in (author.email, author.display_name, "password", "code_hash"):
        assert secret not in text


def test_exports_need_a_closed_round(client, auth) -> None:
    rnd, _inis = fr.closed_round(phase=Phase.VOTING)
    _auditor(client, auth)
    resp = client.get(f"/controle/ronde/{rnd.id}/export.json")
    assert resp.status_code == 409 and "pas als het stemmen voorbij is" in resp.get_data(as_text=True)
    assert client.get("/controle/ronde/99999/export.csv").status_code == 404


def test_pb_files_round_trip(client, auth, tmp_path: Path) -> None:
    rnd, _inis, run = _published_round()
    _auditor(client, auth)
    page = client.get(f"/controle/ronde/{rnd.id}").get_data(as_text=True)
    assert "python -m wijkfonds.allocation" in page
    d = f.districts()[0]
    resp = client.get(f"/controle/ronde/{rnd.id}/gebied/{d.id}.pb")
    assert resp.status_code == 200
    path = tmp_path / "one.pb"
    path.write_bytes(resp.data)
    election = read_pb(path)
    assert election.meta["district"] == d.name and "selected" in election.project_columns
    chosen = set(run.result["selected"])
    assert {p["project_id"] for p in election.projects if p["selected"] == "1"} == {
        pid for pid in chosen if run.result["outcomes"][pid]["district"] == d.name
    }


def _recompute(client, rnd_id: int, tmp_path: Path) -> dict:
    blob = client.get(f"/controle/ronde/{rnd_id}/export.zip").data
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        zf.extractall(tmp_path)
        name = next(n for n in zf.namelist() if n.endswith(".json"))
    argv = json.loads((tmp_path / name).read_text(encoding="utf-8"))["recompute"]["argv"]
    assert argv[:3] == ["python", "-m", "wijkfonds.allocation"]
    argv = [sys.executable, *argv[1:]]  # the pb/ names are relative to the unzipped folder
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # this checkout's engine, whatever the venv's install points at
    done = subprocess.run(argv, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize(
    "rule,completion", [("greedy", "none"), ("greedy-stop", "none"), ("ilp", "none"), ("mes", "none"), ("mes", "add1")]
)
def test_recomputing_from_the_exports_gives_the_published_selection(
    client, auth, tmp_path: Path, rule, completion
) -> None:
    rnd, _inis, run = _published_round(rule, completion)
    _auditor(client, auth)
    out = _recompute(client, rnd.id, tmp_path)
    assert set(out["selected"]) == set(run.result["selected"])
    assert out["cost"] == run.result["cost"] and out["rule"] == rule


def test_pb_export_reads_back_as_the_same_round(client, auth, tmp_path: Path) -> None:
    """The engine's own reader sees the same projects, budgets and ballots as the platform."""
    from wijkfonds.services.results.runs import input_digest, round_input

    rnd, _inis, _run = _published_round(quotas=False)
    _auditor(client, auth)
    blob = client.get(f"/controle/ronde/{rnd.id}/export.zip").data
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        zf.extractall(tmp_path)
    instance, profile = read_election(sorted((tmp_path / "pb").glob("*.pb")))
    ours = round_input(rnd)
    assert [(p.id, p.cost, p.district) for p in instance.projects] == [
        (p.id, p.cost, p.district) for p in ours.instance.projects
    ]
    assert profile.num_voters == ours.profile.num_voters
    assert (profile.indices == ours.profile.indices).all() and (profile.indptr == ours.profile.indptr).all()
    assert input_digest(ours.instance, ours.profile) == ours.digest


def test_recomputing_honours_district_floors(client, auth, tmp_path: Path) -> None:
    """A district floor travels in the recompute command (--district-floor) and binds the ILP."""
    rnd, _inis, _run = _published_round("ilp", quotas=False)
    poorest = rnd.district_budgets[0]
    poorest.floor = min(b.amount for b in rnd.district_budgets) // 2
    db.session.commit()
    staff = f.user(Role.STAFF)
    run = fr.finished_run(rnd, staff, "ilp")
    assert run.status == "done", run.error
    publish(run, reason="ondergrens toegevoegd", actor=staff)
    db.session.commit()
    _auditor(client, auth)
    out = _recompute(client, rnd.id, tmp_path)
    assert set(out["selected"]) == set(run.result["selected"])
    assert out["districts"][poorest.district.name]["cost"] >= poorest.floor
