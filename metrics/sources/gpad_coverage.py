"""GPAD coverage (``APPOINTMENTS_GP_COVERAGE*.csv``): per sub-ICB location and month, the
practices (and their registered patients) whose appointments NHS England included, against
those open.

Published beside the daily appointments; each file runs over many months. Every row is a
sub-ICB location in England, so every row is loaded or, if damaged, refused by row and
column. Loading a month again replaces that month's rows for the places the file names.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db.models import Q

from imports.sources.base import Parsed, ProblemLog, Progress, Source, WriteContext, Written
from imports.sources.readers import (
    SUB_ICB_CODE,
    check_code,
    clean_text,
    headed_rows,
    parse_count,
    parse_date_logged,
)
from metrics.models.gpad import GpadCoverage

ALIASES: dict[str, tuple[str, ...]] = {
    "SUB_ICB_LOCATION_CODE": ("CCG_CODE", "SUB_ICB_CODE"),
    "ICB_ONS_CODE": ("STP_ONS_CODE",),
    "REGION_CODE": ("REGION_ONS_CODE",),
    "Appointment_Month": ("APPOINTMENT_MONTH",),
    "Included Practices": ("INCLUDED_PRACTICES",),
    "Open Practices": ("OPEN_PRACTICES",),
    "Patients registered at included practices": ("INCLUDED_PATIENTS",),
    "Patients registered at open practices": ("OPEN_PATIENTS",),
}
REQUIRED = (
    "SUB_ICB_LOCATION_CODE", "Appointment_Month", "Included Practices", "Open Practices",
    "Patients registered at included practices", "Patients registered at open practices",
)  # fmt: skip
COUNTS = {
    "included_practices": "Included Practices",
    "open_practices": "Open Practices",
    "included_patients": "Patients registered at included practices",
    "open_patients": "Patients registered at open practices",
}


@dataclass(frozen=True)
class CoverageRow:
    sub_icb_code: str
    month: object
    icb_ons_code: str
    region_ons_code: str
    counts: dict[str, int]


class GpadCoverageSource(Source):
    code = "gpad-coverage"
    title = "GP appointments data coverage (practices included per sub-ICB location)"
    publisher = "NHS England, Appointments in General Practice"
    cadence = "Monthly, with the daily sub-ICB files"
    expects = (
        "a GPAD coverage CSV (APPOINTMENTS_GP_COVERAGE*.csv) with the columns "
        "SUB_ICB_LOCATION_CODE, Appointment_Month, Included Practices, Open Practices and the "
        "patients registered at each"
    )
    file_patterns = ("APPOINTMENTS_GP_COVERAGE*.csv",)

    def parse(self, path: Path, problems: ProblemLog, progress: Progress) -> Parsed:
        header, rows = headed_rows(path, ALIASES, REQUIRED)
        parsed, seen = Parsed(), {}
        for number, fields in rows:
            parsed.rows_read += 1
            values = {name: header.get(fields, name) for name in ALIASES}
            record = _row(number, values, header.names, problems)
            if record is None:
                continue
            key = (record.sub_icb_code, record.month)
            if key in seen:  # one row per place and month; a second would be loaded twice
                message = (
                    f"repeats row {seen[key]}: sub-ICB location {record.sub_icb_code} in "
                    f"{record.month:%B %Y}"
                )
                problems.add(number, header.names.get("SUB_ICB_LOCATION_CODE"), message)
                continue
            seen[key] = number
            parsed.records.append(record)
            parsed.cover(record.month)
        return parsed

    def write(self, parsed: Parsed, context: WriteContext) -> Written:
        keys = {(r.sub_icb_code, r.month) for r in parsed.records}
        replaced = Q(pk__in=[])
        for month in {month for _, month in keys}:
            codes = [code for code, m in keys if m == month]
            replaced |= Q(month=month, sub_icb_code__in=codes)
        removed = GpadCoverage.objects.filter(replaced).delete()[0] if keys else 0
        GpadCoverage.objects.bulk_create(
            GpadCoverage(
                sub_icb_code=r.sub_icb_code,
                month=r.month,
                icb_ons_code=r.icb_ons_code,
                region_ons_code=r.region_ons_code,
                batch_id=context.batch_id,
                **r.counts,
            )
            for r in parsed.records
        )
        created = len(parsed.records) - min(removed, len(parsed.records))
        return Written(created=created, updated=len(parsed.records) - created)


def _row(number: int, values: dict[str, str], names, problems: ProblemLog) -> CoverageRow | None:
    before = problems.count
    column = names.get("SUB_ICB_LOCATION_CODE", "SUB_ICB_LOCATION_CODE")
    code = check_code(values["SUB_ICB_LOCATION_CODE"], SUB_ICB_CODE, "sub-ICB", number, column,
                      problems)  # fmt: skip
    day = parse_date_logged(
        values["Appointment_Month"], number, names.get("Appointment_Month", ""), problems,
        blank_ok=False,
    )  # fmt: skip
    counts = {
        field: parse_count(values[name], number, names.get(name, name), problems)
        for field, name in COUNTS.items()
    }
    if problems.count > before:
        return None
    for kind in ("practices", "patients"):
        if counts[f"included_{kind}"] > counts[f"open_{kind}"]:
            problems.add(number, None, f"more {kind} included than open")
            return None
    return CoverageRow(
        sub_icb_code=code,
        month=day.replace(day=1),
        icb_ons_code=clean_text(values["ICB_ONS_CODE"]).upper(),
        region_ons_code=clean_text(values["REGION_CODE"]).upper(),
        counts=counts,
    )
