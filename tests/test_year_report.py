"""The year report: a funded plan's walk shows the same amounts on the public page, in the PDF and in the .xlsx."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pypdfium2 as pdfium
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from pypdf import PdfReader

from tests import factories as f
from tests import factories_implementation as fi
from tests import factories_media as fm
from tests import factories_results as fr
from wijkfonds.common.money import euro
from wijkfonds.extensions import db
from wijkfonds.i18n.languages import use_language
from wijkfonds.models import District, Implementation, Initiative, Role
from wijkfonds.services.implementation import money, progress
from wijkfonds.services.media import photos
from wijkfonds.services.report import year


def _walk(impl: Implementation, staff: object) -> tuple[int, int, int]:
    """Start, two updates with a photo, two payments, an account sent back and then approved."""
    initiator = fi.with_initiator(impl)
    granted = impl.granted
    progress.set_status(impl, "started", staff)  # type: ignore[arg-type]
    progress.add_update(
        impl, initiator, "We zijn begonnen.", photo=photos.store(fm.jpeg((400, 300)), initiator), alt="Een zaal"
    )
    progress.set_status(impl, "in_progress", staff)  # type: ignore[arg-type]
    progress.add_update(impl, initiator, "Het loopt goed.", photo=photos.store(fm.png(), initiator), alt="Koffie")
    today = progress.local_today()
    first = granted // 2
    money.record_payment(impl, staff, first, today - timedelta(days=10), "Eerste tranche")  # type: ignore[arg-type]
    money.record_payment(impl, staff, granted - first, today, "Tweede tranche")  # type: ignore[arg-type]
    progress.set_status(impl, "completed", staff)  # type: ignore[arg-type]
    money.submit_account(impl, initiator, granted - 137, 137, "Zaalhuur en koffie.")
    money.send_back_account(impl, staff, "Voeg de bonnen toe.")  # type: ignore[arg-type]
    money.submit_account(impl, initiator, granted - 137, 137, "Zaalhuur en koffie, met bonnen.")
    money.approve_account(impl, staff)  # type: ignore[arg-type]
    db.session.commit()
    return granted, granted - 137, 137


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&nbsp;", " ").split())


def test_the_walk_shows_the_same_amounts_on_the_page_in_the_pdf_and_in_the_xlsx(
    client: FlaskClient, auth: object, tmp_path: object
) -> None:
    rnd, staff, impls = fi.published()
    impl = impls[0]
    granted, spent, returned = _walk(impl, staff)
    total = sum(i.granted for i in impls)
    report = year.build(rnd)
    assert (report.summary.granted, report.summary.paid, report.summary.spent, report.summary.returned) == (
        total,
        granted,
        spent,
        returned,
    )
    assert report.funded == len(impls) and report.finished == 1 and report.stopped == 0
    assert sum(s.granted for s in report.blocks) == total  # every euro counted once
    assert sum(s.granted for s in report.functions) == total

    page = client.get(f"/verslag/ronde/{rnd.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    text = _text(html)
    assert "Wat is er met uw stem gebeurd?" in text
    for amount in (total, granted, spent, returned):
        assert euro(amount) in text
    assert html.count('role="img"') >= 4 and html.count("<table") >= 4  # each chart has its table
    assert "print.css" in html and "<script" not in html.split("</head>")[1].split("<footer")[0]

    pdf = client.get(f"/verslag/ronde/{rnd.id}/jaarverslag.pdf")
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES is False  # WeasyPrint's import does not loosen the photo checks
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "jaarverslag-" in pdf.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(pdf.data))
    pdf_text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert "Wat is er met uw stem gebeurd?" in pdf_text and rnd.name in pdf_text
    for amount in (total, granted, spent, returned):
        assert euro(amount) in pdf_text, euro(amount)
    assert f"1 / {len(reader.pages)}" in pdf_text  # page numbers

    doc = pdfium.PdfDocument(pdf.data)
    image = doc[0].render(scale=1).to_pil()
    assert image.size[0] < image.size[1]  # A4 upright
    assert image.convert("L").getextrema() != (255, 255)  # something is drawn on page 1
    image.save(str(tmp_path) + "/page1.png")
    import os

    if os.environ.get("REPORT_PNG"):
        for k in range(len(doc)):
            doc[k].render(scale=1.5).to_pil().save(f"{os.environ['REPORT_PNG']}-{k + 1}.png")

    auth.login(staff)  # type: ignore[attr-defined]
    sheet = client.get(f"/verslag/ronde/{rnd.id}/export.xlsx")
    assert sheet.status_code == 200 and sheet.mimetype.endswith("spreadsheetml.sheet")
    wb = load_workbook(io.BytesIO(sheet.data))
    assert wb.sheetnames == ["Rondes", "Plannen", "Uitslag", "Betalingen", "Uitvoering"]
    rows = list(wb["Uitvoering"].iter_rows(values_only=True))
    assert rows[0][:8] == ("Plan", "Titel", "Gebied", "Status", "Toegekend", "Betaald", "Besteed", "Terugbetaald")
    row = next(r for r in rows[1:] if r[0] == impl.initiative_id)
    assert row[4:8] == (granted, granted, spent, returned)
    assert sum(r[4] for r in rows[1:]) == total
    cell = wb["Uitvoering"].cell(row=rows.index(row) + 1, column=5)
    assert cell.data_type == "n" and "€" in cell.number_format
    payments = list(wb["Betalingen"].iter_rows(values_only=True))[1:]
    assert sorted(p[4] for p in payments) == sorted([granted // 2, granted - granted // 2])
    assert all(isinstance(p[3], date) for p in payments)
    assert wb["Uitvoering"].freeze_panes == "A2" and wb["Uitvoering"]["A1"].font.b


def test_the_english_pdf_and_the_district_page(client: FlaskClient) -> None:
    rnd, staff, impls = fi.published()
    impl = impls[0]
    ini = db.session.get(Initiative, impl.initiative_id)
    assert ini is not None
    url = f"/verslag/ronde/{rnd.id}/gebied/{ini.district_id}/jaarverslag.pdf?taal=en"
    before = client.get(url).data
    assert client.get(url).data == before  # the same report is rendered once
    _granted, spent, returned = _walk(impl, staff)
    district = client.get(f"/verslag/ronde/{rnd.id}/gebied/{ini.district_id}")
    assert district.status_code == 200
    assert ini.district.name in district.get_data(as_text=True)
    assert euro(spent) in _text(district.get_data(as_text=True))

    pdf = client.get(url)
    assert pdf.status_code == 200 and "year-report-" in pdf.headers["Content-Disposition"]
    assert pdf.data != before  # new figures, a new PDF
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "What happened to your vote?" in text and ini.district.name in text
    with use_language("en"):
        assert euro(spent) in text and euro(returned) in text


def test_no_report_before_publication(client: FlaskClient) -> None:
    rnd, _inis = fr.closed_round(seed=3, per_district=2, voters=4)
    db.session.commit()
    for url in (f"/verslag/ronde/{rnd.id}", f"/verslag/ronde/{rnd.id}/jaarverslag.pdf"):
        answer = client.get(url)
        assert answer.status_code == 404
        assert "gepubliceerd" in answer.get_data(as_text=True)
    assert client.get("/verslag/ronde/2147483000").status_code == 404
    assert client.get("/verslag/ronde/99999999999999999999").status_code == 404


def test_a_district_outside_the_round_is_a_clear_404(client: FlaskClient) -> None:
    rnd, _staff, _impls = fi.published()
    other = District(slug="nergenshuizen", name="Nergenshuizen", population=10)
    db.session.add(other)
    db.session.commit()
    answer = client.get(f"/verslag/ronde/{rnd.id}/gebied/{other.id}")
    assert answer.status_code == 404 and "hoort niet bij deze ronde" in answer.get_data(as_text=True)
    assert client.get(f"/verslag/ronde/{rnd.id}/gebied/2147483000").status_code == 404
    assert client.get(f"/verslag/ronde/{rnd.id}?taal=xx").status_code == 200  # an unknown language: Dutch


def test_the_spreadsheet_stores_formula_like_titles_as_text_and_hides_votes_before_publication(
    app: Flask, client: FlaskClient, auth: object
) -> None:
    rnd, inis = fr.closed_round(seed=4, per_district=2, voters=4)
    inis[0].title = '=HYPERLINK("http://example.invalid","klik")'
    inis[1].title = "+1-2"
    db.session.commit()
    auditor = f.user(Role.AUDITOR)
    auth.login(auditor)  # type: ignore[attr-defined]
    answer = client.get(f"/verslag/ronde/{rnd.id}/export.xlsx")
    assert answer.status_code == 200
    wb = load_workbook(io.BytesIO(answer.data))
    assert "Uitslag" not in wb.sheetnames  # no votes before publication
    plans = wb["Plannen"]
    cells = {plans.cell(row=r, column=2).value: plans.cell(row=r, column=2) for r in range(2, plans.max_row + 1)}
    risky = cells['=HYPERLINK("http://example.invalid","klik")']
    assert risky.data_type == "s"
    assert cells["+1-2"].data_type == "s"
    assert b"<f>" not in _sheet_xml(answer.data)  # no formula anywhere in the file
    requested = plans.cell(row=2, column=6)
    assert isinstance(requested.value, int) and requested.number_format.startswith('"€"')


def test_residents_do_not_get_the_spreadsheet(client: FlaskClient, auth: object) -> None:
    rnd, _staff, _impls = fi.published()
    assert client.get(f"/verslag/ronde/{rnd.id}/export.xlsx").status_code in (302, 401)
    auth.login(f.user())  # type: ignore[attr-defined]
    assert client.get(f"/verslag/ronde/{rnd.id}/export.xlsx").status_code == 403


def _sheet_xml(data: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))


def test_the_report_counts_needs_answered_and_not_answered(client: FlaskClient) -> None:
    """Issue 16: the year report counts the needs of its district(s) that a plan answers, and the rest."""
    from wijkfonds.models.needs import initiative_need
    from wijkfonds.services.needs import board

    rnd, _staff, impls = fi.published()
    ini = db.session.get(Initiative, impls[0].initiative_id)
    assert ini is not None
    other = next(d for d in db.session.query(District).all() if d.id != ini.district_id)

    def need(title: str, district_id: int) -> int:
        data = board.NeedData(title=title, body="Wat de buurt mist.", district_id=district_id, block_id=f.block(3).id)
        return board.post(data, author=f.user()).id

    answered = need("Een plek om samen te eten", ini.district_id)
    need("Hulp bij formulieren", ini.district_id)
    need("Een bankje bij de bushalte", other.id)
    db.session.execute(initiative_need.insert().values(initiative_id=ini.id, need_id=answered))
    db.session.commit()
    whole, part = year.build(rnd), year.build(rnd, ini.district_id)
    assert (whole.needs.posted, whole.needs.answered, whole.needs.not_answered) == (3, 1, 2)
    assert (part.needs.posted, part.needs.answered, part.needs.not_answered) == (2, 1, 1)
    page = _text(client.get(f"/verslag/ronde/{rnd.id}/gebied/{ini.district_id}").get_data(as_text=True))
    assert "Behoeften waar een plan op antwoordt 1" in page and "Behoeften nog zonder plan 1" in page
