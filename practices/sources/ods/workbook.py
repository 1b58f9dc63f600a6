"""The older ePCN.xlsx: a "PCN Details" sheet and a "PCN Core Partner Details" sheet.

Unlike the CSV reports the sheets have header rows, worded differently in each edition:
"Current Clinical Commissioning Group Code" (2019), the same broken over three lines in a
cell (2022), "Current Sub ICB Loc Code" (2023); "Practice to PCN Relationship Start Date"
or "Practice Join Date". Headers are compared after reducing those wordings to one
(``header_words``), then through small alias tables. Some editions put a title above the
header, so it is looked for in the first few rows. Dates are numbers (20191001) in some
editions and text in others; some cells are formulas (the 2019 partner sheet looks PCN
names up from the PCN sheet), read by the value Excel last saved with them.
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

from imports.sources.base import Parsed, WrongKindOfFile
from imports.sources.limits import zip_check
from imports.sources.readers import Header, clean_text, header_key
from imports.sources.tables import cell_text
from practices.sources.ods.layout import Cells

HEADER_SEARCH_ROWS = 10
PCN_SHEETS = ("PCN Details", "PCNDetails")
PARTNER_SHEETS = ("PCN Core Partner Details", "PCNCorePartnerDetails")
SHEETS_EXPECTED = "ePCN.xlsx has the sheets 'PCN Details' and 'PCN Core Partner Details'"
# What a formula cell holds when Excel could not work it out; read as blank.
EXCEL_ERRORS = frozenset({"#N/A", "#REF!", "#VALUE!", "#NAME?", "#DIV/0!", "#NULL!", "#NUM!"})

# One wording for what the editions call the same thing, applied in order.
_REWORDINGS = (
    (r"\(.*?\)", " "),  # "Open Date (YYYYMMDD)"
    (r"\bclinical commissioning group\b", "ccg"),
    (r"\bsub[ -]?icb(?: location| loc)?\b", "sub icb"),
    (r"\bccg\b", "sub icb"),
    (r"^current\b", ""),
    (r"\bpost code\b", "postcode"),
)

PCN_ALIASES: dict[str, tuple[str, ...]] = {
    "pcn_code": ("PCN Code",),
    "pcn_name": ("PCN Name",),
    "sub_icb_code": ("Sub ICB Location Code", "CCG Code"),
    "sub_icb_name": ("Sub ICB Location Name", "Sub ICB Location", "CCG Name"),
    "open_date": ("Open Date", "PCN Open Date"),
    "close_date": ("Close Date", "PCN Close Date"),
    "address1": ("Address Line 1",),
    "address2": ("Address Line 2",),
    "address3": ("Address Line 3",),
    "address4": ("Address Line 4",),
    "address5": ("Address Line 5",),
    "postcode": ("Postcode",),
}
PCN_REQUIRED = ("pcn_code", "pcn_name", "sub_icb_code")

PARTNER_ALIASES: dict[str, tuple[str, ...]] = {
    "practice_code": ("Partner Organisation Code", "Partner Code", "Practice Code"),
    "practice_name": ("Partner Name", "Partner Organisation Name", "Practice Name"),
    "practice_sub_icb_code": ("Practice Parent Sub ICB Location Code", "Practice CCG Code"),
    "practice_sub_icb_name": ("Practice Parent Sub ICB Location Name", "Practice CCG Name"),
    "pcn_code": ("PCN Code",),
    "pcn_name": ("PCN Name",),
    "pcn_sub_icb_code": ("PCN Parent Sub ICB Location Code", "PCN CCG Code"),
    "pcn_sub_icb_name": ("PCN Parent Sub ICB Location Name", "PCN CCG Name"),
    "start_date": (
        "Practice to PCN Relationship Start Date",
        "Relationship Start Date",
        "Practice Start Date",
        "Practice Join Date",
        "Join Date",
        "Start Date",
    ),
    "end_date": (
        "Practice to PCN Relationship End Date",
        "Relationship End Date",
        "Practice End Date",
        "Practice Exit Date",
        "Exit Date",
        "End Date",
    ),
}
PARTNER_REQUIRED = ("practice_code", "pcn_code", "start_date")


def header_words(name: str) -> str:
    """A header cell reduced to one wording: "Current Clinical\\nCommissioning\\nGroup Code",
    "Current Sub ICB Loc Code" and "Sub ICB Location Code" all read "sub_icb_code"."""
    text = clean_text(name).casefold()
    for pattern, words in _REWORDINGS:
        text = re.sub(pattern, words, text)
    return header_key(text)


def match_sheet_header(
    values: list[str], aliases: Mapping[str, tuple[str, ...]], required: tuple[str, ...]
) -> tuple[Header, list[str]]:
    """Which column holds each field (the first column worded so), and the required fields
    no column names."""
    seen: dict[str, int] = {}
    for position, value in enumerate(values):
        seen.setdefault(header_words(value), position)
    positions: dict[str, int] = {}
    names: dict[str, str] = {}
    for field, options in aliases.items():
        for option in (field, *options):
            position = seen.get(header_words(option))
            if position is not None:
                positions[field], names[field] = position, clean_text(values[position])
                break
    return Header(positions, names), [field for field in required if field not in positions]


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
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                zip_check(archive)  # a workbook is a zip: no bomb is opened
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
    return {f: _value(values[p]) if p < len(values) else None for f, p in positions.items()}


def _value(value: object) -> object:
    return None if isinstance(value, str) and value.strip() in EXCEL_ERRORS else value


def _header(
    rows: Iterator[tuple[int, tuple[object, ...]]],
    aliases: Mapping[str, tuple[str, ...]],
    required: tuple[str, ...],
    title: str,
) -> Header:
    for number, values in rows:
        header, missing = match_sheet_header([cell_text(v) for v in values], aliases, required)
        if not missing:
            return header
        if number >= HEADER_SEARCH_ROWS:
            break
    names = ", ".join(f"'{aliases[field][0]}'" for field in required)
    raise WrongKindOfFile(f"The '{title}' sheet has no header row naming {names}.")
