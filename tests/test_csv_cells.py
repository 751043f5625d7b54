"""CSV formula neutralisation: no cell of any CSV the site writes runs as a spreadsheet formula."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest

from tests import factories as f
from tests import factories_results as fr
from tests import factories_vote as fv
from wijkfonds.common import csvcells
from wijkfonds.extensions import db
from wijkfonds.models import Role
from wijkfonds.services.results.publication import publish

PACKAGE = Path(__file__).resolve().parents[1] / "wijkfonds"
RISKY = {
    '=HYPERLINK("http://x","klik")': '\'=HYPERLINK("http://x","klik")',
    "+31 20 123 4567": "'+31 20 123 4567",
    "-1+1": "'-1+1",
    "@SUM(A1:A9)": "'@SUM(A1:A9)",
    "\t=1+1": "'\t=1+1",
    "\r=1+1": "'\r=1+1",
}


@pytest.mark.parametrize(("text", "safe"), sorted(RISKY.items()))
def test_risky_text_gets_a_single_quote(text: str, safe: str) -> None:
    assert csvcells.cell(text) == safe


@pytest.mark.parametrize("value", [0, 12, -5, -12.5, 3.25, None, True, "", "Moestuin", "'al gequote", " =1", "5-3"])
def test_numbers_and_plain_text_stay_as_they_are(value: object) -> None:
    assert csvcells.cell(value) == value


@pytest.mark.parametrize("text", ["-5", "-12.5", "-0"])
def test_text_that_is_a_plain_negative_number_stays_a_number(text: str) -> None:
    """A spreadsheet reads '-5' as the number -5 and runs nothing: no quote."""
    assert csvcells.cell(text) == text


def test_writer_neutralises_every_cell_and_keeps_csv_quoting() -> None:
    out = io.StringIO()
    w = csvcells.writer(out, lineterminator="\n")
    w.writerow(["=1+1", -3, 'a "b", c'])
    w.writerows([["@x", 4]])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [["'=1+1", "-3", 'a "b", c'], ["'@x", "4"]]


def test_no_csv_writer_outside_the_helper() -> None:
    """Every CSV goes through wijkfonds.common.csvcells: no csv.writer/DictWriter elsewhere."""
    bad = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "csvcells.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\bcsv\.(writer|DictWriter)\b", text):
            bad.append(str(path.relative_to(PACKAGE.parent)))
    assert not bad, bad


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_results_csv_export_neutralises_titles_and_names(client, auth) -> None:
    rnd, inis = fr.closed_round(seed=3, per_district=3, voters=6)
    titles = [*list(RISKY)[:4], "-5"]
    for ini, title in zip(inis, titles, strict=False):
        ini.title = title
    inis[0].district.name = "=Gebied"
    staff = f.user(Role.STAFF)
    run = fr.finished_run(rnd, staff)
    publish(run, reason="", actor=staff)
    auth.login(f.user(Role.AUDITOR))
    db.session.commit()
    resp = client.get(f"/controle/ronde/{rnd.id}/export.csv")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    by_id = {int(r["initiative_id"]): r for r in _rows(resp.get_data(as_text=True))}
    for ini, title in zip(inis, titles, strict=False):
        row = by_id[ini.id]
        assert row["title"] == RISKY.get(title, title)
        assert row["cost"] == str(ini.cost) and row["votes"].isdigit()  # numbers stay numbers
    assert by_id[inis[0].id]["district"] == "'=Gebied"
    # The same CSV inside the auditor's zip.
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/controle/ronde/{rnd.id}/export.zip").data))
    inner = archive.read(f"{rnd.slug}.csv").decode("utf-8")
    assert _rows(inner)[0].keys() == next(iter(by_id.values())).keys()
    assert {int(r["initiative_id"]): r["title"] for r in _rows(inner)}[inis[0].id] == RISKY[titles[0]]


def test_voting_codes_csv_neutralises_round_and_district_names(client, auth) -> None:
    rnd = fv.voting_round()
    rnd.name = "=cmd|' /C calc'!A0"
    d = f.district("westerpark")
    d.name = "@Westerpark"
    auth.login(f.user(Role.STAFF))
    db.session.commit()
    resp = client.post(
        f"/beheer/stemcodes/ronde/{rnd.id}", data={"district": d.id, "count": 3, "fmt": "csv", "confirm": "1"}
    )
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(resp.get_data(as_text=True))))
    assert rows[0] == ["stemcode", "gebied", "ronde", "reeks"] and len(rows) == 4
    for code, district, name, batch in rows[1:]:
        assert district == "'@Westerpark" and name == "'=cmd|' /C calc'!A0" and batch.isdigit()
        assert re.fullmatch(r"[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}", code)
