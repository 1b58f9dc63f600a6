"""Reading published files as they really are: BOMs, CRLF, renamed columns, odd spacing,
and text that is not UTF-8.

Row numbers are the ones a person sees when they open the file in a spreadsheet: the
first line of the file is row 1.

Encodings: published CSVs are UTF-8 (with or without a BOM) or Windows-1252 (NWRS files
have an en dash as byte 0x96). A file is read as UTF-8 when its first few megabytes are
UTF-8, else as Windows-1252; never refused for its encoding alone. A byte further on that
is not UTF-8 is read as Windows-1252 rather than stopping a national file part way.
"""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from core.ods import (  # noqa: F401 - the code patterns, re-exported for the sources
    ICB_CODE,
    PCN_CODE,
    PRACTICE_CODE,
    REGION_CODE,
    SENTINEL_CODES,
    SUB_ICB_CODE,
    is_sentinel,
)
from imports.sources.base import ProblemLog, WrongKindOfFile
from imports.sources.limits import csv_rows

# Runs of white space, and NUL (never meaningful in a published text field, and refused by
# PostgreSQL), become one space.
_SPACES = re.compile(r"[\s\x00]+")

_MONTHS = {
    m: i
    for i, m in enumerate(
        ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], 1
    )
}


def clean_text(value: str | None) -> str:
    """Trim and collapse runs of white space (real files have 'Same  Day')."""
    return _SPACES.sub(" ", value or "").strip()


def label_key(value: str | None) -> str:
    """A category label reduced for comparison: spaces collapsed, case folded."""
    return clean_text(value).casefold()


@functools.lru_cache(maxsize=65_536)
def display_name(name: str) -> str:
    """Published names are upper case; keep "NHS", "ICB", "CCG", "PCN" and codes as they are.
    Remembered: a national Mapping.csv names each ICB and region thousands of times."""
    words = clean_text(name).split(" ")
    shown = [w if _keep_case(w) else _title(w) for w in words]
    return " ".join(
        w.lower() if i and w.lower() in _SMALL_WORDS else w for i, w in enumerate(shown)
    )


_SMALL_WORDS = {"and", "of", "the", "on", "upon", "in", "at", "with", "by"}


def _title(word: str) -> str:
    """ST. JOHN'S -> St. John's; WESTON-SUPER-MARE -> Weston-Super-Mare."""
    return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))


def _keep_case(word: str) -> bool:
    return bool(re.fullmatch(r"(NHS|ICB|CCG|PCN|GP|UK|[A-Z]?\d[\dA-Z]*|-|&)", word))


def ods_code(value: str | None) -> str:
    return clean_text(value).upper()


def parse_date(value: str | None) -> dt.date | None:
    """Dates as published: 20240401, 01APR2024, 01-Apr-24, 2024-04-01, 01/04/2024.

    Returns None for a blank; raises ValueError for anything else it cannot read.
    """
    text = clean_text(value).upper()
    if not text:
        return None
    for parse in (_iso, _compact, _ods_month_name, _dashed_month_name, _slashed):
        try:
            day = parse(text)
        except ValueError:  # the right shape, but no such day (20191345)
            break
        if day is not None:
            return day
    raise ValueError(f"'{clean_text(value)}' is not a date")


def _iso(text: str) -> dt.date | None:
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?", text)
    return dt.date(*map(int, match.groups())) if match else None


def _compact(text: str) -> dt.date | None:
    match = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    return dt.date(*map(int, match.groups())) if match else None


def _ods_month_name(text: str) -> dt.date | None:
    match = re.fullmatch(r"(\d{2})([A-Z]{3})(\d{4})", text)
    if not match or match.group(2) not in _MONTHS:
        return None
    return dt.date(int(match.group(3)), _MONTHS[match.group(2)], int(match.group(1)))


def _dashed_month_name(text: str) -> dt.date | None:
    match = re.fullmatch(r"(\d{1,2})-([A-Z]{3})-(\d{2}|\d{4})", text)
    if not match or match.group(2) not in _MONTHS:
        return None
    year = int(match.group(3))
    year = year + 2000 if year < 100 else year
    return dt.date(year, _MONTHS[match.group(2)], int(match.group(1)))


def _slashed(text: str) -> dt.date | None:
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if not match:
        return None
    day, month, year = map(int, match.groups())
    return dt.date(year, month, day)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


UTF_8 = "utf-8-sig"  # reads a file with or without a BOM, dropping the BOM
WINDOWS_1252 = "cp1252"
SNIFF_BYTES = 4 * 1024 * 1024
_FALLBACK = "access-portal-cp1252"


def _as_windows_1252(error: UnicodeError) -> tuple[str, int]:
    """Bytes that are not UTF-8 read as Windows-1252; its five unused bytes as Latin-1."""
    assert isinstance(error, UnicodeDecodeError)
    bad = error.object[error.start : error.end]
    return "".join(_cp1252_char(byte) for byte in bad), error.end


def _cp1252_char(byte: int) -> str:
    try:
        return bytes([byte]).decode(WINDOWS_1252)
    except UnicodeDecodeError:
        return chr(byte)


codecs.register_error(_FALLBACK, _as_windows_1252)


def sniff_encoding(sample: bytes) -> str:
    """UTF-8 (a BOM or not) if the sample reads as UTF-8, else Windows-1252.

    The sample may end part way through a character: only what it holds is judged. Text
    has no NUL bytes; a spreadsheet, zip or PDF does, and is refused."""
    if b"\x00" in sample:
        raise WrongKindOfFile("The file is not a text (CSV) file.")
    if sample.startswith(codecs.BOM_UTF8):
        return UTF_8
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return WINDOWS_1252
    return UTF_8


def text_stream(binary: io.BufferedIOBase) -> io.TextIOWrapper:
    """A binary file (or zip member) as text for the csv module, its encoding detected from
    the first few megabytes; read as it goes, never whole."""
    buffered = io.BufferedReader(binary, buffer_size=SNIFF_BYTES)  # type: ignore[arg-type]
    encoding = sniff_encoding(buffered.peek(SNIFF_BYTES)[:SNIFF_BYTES])
    return io.TextIOWrapper(buffered, encoding=encoding, errors=_FALLBACK, newline="")


def file_encoding(path: Path) -> str:
    """The encoding a file is read with: "utf-8-sig" or "cp1252"."""
    with open(path, "rb") as handle:
        return sniff_encoding(handle.read(SNIFF_BYTES))


def open_text(path: Path) -> io.TextIOWrapper:
    """A CSV file opened as text, whatever of the published encodings it is in."""
    encoding = file_encoding(path)
    return open(path, encoding=encoding, errors=_FALLBACK, newline="")


def encoding_note(path: Path) -> str | None:
    """A line for the batch notes when a file was not UTF-8."""
    if file_encoding(path) == WINDOWS_1252:
        return "The file is Windows-1252 text rather than UTF-8; it was read as such."
    return None


def raw_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(row number, fields) for every non-blank line; BOM, CRLF and encoding handled.

    A line longer than the limit, or a row that is not CSV, refuses the file naming the row
    (``limits.UnreadableRow``); no line is read whole before its length is known."""
    with open_text(path) as handle:
        for number, fields in csv_rows(handle):
            if any(f.strip() for f in fields):
                yield number, fields


def first_row(path: Path) -> list[str]:
    for _, fields in raw_rows(path):
        return fields
    raise WrongKindOfFile("The file is empty.")


@dataclass(frozen=True)
class Header:
    """Which column holds which field, found by header name through an alias table."""

    positions: Mapping[str, int]
    names: Mapping[str, str]

    def get(self, fields: list[str], field: str) -> str:
        position = self.positions.get(field)
        if position is None or position >= len(fields):
            return ""
        return fields[position]


def header_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", label_key(name)).strip("_")


def match_header(
    fields: list[str], aliases: Mapping[str, tuple[str, ...]], required: tuple[str, ...]
) -> tuple[Header, list[str]]:
    """Map canonical field names to positions. Returns the header and the missing fields."""
    seen = {header_key(name): i for i, name in enumerate(fields)}
    positions: dict[str, int] = {}
    names: dict[str, str] = {}
    for field, options in aliases.items():
        for option in (field, *options):
            if header_key(option) in seen:
                positions[field] = seen[header_key(option)]
                names[field] = clean_text(fields[positions[field]])
                break
    missing = [field for field in required if field not in positions]
    return Header(positions, names), missing


def headed_rows(
    path: Path,
    aliases: Mapping[str, tuple[str, ...]],
    required: tuple[str, ...],
) -> tuple[Header, Iterator[tuple[int, list[str]]]]:
    """The header of a CSV with a header row, and an iterator over its data rows.

    Refuses the file, naming the missing columns, when required columns are missing.
    """
    fields = first_row(path)
    header, missing = match_header(fields, aliases, required)
    if missing:
        names = ", ".join(missing)
        column = "column" if len(missing) == 1 else "columns"
        raise WrongKindOfFile(f"This file has no {names} {column}.")
    rows = raw_rows(path)
    next(rows)
    return header, rows


def parse_count(
    value: str, row: int, column: str, problems: ProblemLog, *, blank_ok: bool = False
) -> int | None:
    """A whole number of people or appointments, or a problem logged against the row."""
    text = clean_text(value).replace(",", "")
    if not text:
        if not blank_ok:
            problems.add(row, column, "is blank; a whole number is needed")
        return None
    if not re.fullmatch(r"\d+(\.0+)?", text):
        problems.add(row, column, f"'{clean_text(value)}' is not a whole number of zero or more")
        return None
    return int(float(text))


def parse_date_logged(
    value: str, row: int, column: str, problems: ProblemLog, *, blank_ok: bool = True
) -> dt.date | None:
    try:
        day = parse_date(value)
    except ValueError as error:
        problems.add(row, column, f"{error}; dates look like 20240401 or 01/04/2024")
        return None
    if day is None and not blank_ok:
        problems.add(row, column, "is blank; a date is needed")
    return day


def check_code(
    value: str, pattern: re.Pattern[str], what: str, row: int, column: str, problems: ProblemLog
) -> str | None:
    code = ods_code(value)
    if not pattern.fullmatch(code):
        shown = clean_text(value) or "(blank)"
        problems.add(row, column, f"'{shown}' is not a {what} ODS code")
        return None
    return code
