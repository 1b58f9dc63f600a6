"""NWRS PCN individual-level file: one row per person per census, PCN-employed staff.

``Data_source, CENSUS_YEAR, CENSUS_MONTH, PCN_CODE, PCN_NAME, SUB_ICB_CODE, ..., ICB_CODE,
UNIQUE_IDENTIFIER, STAFF_GROUP, STAFF_ROLE, DETAILED_STAFF_ROLE, FTE``

Kept per PCN, census and staff role: FTE summed and headcount as distinct identifiers. The
file is national and includes roles outside ARRS (clinical directors, managers); which staff
roles count as which ARRS role is decided when figures are read, through the staff role
mapping the ICB keeps, so a change to the mapping needs no reload. Rows for PCNs not in the
register are skipped and counted: the national file covers every ICB.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from arrs.services.loads import NwrsRecord, nwrs_staff_counts_write
from arrs.years import month_end
from metrics.sources import register
from metrics.sources.arrs_tables import parse_amount
from metrics.sources.base import Parsed, ProblemLog, Progress, Source, WriteContext, Written
from metrics.sources.readers import (
    PCN_CODE,
    clean_text,
    headed_rows,
    is_sentinel,
    label_key,
    ods_code,
)
from practices.models import Organisation, OrgKind

ALIASES: dict[str, tuple[str, ...]] = {
    "CENSUS_YEAR": ("YEAR",),
    "CENSUS_MONTH": ("MONTH",),
    "PCN_CODE": (),
    "UNIQUE_IDENTIFIER": ("UNIQUE_ID", "STAFF_ID"),
    "STAFF_GROUP": (),
    "STAFF_ROLE": (),
    "DETAILED_STAFF_ROLE": ("DETAILED_ROLE",),
    "FTE": ("WTE",),
}
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
PROGRESS_EVERY = 5000


@dataclass
class _Group:
    staff_group: str
    fte: Decimal = Decimal(0)
    people: set[str] = field(default_factory=set)


@register
class NwrsPcnSource(Source):
    code = "nwrs-pcn"
    title = "NWRS PCN workforce, individual level"
    publisher = "NHS England, General Practice Workforce (National Workforce Reporting Service)"
    cadence = "Quarterly (census at the end of March, June, September and December)"
    expects = (
        "the NWRS PCN individual-level CSV with the columns CENSUS_YEAR, CENSUS_MONTH, "
        "PCN_CODE, UNIQUE_IDENTIFIER, STAFF_GROUP, STAFF_ROLE, DETAILED_STAFF_ROLE and FTE"
    )
    file_patterns = ("*PCN*Individual*.csv", "*pcn*individual*.csv")

    def parse(self, path: Path, problems: ProblemLog, progress: Progress) -> Parsed:
        header, rows = headed_rows(path, ALIASES, tuple(ALIASES))
        pcns = dict(Organisation.objects.filter(kind=OrgKind.PCN).values_list("code", "pk"))
        parsed, groups, outside = Parsed(), defaultdict(dict), set()
        for number, fields in rows:
            parsed.rows_read += 1
            if parsed.rows_read % PROGRESS_EVERY == 0:
                progress(min(90, parsed.rows_read // PROGRESS_EVERY))
            values = {name: header.get(fields, name) for name in ALIASES}
            self._row(number, values, header.names, pcns, groups, outside, parsed, problems)
        parsed.records = _records(groups)
        parsed.notes.extend(_notes(parsed, outside))
        return parsed

    def _row(self, number, values, names, pcns, groups, outside, parsed, problems) -> None:
        code = ods_code(values["PCN_CODE"])
        if is_sentinel(code) or code not in pcns:
            parsed.rows_skipped += 1
            if PCN_CODE.fullmatch(code):
                outside.add(code)
            return
        before = problems.count
        census = _census(values, names, number, problems)
        person = clean_text(values["UNIQUE_IDENTIFIER"])
        if not person:
            problems.add(number, names["UNIQUE_IDENTIFIER"], "is blank; each person has one")
        fte = parse_amount(values["FTE"], number, names["FTE"], problems, what="a number of FTE")
        if problems.count > before:
            return
        parsed.cover(census.replace(day=1))
        roles = (clean_text(values["STAFF_ROLE"]), clean_text(values["DETAILED_STAFF_ROLE"]))
        group = groups[(pcns[code], census)].setdefault(
            roles, _Group(clean_text(values["STAFF_GROUP"]))
        )
        group.fte += fte
        group.people.add(person)

    def write(self, parsed: Parsed, context: WriteContext) -> Written:
        written = nwrs_staff_counts_write(records=parsed.records, context=context)
        written.rows = parsed.rows_read - parsed.rows_skipped  # people, not the sums kept
        return written


def _census(values: dict, names: dict, number: int, problems: ProblemLog) -> dt.date | None:
    """The census is taken at the end of its month."""
    year_text, month_text = clean_text(values["CENSUS_YEAR"]), label_key(values["CENSUS_MONTH"])
    month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text)
    if not month or not 1 <= month <= 12:
        shown = clean_text(values["CENSUS_MONTH"]) or "(blank)"
        problems.add(number, names["CENSUS_MONTH"], f"'{shown}' is not a month")
        return None
    if not (year_text.isdigit() and len(year_text) == 4):
        shown = year_text or "(blank)"
        problems.add(number, names["CENSUS_YEAR"], f"'{shown}' is not a year like 2026")
        return None
    return month_end(dt.date(int(year_text), month, 1))


def _records(groups: dict) -> list[NwrsRecord]:
    return [
        NwrsRecord(
            pcn_id=pcn_id,
            census_date=census,
            staff_group=group.staff_group,
            staff_role=staff_role,
            detailed_staff_role=detailed,
            fte=group.fte,
            headcount=len(group.people),
        )
        for (pcn_id, census), by_role in groups.items()
        for (staff_role, detailed), group in by_role.items()
    ]


def _notes(parsed: Parsed, outside: set[str]) -> list[str]:
    from arrs.models import NwrsRoleMapping

    notes = []
    if outside:
        notes.append(
            f"{parsed.rows_skipped} rows for {len(outside)} PCNs not in the register were "
            "skipped (the file covers every ICB)."
        )
    known = set(NwrsRoleMapping.objects.values_list("staff_role_key", flat=True))
    unmapped = sorted(
        {
            r.detailed_staff_role or r.staff_role
            for r in parsed.records
            if label_key(r.detailed_staff_role) not in known
            and label_key(r.staff_role) not in known
        }
        - {""}
    )
    if unmapped:
        notes.append(
            "Staff roles not yet mapped to an ARRS role (not counted until mapped on the staff "
            "role mapping page): " + ", ".join(unmapped) + "."
        )
    return notes
