"""Patients registered at a GP practice, as at the first of each month (NHS England).

Two published files come in through this one source, and one alias table reads both:

- ``gp-reg-pat-prac-all.csv``: one ``ALL``/``ALL`` row per practice, the list size.
- The single-year-of-age file (``ORG_TYPE, ORG_CODE, ... SEX, AGE``): ages 0 to 94 and
  ``95+`` for each sex beside the ``ALL`` rows. It gives the patients aged 13 and over (the
  NHS App denominator) and runs to about 2 million rows nationally, so it is read as a
  stream and added up per practice as it goes; no row is kept.

The headers differ only in names the alias table covers, and the sex-only age files carry
the sub-ICB columns of the all-patients file, so the rows decide which file it is: only
the age file has single ages. Its ages must add up to its ``ALL`` rows; published files
always do, so a file where they do not is damaged and is refused.

Loaded, skipped, refused: rows for other organisation types (sub-ICB, ICB, PCN totals)
and for practice codes the register does not hold are skipped and counted, the unknown
codes listed in the notes, so a list size is never attached to a practice the portal has
not been told about, and one new practice does not stop the import. Its list size comes
with the next file after the ODS practice file (epraccur) has been loaded. A bad count,
date, sex or age on a practice the portal holds is a problem with its row and column, and
the file is refused.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from imports.sources.base import (
    Parsed,
    ProblemLog,
    Progress,
    Source,
    WriteContext,
    Written,
    WrongKindOfFile,
    no_progress,
)
from imports.sources.readers import (
    PRACTICE_CODE,
    Header,
    check_code,
    clean_text,
    encoding_note,
    headed_rows,
    is_sentinel,
    month_start,
    ods_code,
    parse_count,
    parse_date,
)
from practices.models import Organisation, OrgKind
from practices.services import ListSizeRecord, list_sizes_upsert

ALIASES: dict[str, tuple[str, ...]] = {
    "EXTRACT_DATE": (),
    "TYPE": ("ORG_TYPE",),
    "CODE": ("ORG_CODE",),
    "POSTCODE": (),
    "SEX": (),
    "AGE": (),
    "NUMBER_OF_PATIENTS": (),
}
REQUIRED = ("EXTRACT_DATE", "TYPE", "CODE", "SEX", "AGE", "NUMBER_OF_PATIENTS")

ALL = "ALL"
SEXES = (ALL, "MALE", "FEMALE")
ALL_AGES = -1  # the AGE "ALL" row, kept apart from the single ages 0..95
OLDEST = 95  # published as the band "95+"
AGES = {**{str(age): age for age in range(OLDEST)}, f"{OLDEST}+": OLDEST, ALL: ALL_AGES}
FIRST_APP_AGE = 13  # the NHS App is open to patients aged 13 and over
PROGRESS_EVERY = 50_000
PARSE_PERCENT = 95
CODES_LISTED = 20  # unknown practice codes named in the notes; the rest counted


@dataclass(slots=True)
class SexTally:
    """One practice, month and sex: its ALL-ages row and the single ages read so far."""

    total: int | None = None
    total_row: int | None = None
    ages_total: int = 0
    aged_13_plus: int = 0
    ages_seen: int = 0  # one bit per age: a repeated age is caught without keeping rows

    def add_age(self, age: int, count: int) -> bool:
        """Count one single age; False if this age was already counted."""
        bit = 1 << age
        if self.ages_seen & bit:
            return False
        self.ages_seen |= bit
        self.ages_total += count
        if age >= FIRST_APP_AGE:
            self.aged_13_plus += count
        return True


@dataclass(slots=True)
class PracticeMonth:
    practice: str
    month: dt.date
    sexes: dict[str, SexTally] = field(default_factory=dict)
    damaged: bool = False

    def tally(self, sex: str) -> SexTally:
        found = self.sexes.get(sex)
        if found is None:
            found = self.sexes[sex] = SexTally()
        return found

    def has_ages(self, sex: str) -> bool:
        return sex in self.sexes and bool(self.sexes[sex].ages_seen)

    @property
    def where(self) -> str:
        return f"Practice {self.practice} ({self.month:%b %Y})"


@dataclass(frozen=True, slots=True)
class Cell:
    """One practice row, read and checked."""

    row: int
    practice: str
    month: dt.date
    sex: str
    age: int
    count: int


class ProgressMeter:
    """Says how far through the file reading has got, every PROGRESS_EVERY rows.

    The CSV reader hands over fields rather than bytes, so the position is estimated
    from the fields' lengths: close enough for a progress bar."""

    def __init__(self, size: int, progress: Progress) -> None:
        self.size, self.progress = max(size, 1), progress
        self.rows = self.bytes = 0

    def step(self, fields: list[str]) -> None:
        self.rows += 1
        self.bytes += sum(map(len, fields)) + len(fields) + 1
        if self.rows % PROGRESS_EVERY == 0:
            self.progress(min(PARSE_PERCENT, self.bytes * PARSE_PERCENT // self.size))


class ListSizeReader:
    """Reads one file row by row, keeping only running totals per practice and month."""

    def __init__(
        self, header: Header, problems: ProblemLog, known: set[str] | frozenset[str]
    ) -> None:
        self.header, self.problems, self.known = header, problems, known
        self.columns = {f: header.names.get(f, f) for f in ALIASES}
        self.parsed = Parsed()
        self.practices: dict[tuple[str, dt.date], PracticeMonth] = {}
        self.other_types: Counter[str] = Counter()
        self.unknown: Counter[str] = Counter()  # practice code -> rows skipped
        self.age_sexes: set[str] = set()
        self.rows_used = 0
        self._codes: dict[str, str] = {}
        self._months: dict[str, dt.date | str] = {}

    # Reading rows

    def read(self, number: int, fields: list[str]) -> None:
        self.parsed.rows_read += 1
        org_type = _type_key(self.header.get(fields, "TYPE"))
        if org_type != "GP":
            self._skip(number, org_type)
            return
        cell = self._cell(number, fields)
        if cell is not None:
            self._count_in(cell)

    def _skip(self, number: int, org_type: str) -> None:
        if not org_type:
            self.problems.add(number, self.columns["TYPE"], "is blank; GP rows are read")
            return
        self.parsed.rows_skipped += 1
        self.other_types[org_type] += 1

    def _cell(self, number: int, fields: list[str]) -> Cell | None:
        before = self.problems.count
        practice = self._practice(number, fields)
        if practice is not None and practice not in self.known:
            self.parsed.rows_skipped += 1
            self.unknown[practice] += 1
            return None
        month = self._month(number, fields)
        sex, age = self._sex(number, fields), self._age(number, fields)
        count = self._patients(number, fields)
        if self.problems.count > before:
            if practice and month:
                self._practice_month(practice, month).damaged = True
            return None
        assert practice and month and sex and age is not None and count is not None
        return Cell(number, practice, month, sex, age, count)

    def _practice(self, number: int, fields: list[str]) -> str | None:
        raw = self.header.get(fields, "CODE")
        code = self._codes.get(raw)
        if code is not None:
            return code
        if is_sentinel(ods_code(raw)):
            shown = clean_text(raw) or "(blank)"
            message = f"'{shown}' is not a practice; list sizes belong to practices"
            self.problems.add(number, self.columns["CODE"], message)
            return None
        code = check_code(
            raw, PRACTICE_CODE, "practice", number, self.columns["CODE"], self.problems
        )
        if code is not None:
            self._codes[raw] = code
        return code

    def _month(self, number: int, fields: list[str]) -> dt.date | None:
        raw = self.header.get(fields, "EXTRACT_DATE")
        month = self._months.get(raw)
        if month is None:
            month = self._months[raw] = _extract_month(raw)
        if isinstance(month, str):
            self.problems.add(number, self.columns["EXTRACT_DATE"], month)
            return None
        return month

    def _sex(self, number: int, fields: list[str]) -> str | None:
        raw = self.header.get(fields, "SEX")
        sex = _label_key(raw)
        if sex in SEXES:
            return sex
        self._not_known(number, "SEX", raw, "MALE, FEMALE or ALL")
        return None

    def _age(self, number: int, fields: list[str]) -> int | None:
        raw = self.header.get(fields, "AGE")
        age = AGES.get(_label_key(raw))
        if age is None:
            self._not_known(number, "AGE", raw, f"0 to 94, {OLDEST}+ or ALL")
        return age

    def _not_known(self, number: int, column: str, raw: str, expected: str) -> None:
        shown = clean_text(raw) or "(blank)"
        message = f"'{shown}' is not a {column} value this file has: expected {expected}"
        self.problems.add(number, self.columns[column], message)

    def _patients(self, number: int, fields: list[str]) -> int | None:
        raw = self.header.get(fields, "NUMBER_OF_PATIENTS")
        if raw.isascii() and raw.isdigit():
            return int(raw)
        return parse_count(raw, number, self.columns["NUMBER_OF_PATIENTS"], self.problems)

    # Adding up

    def _practice_month(self, practice: str, month: dt.date) -> PracticeMonth:
        key = (practice, month)
        found = self.practices.get(key)
        if found is None:
            found = self.practices[key] = PracticeMonth(practice, month)
            self.parsed.cover(month)
        return found

    def _count_in(self, cell: Cell) -> None:
        practice = self._practice_month(cell.practice, cell.month)
        tally = practice.tally(cell.sex)
        self.rows_used += 1
        if cell.age == ALL_AGES:
            self._total(cell, practice, tally)
        elif tally.add_age(cell.age, cell.count):
            self.age_sexes.add(cell.sex)
        else:
            age = _age_label(cell.age)
            message = f"{practice.where} has SEX {cell.sex}, AGE {age} more than once"
            self.problems.add(cell.row, self.columns["AGE"], message)
            practice.damaged = True

    def _total(self, cell: Cell, practice: PracticeMonth, tally: SexTally) -> None:
        """One ALL-ages row per practice, month and sex: a second, even with the same
        total, means the extract is not what was published, so the file is refused."""
        if tally.total is None:
            tally.total, tally.total_row = cell.count, cell.row
            return
        totals = (
            "the same total"
            if tally.total == cell.count
            else f"a different total ({tally.total:,} there, {cell.count:,} here)"
        )
        message = (
            f"repeats row {tally.total_row}: practice {practice.practice} in "
            f"{practice.month:%B %Y}, SEX {cell.sex}, AGE ALL, with {totals}"
        )
        self.problems.add(cell.row, self.columns["CODE"], message)
        practice.damaged = True

    # After the last row

    def finish(self) -> Parsed:
        self._refuse_one_sex_files()
        age_file = bool(self.age_sexes)
        for practice in self.practices.values():
            record = self._record(practice, age_file)
            if record is not None:
                self.parsed.records.append(record)
        self._check_something_read()
        self._add_notes(age_file)
        self.parsed.extra.update(rows_used=self.rows_used)
        return self.parsed

    def _refuse_one_sex_files(self) -> None:
        if len(self.age_sexes) == 1 and ALL not in self.age_sexes:
            (sex,) = self.age_sexes
            raise WrongKindOfFile(
                f"This single-year-of-age file has ages for SEX {sex} only, and the patients "
                "aged 13 and over need every patient. Load the file with SEX ALL rows."
            )

    def _record(self, practice: PracticeMonth, age_file: bool) -> ListSizeRecord | None:
        if practice.damaged:
            return None
        everyone = practice.sexes.get(ALL)
        all_patients = everyone.total if everyone else None
        over_13 = self._aged_13_plus(practice) if age_file else None
        if all_patients is None and over_13 is None:
            return None
        if over_13 is not None and all_patients is not None and over_13 > all_patients:
            message = f"{practice.where}: {over_13:,} patients aged 13+ is more than its total"
            self.problems.add(everyone.total_row, self.columns["NUMBER_OF_PATIENTS"], message)
            return None
        row = everyone.total_row if everyone else None
        return ListSizeRecord(practice.practice, practice.month, all_patients, over_13, row)

    def _aged_13_plus(self, practice: PracticeMonth) -> int | None:
        """Ages 13 to 95+ for SEX ALL, or MALE plus FEMALE when a practice has no ALL ages."""
        if not self._ages_add_up(practice):
            return None
        if practice.has_ages(ALL):
            return practice.sexes[ALL].aged_13_plus
        if practice.has_ages("MALE") and practice.has_ages("FEMALE"):
            return practice.sexes["MALE"].aged_13_plus + practice.sexes["FEMALE"].aged_13_plus
        row = next((t.total_row for t in practice.sexes.values() if t.total_row), None)
        message = f"{practice.where} has no single ages for SEX ALL, or for both MALE and FEMALE"
        self.problems.add(row, self.columns["AGE"], message)
        return None

    def _ages_add_up(self, practice: PracticeMonth) -> bool:
        adds_up = True
        for sex, tally in practice.sexes.items():
            if tally.ages_seen and tally.total is not None and tally.ages_total != tally.total:
                message = (
                    f"{practice.where}, SEX {sex}: the single ages add up to "
                    f"{tally.ages_total:,} but this ALL row says {tally.total:,}. Published "
                    "files always add up, so this one looks damaged"
                )
                self.problems.add(tally.total_row, self.columns["NUMBER_OF_PATIENTS"], message)
                adds_up = False
        return adds_up

    def _check_something_read(self) -> None:
        if not self.practices and not self.unknown and not self.problems:
            types = ", ".join(sorted(self.other_types)) or "none"
            column = self.columns["TYPE"]
            self.problems.add(None, column, f"no GP practice rows (TYPE GP); types seen: {types}")

    def _add_notes(self, age_file: bool) -> None:
        parsed = self.parsed
        kind = "single-year-of-age file" if age_file else "all-patients file"
        if parsed.records and parsed.period_start and parsed.period_end:
            period = _period(parsed.period_start, parsed.period_end)
            parsed.notes.append(f"Read as the {kind}: {len(parsed.records)} list sizes, {period}.")
        if self.other_types:
            counts = ", ".join(f"{name} {n:,}" for name, n in sorted(self.other_types.items()))
            parsed.notes.append(
                f"Skipped {parsed.rows_skipped:,} row(s) that are not GP practices "
                f"({self.columns['TYPE']}: {counts})."
            )
        if self.unknown:
            rows, codes = sum(self.unknown.values()), sorted(self.unknown)
            shown = ", ".join(codes[:CODES_LISTED])
            more = len(codes) - CODES_LISTED
            listed = f"{shown} and {more:,} more" if more > 0 else shown
            parsed.notes.append(
                f"Not used: {rows:,} row(s) for {len(codes):,} practice code(s) not in the "
                f"register, skipped: {listed}. Their list sizes load once the ODS practice "
                "file (epraccur) that lists them has been loaded."
            )


def _extract_month(raw: str) -> dt.date | str:
    """The month an EXTRACT_DATE is the first of, or what is wrong with it."""
    try:
        day = parse_date(raw)
    except ValueError as error:
        return f"{error}; extract dates look like 2024-06-01, 01JUN2024 or 01-Jun-24"
    if day is None:
        return "is blank; the date the list sizes are as at is needed"
    return month_start(day)


# A file has a handful of distinct labels over millions of rows, so their keys are cached.
_type_key = lru_cache(maxsize=256)(ods_code)


@lru_cache(maxsize=1024)
def _label_key(value: str) -> str:
    """SEX and AGE labels compared without case or spaces ('95 +' is '95+')."""
    return clean_text(value).upper().replace(" ", "")


def _age_label(age: int) -> str:
    return f"{OLDEST}+" if age == OLDEST else str(age)


def _period(start: dt.date, end: dt.date) -> str:
    if start == end:
        return f"{start:%b %Y}"
    return f"{start:%b %Y} to {end:%b %Y}"


class ListSizesSource(Source):
    code = "list-sizes"
    recomputes = "from_period"
    title = "Patients registered at a GP practice (list sizes)"
    publisher = "NHS England, Patients Registered at a GP Practice"
    cadence = "Monthly, as at the 1st"
    expects = (
        "one of the monthly 'Patients Registered at a GP Practice' files: "
        "gp-reg-pat-prac-all.csv (columns EXTRACT_DATE, TYPE, CODE, SEX, AGE and "
        "NUMBER_OF_PATIENTS, with one ALL/ALL row per practice), or the single-year-of-age "
        "file (columns EXTRACT_DATE, ORG_TYPE, ORG_CODE, SEX, AGE and NUMBER_OF_PATIENTS, "
        "with ages 0 to 94, 95+ and ALL for each sex)"
    )
    file_patterns = ("gp-reg-pat-prac-all*.csv", "gp-reg-pat-prac-sing-age*.csv")

    def parse(self, path: Path, problems: ProblemLog, progress: Progress = no_progress) -> Parsed:
        header, rows = headed_rows(path, ALIASES, REQUIRED)
        known = frozenset(
            Organisation.objects.filter(kind=OrgKind.PRACTICE).values_list("code", flat=True)
        )
        reader = ListSizeReader(header, problems, known)
        meter = ProgressMeter(path.stat().st_size, progress)
        for number, fields in rows:
            reader.read(number, fields)
            meter.step(fields)
        parsed = reader.finish()
        note = encoding_note(path)
        if note:
            parsed.notes.insert(0, note)
        return parsed

    def write(self, parsed: Parsed, context: WriteContext) -> Written:
        written = list_sizes_upsert(records=parsed.records, context=context)
        written.rows = parsed.extra["rows_used"]
        return written
