"""NWRS PCN individual-level file: one row per person per census, PCN-employed staff.

``Data_source, CENSUS_YEAR, CENSUS_MONTH, PCN_CODE, PCN_NAME, SUB_ICB_CODE, ..., ICB_CODE,
..., STAFF_GROUP, STAFF_ROLE, DETAILED_STAFF_ROLE, FTE, UNIQUE_IDENTIFIER``, published in
Windows-1252 (the readers detect it).

Kept per PCN, census and staff role: FTE summed and headcount as distinct identifiers. The
file is national and includes roles outside ARRS (clinical directors, managers); which staff
roles count as which ARRS role is decided when figures are read, through the staff role
mapping the ICB keeps, so a change to the mapping needs no reload.

What is loaded, skipped and refused:

- Rows for PCNs not in the register are skipped and counted, with their PCN codes in the
  notes: the national file covers every ICB.
- "NWRS contracted services" rows have ``UNIQUE_IDENTIFIER`` ``NULL``: their FTE counts,
  but who they are is not known, so a staff role with any of them has no headcount
  (blank, not one person).
- A negative FTE is an adjustment NWRS publishes; it is kept in the sum and listed in the
  notes.
- A census month, year or FTE that cannot be read is a problem with its row and column, and
  the file is refused: the ICB's own figures would be wrong.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from arrs.models import NwrsRoleMapping
from arrs.services.loads import NwrsRecord, nwrs_staff_counts_write
from arrs.years import month_end
from imports.sources.base import Parsed, ProblemLog, Progress, Source, WriteContext, Written
from imports.sources.readers import (
    PCN_CODE,
    clean_text,
    encoding_note,
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
NOT_IDENTIFIED = "null"  # contracted services: UNIQUE_IDENTIFIER NULL
CODES_LISTED = 20  # PCN codes and negative FTEs named in the notes; the rest counted


@dataclass
class _Group:
    staff_group: str
    fte: Decimal = Decimal(0)
    people: set[str] = field(default_factory=set)
    unidentified: int = 0  # rows whose person the file does not identify

    @property
    def headcount(self) -> int | None:
        return None if self.unidentified else len(self.people)


@dataclass
class _Tally:
    """What was left out or is worth saying, gathered while reading."""

    outside: Counter[str] = field(default_factory=Counter)  # PCN code -> rows
    no_pcn: int = 0
    unidentified: int = 0
    unidentified_fte: Decimal = Decimal(0)
    negatives: int = 0
    negative: list[str] = field(default_factory=list)  # the first few, as "row N (...)"


class NwrsPcnSource(Source):
    recomputes = "everything"  # its ARRS measures, every month they have
    recomputes_measures_of = frozenset({"arrs"})
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
        parsed, groups, tally = Parsed(), defaultdict(dict), _Tally()
        for number, fields in rows:
            parsed.rows_read += 1
            if parsed.rows_read % PROGRESS_EVERY == 0:
                progress(min(90, parsed.rows_read // PROGRESS_EVERY))
            values = {name: header.get(fields, name) for name in ALIASES}
            self._row(number, values, header.names, pcns, groups, tally, parsed, problems)
        parsed.records = _records(groups)
        note = encoding_note(path)
        parsed.notes.extend(([note] if note else []) + _notes(parsed, tally))
        return parsed

    def _row(self, number, values, names, pcns, groups, tally, parsed, problems) -> None:
        code = ods_code(values["PCN_CODE"])
        if is_sentinel(code) or code not in pcns:
            parsed.rows_skipped += 1
            if PCN_CODE.fullmatch(code):
                tally.outside[code] += 1
            else:
                tally.no_pcn += 1
            return
        before = problems.count
        census = _census(values, names, number, problems)
        fte = _fte(values["FTE"], number, names["FTE"], problems)
        if problems.count > before:
            return
        parsed.cover(census.replace(day=1))
        roles = (clean_text(values["STAFF_ROLE"]), clean_text(values["DETAILED_STAFF_ROLE"]))
        group = groups[(pcns[code], census)].setdefault(
            roles, _Group(clean_text(values["STAFF_GROUP"]))
        )
        group.fte += fte
        if fte < 0 and tally.negatives < CODES_LISTED:
            role = roles[1] or roles[0]
            tally.negative.append(f"row {number} ({code}, {role}, {clean_text(values['FTE'])})")
        tally.negatives += fte < 0
        person = clean_text(values["UNIQUE_IDENTIFIER"])
        if label_key(person) in ("", NOT_IDENTIFIED):
            group.unidentified += 1
            tally.unidentified += 1
            tally.unidentified_fte += fte
        else:
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


def _fte(value: str, number: int, column: str, problems: ProblemLog) -> Decimal | None:
    """A number of FTE; negative ones (adjustments) included."""
    text = clean_text(value).replace(",", "")
    if not text:
        problems.add(number, column, "is blank; a number of WTE is needed")
        return None
    try:
        fte = Decimal(text)
    except InvalidOperation:
        fte = Decimal("NaN")
    if not fte.is_finite():
        problems.add(number, column, f"'{clean_text(value)}' is not a number of WTE")
        return None
    return fte


def _records(groups: dict) -> list[NwrsRecord]:
    return [
        NwrsRecord(
            pcn_id=pcn_id,
            census_date=census,
            staff_group=group.staff_group,
            staff_role=staff_role,
            detailed_staff_role=detailed,
            fte=group.fte,
            headcount=group.headcount,
        )
        for (pcn_id, census), by_role in groups.items()
        for (staff_role, detailed), group in by_role.items()
    ]


def _notes(parsed: Parsed, tally: _Tally) -> list[str]:
    notes = []
    if tally.outside:
        rows, pcns = sum(tally.outside.values()), len(tally.outside)
        notes.append(
            f"Skipped {_rows(rows)} for {pcns:,} PCN(s) not in the register: outside the "
            "portal's PCNs (the file covers every PCN in England). PCN codes: "
            f"{_listed(sorted(tally.outside))}."
        )
    if tally.no_pcn:
        notes.append(f"Skipped {_rows(tally.no_pcn)} with no PCN code.")
    if tally.unidentified:
        notes.append(
            f"{_rows(tally.unidentified)} with no UNIQUE_IDENTIFIER (NULL, as for contracted "
            f"services): their {tally.unidentified_fte:,.2f} WTE is counted, but the people are "
            "not identified, so the headcount of the staff roles they are in is unknown."
        )
    if tally.negatives:
        notes.append(
            f"{_rows(tally.negatives)} with a negative WTE (an adjustment), kept as "
            f"published: {_listed(tally.negative, tally.negatives)}."
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


def _rows(count: int) -> str:
    return f"{count:,} row" if count == 1 else f"{count:,} rows"


def _listed(items: list[str], count: int | None = None) -> str:
    """The first few items, and how many more there are."""
    shown = ", ".join(items[:CODES_LISTED])
    more = (len(items) if count is None else count) - min(len(items), CODES_LISTED)
    return f"{shown} and {more:,} more" if more > 0 else shown
