"""The older ePCN.xlsx: a "PCN Details" sheet and a "PCN Core Partner Details" sheet.

Unlike the CSV reports the sheets have header rows, whose wording changed over the years
(CCG became sub-ICB location; join and exit became start and end), so columns are found by
name through alias tables. Some editions put a title above the header, so the header is
looked for in the first few rows.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from metrics.sources.base import Parsed, WrongKindOfFile
from metrics.sources.ods.layout import Cells, cell_text
from metrics.sources.readers import Header, match_header

HEADER_SEARCH_ROWS = 10
PCN_SHEETS = ("PCN Details", "PCNDetails")
PARTNER_SHEETS = ("PCN Core Partner Details", "PCNCorePartnerDetails")
SHEETS_EXPECTED = "ePCN.xlsx has the sheets 'PCN Details' and 'PCN Core Partner Details'"

PCN_ALIASES: dict[str, tuple[str, ...]] = {
    "pcn_code": ("PCN Code",),
    "pcn_name": ("PCN Name",),
    "sub_icb_code": (
        "Current Sub ICB Code",
        "Current Sub ICB Loc Code",
        "Current Sub ICB Location Code",
        "Sub ICB Location Code",
        "Sub ICB Code",
        "Current CCG Code",
        "CCG Code",
    ),
    "sub_icb_name": (
        "Current Sub ICB Name",
        "Current Sub ICB Loc Name",
        "Current Sub ICB Location Name",
        "Sub ICB Location Name",
        "Sub ICB Location",
        "Sub ICB Name",
        "Current CCG Name",
        "CCG Name",
    ),
    "open_date": ("Open Date", "PCN Open Date"),
    "close_date": ("Close Date", "PCN Close Date"),
    "address1": ("Address Line 1",),
    "address2": ("Address Line 2",),
    "address3": ("Address Line 3",),
    "address4": ("Address Line 4",),
    "address5": ("Address Line 5",),
    "postcode": ("Postcode", "Post Code"),
}
PCN_REQUIRED = ("pcn_code", "pcn_name", "sub_icb_code")

PARTNER_ALIASES: dict[str, tuple[str, ...]] = {
    "practice_code": ("Partner Organisation Code", "Partner Code", "Practice Code"),
    "practice_name": ("Partner Name", "Partner Organisation Name", "Practice Name"),
    "practice_sub_icb_code": (
        "Practice Parent Sub ICB Code",
        "Practice Parent Sub ICB Loc Code",
        "Practice Parent Sub ICB Location Code",
        "Practice Sub ICB Code",
        "Practice Parent CCG Code",
        "Practice CCG Code",
    ),
    "practice_sub_icb_name": (
        "Practice Parent Sub ICB Name",
        "Practice Parent Sub ICB Loc Name",
        "Practice Parent Sub ICB Location Name",
        "Practice Sub ICB Name",
        "Practice Parent CCG Name",
        "Practice CCG Name",
    ),
    "pcn_code": ("PCN Code",),
    "pcn_name": ("PCN Name",),
    "pcn_sub_icb_code": (
        "PCN Parent Sub ICB Code",
        "PCN Parent Sub ICB Loc Code",
        "PCN Parent Sub ICB Location Code",
        "PCN Sub ICB Code",
        "PCN Parent CCG Code",
        "PCN CCG Code",
    ),
    "pcn_sub_icb_name": (
        "PCN Parent Sub ICB Name",
        "PCN Parent Sub ICB Loc Name",
        "PCN Parent Sub ICB Location Name",
        "PCN Sub ICB Name",
        "PCN Parent CCG Name",
        "PCN CCG Name",
    ),
    "start_date": ("Practice Start Date", "Practice Join Date", "Join Date", "Start Date"),
    "end_date": ("Practice End Date", "Practice Exit Date", "Exit Date", "End Date"),
}
PARTNER_REQUIRED = ("practice_code", "pcn_code", "start_date")


def is_workbook(path: Path) -> bool:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return True
    with open(path, "rb") as handle:
        return handle.read(4) == b"PK\x03\x04"


def epcn_workbook_read(path: Path, parsed: Parsed) -> tuple[list[Cells], list[Cells]]:
    """(rows of "PCN Details", rows of "PCN Core Partner Details"), counted in ``parsed``."""
    book = _open(path)
    try:
        pcn_sheet = _sheet(book, PCN_SHEETS)
        partner_sheet = _sheet(book, PARTNER_SHEETS)
        pcns = list(_sheet_cells(pcn_sheet, PCN_ALIASES, PCN_REQUIRED, parsed))
        partners = list(_sheet_cells(partner_sheet, PARTNER_ALIASES, PARTNER_REQUIRED, parsed))
    finally:
        book.close()
    return pcns, partners


def _open(path: Path) -> Any:
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
        raise WrongKindOfFile(
            f"The file could not be opened as an Excel workbook; {SHEETS_EXPECTED}."
        ) from None


def _sheet_key(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.casefold())


def _sheet(book: Any, names: tuple[str, ...]) -> Any:
    wanted = {_sheet_key(name) for name in names}
    for title in book.sheetnames:
        if _sheet_key(title) in wanted:
            return book[title]
    found = ", ".join(f"'{title}'" for title in book.sheetnames)
    raise WrongKindOfFile(
        f"This workbook has no '{names[0]}' sheet (it has {found}); {SHEETS_EXPECTED}."
    )


def _sheet_cells(
    sheet: Any, aliases: Mapping[str, tuple[str, ...]], required: tuple[str, ...], parsed: Parsed
) -> Iterator[Cells]:
    rows = enumerate(sheet.iter_rows(values_only=True), start=1)
    header = _header(rows, aliases, required, sheet.title)
    columns = {f: f"{sheet.title}!{get_column_letter(p + 1)}" for f, p in header.positions.items()}
    for number, values in rows:
        if any(cell_text(value) for value in values):
            parsed.rows_read += 1
            yield Cells(number, _values(values, header.positions), columns)


def _values(values: tuple[object, ...], positions: Mapping[str, int]) -> dict[str, object]:
    return {f: values[p] if p < len(values) else None for f, p in positions.items()}


def _header(
    rows: Iterator[tuple[int, tuple[object, ...]]],
    aliases: Mapping[str, tuple[str, ...]],
    required: tuple[str, ...],
    title: str,
) -> Header:
    for number, values in rows:
        header, missing = match_header([cell_text(v) for v in values], aliases, required)
        if not missing:
            return header
        if number >= HEADER_SEARCH_ROWS:
            break
    names = ", ".join(f"'{aliases[field][0]}'" for field in required)
    raise WrongKindOfFile(f"The '{title}' sheet has no header row naming {names}.")
