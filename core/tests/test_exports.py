"""Cells for downloads: formula-like text is neutralised, numbers and blanks are not."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from core.exports import csv_writer, formula_like, safe_cell, workbook_bytes

FORMULAS = [
    '=HYPERLINK("http://x","y")',
    "+1+1",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    "-U00002",
    "-",
    "+44 1632 960000",
    "-e5",  # Excel reads it as =-E5, a cell
    "-1,23",
    "+.",
]
LEFT_ALONE = [
    "NHS Somerset ICB",
    "PCN U00001",
    "",
    " =1+1",  # a leading space: not read as a formula
    "-3.5",
    "+12",
    "-0.25",
    "1e-5",
    "-.5",
    "-1E+3",
    "-1,234.5",
    "-12.5%",
    "+.5%",
    3,
    -3,
    -3.5,
    Decimal("-3.50"),
    0,
    None,
    dt.date(2025, 10, 1),
    True,
]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_like_text_gets_a_leading_quote(text):
    assert formula_like(text)
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", LEFT_ALONE, ids=repr)
def test_numbers_blanks_dates_and_plain_text_are_left_alone(value):
    assert not formula_like(value)
    assert safe_cell(value) is value


def test_the_csv_writer_quotes_formula_like_text_and_keeps_numbers_unquoted():
    buffer = io.StringIO()
    writer = csv_writer(buffer, lineterminator="\n")
    writer.writerow(["name", "change", "value"])
    writer.writerows([['=HYPERLINK("http://x","y")', "-3.5", -3.5], ["@SUM(A1)", Decimal("-2"), 7]])

    rows = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert rows == [
        ["name", "change", "value"],
        ['\'=HYPERLINK("http://x","y")', "-3.5", "-3.5"],
        ["'@SUM(A1)", "-2", "7"],
    ]


def test_a_saved_workbook_keeps_formula_like_text_as_text_and_numbers_as_numbers():
    book = Workbook()
    book.active.append(['=HYPERLINK("http://x","y")', "+1+1", "-3.5", -3.5, "Plain", None])
    book.create_sheet("Second").append(["@SUM(A1)"])

    read = load_workbook(io.BytesIO(workbook_bytes(book)))
    first = list(read.active[1])
    assert [cell.value for cell in first[:5]] == [
        '=HYPERLINK("http://x","y")', "+1+1", "-3.5", -3.5, "Plain"
    ]  # fmt: skip
    assert [cell.data_type for cell in first[:5]] == ["s", "s", "s", "n", "s"]
    assert [cell.quotePrefix for cell in first[:5]] == [True, True, False, False, False]
    second = read["Second"]["A1"]
    assert (second.value, second.data_type, second.quotePrefix) == ("@SUM(A1)", "s", True)
