"""The year report: what happened with the money of a published round, and its spreadsheets.

- ``year``: ``build(round, district_id, lang)``, the report's data for a round or one of
  its districts (totals, progress per plan, money per building block and per function of
  social infrastructure, plans funded/finished/stopped, the turnout), all on top of
  ``services.implementation.overview.summary`` so every page, PDF and sheet shows the
  same amounts; only for a round with a published result;
- ``sheets``: the ``.xlsx`` workbook of a round for staff and auditors (typed cells, no
  formulas ever run).
"""

from __future__ import annotations
