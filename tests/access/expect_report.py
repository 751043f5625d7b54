"""Access expectations of the year report: public pages and PDFs of a published round (404
before publication, which is not a refusal by role), and the spreadsheet for staff and auditors."""

from . import ANYONE, AUDITOR

EXPECT = {
    "report.round_report": {"GET": ANYONE},
    "report.district_report": {"GET": ANYONE},
    "report.round_pdf": {"GET": ANYONE},
    "report.district_pdf": {"GET": ANYONE},
    "report.round_xlsx": {"GET": AUDITOR},
}
