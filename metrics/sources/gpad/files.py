"""The files inside a GPAD delivery: a published zip (monthly crosstabs, possibly split by
region, plus Mapping.csv) or a single crosstab CSV. Columns are found by header name."""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from imports.sources.base import WrongKindOfFile
from imports.sources.limits import (
    UnreadableRow,
    csv_rows,
    first_line_fields,
    zip_check,
    zip_member_open,
)
from imports.sources.readers import Header, match_header, parse_date

ALIASES: dict[str, tuple[str, ...]] = {
    "APPOINTMENT_MONTH_START_DATE": ("APPOINTMENT_MONTH",),
    "GP_CODE": ("PRACTICE_CODE",),
    "GP_NAME": ("PRACTICE_NAME",),
    "SUPPLIER": (),
    "PCN_CODE": (),
    "PCN_NAME": (),
    "SUB_ICB_LOCATION_CODE": ("CCG_CODE", "SUB_ICB_CODE"),
    "SUB_ICB_LOCATION_NAME": ("CCG_NAME", "SUB_ICB_NAME"),
    "HCP_TYPE": (),
    "APPT_MODE": (),
    "NATIONAL_CATEGORY": (),
    "TIME_BETWEEN_BOOK_AND_APPT": (),
    "COUNT_OF_APPOINTMENTS": ("COUNT",),
    "APPT_STATUS": (),
}
REQUIRED = (
    "APPOINTMENT_MONTH_START_DATE", "GP_CODE", "HCP_TYPE", "APPT_MODE", "NATIONAL_CATEGORY",
    "TIME_BETWEEN_BOOK_AND_APPT", "COUNT_OF_APPOINTMENTS", "APPT_STATUS",
)  # fmt: skip
MAPPING_COLUMNS = ("GP_CODE", "ICB_CODE", "REGION_CODE")


@dataclass(frozen=True)
class Member:
    """One CSV of the delivery, with a way to open it as bytes and an identity that
    changes when its content does (CRC and size for zip members, SHA-256 otherwise)."""

    name: str
    size: int
    checksum: str
    open: Callable[[], IO[bytes]]

    def header_fields(self) -> list[str]:
        with self.open() as handle:
            line = handle.readline(64 * 1024).decode("utf-8-sig", errors="replace")
        return first_line_fields(line.splitlines()[:1])  # a lone CR ends a line too

    def header(self) -> tuple[Header, list[str]]:
        return match_header(self.header_fields(), ALIASES, REQUIRED)

    def first_month(self, header: Header) -> object:
        """The month of the first data row (a crosstab CSV holds one month)."""
        with self.open() as handle:
            text = io.TextIOWrapper(handle, encoding="utf-8-sig", errors="replace", newline="")
            rows = csv_rows(text)
            try:
                next(rows, None)
                first = next(rows, (None, None))[1]
            except UnreadableRow:
                return None  # the careful reader names the row
        if not first:
            return None
        try:
            day = parse_date(header.get(first, "APPOINTMENT_MONTH_START_DATE"))
        except ValueError:
            return None
        return day.replace(day=1) if day else None


@dataclass(frozen=True)
class Delivery:
    crosstabs: list[Member]
    mapping: Member | None
    ignored: list[str]
    zipped: bool = False  # its files are members of a zip, named in every problem


@contextmanager
def delivery(path: Path) -> Iterator[Delivery]:
    """Open a zip or a single CSV and sort its files into crosstabs, Mapping.csv and others."""
    if zipfile.is_zipfile(path):
        with _zip(path) as archive:
            zip_check(archive)
            yield _sorted(_zip_members(archive), zipped=True)
        return
    yield _sorted([_plain_member(path)])


def _zip_members(archive: zipfile.ZipFile) -> list[Member]:
    infos = [
        i for i in archive.infolist() if not i.is_dir() and i.filename.lower().endswith(".csv")
    ]
    return [
        Member(
            name=Path(info.filename).name,
            size=info.file_size,
            checksum=f"crc32:{info.CRC:08x}:{info.file_size}",
            open=lambda info=info: zip_member_open(archive, info),
        )
        for info in sorted(infos, key=lambda i: i.filename)
    ]


def _zip(path: Path) -> zipfile.ZipFile:
    """The zip, or a refusal saying it is damaged (its directory cannot be read)."""
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise WrongKindOfFile(f"The zip is damaged and cannot be opened ({error}).") from None


def _plain_member(path: Path) -> Member:
    crc = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1024 * 1024):
            crc = zlib.crc32(chunk, crc)
    size = path.stat().st_size
    return Member(path.name, size, f"crc32:{crc:08x}:{size}", lambda: open(path, "rb"))


def _sorted(members: list[Member], *, zipped: bool = False) -> Delivery:
    crosstabs, mapping, ignored = [], None, []
    for member in members:
        kind = _kind(member)
        if kind == "crosstab":
            crosstabs.append(member)
        elif kind == "mapping" and mapping is None:
            mapping = member
        else:
            ignored.append(member.name)
    if not crosstabs:
        raise WrongKindOfFile(_nothing_found(mapping, ignored))
    return Delivery(crosstabs, mapping, ignored, zipped)


def _kind(member: Member) -> str:
    fields = member.header_fields()
    _, missing = match_header(fields, ALIASES, REQUIRED)
    if not missing:
        return "crosstab"
    _, missing = match_header(fields, dict.fromkeys(MAPPING_COLUMNS, ()), MAPPING_COLUMNS)
    return "other" if missing else "mapping"


def _nothing_found(mapping: Member | None, ignored: list[str]) -> str:
    if mapping is not None:
        return "It holds only a GPAD Mapping.csv; load that with the gpad-mapping source."
    if ignored:
        return f"None of its CSV files ({', '.join(ignored[:5])}) is a practice-level crosstab."
    return "It holds no CSV file."
