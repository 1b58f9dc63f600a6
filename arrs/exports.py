"""Downloads of the ARRS tables: CSV for analysts and XLSX for board papers. Figures are
unrounded, so a reader can check that totals add up; blanks stay blank."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font

from arrs.money import Spend
from arrs.presenters import ICB_TOTAL, column_heading, csv_decimal, spend_total_label
from arrs.selectors import FteTable, IcbSpend, in_total
from core.exports import workbook_bytes

FTE_TITLE = "WTE of each ARRS role - current and future plans"


def fte_header(table: FteTable) -> list[str]:
    return ["Role", "AfC band", *(column_heading(c.kind, c.on) for c in table.columns)]


def fte_rows(table: FteTable) -> list[list[str]]:
    rows = [
        [row.role.name, row.role.afc_band, *(csv_decimal(v) for v in row.values)]
        for row in table.rows
    ]
    rows.append(["Total", "", *(csv_decimal(v) for v in table.totals)])
    rows.append(["PCNs with figures", "", *_reporting(table)])
    return rows


def _reporting(table: FteTable) -> list:
    """How many PCNs each column has figures from; the ICB's own total says so."""
    return [
        ICB_TOTAL if table.is_icb_level(i) else count for i, count in enumerate(table.reporting)
    ]


def fte_xlsx(table: FteTable, heading: str, notes: Sequence[str]) -> bytes:
    """The board table as a workbook: a title, the notes that say where figures come from,
    then the table with numbers as numbers (two decimal places shown, all kept)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "WTE by role"
    sheet.append([FTE_TITLE])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([heading])
    for note in notes:
        sheet.append([note])
    sheet.append([])
    sheet.append(fte_header(table))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([row.role.name, row.role.afc_band, *_numbers(row.values)])
    sheet.append(["Total", "", *_numbers(table.totals)])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.append(["PCNs with figures", "", *_reporting(table)])
    for row in sheet.iter_rows(min_row=5, min_col=3):
        for cell in row:
            cell.number_format = "0.00"
    sheet.column_dimensions["A"].width = 34
    return workbook_bytes(book)


def _numbers(values) -> list:
    return [None if value is None else float(value) for value in values]


SPEND_HEADER = [
    "pcn_code",
    "pcn_name",
    "financial_year",
    "allocation",
    "projected_spend",
    "projected_percent_of_allocation",
    "headroom",
    "claimed",
    "claimed_percent_of_allocation",
    "plan",
    "included_in_icb_total",
    "pcns_included",
    "pcns_total",
    "pcns_not_included",
]


def spend_rows(found: IcbSpend, year_label: str, total_name: str) -> list[list[str]]:
    """A row per PCN saying whether it counts in the total, then the total row with how many
    PCNs it adds up and the names of those it leaves out."""

    def line(code: str, name: str, spend: Spend, plan: str) -> list[str]:
        return [
            code,
            name,
            year_label,
            csv_decimal(spend.allocation),
            csv_decimal(spend.projected),
            csv_decimal(spend.projected_percent),
            csv_decimal(spend.headroom),
            csv_decimal(spend.claimed),
            csv_decimal(spend.claimed_percent),
            plan,
        ]

    rows = [
        [
            *line(r.pcn.code, r.pcn.name, r.spend, r.plan.plan_round.name if r.plan else ""),
            "yes" if in_total(r) else "no",
            "",
            "",
            "",
        ]
        for r in found.rows
    ]
    total = found.total
    label = spend_total_label(total_name, total)
    left_out = "; ".join(pcn.name for pcn in total.not_included)
    coverage = [str(total.pcns_included), str(total.pcns_total), left_out]
    return [*rows, [*line("", label, total.spend, ""), "", *coverage]]
