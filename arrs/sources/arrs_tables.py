"""ARRS records the ICB keeps as simple tables (CSV or XLSX): PCN allocations for a year,
WTE in post by PCN, role and date, and monthly claims by PCN and role.

Every PCN must be in the register and every role an ARRS role; a row that is not is a
problem with its row number, and nothing is loaded until the whole file is clean.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from arrs.models import RoleAlias
from arrs.services.loads import (
    AllocationRecord,
    ClaimRecord,
    InPostRecord,
    allocations_write,
    claims_write,
    in_post_counts_write,
)
from arrs.services.plans import role_lookup
from arrs.years import parse_fy
from core.access import ICB_OWNED
from imports.sources.base import Parsed, ProblemLog, Progress, Source, WriteContext, Written
from imports.sources.readers import (
    PCN_CODE,
    check_code,
    clean_text,
    label_key,
    month_start,
    parse_date_logged,
)
from imports.sources.tables import table_rows
from practices.models import Organisation, OrgKind
from practices.selectors import descendant_ids

PCN_ALIASES = ("PCN code", "PCN", "PCN ODS code")
ROLE_ALIASES = ("Role", "ARRS role", "Staff role")


class Lookups:
    """PCNs by ODS code and ARRS roles by any of their names, read once per file: the names
    every ICB shares, and for a row's PCN the aliases its ICB keeps."""

    def __init__(self) -> None:
        self.pcns = dict(Organisation.objects.filter(kind=OrgKind.PCN).values_list("code", "pk"))
        self.roles = role_lookup()
        self.icb_roles = _icb_aliases_by_pcn()

    def pcn(self, value: str, row: int, column: str, problems: ProblemLog) -> int | None:
        code = check_code(value, PCN_CODE, "PCN", row, column, problems)
        if code is None:
            return None
        if code not in self.pcns:
            problems.add(row, column, f"PCN {code} is not in the organisation register")
            return None
        return self.pcns[code]

    def role(
        self, value: str, row: int, column: str, problems: ProblemLog, pcn_id: int | None = None
    ) -> int | None:
        key = label_key(value)
        role_id = self.roles.get(key) or self.icb_roles.get(pcn_id, {}).get(key)
        if role_id is None:
            shown = clean_text(value) or "(blank)"
            problems.add(
                row,
                column,
                f"'{shown}' is not an ARRS role (the ICB's managers can add it as another name "
                "for a role on the role names page)",
            )
        return role_id


def _icb_aliases_by_pcn() -> dict[int, dict[str, int]]:
    """PCN id -> the role aliases its ICB keeps (label key -> role id), for the ICBs that
    keep any."""
    by_icb: dict[int, dict[str, int]] = {}
    for icb_id, key, role_id in RoleAlias.objects.values_list("icb_id", "alias_key", "role_id"):
        by_icb.setdefault(icb_id, {})[key] = role_id
    found: dict[int, dict[str, int]] = {}
    for icb_id, aliases in by_icb.items():
        for pcn_id in descendant_ids([icb_id], kind=OrgKind.PCN):
            found.setdefault(pcn_id, {}).update(aliases)
    return found


def parse_amount(
    value: str, row: int, column: str, problems: ProblemLog, *, what: str, blank_ok: bool = False
) -> Decimal | None:
    """A number of pounds or WTE, zero or more: '£1,234.50', '1.6'. Blank is None."""
    text = re.sub(r"[£,\s]", "", clean_text(value))
    if not text:
        if not blank_ok:
            problems.add(row, column, f"is blank; {what} is needed")
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite() or amount < 0:
        problems.add(row, column, f"'{clean_text(value)}' is not {what} of zero or more")
        return None
    return amount


def _year(value: str, row: int, column: str, problems: ProblemLog) -> int | None:
    try:
        return parse_fy(clean_text(value))
    except ValueError as error:
        problems.add(row, column, str(error))
        return None


def _month(value: str, row: int, column: str, problems: ProblemLog) -> dt.date | None:
    """A month as 2026-04, or any date in it."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", clean_text(value))
    if match and 1 <= int(match.group(2)) <= 12:
        return dt.date(int(match.group(1)), int(match.group(2)), 1)
    return parse_date_logged(value, row, column, problems, blank_ok=False)


class PcnTableSource(Source):
    """An ARRS table the ICB keeps: every record is one PCN's, so an ICB manager may load
    rows for the PCNs of their own ICB only."""

    writes = ICB_OWNED

    def organisations_written(self, parsed: Parsed) -> list[tuple[int, str, int]]:
        return [(record.row, "PCN code", record.pcn_id) for record in parsed.records]


RATE_AREAS = {
    "": None,
    "national": "national",
    "outside london": "national",
    "no": "national",
    "outer london": "outer_london",
    "outer": "outer_london",
    "inner london": "inner_london",
    "inner": "inner_london",
}

ALLOCATION_ALIASES: dict[str, tuple[str, ...]] = {
    "PCN_CODE": PCN_ALIASES,
    "FINANCIAL_YEAR": ("Financial year", "Year"),
    "ALLOCATION": ("Allocation", "ARRS allocation", "Amount", "Additional Roles Reimbursement Sum"),
    "LONDON_WEIGHTING": ("London weighting", "Rate area", "Area"),
}


class ArrsAllocationsSource(PcnTableSource):
    recomputes = "everything"  # its ARRS measures, every month they have
    recomputes_measures_of = frozenset({"arrs"})
    code = "arrs-allocations"
    title = "ARRS allocations by PCN"
    publisher = "The ICB (from NHS England's PCN allocations)"
    cadence = "Yearly, and when allocations change"
    expects = (
        "a CSV or XLSX with the columns PCN code, Financial year (like 2026/27) and "
        "Allocation (pounds), and optionally London weighting (inner or outer London)"
    )
    file_patterns = ("*allocation*.csv", "*allocation*.xlsx")

    def parse(self, path: Path, problems: ProblemLog, progress: Progress) -> Parsed:
        required = ("PCN_CODE", "FINANCIAL_YEAR", "ALLOCATION")
        header, rows = table_rows(path, ALLOCATION_ALIASES, required)
        lookups, parsed, seen = Lookups(), Parsed(), {}
        for number, fields in rows:
            parsed.rows_read += 1
            values = {field: header.get(fields, field) for field in ALLOCATION_ALIASES}
            record = self._row(number, values, header.names, lookups, problems)
            if record is None:
                continue
            key = (record.pcn_id, record.year)
            if key in seen:
                problems.add(number, None, f"repeats row {seen[key]} (same PCN and year)")
                continue
            seen[key] = number
            parsed.records.append(record)
            parsed.cover(dt.date(record.year, 4, 1))
        return parsed

    def _row(self, number, values, names, lookups, problems) -> AllocationRecord | None:
        before = problems.count
        pcn_id = lookups.pcn(values["PCN_CODE"], number, names["PCN_CODE"], problems)
        year = _year(values["FINANCIAL_YEAR"], number, names["FINANCIAL_YEAR"], problems)
        amount = parse_amount(
            values["ALLOCATION"], number, names["ALLOCATION"], problems, what="an amount"
        )
        area_text = label_key(values["LONDON_WEIGHTING"])
        if area_text not in RATE_AREAS:
            column = names.get("LONDON_WEIGHTING")
            problems.add(number, column, "London weighting is inner London, outer London or blank")
        if problems.count > before:
            return None
        return AllocationRecord(pcn_id, year, amount, RATE_AREAS[area_text], number)

    def write(self, parsed: Parsed, context: WriteContext) -> Written:
        return allocations_write(records=parsed.records, context=context)


IN_POST_ALIASES: dict[str, tuple[str, ...]] = {
    "PCN_CODE": PCN_ALIASES,
    "ROLE": ROLE_ALIASES,
    "DATE": ("As at", "Date", "Snapshot date"),
    "FTE": ("WTE", "FTE in post", "WTE in post"),
}


class ArrsInPostSource(PcnTableSource):
    recomputes = "everything"  # its ARRS measures, every month they have
    recomputes_measures_of = frozenset({"arrs"})
    code = "arrs-in-post"
    title = "ARRS staff in post (WTE by PCN and role)"
    publisher = "The ICB (its own count of PCN staff)"
    cadence = "Quarterly, or whenever counted"
    expects = (
        "a CSV or XLSX with the columns PCN code, Role (an ARRS role), Date and WTE (a column "
        "headed FTE is read too); a blank WTE means not reported"
    )
    file_patterns = ("*in-post*.csv", "*in_post*.csv", "*in-post*.xlsx")

    def parse(self, path: Path, problems: ProblemLog, progress: Progress) -> Parsed:
        header, rows = table_rows(path, IN_POST_ALIASES, tuple(IN_POST_ALIASES))
        lookups, parsed, seen = Lookups(), Parsed(), {}
        for number, fields in rows:
            parsed.rows_read += 1
            values = {field: header.get(fields, field) for field in IN_POST_ALIASES}
            record = self._row(number, values, header.names, lookups, problems)
            if record is None:
                continue
            key = (record.pcn_id, record.role_id, record.as_at)
            if key in seen:
                problems.add(number, None, f"repeats row {seen[key]} (same PCN, role and date)")
                continue
            seen[key] = number
            parsed.records.append(record)
            parsed.cover(month_start(record.as_at))
        return parsed

    def _row(self, number, values, names, lookups, problems) -> InPostRecord | None:
        before = problems.count
        pcn_id = lookups.pcn(values["PCN_CODE"], number, names["PCN_CODE"], problems)
        role_id = lookups.role(values["ROLE"], number, names["ROLE"], problems, pcn_id)
        as_at = parse_date_logged(values["DATE"], number, names["DATE"], problems, blank_ok=False)
        fte = parse_amount(
            values["FTE"], number, names["FTE"], problems, what="a number of WTE", blank_ok=True
        )
        if problems.count > before:
            return None
        return InPostRecord(pcn_id, role_id, as_at, fte, number)

    def write(self, parsed: Parsed, context: WriteContext) -> Written:
        return in_post_counts_write(records=parsed.records, context=context)


CLAIM_ALIASES: dict[str, tuple[str, ...]] = {
    "PCN_CODE": PCN_ALIASES,
    "ROLE": ROLE_ALIASES,
    "MONTH": ("Month", "Claim month", "Month claimed"),
    "AMOUNT": ("Amount", "Claimed", "Amount claimed"),
}


class ArrsClaimsSource(PcnTableSource):
    code = "arrs-claims"
    title = "ARRS claims by PCN, role and month"
    publisher = "The ICB (from the PCNs' monthly ARRS claims)"
    cadence = "Monthly"
    expects = (
        "a CSV or XLSX with the columns PCN code, Role (an ARRS role), Month (any date in "
        "the month) and Amount (pounds)"
    )
    file_patterns = ("*claims*.csv", "*claims*.xlsx")

    def parse(self, path: Path, problems: ProblemLog, progress: Progress) -> Parsed:
        header, rows = table_rows(path, CLAIM_ALIASES, tuple(CLAIM_ALIASES))
        lookups, parsed, seen = Lookups(), Parsed(), {}
        for number, fields in rows:
            parsed.rows_read += 1
            values = {field: header.get(fields, field) for field in CLAIM_ALIASES}
            record = self._row(number, values, header.names, lookups, problems)
            if record is None:
                continue
            key = (record.pcn_id, record.role_id, record.month)
            if key in seen:
                problems.add(number, None, f"repeats row {seen[key]} (same PCN, role and month)")
                continue
            seen[key] = number
            parsed.records.append(record)
            parsed.cover(record.month)
        return parsed

    def _row(self, number, values, names, lookups, problems) -> ClaimRecord | None:
        before = problems.count
        pcn_id = lookups.pcn(values["PCN_CODE"], number, names["PCN_CODE"], problems)
        role_id = lookups.role(values["ROLE"], number, names["ROLE"], problems, pcn_id)
        day = _month(values["MONTH"], number, names["MONTH"], problems)
        amount = parse_amount(values["AMOUNT"], number, names["AMOUNT"], problems, what="an amount")
        if problems.count > before:
            return None
        return ClaimRecord(pcn_id, role_id, month_start(day), amount, number)

    def write(self, parsed: Parsed, context: WriteContext) -> Written:
        return claims_write(records=parsed.records, context=context)
