"""Reading a workforce plan: the whole file is checked and every problem has its row."""

import datetime as dt
from decimal import Decimal

import pytest

from arrs.models import ArrsRole
from arrs.plan_files import HEADER_ROW, Expected, plan_file_read
from arrs.services.plans import role_lookup
from arrs.tests.plans import filled, template_for
from imports.sources.base import ProblemLog

pytestmark = pytest.mark.django_db
FIRST = HEADER_ROW + 1  # the first role's row: Clinical Pharmacist


def read(tmp_path, tree, data: bytes, pcn_code: str = "U00001", year: int = 2026):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(data)
    problems = ProblemLog()
    plan = plan_file_read(path, Expected(pcn_code, year, role_lookup()), problems)
    return plan, [str(problem) for problem in problems.kept]


def test_the_template_names_the_pcn_year_and_every_role_of_the_year(tree):
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(template_for(tree.pcn_a)))["Workforce plan"]

    assert [sheet["B2"].value, sheet["B3"].value, sheet["B4"].value] == [
        "U00001",
        "PCN U00001",
        "2026/27",
    ]
    assert sheet["B5"].value.date() == dt.date(2026, 7, 31)
    headings = [cell.value for cell in sheet[HEADER_ROW]]
    assert headings[:3] == ["Role", "AfC band", "WTE in post now"]
    assert [h.date() for h in headings[3:]] == [
        dt.date(2026, 9, 30),
        dt.date(2026, 12, 31),
        dt.date(2027, 3, 31),
    ]
    names = [sheet.cell(row=r, column=1).value for r in range(FIRST, sheet.max_row + 1)]
    assert names == list(ArrsRole.objects.order_by("sort_order").values_list("name", flat=True))
    assert sheet.cell(row=FIRST, column=2).value == "7-8a"


def test_a_clean_plan_keeps_blank_and_zero_apart(tmp_path, tree):
    data = filled(
        template_for(tree.pcn_a),
        {"Clinical Pharmacist": (2, 2.5, None, 3), "Care Co-ordinator": (0, None, None, None)},
    )

    plan, problems = read(tmp_path, tree, data)

    assert problems == []
    assert plan.as_at == dt.date(2026, 7, 31) and plan.year == 2026
    rows = {ArrsRole.objects.get(pk=row.role_id).name: row for row in plan.rows}
    pharmacist = rows["Clinical Pharmacist"]
    assert pharmacist.in_post == Decimal("2")
    assert pharmacist.intended == {
        dt.date(2026, 9, 30): Decimal("2.5"),
        dt.date(2026, 12, 31): None,
        dt.date(2027, 3, 31): Decimal("3"),
    }
    assert rows["Care Co-ordinator"].in_post == Decimal("0")
    assert rows["Paramedic"].in_post is None


@pytest.mark.parametrize(
    "figures, edits, expected",
    [
        (
            {"Pharmacist Prescriber": (1,)},
            {},
            f"Row {FIRST + 20}, column A: 'Pharmacist Prescriber' is not an ARRS role",
        ),
        ({"Paramedic": (-1,)}, {}, f"Row {FIRST + 4}, column C: -1 is negative"),
        (
            {"Paramedic": (None, 45)},
            {},
            f"Row {FIRST + 4}, column D: 45 WTE of one role is more than any PCN employs",
        ),
        ({"Paramedic": ("two",)}, {}, f"Row {FIRST + 4}, column C: 'two' is not a number of WTE"),
        (
            {"Paramedic": (1,)},
            {"F8": dt.datetime(2027, 6, 30)},
            f"Row {HEADER_ROW}, column F: 30/06/2027 is outside 2026/27",
        ),
        ({"Paramedic": (1,)}, {"E8": "Q3"}, f"Row {HEADER_ROW}, column E: 'Q3' is not a date"),
        (
            {"Paramedic": (1,)},
            {"B2": "U00002"},
            "Row 2, column B: This plan is for PCN U00002, not U00001",
        ),
        (
            {"Paramedic": (1,)},
            {"B4": "2025/26"},
            "Row 4, column B: This plan is for 2025/26, but the round is for 2026/27",
        ),
        (
            {"Paramedic": (1,)},
            {"B5": dt.datetime(2026, 3, 31)},
            "Row 5, column B: 31/03/2026 is outside 2026/27",
        ),
        (
            {"Paramedic": (1,)},
            {"B5": None},
            "Row 5, column B: The date the WTE in post figures are for is blank.",
        ),
        ({"Paramedic": (1,), "Paramedics": (2,)}, {}, "'Paramedics' is listed twice (also in row"),
        ({}, {}, "Every WTE cell is blank: fill in at least one figure."),
    ],
    ids=[
        "unknown role",
        "negative",
        "implausible",
        "not a number",
        "date outside the year",
        "heading not a date",
        "wrong PCN",
        "wrong year",
        "as-at outside the year",
        "as-at blank",
        "role twice",
        "nothing filled in",
    ],
)
def test_each_problem_is_reported_with_its_row_and_column(tmp_path, tree, figures, edits, expected):
    plan, problems = read(tmp_path, tree, filled(template_for(tree.pcn_a), figures, edits))

    assert any(problem.startswith(expected) or expected in problem for problem in problems), (
        problems
    )


def test_every_problem_in_the_file_is_found_in_one_go(tmp_path, tree):
    data = filled(
        template_for(tree.pcn_a), {"Paramedic": (-1, "x"), "Nobody": (1,)}, {"B2": "U00002"}
    )

    _, problems = read(tmp_path, tree, data)

    assert len(problems) == 4


def test_a_file_that_is_not_a_workbook_says_so(tmp_path, tree):
    _, problems = read(tmp_path, tree, b"PCN code,U00001\n")

    assert problems == [
        "The file could not be opened as an Excel workbook (.xlsx). Download the template from "
        "this page, fill it in and upload it as it is."
    ]


def test_dates_typed_as_text_and_added_columns_are_read(tmp_path, tree):
    data = filled(
        template_for(tree.pcn_a),
        {"Paramedic": (1, None, None, 2, 3)},
        {"G8": "30/11/2026"},
    )

    plan, problems = read(tmp_path, tree, data)

    assert problems == []
    assert dt.date(2026, 11, 30) in plan.dates
    paramedic = next(row for row in plan.rows if row.row == FIRST + 4)
    assert paramedic.intended[dt.date(2026, 11, 30)] == Decimal("3")
