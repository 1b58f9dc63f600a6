"""Where things sit in the workforce plan spreadsheet, shared by the template and the reader."""

from __future__ import annotations

from decimal import Decimal

SHEET = "Workforce plan"
TITLE = "ARRS workforce plan"
PCN_CODE, PCN_NAME, YEAR, AS_AT = "PCN code", "PCN name", "Financial year", "WTE in post as at"
ROLE, BAND, IN_POST = "Role", "AfC band", "WTE in post now"
HEADER_ROW = 8
MAX_WTE = Decimal(30)  # more of one role than any PCN employs: a slip, not a plan
WTE_PLACES = Decimal("0.0001")
DATE_FORMAT = "DD/MM/YYYY"
NOT_A_WORKBOOK = (
    "The file could not be opened as an Excel workbook (.xlsx). Download the template from "
    "this page, fill it in and upload it as it is."
)
