"""GPAD as NHS England publishes it: the national Mapping.csv of August 2025 and one
practice's rows of that month's crosstab, read in place from the real-data folder.

Every figure asserted is first worked out from the file itself with the csv module; the
figures quoted in the README are asserted beside them.
"""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from django.db.models import Sum

from core.presenters import problem
from metrics.models import AppointmentCount, BatchStatus, GpadPracticeMonth, ImportBatch
from metrics.models.gpad import NO_PCN, GpadCoverage
from metrics.services import import_file
from practices.models import Membership, Organisation, OrgKind, Relation
from tests.real_data import real_file

pytestmark = pytest.mark.django_db

MAPPING = "gpad/Mapping_Aug_25.csv"
CROSSTAB = "gpad/Practice_Level_Crosstab_Aug_25_Y02960.csv"
# The names the two files have inside the published zip.
CROSSTAB_MEMBER = "Practice_Level_Crosstab_Aug_25.csv"
AUGUST = dt.date(2025, 8, 1)


def rows_of(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def published_zip(folder: Path, crosstab: bytes | None = None, mapping: bytes | None = None):
    """The August 2025 zip as published: the crosstab and Mapping.csv under their own names."""
    path = folder / "Practice_Level_Crosstab_Aug_25.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(CROSSTAB_MEMBER, crosstab or real_file(CROSSTAB).read_bytes())
        archive.writestr("Mapping.csv", mapping or real_file(MAPPING).read_bytes())
    return path


def load(source: str, path: Path) -> ImportBatch:
    return import_file(source=source, path=path)


def appointments(**where) -> int:
    found = AppointmentCount.objects.filter(month=AUGUST, **where).aggregate(total=Sum("count"))
    return found["total"] or 0


def test_the_published_files_are_crlf_without_a_bom():
    for name in (MAPPING, CROSSTAB):
        data = real_file(name).read_bytes()
        assert not data.startswith(b"\xef\xbb\xbf")
        assert data.count(b"\r\n") == data.count(b"\n")


def test_the_national_mapping_gives_every_practice_icb_and_place_it_names():
    rows = rows_of(real_file(MAPPING))

    batch = load("gpad-mapping", real_file(MAPPING))

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    assert batch.rows_read == batch.rows_loaded == len(rows) == 6196
    practices = {r["GP_CODE"] for r in rows}
    assert f"6,196 rows name {len(practices):,} practices" in " ".join(batch.notes)
    codes = {
        kind: set(Organisation.objects.filter(kind=kind).values_list("code", flat=True))
        for kind in (OrgKind.PRACTICE, OrgKind.ICB, OrgKind.SUB_ICB, OrgKind.REGION)
    }
    assert codes[OrgKind.PRACTICE] == {r["GP_CODE"] for r in rows}
    assert codes[OrgKind.ICB] == {r["ICB_CODE"] for r in rows}
    assert len(codes[OrgKind.ICB]) == 42
    assert codes[OrgKind.SUB_ICB] == {r["SUB_ICB_LOCATION_CODE"] for r in rows}
    assert (
        codes[OrgKind.REGION]
        == {r["REGION_CODE"] for r in rows}
        == {f"Y{n}" for n in range(56, 64) if n != 57}
    )


def test_a_five_character_place_keeps_its_practices_and_its_icb():
    rows = [r for r in rows_of(real_file(MAPPING)) if r["SUB_ICB_LOCATION_CODE"] == "W2U3Z"]
    assert rows

    load("gpad-mapping", real_file(MAPPING))

    place = Organisation.objects.get(kind=OrgKind.SUB_ICB, code="W2U3Z")
    members = Membership.objects.filter(parent=place, relation=Relation.PRACTICE_SUB_ICB)
    assert set(members.values_list("child__code", flat=True)) == {r["GP_CODE"] for r in rows}
    icb = Membership.objects.get(child=place, relation=Relation.SUB_ICB_ICB).parent
    assert {icb.code} == {r["ICB_CODE"] for r in rows}


def test_practices_published_as_u_unallocated_are_in_no_pcn():
    rows = rows_of(real_file(MAPPING))
    unallocated = {r["GP_CODE"] for r in rows if r["PCN_CODE"] == "U"}
    assert unallocated and {r["PCN_NAME"] for r in rows if r["PCN_CODE"] == "U"} == {"UNALLOCATED"}

    load("gpad-mapping", real_file(MAPPING))

    in_pcn = set(
        Membership.objects.filter(relation=Relation.PRACTICE_PCN).values_list(
            "child__code", flat=True
        )
    )
    assert in_pcn == {r["GP_CODE"] for r in rows} - unallocated
    batch = ImportBatch.objects.get(source="gpad-mapping")
    assert f"{len(unallocated):,} practices are published in no PCN" in " ".join(batch.notes)
    assert not Organisation.objects.filter(code__in=["U", "UNALLOCATED"]).exists()


def test_the_august_zip_gives_the_practice_its_appointments_dna_and_same_day(tmp_path):
    rows = rows_of(real_file(CROSSTAB))
    total = sum(int(r["COUNT_OF_APPOINTMENTS"]) for r in rows)
    dna = sum(int(r["COUNT_OF_APPOINTMENTS"]) for r in rows if r["APPT_STATUS"] == "DNA")
    same_day = sum(
        int(r["COUNT_OF_APPOINTMENTS"])
        for r in rows
        if r["TIME_BETWEEN_BOOK_AND_APPT"] == "Same Day"
    )

    batch = load("gpad", published_zip(tmp_path))

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    assert batch.rows_read == batch.rows_loaded == len(rows) == 89
    assert (total, dna, same_day) == (2644, 144, 1724)
    assert appointments(practice__code="Y02960") == total
    assert appointments(practice__code="Y02960", status__key="dna") == dna
    assert appointments(practice__code="Y02960", booking_band__key="same_day") == same_day
    month = GpadPracticeMonth.objects.get(practice__code="Y02960", month=AUGUST)
    assert (month.appointments, month.pcn_code, month.sub_icb_code) == (total, "U07506", "14L")


def test_the_zip_says_what_it_read_from_each_of_its_files(tmp_path):
    mapping_rows = len(rows_of(real_file(MAPPING)))
    crosstab_rows = len(rows_of(real_file(CROSSTAB)))

    batch = load("gpad", published_zip(tmp_path))

    notes = " | ".join(batch.notes)
    assert f"Mapping.csv: {mapping_rows:,} rows read" in notes
    assert f"{CROSSTAB_MEMBER}: {crosstab_rows:,} rows read for Aug 2025" in notes


def test_a_practice_in_no_pcn_in_the_crosstab_rows_is_recorded_as_in_no_pcn(tmp_path):
    text = real_file(CROSSTAB).read_text(encoding="utf-8")
    unallocated = text.replace(",U07506,ARDWICK AND LONGSIGHT PCN,", ",U,UNALLOCATED,")
    assert unallocated != text

    batch = load("gpad", published_zip(tmp_path, crosstab=unallocated.encode()))

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    month = GpadPracticeMonth.objects.get(practice__code="Y02960", month=AUGUST)
    assert month.pcn_code == NO_PCN


def test_a_problem_in_the_zips_mapping_csv_names_the_member_row_and_column(tmp_path):
    lines = real_file(MAPPING).read_bytes().split(b"\r\n")
    fields = lines[218].split(b",")  # row 219 as a spreadsheet numbers it
    fields[3] = b"U0750"
    lines[218] = b",".join(fields)

    batch = load("gpad", published_zip(tmp_path, mapping=b"\r\n".join(lines)))

    assert batch.status == BatchStatus.FAILED
    assert [(e["file"], e["row"], e["column"]) for e in batch.errors] == [
        ("Mapping.csv", 219, "PCN_CODE")
    ]
    assert problem(batch.errors[0]).startswith("Mapping.csv, row 219, column PCN_CODE: 'U0750'")
    assert not AppointmentCount.objects.exists()


def test_a_crosstab_whose_rows_repeat_is_refused_naming_them_and_leaves_the_month(tmp_path):
    data = real_file(CROSSTAB).read_bytes()
    first = load("gpad", published_zip(tmp_path))
    body = data.split(b"\r\n", 1)[1]
    repeated = data + body  # every row twice: rows 91 to 179 repeat rows 2 to 90
    rows = len(rows_of(real_file(CROSSTAB)))

    again = load("gpad", published_zip(tmp_path, crosstab=repeated))

    assert first.status == BatchStatus.SUCCEEDED
    assert again.status == BatchStatus.FAILED
    found = {(e["file"], e["row"]) for e in again.errors}
    assert found == {(CROSSTAB_MEMBER, rows + 1 + n) for n in range(1, rows + 1)}
    assert "repeats row 2 " in again.errors[0]["message"]
    assert appointments(practice__code="Y02960") == sum(
        int(r["COUNT_OF_APPOINTMENTS"]) for r in rows_of(real_file(CROSSTAB))
    )
    assert set(AppointmentCount.objects.values_list("batch_id", flat=True)) == {first.pk}


def test_a_practice_that_changed_system_has_a_set_of_rows_per_supplier_and_all_count(tmp_path):
    """Mapping.csv lists such a practice once per supplier; its crosstab rows differ only in
    SUPPLIER, and both sets are appointments."""
    data = real_file(CROSSTAB).read_bytes()
    body = data.split(b"\r\n", 1)[1]
    both = data + body.replace(b",EMIS,", b",EMIS/EVERGREENLIFE,")
    total = sum(int(r["COUNT_OF_APPOINTMENTS"]) for r in rows_of(real_file(CROSSTAB)))

    batch = load("gpad", published_zip(tmp_path, crosstab=both))

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    assert appointments(practice__code="Y02960") == 2 * total


def test_suppliers_and_names_are_as_published():
    rows = rows_of(real_file(MAPPING))
    suppliers = Counter(r["SUPPLIER"] for r in rows)
    assert "EMIS/EVERGREENLIFE" in suppliers

    load("gpad-mapping", real_file(MAPPING))

    sample = next(r for r in rows if r["SUB_ICB_LOCATION_CODE"] == "14L")
    place = Organisation.objects.get(kind=OrgKind.SUB_ICB, code="14L")
    assert place.name == sample["SUB_ICB_LOCATION_NAME"] == "NHS Greater Manchester ICB - 14L"


COVERAGE = "gpad/APPOINTMENTS_GP_COVERAGE_feb2023-jul2025.csv"


def test_the_coverage_file_gives_each_place_and_month_its_included_and_open_practices():
    rows = rows_of(real_file(COVERAGE))

    batch = load("gpad-coverage", real_file(COVERAGE))

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    assert GpadCoverage.objects.count() == len(rows) == 3180
    july = [r for r in rows if r["Appointment_Month"] == "01JUL2025"]
    stored = GpadCoverage.objects.filter(month=dt.date(2025, 7, 1))
    assert stored.aggregate(n=Sum("included_practices"))["n"] == sum(
        int(r["Included Practices"]) for r in july
    )
    assert stored.aggregate(n=Sum("open_patients"))["n"] == sum(
        int(r["Patients registered at open practices"]) for r in july
    )
    five = GpadCoverage.objects.get(sub_icb_code="W2U3Z", month=dt.date(2025, 7, 1))
    (source,) = [r for r in july if r["SUB_ICB_LOCATION_CODE"] == "W2U3Z"]
    assert (five.included_practices, five.open_practices) == (
        int(source["Included Practices"]),
        int(source["Open Practices"]),
    )
    assert (batch.period_start, batch.period_end) == (dt.date(2023, 2, 1), dt.date(2025, 7, 1))


def test_a_damaged_coverage_row_is_refused_by_row_and_column_and_a_month_reloads(tmp_path):
    text = real_file(COVERAGE).read_text(encoding="utf-8")
    lines = text.split("\n")
    damaged = tmp_path / "APPOINTMENTS_GP_COVERAGE_damaged.csv"
    fields = lines[4].split(",")
    fields[4] = "many"
    damaged.write_text("\n".join([*lines[:4], ",".join(fields), *lines[5:]]), encoding="utf-8")
    one_month = tmp_path / "APPOINTMENTS_GP_COVERAGE_jul2025.csv"
    one_month.write_text(
        "\n".join([lines[0], *[line for line in lines if ",01JUL2025," in line]]) + "\n"
    )

    refused = load("gpad-coverage", damaged)
    first = load("gpad-coverage", real_file(COVERAGE))
    again = load("gpad-coverage", one_month)

    assert refused.status == BatchStatus.FAILED
    assert [(e["row"], e["column"]) for e in refused.errors] == [(5, "Included Practices")]
    assert first.status == again.status == BatchStatus.SUCCEEDED
    assert GpadCoverage.objects.count() == 3180
    assert GpadCoverage.objects.filter(batch=again).count() == len(
        [line for line in lines if ",01JUL2025," in line]
    )
