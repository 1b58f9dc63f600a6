"""Helpers for ARRS tests: plan rounds, and plan workbooks filled in as a PCN manager would."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from arrs.models import PlanRound
from arrs.plan_files import HEADER_ROW, SHEET
from arrs.services import workforce_plan_template

JULY_31 = dt.date(2026, 7, 31)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def plan_round(icb, label: str = "August", year: int = 2026, **extra) -> PlanRound:
    return PlanRound.objects.create(icb=icb, financial_year=year, label=label, **extra)


def template_for(pcn, year: int = 2026, today: dt.date = JULY_31) -> bytes:
    """The template as on 31 July 2026: in post as at that day, then 30/09, 31/12 and 31/03."""
    return workforce_plan_template(pcn=pcn, year=year, today=today)


def filled(template: bytes, figures: dict[str, tuple], edits: dict[str, object] | None = None):
    """The template with each named role's row filled from column C (in post now) onwards,
    and any cell changed by reference (``{"B2": "U99999"}``)."""
    book = load_workbook(io.BytesIO(template))
    sheet = book[SHEET]
    rows = {sheet.cell(row=r, column=1).value: r for r in range(HEADER_ROW + 1, sheet.max_row + 1)}
    for name, values in figures.items():
        row = rows.get(name)
        if row is None:
            row = sheet.max_row + 1
            sheet.cell(row=row, column=1, value=name)
        for offset, value in enumerate(values):
            sheet.cell(row=row, column=3 + offset, value=value)
    for reference, value in (edits or {}).items():
        sheet[reference] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def as_upload(data: bytes, name: str = "plan.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX)


def plan_file(pcn, figures: dict[str, tuple], edits=None, name: str = "plan.xlsx"):
    return as_upload(filled(template_for(pcn), figures, edits), name)
