"""Writers for the published file layouts the importers read.

ODS reports are headerless with every field quoted; GPAD's ``Mapping.csv`` carries a UTF-8 BOM; the
list-size files have a header row. Every file ends its lines with CRLF.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path

from demo.populations import AGE_LABELS, age_sex_counts, is_open_on, list_size
from demo.structure import (
    ICB_CODE,
    ICB_NAME,
    ICB_START,
    ONS_SUB_ICB_CODE,
    REGION_CODE,
    REGION_NAME,
    SUB_ICB_CODE,
    SUB_ICB_NAME,
    DemoMembership,
    DemoPcn,
    DemoPractice,
    DemoSite,
    DemoStructure,
)

LIST_SIZE_PUBLICATION = "GP_PRAC_PAT_LIST"  # as the files' PUBLICATION column has it
UNALLOCATED = "Unallocated"
_COUNTY = "SOMERSET"
_GP_ROLE = "RO76"
_GP_LEGACY_SETTING = "4"


def _ymd(day: date | None) -> str:
    return day.strftime("%Y%m%d") if day else ""


def _write_csv(
    path: Path,
    rows: Iterable[Sequence[object]],
    *,
    header: Sequence[str] = (),
    quote_all: bool = False,
    bom: bool = False,
) -> Path:
    """ODS files quote every field; all files end lines with CRLF, as published."""
    quoting = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=quoting, lineterminator="\r\n")
        if header:
            writer.writerow(header)
        writer.writerows(rows)
    return path


def _epraccur_row(org: DemoPractice | DemoSite, *, legacy: bool) -> list[str]:
    """27 columns, as the real files of each layout write them (Somerset's rows in the
    2021 legacy file and the 2026 Data Search and Export file). The legacy layout gives
    status as A/C, column 22 as 0 and the setting as a number; the current one gives
    ACTIVE/INACTIVE, column 22 as 1 and the role code. Both repeat the sub-ICB code in
    column 24, and a closed organisation's left-parent date is its close date."""
    return [
        org.code, org.name, REGION_CODE, ICB_CODE, *_address_lines(org, legacy=legacy),
        org.postcode, _ymd(org.opened_on), _ymd(org.closed_on), _status(org, legacy=legacy),
        "B", SUB_ICB_CODE, _ymd(max(org.opened_on, ICB_START)), _ymd(org.closed_on),
        org.phone, "", "", "", "0" if legacy else "1", "", SUB_ICB_CODE, "",
        _setting(org, legacy=legacy), "",
    ]  # fmt: skip


def _address_lines(org: DemoPractice | DemoSite, *, legacy: bool) -> list[str]:
    """Address lines 1-5. Legacy: two address lines, the town in line 3 and the county in
    line 4; current: up to three address lines, the town in line 4 and no county."""
    line1, line2, line3 = org.address
    if legacy:
        return [line1, line2 or line3, org.town, _COUNTY, ""]
    return [line1, line2, line3, org.town, ""]


def _status(org: DemoPractice | DemoSite, *, legacy: bool) -> str:
    """The legacy A (active) / C (closed); the current ACTIVE / INACTIVE. Neither file's
    third status (legacy D, current DORMANT) fits any demo organisation."""
    if org.closed_on is None:
        return "A" if legacy else "ACTIVE"
    return "C" if legacy else "INACTIVE"


def _setting(org: DemoPractice | DemoSite, *, legacy: bool) -> str:
    """The legacy prescribing setting (4, a GP practice) or the current role code (RO76),
    each alone as in nearly every real row."""
    if isinstance(org, DemoSite):
        return org.legacy_setting if legacy else org.role_code
    return _GP_LEGACY_SETTING if legacy else _GP_ROLE


def epraccur_write(path: Path, structure: DemoStructure, *, legacy: bool) -> Path:
    """Headerless, every field quoted, CRLF, no BOM, in code order: as published."""
    orgs = sorted((*structure.all_practices, *structure.sites), key=lambda org: org.code)
    rows = (_epraccur_row(org, legacy=legacy) for org in orgs)
    return _write_csv(path, rows, quote_all=True)


def _current_members(structure: DemoStructure, pcn: DemoPcn) -> list[DemoPractice]:
    return [p for p in structure.practices if p.pcn_code == pcn.code]


def _epcn_row(pcn: DemoPcn, lead: DemoPractice) -> list[str]:
    """The PCN's address is its lead practice's (the lowest code among current members)."""
    line1, line2, line3 = lead.address
    return [
        pcn.code, pcn.name, SUB_ICB_CODE, SUB_ICB_NAME.upper(), _ymd(pcn.opened_on), "",
        line1, line2, line3, "", lead.town, lead.postcode,
    ]  # fmt: skip


def epcn_write(path: Path, structure: DemoStructure) -> Path:
    rows = (_epcn_row(pcn, _current_members(structure, pcn)[0]) for pcn in structure.pcns)
    return _write_csv(path, rows, quote_all=True)


def _partner_row(link: DemoMembership, practice: DemoPractice, pcn: DemoPcn) -> list[str]:
    """The last column says whether practice and PCN share a sub-ICB location: TRUE or
    FALSE, as the real file writes it."""
    sub_icb_name = SUB_ICB_NAME.upper()
    return [
        practice.code, practice.name, SUB_ICB_CODE, sub_icb_name, pcn.code, pcn.name,
        SUB_ICB_CODE, sub_icb_name, _ymd(link.start), _ymd(link.end), "TRUE",
    ]  # fmt: skip


def pcn_members_write(path: Path, structure: DemoStructure) -> Path:
    practices = {p.code: p for p in structure.all_practices}
    pcns = {pcn.code: pcn for pcn in structure.pcns}
    links = sorted(structure.memberships, key=lambda m: (m.practice_code, m.start))
    rows = (_partner_row(m, practices[m.practice_code], pcns[m.pcn_code]) for m in links)
    return _write_csv(path, rows, quote_all=True)


MAPPING_HEADER = (
    "GP_CODE", "GP_NAME", "SUPPLIER", "PCN_CODE", "PCN_NAME", "SUB_ICB_LOCATION_CODE",
    "SUB_ICB_LOCATION_NAME", "ICB_CODE", "ICB_NAME", "REGION_CODE", "REGION_NAME",
)  # fmt: skip


def _mapping_row(practice: DemoPractice, pcns: dict[str, DemoPcn]) -> list[str]:
    """As NHS England writes it: a practice in no PCN has the code ``U`` and the name
    ``UNALLOCATED``; practice and PCN names are upper case, the place, ICB and region names
    mixed case."""
    pcn = pcns.get(practice.pcn_code or "")
    return [
        practice.code, practice.name, practice.supplier, pcn.code if pcn else "U",
        pcn.name if pcn else "UNALLOCATED", SUB_ICB_CODE, SUB_ICB_NAME, ICB_CODE, ICB_NAME,
        REGION_CODE, REGION_NAME,
    ]  # fmt: skip


def mapping_write(path: Path, structure: DemoStructure) -> Path:
    """GPAD's Mapping.csv: CRLF line endings and no byte order mark, as published."""
    pcns = {pcn.code: pcn for pcn in structure.pcns}
    rows = (_mapping_row(p, pcns) for p in structure.practices)
    return _write_csv(path, rows, header=MAPPING_HEADER)


LIST_SIZE_HEADER = (
    "PUBLICATION", "EXTRACT_DATE", "TYPE", "SUB_ICB_LOCATION_CODE", "ONS_SUB_ICB_LOCATION_CODE",
    "CODE", "POSTCODE", "SEX", "AGE", "NUMBER_OF_PATIENTS",
)  # fmt: skip
AGE_FILE_HEADER = (
    "PUBLICATION", "EXTRACT_DATE", "ORG_TYPE", "ORG_CODE", "POSTCODE", "SEX", "AGE",
    "NUMBER_OF_PATIENTS",
)  # fmt: skip


def extract_date_text(month: date) -> str:
    """EXTRACT_DATE as the sub-ICB-era files print it: 2026-03-01. (The CCG-era files
    printed 01JAN2021; the import reads both.)"""
    return month.isoformat()


def _practices_open_on(structure: DemoStructure, month: date) -> list[DemoPractice]:
    return [p for p in structure.all_practices if is_open_on(p, month)]


def _all_patients_rows(structure: DemoStructure, month: date) -> Iterator[list[object]]:
    extract = extract_date_text(month)
    for practice in _practices_open_on(structure, month):
        yield [
            LIST_SIZE_PUBLICATION, extract, "GP", SUB_ICB_CODE, ONS_SUB_ICB_CODE, practice.code,
            practice.postcode, "ALL", "ALL", list_size(practice, month, seed=structure.seed),
        ]  # fmt: skip


def _single_age_rows(structure: DemoStructure, month: date) -> Iterator[list[object]]:
    extract = extract_date_text(month)
    for practice in _practices_open_on(structure, month):
        total = list_size(practice, month, seed=structure.seed)
        prefix = [LIST_SIZE_PUBLICATION, extract, "GP", practice.code, practice.postcode]
        for sex, age, count in _age_sex_cells(practice, total):
            yield [*prefix, sex, age, count]


def _age_sex_cells(practice: DemoPractice, total: int) -> Iterator[tuple[str, str, int]]:
    """MALE, FEMALE then ALL, each with ages 0..94, 95+ and an ALL row that sums them."""
    male, female = age_sex_counts(practice, total)
    persons = [m + f for m, f in zip(male, female, strict=True)]
    for sex, counts in (("MALE", male), ("FEMALE", female), ("ALL", persons)):
        yield from ((sex, age, count) for age, count in zip(AGE_LABELS, counts, strict=True))
        yield sex, "ALL", sum(counts)


def _list_size_write(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    """List-size files end lines with LF and have no BOM, unlike most others."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def all_patients_write(path: Path, structure: DemoStructure, month: date) -> Path:
    """One ALL/ALL row per practice open on the 1st of the month."""
    return _list_size_write(path, LIST_SIZE_HEADER, _all_patients_rows(structure, month))


def single_age_write(path: Path, structure: DemoStructure, month: date) -> Path:
    return _list_size_write(path, AGE_FILE_HEADER, _single_age_rows(structure, month))
