"""Loading GPAD practice-level crosstabs: the published quirks, zips that overlap, reloads,
failed loads, memberships by month, traceability and the row-numbered careful path.

Every file here is built in the published layout (``HEADER``), one row per practice, month
and combination of the five dimensions, as NHS England publishes it.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imports.sources.base import Problem
from metrics.models import (
    AppointmentCount,
    BatchStatus,
    GpadPracticeMonth,
    ImportBatch,
    ImportFile,
    MeasureValue,
    RollupMember,
)
from metrics.services import import_file
from metrics.sources.gpad import fast
from practices.models import Membership, MembershipBasis, Organisation, OrgKind, Relation

pytestmark = pytest.mark.django_db

HEADER = (
    "APPOINTMENT_MONTH_START_DATE", "GP_CODE", "GP_NAME", "SUPPLIER", "PCN_CODE", "PCN_NAME",
    "SUB_ICB_LOCATION_CODE", "SUB_ICB_LOCATION_NAME", "HCP_TYPE", "APPT_MODE",
    "NATIONAL_CATEGORY", "TIME_BETWEEN_BOOK_AND_APPT", "COUNT_OF_APPOINTMENTS", "APPT_STATUS",
)  # fmt: skip
MAPPING_HEADER = (
    "GP_CODE", "GP_NAME", "SUPPLIER", "PCN_CODE", "PCN_NAME", "SUB_ICB_LOCATION_CODE",
    "SUB_ICB_LOCATION_NAME", "ICB_CODE", "ICB_NAME", "REGION_CODE", "REGION_NAME",
)  # fmt: skip
MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")

JAN, FEB, MARCH, APRIL = (dt.date(2025, m, 1) for m in (1, 2, 3, 4))
PLACE, PLACE_NAME = "11X", "NHS SOMERSET ICB - 11X"
# The PCN each tree practice reports in GPAD (L85004 moved on 1 April 2025).
REPORTED_PCN = {"L85001": "U00001", "L85002": "U00001", "L85003": "U00002",
                "L85005": "U00003", "L85006": "Unallocated"}  # fmt: skip


@pytest.fixture(autouse=True)
def progress_in_memory(settings, request):
    """Import progress goes to a cache of the test's own: in the shared file cache it would
    outlive the test database, and the next run's batch with the same id would find it."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": request.node.nodeid,
        }
    }


def stamp(month: dt.date) -> str:
    """APPOINTMENT_MONTH_START_DATE as published: 01MAR2025."""
    return f"{month.day:02d}{MONTHS[month.month - 1]}{month.year}"


def reported_pcn(code: str, month: dt.date) -> str:
    if code == "L85004":
        return "U00001" if month < APRIL else "U00002"
    return REPORTED_PCN.get(code, "U00003")


@dataclass(frozen=True)
class Cell:
    """One crosstab row: a practice, a month, the five published labels and the count."""

    practice: str
    count: int | str
    month: dt.date = MARCH
    status: str = "Attended"
    hcp_type: str = "GP"
    mode: str = "Face-to-Face"
    category: str = "General Consultation Routine"
    band: str = "Same Day"
    pcn: str | None = None  # None: the PCN the practice reports that month
    place: str = PLACE

    def values(self) -> dict[str, str]:
        pcn = self.pcn or reported_pcn(self.practice, self.month)
        return {
            "APPOINTMENT_MONTH_START_DATE": stamp(self.month),
            "GP_CODE": self.practice,
            "GP_NAME": f"THE {self.practice} SURGERY",
            "SUPPLIER": "EMIS",
            "PCN_CODE": pcn,
            "PCN_NAME": f"{pcn} PCN".upper(),
            "SUB_ICB_LOCATION_CODE": self.place,
            "SUB_ICB_LOCATION_NAME": PLACE_NAME if self.place == PLACE else self.place,
            "HCP_TYPE": self.hcp_type,
            "APPT_MODE": self.mode,
            "NATIONAL_CATEGORY": self.category,
            "TIME_BETWEEN_BOOK_AND_APPT": self.band,
            "COUNT_OF_APPOINTMENTS": str(self.count),
            "APPT_STATUS": self.status,
        }


@dataclass(frozen=True)
class Layout:
    """How one published file is written: column order, spellings, BOM and line ending.
    ``relabel`` maps (column, label as in ``Cell``) to the spelling the file uses."""

    header: tuple[str, ...] = HEADER
    relabel: tuple[tuple[tuple[str, str], str], ...] = ()
    bom: bool = False
    newline: str = "\n"

    def fields(self, cell: Cell) -> list[str]:
        values, relabel = cell.values(), dict(self.relabel)
        return [relabel.get((column, values[column]), values[column]) for column in self.header]


PUBLISHED = Layout()


def crosstab_bytes(rows: Iterable[Cell | list[str]], layout: Layout = PUBLISHED) -> bytes:
    """A crosstab CSV: the header, then one line per cell (or per list of raw fields)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator=layout.newline)
    writer.writerow(layout.header)
    for row in rows:
        writer.writerow(layout.fields(row) if isinstance(row, Cell) else row)
    return (("\ufeff" if layout.bom else "") + buffer.getvalue()).encode("utf-8")


def csv_name(month: dt.date, region: str = "") -> str:
    prefix = f"{region}_" if region else ""
    return f"Practice_Level_Crosstab_{prefix}{month:%b}_{month:%y}.csv"


def month_csv(cells: Iterable[Cell], layout: Layout = PUBLISHED) -> bytes:
    return crosstab_bytes(cells, layout)


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def zip_of(folder: Path, name: str, members: dict[str, bytes]) -> Path:
    path = folder / name
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return path


def load(path: Path) -> ImportBatch:
    return import_file(source="gpad", path=path)


def loaded() -> Counter:
    """What is in the appointments table, reduced to canonical keys and summed."""
    found: Counter = Counter()
    rows = AppointmentCount.objects.values_list(
        "practice__code", "month", "status__key", "hcp_type__key", "mode__key",
        "national_category__key", "booking_band__key", "count",
    )  # fmt: skip
    for *key, count in rows:
        found[tuple(key)] += count
    return found


def month_totals() -> dict[dt.date, int]:
    rows = AppointmentCount.objects.values("month").annotate(total=Sum("count"))
    return {row["month"]: row["total"] for row in rows}


def practice_totals(month: dt.date) -> dict[str, int]:
    rows = (
        AppointmentCount.objects.filter(month=month)
        .values("practice__code")
        .annotate(total=Sum("count"))
    )
    return {row["practice__code"]: row["total"] for row in rows}


def value(measure: str, code: str, month: dt.date) -> MeasureValue:
    return MeasureValue.objects.get(measure_id=measure, org__code=code, period=month)


def errors_of(batch: ImportBatch) -> set[tuple[int | None, str | None]]:
    return {(error["row"], error["column"]) for error in batch.errors}


def practice_cells(month: dt.date, counts: dict[str, int]) -> list[Cell]:
    """Two rows a practice: a same-day GP face-to-face and a DNA telephone triage."""
    cells = []
    for code, count in counts.items():
        cells.append(Cell(code, count, month=month))
        cells.append(
            Cell(code, 1, month=month, status="DNA", mode="Telephone", category="Clinical Triage")
        )
    return cells


# --- Published quirks -----------------------------------------------------------------

QUIRK_CELLS = [
    Cell("L85001", 10),
    Cell("L85001", 7, status="DNA", hcp_type="Other Practice staff",
         mode="Video Conference/Online", category="Clinical Triage", band="8 to 14 Days"),
    Cell("L85001", 3, status="Unknown", hcp_type="Unknown", mode="Telephone",
         category="Unmapped", band="Unknown / Data Quality"),
    Cell("L85002", 5, mode="Home Visit",
         category="Care Related Encounter but does not fit into any other category",
         band="More than 28 Days"),
    Cell("L85002", 2, status="DNA", category="General Consultation Acute", band="2 to 7 Days"),
]  # fmt: skip
QUIRK_EXPECTED = Counter(
    {
        ("L85001", MARCH, "attended", "gp", "face_to_face",
         "general_consultation_routine", "same_day"): 10,
        ("L85001", MARCH, "dna", "other_practice_staff", "video_online",
         "clinical_triage", "8_to_14_days"): 7,
        ("L85001", MARCH, "unknown", "unknown", "telephone", "unmapped", "unknown"): 3,
        ("L85002", MARCH, "attended", "gp", "home_visit",
         "care_related_encounter_other", "more_than_28_days"): 5,
        ("L85002", MARCH, "dna", "gp", "face_to_face",
         "general_consultation_acute", "2_to_7_days"): 2,
    }
)  # fmt: skip
BANDS, STATUS, HCP, MODE, CATEGORY = (
    "TIME_BETWEEN_BOOK_AND_APPT", "APPT_STATUS", "HCP_TYPE", "APPT_MODE", "NATIONAL_CATEGORY",
)  # fmt: skip
SHUFFLED = (
    "COUNT_OF_APPOINTMENTS", "GP_CODE", "APPT_STATUS", "NATIONAL_CATEGORY",
    "APPOINTMENT_MONTH_START_DATE", "TIME_BETWEEN_BOOK_AND_APPT", "GP_NAME", "HCP_TYPE",
    "PCN_NAME", "APPT_MODE", "SUB_ICB_LOCATION_NAME", "SUB_ICB_LOCATION_CODE", "PCN_CODE",
    "SUPPLIER",
)  # fmt: skip
QUIRKS = {
    "as published": PUBLISHED,
    "a UTF-8 byte order mark": Layout(bom=True),
    "CRLF line endings": Layout(newline="\r\n"),
    "double spaces in labels": Layout(
        relabel=(
            ((BANDS, "8 to 14 Days"), "8  to 14 Days"),
            ((BANDS, "2 to 7 Days"), "2  to  7 Days"),
            ((CATEGORY, "General Consultation Routine"), "General  Consultation Routine"),
        )
    ),
    "the unknown band as Unknown / Data Issue": Layout(
        relabel=(((BANDS, "Unknown / Data Quality"), "Unknown / Data Issue"),)
    ),
    "Video/Online for Video Conference/Online": Layout(
        relabel=(((MODE, "Video Conference/Online"), "Video/Online"),)
    ),
    "labels in other case": Layout(
        relabel=(
            ((MODE, "Face-to-Face"), "FACE-TO-FACE"),
            ((HCP, "Other Practice staff"), "Other Practice Staff"),
            ((CATEGORY, "General Consultation Routine"), "general consultation routine"),
            ((STATUS, "DNA"), "dna"),
            ((BANDS, "Same Day"), "SAME DAY"),
        )
    ),
    "historic status and staff labels": Layout(
        relabel=(
            ((STATUS, "DNA"), "Did not attend"),
            ((STATUS, "Unknown"), "Appt Status Not Provided"),
            ((HCP, "Unknown"), "HCP Type Not Provided"),
        )
    ),
    "practice codes in lower case": Layout(
        relabel=(
            (("GP_CODE", "L85001"), "l85001"),
            (("GP_CODE", "L85002"), " l85002 "),
        )
    ),
    "columns in reverse order": Layout(header=tuple(reversed(HEADER))),
    "columns shuffled, supplier last": Layout(header=SHUFFLED),
}
EVERYTHING_AT_ONCE = Layout(
    header=tuple(reversed(HEADER)),
    relabel=tuple(r for layout in QUIRKS.values() for r in layout.relabel if r[0][1] != "DNA")
    + (((STATUS, "DNA"), "Did not attend"),),
    bom=True,
    newline="\r\n",
)
QUIRKS["every quirk at once"] = EVERYTHING_AT_ONCE


@pytest.mark.parametrize("layout", QUIRKS.values(), ids=QUIRKS.keys())
def test_each_published_quirk_loads_to_the_same_normalised_rows(tree, tmp_path, layout):
    path = write(tmp_path, csv_name(MARCH), month_csv(QUIRK_CELLS, layout))

    batch = load(path)

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    assert loaded() == QUIRK_EXPECTED
    assert batch.rows_read == batch.rows_loaded == len(QUIRK_CELLS)
    assert (batch.period_start, batch.period_end) == (MARCH, MARCH)


def test_a_month_split_across_two_region_files_in_one_zip_adds_up(tree, tmp_path):
    south = practice_cells(MARCH, {"L85001": 700, "L85002": 600})
    north = practice_cells(MARCH, {"L85004": 900, "L85005": 800})
    path = zip_of(
        tmp_path,
        "Practice_Level_Crosstab_Mar_25.zip",
        {
            csv_name(MARCH, "London_East_South"): month_csv(south),
            csv_name(MARCH, "North_Midlands"): month_csv(north),
        },
    )

    batch = load(path)

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    assert practice_totals(MARCH) == {"L85001": 701, "L85002": 601, "L85004": 901, "L85005": 801}
    assert month_totals() == {MARCH: 701 + 601 + 901 + 801}
    assert value("appointments_total", "QSL", MARCH).numerator == 701 + 601 + 901 + 801
    files = ImportFile.objects.filter(batch=batch)
    assert {(f.name, f.month, f.rows) for f in files} == {
        (csv_name(MARCH, "London_East_South"), MARCH, 4),
        (csv_name(MARCH, "North_Midlands"), MARCH, 4),
    }


def test_loading_a_split_month_again_from_the_same_zip_changes_nothing(tree, tmp_path):
    members = {
        csv_name(MARCH, "London_East_South"): month_csv(practice_cells(MARCH, {"L85001": 70})),
        csv_name(MARCH, "North_Midlands"): month_csv(practice_cells(MARCH, {"L85005": 80})),
    }
    path = zip_of(tmp_path, "Practice_Level_Crosstab_Mar_25.zip", members)
    first = load(path)
    rows_before = set(AppointmentCount.objects.values_list("pk", "batch_id", "count"))

    again = load(path)

    assert first.status == BatchStatus.SUCCEEDED, first.errors
    assert again.status == BatchStatus.UNCHANGED, again.outcome
    assert set(AppointmentCount.objects.values_list("pk", "batch_id", "count")) == rows_before
    assert month_totals() == {MARCH: 71 + 81}


# --- Mapping.csv and practices the register does not know --------------------------------


def mapping_csv(rows: list[tuple[str, str, str, str]]) -> bytes:
    """Mapping.csv for practices in place 11X of NHS Somerset ICB, South West: each row
    (practice code, practice name, PCN code, PCN name)."""
    lines = [
        [code, name, "EMIS", pcn, pcn_name, PLACE, PLACE_NAME, "QSL",
         "NHS SOMERSET INTEGRATED CARE BOARD", "Y58", "SOUTH WEST"]
        for code, name, pcn, pcn_name in rows
    ]  # fmt: skip
    return crosstab_bytes(lines, Layout(header=MAPPING_HEADER, newline="\r\n"))


def test_a_zip_with_mapping_csv_on_an_empty_database_gives_the_whole_hierarchy_and_measures(
    db, tmp_path
):
    mapping = mapping_csv(
        [
            ("L85001", "BROOKFIELD SURGERY", "U00001", "LEVELMOOR PCN"),
            ("L85002", "THE OLD MILL MEDICAL PRACTICE", "U00001", "LEVELMOOR PCN"),
            ("L85003", "HILLSIDE HEALTH CENTRE", "U00002", "RIVERSIDE PCN"),
        ]
    )
    cells = practice_cells(MARCH, {"L85001": 500, "L85002": 300, "L85003": 200})
    path = zip_of(
        tmp_path,
        "Practice_Level_Crosstab_Mar_25.zip",
        {csv_name(MARCH): month_csv(cells), "Mapping.csv": mapping},
    )

    batch = load(path)

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    names = dict(Organisation.objects.values_list("code", "name"))
    assert names["Y58"] == "South West"
    assert names["QSL"] == "NHS Somerset Integrated Care Board"
    assert names["11X"] == "NHS Somerset ICB - 11X"
    assert names["U00001"] == "Levelmoor PCN"
    assert names["L85001"] == "Brookfield Surgery"
    expected = {
        "L85001": 501, "L85002": 301, "L85003": 201, "U00001": 501 + 301, "U00002": 201,
        "11X": 501 + 301 + 201, "QSL": 501 + 301 + 201, "Y58": 501 + 301 + 201,
    }  # fmt: skip
    totals = MeasureValue.objects.filter(measure_id="appointments_total", period=MARCH)
    assert {v.org.code: v.numerator for v in totals if v.org.code in expected} == expected
    assert not practices_added_note(batch)
    # With no list sizes yet no practice can be judged incomplete: England counts them all.
    assert value("appointments_total", "ENG", MARCH).numerator == 501 + 301 + 201
    # Once list sizes arrive, a practice under 1 appointment per patient a year drops out.
    sizes = {"L85001": 6000, "L85002": 3000, "L85003": 24000}  # 201 x 12 < 24,000
    import_file(source="list-sizes", path=write(tmp_path, "sizes.csv", list_sizes_csv(sizes)))
    assert value("appointments_total", "ENG", MARCH).numerator == 501 + 301
    assert GpadPracticeMonth.objects.get(practice__code="L85003", month=MARCH).incomplete


def test_a_mapping_csv_applied_before_is_not_applied_again_and_a_changed_one_is(db, tmp_path):
    first = [("L85001", "BROOKFIELD SURGERY", "U00001", "LEVELMOOR PCN")]
    later = [*first, ("L85002", "THE OLD MILL MEDICAL PRACTICE", "U00001", "LEVELMOOR PCN")]

    def month_zip(month: dt.date, rows) -> Path:
        cells = practice_cells(month, {code: 100 for code, *_ in rows})
        members = {csv_name(month): month_csv(cells), "Mapping.csv": mapping_csv(rows)}
        return zip_of(tmp_path, f"Practice_Level_Crosstab_{stamp(month)}.zip", members)

    load(month_zip(JAN, first))
    Organisation.objects.filter(code="L85001").update(name="Brookfield Surgery (renamed)")
    same = load(month_zip(FEB, first))
    assert any("applied by an earlier load" in note for note in same.notes)
    assert Organisation.objects.get(code="L85001").name == "Brookfield Surgery (renamed)"

    changed = load(month_zip(MARCH, later))

    assert same.status == changed.status == BatchStatus.SUCCEEDED
    assert not any("applied by an earlier load" in note for note in changed.notes)
    assert Organisation.objects.get(code="L85002").name == "The Old Mill Medical Practice"
    assert value("appointments_total", "U00001", MARCH).numerator == 2 * 101


def list_sizes_csv(sizes: dict[str, int]) -> bytes:
    """gp-reg-pat-prac-all.csv as at 1 March 2025."""
    header = (
        "PUBLICATION,EXTRACT_DATE,TYPE,SUB_ICB_LOCATION_CODE,ONS_SUB_ICB_LOCATION_CODE,CODE,"
        "POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS"
    )
    lines = [f"GP_PRAC_PAT_LIST,2025-03-01,GP,11X,E38000150,{code},TA1 2LB,ALL,ALL,{patients}"
             for code, patients in sizes.items()]  # fmt: skip
    return "\r\n".join([header, *lines, ""]).encode()


def practices_added_note(batch: ImportBatch) -> str | None:
    return next((n for n in batch.notes if "not in the register were added" in n), None)


def test_without_mapping_csv_unknown_practices_are_added_from_the_rows_and_listed(tree, tmp_path):
    cells = [
        *practice_cells(MARCH, {"L85001": 500}),
        Cell("L85008", 40, pcn="U00003"),
        Cell("L85009", 30, pcn="U00003"),
    ]
    path = zip_of(
        tmp_path, "Practice_Level_Crosstab_Mar_25.zip", {csv_name(MARCH): month_csv(cells)}
    )

    batch = load(path)

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    note = practices_added_note(batch)
    assert note is not None and "2 practice(s)" in note
    assert "L85008" in note and "L85009" in note
    added = Organisation.objects.get(kind=OrgKind.PRACTICE, code="L85008")
    assert added.name == "The L85008 Surgery" and added.source_batch == batch
    pcn_link = Membership.objects.get(child=added, relation=Relation.PRACTICE_PCN)
    assert pcn_link.parent.code == "U00003" and pcn_link.basis == MembershipBasis.REPORTED
    assert value("appointments_total", "U00003", MARCH).numerator == 40 + 30


def test_a_practice_first_seen_in_a_later_block_is_added_while_the_rows_stream_in(
    tree, tmp_path, monkeypatch
):
    """Blocks of a few rows: the unknown practice turns up after rows have been written,
    so adding it has to wait for the rows already sent (one COPY on PostgreSQL)."""
    monkeypatch.setattr(fast, "BLOCK_SIZE", 1024)
    bands = ["Same Day", "1 Day", "2 to 7 Days", "8 to 14 Days", "15 to 21 Days"]
    modes = ["Face-to-Face", "Telephone", "Home Visit", "Unknown"]
    known = [
        Cell("L85001", n + 1, band=band, mode=mode, status=status)
        for n, (band, mode, status) in enumerate(
            (b, m, s) for b in bands for m in modes for s in ("Attended", "DNA")
        )
    ]
    cells = [*known[:35], Cell("L85008", 40, pcn="U00003"), *known[35:]]

    batch = load(write(tmp_path, csv_name(MARCH), month_csv(cells)))

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    assert "L85008" in (practices_added_note(batch) or "")
    assert ImportFile.objects.get(batch=batch).rows == len(cells)
    assert practice_totals(MARCH) == {
        "L85001": sum(c.count for c in known),
        "L85008": 40,
    }


# --- Overlapping zips, reloads and failed loads ------------------------------------------

COUNTS = {"L85001": 600, "L85002": 650, "L85003": 700}


def three_months_zip(folder: Path, months: list[dt.date], counts=COUNTS, name=None) -> Path:
    members = {csv_name(m): month_csv(practice_cells(m, counts)) for m in months}
    return zip_of(folder, name or f"Practice_Level_Crosstab_{months[-1]:%b_%y}.zip", members)


def one_copy() -> int:
    return sum(COUNTS.values()) + len(COUNTS)


def test_two_overlapping_zips_never_count_a_month_twice(tree, tmp_path):
    first = load(three_months_zip(tmp_path, [JAN, FEB, MARCH]))
    second = load(three_months_zip(tmp_path, [FEB, MARCH, APRIL]))

    assert first.status == second.status == BatchStatus.SUCCEEDED
    assert month_totals() == {JAN: one_copy(), FEB: one_copy(), MARCH: one_copy(),
                              APRIL: one_copy()}  # fmt: skip
    assert (second.period_start, second.period_end) == (APRIL, APRIL)
    for month in (JAN, FEB, MARCH, APRIL):
        assert value("appointments_total", "QSL", month).numerator == one_copy()


def test_an_overlapping_month_in_a_different_file_replaces_the_first_copy(tree, tmp_path):
    load(three_months_zip(tmp_path, [JAN, FEB, MARCH]))
    reordered = {
        csv_name(m): month_csv(reversed(practice_cells(m, COUNTS))) for m in (FEB, MARCH, APRIL)
    }

    second = load(zip_of(tmp_path, "Practice_Level_Crosstab_Apr_25.zip", reordered))

    assert second.status == BatchStatus.SUCCEEDED, second.errors
    assert month_totals() == {m: one_copy() for m in (JAN, FEB, MARCH, APRIL)}
    assert set(AppointmentCount.objects.filter(month=FEB).values_list("batch_id", flat=True)) == {
        second.pk
    }
    assert any("Replaced" in note for note in second.notes)


def test_loading_a_month_again_with_changed_counts_replaces_it(tree, tmp_path):
    load(three_months_zip(tmp_path, [JAN, FEB, MARCH]))
    changed = {**COUNTS, "L85002": 1000}

    revised = load(three_months_zip(tmp_path, [MARCH], changed, "Practice_Level_Crosstab_r.zip"))

    assert revised.status == BatchStatus.SUCCEEDED, revised.errors
    assert practice_totals(MARCH) == {"L85001": 601, "L85002": 1001, "L85003": 701}
    assert practice_totals(FEB) == {"L85001": 601, "L85002": 651, "L85003": 701}
    assert value("appointments_total", "L85002", MARCH).numerator == 1001
    assert value("appointments_total", "U00001", MARCH).numerator == 601 + 1001


def test_a_revised_month_without_a_practice_no_longer_counts_it_and_reloads_unchanged(
    tree, tmp_path
):
    load(three_months_zip(tmp_path, [JAN, FEB, MARCH]))
    without = {"L85001": 600, "L85002": 650}  # L85003 withdrawn from the revised March
    path = three_months_zip(tmp_path, [MARCH], without, "Practice_Level_Crosstab_r.zip")

    revised = load(path)

    assert revised.status == BatchStatus.SUCCEEDED, revised.errors
    assert practice_totals(MARCH) == {"L85001": 601, "L85002": 651}
    assert practice_totals(FEB) == {"L85001": 601, "L85002": 651, "L85003": 701}
    assert value("appointments_total", "QSL", MARCH).numerator == 601 + 651
    assert not MeasureValue.objects.filter(org__code="L85003", period=MARCH).exists()
    assert not GpadPracticeMonth.objects.filter(practice__code="L85003", month=MARCH).exists()
    assert reported_links("L85003") == {("U00002", JAN, dt.date(2025, 2, 28))}
    assert any("no longer holds 1 practice" in n and "L85003" in n for n in revised.notes)
    again = load(path)
    assert again.status == BatchStatus.UNCHANGED, again.outcome
    assert practice_totals(MARCH) == {"L85001": 601, "L85002": 651}


def test_one_regions_file_loaded_on_its_own_leaves_the_other_regions_practices(tree, tmp_path):
    south = practice_cells(MARCH, {"L85001": 700, "L85002": 600})
    north = [Cell("J99001", 1200, place="92G"), Cell("J99001", 1, status="DNA", place="92G")]
    members = {
        csv_name(MARCH, "London_East_South"): month_csv(south),
        csv_name(MARCH, "North_Midlands"): month_csv(north),
    }
    load(zip_of(tmp_path, "Practice_Level_Crosstab_Mar_25.zip", members))
    # A revised South file alone: L85002 is gone from it, the North is not in it at all.
    revised = practice_cells(MARCH, {"L85001": 750})
    name = csv_name(MARCH, "London_East_South")

    batch = load(write(tmp_path, name, month_csv(revised)))

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    assert practice_totals(MARCH) == {"L85001": 751, "J99001": 1201}
    assert value("appointments_total", "J99001", MARCH).numerator == 1201
    assert value("appointments_total", "QSL", MARCH).numerator == 751


def test_a_practice_month_in_two_files_of_one_delivery_fails_the_load_naming_it(tree, tmp_path):
    members = {
        csv_name(MARCH, "London_East_South"): month_csv(
            practice_cells(MARCH, {"L85001": 70, "L85002": 20})
        ),
        csv_name(MARCH, "North_Midlands"): month_csv(practice_cells(MARCH, {"L85002": 20})),
    }

    batch = load(zip_of(tmp_path, "Practice_Level_Crosstab_Mar_25.zip", members))

    assert batch.status == BatchStatus.FAILED
    assert errors_of(batch) == {(None, "GP_CODE")}
    message = batch.errors[0]["message"]
    assert "L85002 (Mar 2025)" in message and "L85001" not in message
    assert not AppointmentCount.objects.exists() and not GpadPracticeMonth.objects.exists()


def test_loading_the_identical_zip_again_says_nothing_changed_and_touches_no_row(tree, tmp_path):
    path = three_months_zip(tmp_path, [JAN, FEB, MARCH])
    first = load(path)
    before = snapshot()

    again = load(path)

    assert again.status == BatchStatus.UNCHANGED, again.outcome
    assert "Nothing changed" in again.outcome
    assert again.duplicate_of == first
    assert snapshot() == before


def snapshot() -> dict[str, list[tuple]]:
    """Every row GPAD loading writes, field by field."""
    tables = {
        "appointments": AppointmentCount.objects.order_by("pk"),
        "practice_months": GpadPracticeMonth.objects.order_by("pk"),
        "measures": MeasureValue.objects.order_by("pk"),
        "rollups": RollupMember.objects.order_by("pk"),
        "files": ImportFile.objects.order_by("pk"),
        "memberships": Membership.objects.order_by("pk"),
        "organisations": Organisation.objects.order_by("pk"),
    }
    return {name: [tuple(row.values()) for row in rows.values()] for name, rows in tables.items()}


def test_a_failed_load_leaves_the_earlier_data_and_measures_exactly_as_they_were(tree, tmp_path):
    load(three_months_zip(tmp_path, [JAN, FEB, MARCH]))
    before = snapshot()
    bad_march = [*practice_cells(MARCH, {"L85001": 5, "L85002": 6}), Cell("L85003", "12a")]
    members = {
        csv_name(FEB): month_csv(practice_cells(FEB, {"L85001": 9, "L85009": 9})),
        csv_name(MARCH): month_csv(bad_march),
    }

    failed = load(zip_of(tmp_path, "Practice_Level_Crosstab_Mar_25.zip", members))

    assert failed.status == BatchStatus.FAILED
    assert errors_of(failed) == {(6, "COUNT_OF_APPOINTMENTS")}
    assert failed.errors[0]["file"] == csv_name(MARCH)
    assert failed.rows_loaded == 0
    assert snapshot() == before
    assert not Organisation.objects.filter(code="L85009").exists()


# --- Memberships month by month ----------------------------------------------------------


def pcns_of(code: str, month: dt.date) -> set[str]:
    rows = RollupMember.objects.filter(practice__code=code, month=month, org__kind=OrgKind.PCN)
    return set(rows.values_list("org__code", flat=True))


def observed_in_pcn(code: str, pcn: Organisation) -> None:
    """A practice with what an undated Mapping.csv snapshot leaves: an observed PCN link."""
    practice = Organisation.objects.create(kind=OrgKind.PRACTICE, code=code, name="Snapshot")
    Membership.objects.create(
        relation=Relation.PRACTICE_PCN, child=practice, parent=pcn, basis=MembershipBasis.OBSERVED
    )


@pytest.mark.parametrize("registered", [False, True], ids=["unknown", "observed in Mapping.csv"])
def test_a_practice_that_changes_pcn_in_the_rows_is_rolled_up_to_each_months_pcn(
    tree, tmp_path, registered
):
    if registered:
        observed_in_pcn("L85007", tree.pcn_c)
    cells = [Cell("L85007", 100, month=MARCH, pcn="U00001"),
             Cell("L85007", 300, month=APRIL, pcn="U00002")]  # fmt: skip
    members = {csv_name(m): month_csv([c for c in cells if c.month == m]) for m in (MARCH, APRIL)}

    batch = load(zip_of(tmp_path, "Practice_Level_Crosstab_Apr_25.zip", members))

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    assert pcns_of("L85007", MARCH) == {"U00001"}
    assert pcns_of("L85007", APRIL) == {"U00002"}
    assert value("appointments_total", "U00001", MARCH).numerator == 100
    assert value("appointments_total", "U00002", APRIL).numerator == 300
    assert not MeasureValue.objects.filter(org__code="U00003", measure_id="appointments_total")


@pytest.mark.parametrize("careful", [False, True], ids=["fast path", "careful path"])
def test_a_month_reported_in_no_pcn_outranks_a_pcn_only_seen_in_a_snapshot(tree, tmp_path, careful):
    observed_in_pcn("L85007", tree.pcn_c)
    cells = [Cell("L85007", 100, month=MARCH, pcn="U00001"),
             Cell("L85007", 300, month=APRIL, pcn="Unallocated")]  # fmt: skip
    members = {}
    for month in (MARCH, APRIL):
        rows: list[Cell | list[str]] = [c for c in cells if c.month == month]
        if careful:
            rows.append([])  # a blank line sends the file down the careful path
        members[csv_name(month)] = crosstab_bytes(rows)

    batch = load(zip_of(tmp_path, "Practice_Level_Crosstab_Apr_25.zip", members))

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    assert pcns_of("L85007", MARCH) == {"U00001"}
    assert pcns_of("L85007", APRIL) == set()
    assert reported_links("L85007") == {("U00001", MARCH, dt.date(2025, 3, 31))}
    assert not MeasureValue.objects.filter(org__code="U00003", period=APRIL).exists()
    assert value("appointments_total", "L85007", APRIL).numerator == 300
    assert value("appointments_total", "QSL", APRIL).numerator == 300  # its place still counts


def test_a_published_dated_membership_wins_over_the_pcn_gpad_reports(tree, tmp_path):
    cells = [Cell("L85004", 100, month=MARCH, pcn="U00003"),
             Cell("L85004", 300, month=APRIL, pcn="U00003")]  # fmt: skip
    members = {csv_name(m): month_csv([c for c in cells if c.month == m]) for m in (MARCH, APRIL)}

    batch = load(zip_of(tmp_path, "Practice_Level_Crosstab_Apr_25.zip", members))

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    assert pcns_of("L85004", MARCH) == {"U00001"}
    assert pcns_of("L85004", APRIL) == {"U00002"}
    assert value("appointments_total", "U00001", MARCH).numerator == 100
    assert value("appointments_total", "U00002", APRIL).numerator == 300
    assert not MeasureValue.objects.filter(org__code="U00003")
    reported = Membership.objects.get(
        child=tree.practices["L85004"], basis=MembershipBasis.REPORTED, relation="practice_pcn"
    )
    assert reported.parent.code == "U00003"  # kept as reported, but outranked


def reported_links(code: str) -> set[tuple[str, dt.date | None, dt.date | None]]:
    links = Membership.objects.filter(
        child__code=code, basis=MembershipBasis.REPORTED, relation=Relation.PRACTICE_PCN
    )
    return set(links.values_list("parent__code", "start_date", "end_date"))


def test_a_practice_that_stops_appearing_belongs_to_its_pcn_only_up_to_its_last_month(
    tree, tmp_path
):
    march = [Cell("L85007", 100, month=MARCH, pcn="U00001"),
             Cell("L85008", 50, month=MARCH, pcn="U00001")]  # fmt: skip
    april = [Cell("L85007", 120, month=APRIL, pcn="U00001")]  # L85008 has closed
    load(write(tmp_path, csv_name(MARCH), month_csv(march)))
    assert reported_links("L85008") == {("U00001", MARCH, None)}

    batch = load(write(tmp_path, csv_name(APRIL), month_csv(april)))

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    assert reported_links("L85008") == {("U00001", MARCH, dt.date(2025, 3, 31))}
    assert reported_links("L85007") == {("U00001", MARCH, None)}
    assert pcns_of("L85008", MARCH) == {"U00001"}
    assert pcns_of("L85008", APRIL) == set()


def test_reported_links_follow_runs_of_months_broken_by_a_move_or_a_gap(tree, tmp_path):
    """A link per run of consecutive months in one PCN: a move starts a new link, and so
    does a return after a month the practice was missing from, even to the same PCN."""
    may = dt.date(2025, 5, 1)
    reported = {JAN: "U00001", FEB: "U00001", MARCH: "U00002", may: "U00001"}  # not April
    for month in (JAN, FEB, MARCH, APRIL, may):
        cells = [Cell("L85008", 10, month=month, pcn="U00001")]
        if month in reported:
            cells.append(Cell("L85007", 20, month=month, pcn=reported[month]))
        batch = load(write(tmp_path, csv_name(month), month_csv(cells)))
        assert batch.status == BatchStatus.SUCCEEDED, batch.errors

    assert reported_links("L85007") == {
        ("U00001", JAN, dt.date(2025, 2, 28)),
        ("U00002", MARCH, dt.date(2025, 3, 31)),
        ("U00001", may, None),
    }
    assert reported_links("L85008") == {("U00001", JAN, None)}
    assert pcns_of("L85007", APRIL) == set()
    assert pcns_of("L85007", may) == {"U00001"}


def test_a_revised_earlier_month_moves_a_practice_inside_its_run_or_leaves_it(tree, tmp_path):
    """The published zips overlap: a revised February that reports another PCN splits the
    run around it; one that reports the same PCN changes no link."""
    for month in (JAN, FEB, MARCH):
        cells = [Cell("L85007", 20, month=month, pcn="U00001")]
        assert load(write(tmp_path, csv_name(month), month_csv(cells))).status == "succeeded"
    assert reported_links("L85007") == {("U00001", JAN, None)}

    moved = [Cell("L85007", 25, month=FEB, pcn="U00002")]
    batch = load(write(tmp_path, csv_name(FEB), month_csv(moved)))

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    assert reported_links("L85007") == {
        ("U00001", JAN, dt.date(2025, 1, 31)),
        ("U00002", FEB, dt.date(2025, 2, 28)),
        ("U00001", MARCH, None),
    }
    assert pcns_of("L85007", FEB) == {"U00002"}

    back = [Cell("L85007", 30, month=FEB, pcn="U00001")]
    assert load(write(tmp_path, csv_name(FEB), month_csv(back))).status == "succeeded"
    assert reported_links("L85007") == {("U00001", JAN, None)}
    link = {"child__code": "L85007", "basis": MembershipBasis.REPORTED}
    kept = Membership.objects.get(**link, relation=Relation.PRACTICE_PCN)

    again = [Cell("L85007", 35, month=FEB, pcn="U00001")]
    assert load(write(tmp_path, csv_name(FEB), month_csv(again))).status == "succeeded"
    assert Membership.objects.get(**link, relation=Relation.PRACTICE_PCN) == kept
    assert reported_links("L85007") == {("U00001", JAN, None)}


def test_a_practice_reported_in_two_pcns_in_one_month_takes_the_first_and_says_so(tree, tmp_path):
    cells = [Cell("L85007", 20, pcn="U00002"), Cell("L85007", 5, mode="Telephone", pcn="U00001"),
             Cell("L85008", 10, pcn="U00001", place="12Y")]  # fmt: skip
    batch = load(write(tmp_path, csv_name(MARCH), month_csv(cells)))

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    practice_id = Organisation.objects.get(code="L85007").pk
    assert (
        f"Practice id {practice_id} was reported in U00001, U00002 in Mar 2025; used the first."
        in batch.notes
    )
    assert reported_links("L85007") == {("U00001", MARCH, None)}
    month = GpadPracticeMonth.objects.get(practice__code="L85008", month=MARCH)
    assert (month.pcn_code, month.sub_icb_code) == ("U00001", "12Y")


def test_a_file_without_pcn_and_place_columns_records_no_reported_links(tree, tmp_path):
    kept = tuple(c for c in HEADER if not c.startswith(("PCN_", "SUB_ICB_")))
    cells = [Cell("L85007", 20), Cell("L85007", 5, mode="Telephone")]
    batch = load(write(tmp_path, csv_name(MARCH), month_csv(cells, Layout(header=kept))))

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    month = GpadPracticeMonth.objects.get(practice__code="L85007", month=MARCH)
    assert (month.appointments, month.pcn_code, month.sub_icb_code) == (25, "", "")
    assert reported_links("L85007") == set()


@pytest.mark.parametrize("careful", [False, True], ids=["fast path", "careful path"])
def test_each_practice_month_counts_its_clinical_triage_appointments(tree, tmp_path, careful):
    triage = "Clinical Triage"
    rows: list[Cell | list[str]] = [
        Cell("L85001", 10), Cell("L85001", 7, category=triage, band="1 Day"),
        Cell("L85001", 4, status="DNA", mode="Telephone", category=triage),
        Cell("L85002", 9), Cell("L85002", 0, category=triage),
    ]  # fmt: skip
    if careful:
        rows.insert(2, [])  # a blank line sends the file down the careful path
    batch = load(write(tmp_path, csv_name(MARCH), crosstab_bytes(rows)))

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    months = GpadPracticeMonth.objects.filter(month=MARCH).order_by("practice__code")
    assert list(months.values_list("practice__code", "appointments", "clinical_triage")) == [
        ("L85001", 21, 11),
        ("L85002", 9, 0),
    ]


# --- Traceability ----------------------------------------------------------------------


@pytest.mark.parametrize("careful", [False, True], ids=["fast path", "careful path"])
def test_each_row_keeps_its_batch_file_and_row_number(tree, tmp_path, careful):
    march = practice_cells(MARCH, {"L85001": 11, "L85002": 22, "L85003": 33})
    rows: list[Cell | list[str]] = list(march)
    if careful:
        rows.insert(2, [])  # a blank line sends the file down the careful path
    members = {
        csv_name(FEB): month_csv(practice_cells(FEB, {"L85001": 1})),
        csv_name(MARCH): crosstab_bytes(rows),
    }
    path = zip_of(tmp_path, "Practice_Level_Crosstab_Mar_25.zip", members)

    batch = load(path)

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    picked = AppointmentCount.objects.get(practice__code="L85002", month=MARCH, count=22)
    assert picked.batch == batch
    assert picked.source_file.batch == batch and picked.source_file.name == csv_name(MARCH)
    with zipfile.ZipFile(path) as archive:
        lines = archive.read(csv_name(MARCH)).decode().splitlines()
    fields = dict(zip(HEADER, next(csv.reader([lines[picked.source_row - 1]])), strict=True))
    assert fields["GP_CODE"] == "L85002" and fields["COUNT_OF_APPOINTMENTS"] == "22"
    assert fields["APPOINTMENT_MONTH_START_DATE"] == "01MAR2025"
    assert fields["APPT_STATUS"] == picked.status.label
    assert fields["NATIONAL_CATEGORY"] == picked.national_category.label
    assert picked.source_row == (4 if not careful else 5)


# --- The careful path: problems named by row and column ---------------------------------


def bad(column: str, raw: str):
    def change(fields: list[str]) -> list[str]:
        changed = list(fields)
        changed[HEADER.index(column)] = raw
        return changed

    return change


BAD_ROWS = {
    "a count with a letter": (bad("COUNT_OF_APPOINTMENTS", "12a"), "COUNT_OF_APPOINTMENTS"),
    "a negative count": (bad("COUNT_OF_APPOINTMENTS", "-3"), "COUNT_OF_APPOINTMENTS"),
    "a blank count": (bad("COUNT_OF_APPOINTMENTS", ""), "COUNT_OF_APPOINTMENTS"),
    "a count in other digits": (bad("COUNT_OF_APPOINTMENTS", "1²"), "COUNT_OF_APPOINTMENTS"),
    "a count too big to store": (
        bad("COUNT_OF_APPOINTMENTS", "99999999999999999999999"), "COUNT_OF_APPOINTMENTS"
    ),
    "an unknown mode": (bad("APPT_MODE", "Carrier Pigeon"), "APPT_MODE"),
    "an unknown band": (bad(BANDS, "Next Week"), BANDS),
    "an unknown status": (bad("APPT_STATUS", "Cancelled"), "APPT_STATUS"),
    "a day that does not exist": (
        bad("APPOINTMENT_MONTH_START_DATE", "31FEB2025"), "APPOINTMENT_MONTH_START_DATE"
    ),
    "a month without a day": (
        bad("APPOINTMENT_MONTH_START_DATE", "MAR2025"), "APPOINTMENT_MONTH_START_DATE"
    ),
    "a year mistyped": (
        bad("APPOINTMENT_MONTH_START_DATE", "01MAR0025"), "APPOINTMENT_MONTH_START_DATE"
    ),
    "a short practice code": (bad("GP_CODE", "L8500"), "GP_CODE"),
    "a sentinel practice code": (bad("GP_CODE", "UNKNOWN"), "GP_CODE"),
    "a row with a field missing": (lambda fields: fields[:-1], None),
    "a name with an unquoted comma": (
        lambda fields: [*fields[:2], "THE L85002", "SURGERY", *fields[3:]], None
    ),
}  # fmt: skip


@pytest.mark.parametrize("change, column", BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_a_bad_row_fails_the_load_naming_its_row_and_column_and_writes_nothing(
    tree, tmp_path, change, column
):
    rows: list[Cell | list[str]] = list(practice_cells(MARCH, {"L85001": 10, "L85002": 20}))
    rows[2] = change(PUBLISHED.fields(rows[2]))  # the file's row 4
    organisations = Organisation.objects.count()

    batch = load(write(tmp_path, csv_name(MARCH), crosstab_bytes(rows)))

    assert batch.status == BatchStatus.FAILED
    assert errors_of(batch) == {(4, column)}
    assert str(Problem(**batch.errors[0])).startswith(
        f"Row 4, column {column}: " if column else "Row 4: "
    )
    assert batch.rows_rejected == 1 and batch.rows_loaded == 0
    assert not AppointmentCount.objects.exists()
    assert not GpadPracticeMonth.objects.exists() and not MeasureValue.objects.exists()
    assert not ImportFile.objects.exists()
    assert Organisation.objects.count() == organisations


def test_bytes_that_are_not_utf8_fail_the_row_they_are_on(tree, tmp_path):
    data = crosstab_bytes(practice_cells(MARCH, {"L85001": 10, "L85002": 20}))
    lines = data.split(b"\n")
    lines[3] = lines[3].replace(b"THE L85002 SURGERY", b"THE L85002 SURG\xff\xfeRY")

    batch = load(write(tmp_path, csv_name(MARCH), b"\n".join(lines)))

    assert batch.status == BatchStatus.FAILED
    assert errors_of(batch) == {(4, None)}
    assert "UTF-8" in batch.errors[0]["message"]
    assert not AppointmentCount.objects.exists()


def test_every_bad_row_is_reported_not_just_the_first(tree, tmp_path):
    rows: list[Cell | list[str]] = list(practice_cells(MARCH, {"L85001": 10, "L85002": 20}))
    rows[0] = bad("COUNT_OF_APPOINTMENTS", "x")(PUBLISHED.fields(rows[0]))
    rows[3] = bad("APPT_MODE", "Semaphore")(bad("GP_CODE", "99")(PUBLISHED.fields(rows[3])))

    batch = load(write(tmp_path, csv_name(MARCH), crosstab_bytes(rows)))

    assert batch.status == BatchStatus.FAILED
    assert errors_of(batch) == {(2, "COUNT_OF_APPOINTMENTS"), (5, "GP_CODE"), (5, "APPT_MODE")}
    assert batch.rows_rejected == 2
    messages = [e["message"] for e in batch.errors]
    assert "'x' is not a whole number of zero or more" in messages


def test_a_blank_line_in_the_middle_does_not_stop_the_load(tree, tmp_path):
    rows: list[Cell | list[str]] = list(practice_cells(MARCH, {"L85001": 10, "L85002": 20}))
    rows.insert(1, [])

    batch = load(write(tmp_path, csv_name(MARCH), crosstab_bytes(rows)))

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    assert practice_totals(MARCH) == {"L85001": 11, "L85002": 21}


# --- Generated malformed rows ------------------------------------------------------------

VALID_ROWS = practice_cells(MARCH, {"L85001": 10, "L85002": 20, "L85003": 30})
FIELD = st.integers(min_value=0, max_value=len(HEADER) - 1)
MUTATION = st.one_of(
    st.tuples(st.just("text"), FIELD, st.text(max_size=12)),
    st.tuples(st.just("bytes"), FIELD, st.binary(max_size=8)),
    st.tuples(st.just("drop"), FIELD, st.just("")),
    st.tuples(st.just("extra"), FIELD, st.text(max_size=6)),
    st.tuples(st.just("label"), FIELD, st.sampled_from(["GP", "DNA", "Same Day", "L85009",
                                                        "01APR2025", "0", "7", " "])),
)  # fmt: skip


def row_bytes(fields: list[bytes]) -> bytes:
    """A CSV line of raw byte fields, quoted the way csv quotes text."""
    quoted = []
    for field in fields:
        if any(ch in field for ch in (b",", b'"', b"\n", b"\r")):
            field = b'"' + field.replace(b'"', b'""') + b'"'
        quoted.append(field)
    return b",".join(quoted)


def mutated_file(mutations: list[tuple[int, tuple[str, int, object]]]) -> bytes:
    rows = [[v.encode() for v in PUBLISHED.fields(cell)] for cell in VALID_ROWS]
    for row, (kind, position, raw) in mutations:
        fields = rows[row]
        if kind == "drop":
            del fields[position % len(fields)]
        elif kind == "extra":
            fields.insert(position, raw.encode())
        else:
            fields[position % len(fields)] = raw if kind == "bytes" else raw.encode()
    lines = [",".join(HEADER).encode(), *(row_bytes(fields) for fields in rows)]
    return b"\n".join(lines) + b"\n"


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    mutations=st.lists(
        st.tuples(st.integers(min_value=0, max_value=len(VALID_ROWS) - 1), MUTATION),
        min_size=1,
        max_size=4,
    )
)
def test_generated_malformed_rows_either_load_or_fail_by_row_never_crash(tree, mutations):
    data = mutated_file(mutations)
    with tempfile.TemporaryDirectory() as folder, transaction.atomic():
        batch = load(write(Path(folder), csv_name(MARCH), data))
        outcome = (batch.status, batch.errors, batch.rows_loaded, AppointmentCount.objects.count())
        transaction.set_rollback(True)  # each example starts from the same register

    status, errors, rows_loaded, rows = outcome
    assert status in {BatchStatus.SUCCEEDED, BatchStatus.FAILED}
    if status == BatchStatus.FAILED:
        assert errors and all(isinstance(e["row"], int) and e["row"] >= 2 for e in errors)
        assert rows == 0
    else:
        assert rows == rows_loaded >= 1


def test_the_generated_example_helper_keeps_valid_rows_valid(tree, tmp_path):
    """The generator's baseline (no mutation) loads; a failure above is the mutation's."""
    batch = load(write(tmp_path, csv_name(MARCH), mutated_file([])))

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    assert practice_totals(MARCH) == {"L85001": 11, "L85002": 21, "L85003": 31}


def test_a_bad_value_holding_a_nul_character_is_reported_not_a_crash(tree, tmp_path):
    rows: list[Cell | list[str]] = list(practice_cells(MARCH, {"L85001": 10}))
    rows[1] = bad("COUNT_OF_APPOINTMENTS", "1\x002")(PUBLISHED.fields(rows[1]))

    batch = load(write(tmp_path, csv_name(MARCH), crosstab_bytes(rows)))

    assert batch.status == BatchStatus.FAILED
    assert errors_of(batch) == {(3, "COUNT_OF_APPOINTMENTS")}
    assert "\x00" not in batch.errors[0]["message"]


def test_an_unknown_practice_with_a_damaged_name_is_added_with_the_name_cleaned(tree, tmp_path):
    name = "THE\x00 MILL " + "SURGERY " * 40
    cell = Cell("L85008", 12, pcn="U00003")
    row = PUBLISHED.fields(cell)
    row[HEADER.index("GP_NAME")] = name

    batch = load(write(tmp_path, csv_name(MARCH), crosstab_bytes([row])))

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    added = Organisation.objects.get(code="L85008")
    assert added.name.startswith("The Mill Surgery Surgery")
    assert "\x00" not in added.name and len(added.name) <= 200


def test_a_file_whose_last_column_is_not_read_still_takes_the_fast_path(
    tree, tmp_path, monkeypatch
):
    def no_careful_reading(*args, **kwargs):
        raise AssertionError("read row by row")

    monkeypatch.setattr("metrics.sources.gpad.CarefulReader", no_careful_reading)
    layout = QUIRKS["columns shuffled, supplier last"]

    batch = load(write(tmp_path, csv_name(MARCH), month_csv(QUIRK_CELLS, layout)))

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    assert loaded() == QUIRK_EXPECTED


@functools.cache
def demo_month(quirk: str) -> tuple[str, bytes]:
    from demo.gpad import DEMO_QUIRKS, crosstab_csv_name, demo_gpad_month_csv
    from demo.structure import demo_structure

    month = DEMO_QUIRKS[quirk].month
    return crosstab_csv_name(month), demo_gpad_month_csv(demo_structure(), month)


@pytest.mark.parametrize(
    "quirk",
    ["older_labels", "video_online", "bom", "unknown_data_issue", "lf", "column_order",
     "label_case"],
)  # fmt: skip
def test_each_quirky_month_of_the_demo_data_loads_every_appointment(db, tmp_path, quirk):
    name, data = demo_month(quirk)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))

    batch = load(write(tmp_path, name, data))

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    assert batch.rows_loaded == len(rows)
    assert sum(month_totals().values()) == sum(int(r["COUNT_OF_APPOINTMENTS"]) for r in rows)
