"""GPAD through every door: the ``ingest`` command (run now and queued), the upload page,
then the pages that read what was loaded, and an ODS membership file re-rolling the months
GPAD loaded. Every figure below is worked out by hand from the cells written."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.models import Role, RoleAssignment
from metrics.models import (
    AppointmentCount,
    BatchStatus,
    GpadPracticeMonth,
    ImportBatch,
    ImportFile,
    MeasureValue,
)
from metrics.services import import_file
from metrics.tests.test_gpad_import import (
    APRIL,
    MAPPING_HEADER,
    MARCH,
    PUBLISHED,
    Cell,
    Layout,
    crosstab_bytes,
    csv_name,
    month_csv,
    practice_cells,
    zip_of,
)
from practices.models import Membership, Organisation, OrgKind
from tests.factories import UserFactory, user_with_role
from tests.pages import visible_text

pytestmark = pytest.mark.django_db

ZIP_NAME = "Practice_Level_Crosstab_Mar_25.zip"
SOMERSET = ("11X", "NHS SOMERSET ICB - 11X", "QSL", "NHS SOMERSET INTEGRATED CARE BOARD")
BSW = ("92G", "NHS BSW ICB - 92G", "QOX", "NHS BATH AND NORTH EAST SOMERSET ICB")
# Mapping.csv: practice, name, PCN, PCN name, and its place and ICB. J99001 is in the ICB
# next door, so England and the South West region hold more than QSL.
MAPPING_ROWS = [
    ("L85001", "BROOKFIELD SURGERY", "U00001", "LEVELMOOR PCN", SOMERSET),
    ("L85002", "THE OLD MILL MEDICAL PRACTICE", "U00001", "LEVELMOOR PCN", SOMERSET),
    ("L85003", "HILLSIDE HEALTH CENTRE", "U00002", "RIVERSIDE PCN", SOMERSET),
    ("J99001", "FAR AWAY SURGERY", "U99999", "ELSEWHERE PCN", BSW),
]


def mapping_bytes(rows=MAPPING_ROWS) -> bytes:
    lines = [
        [code, name, "EMIS", pcn, pcn_name, place, place_name, icb, icb_name, "Y58", "SOUTH WEST"]
        for code, name, pcn, pcn_name, (place, place_name, icb, icb_name) in rows
    ]
    return crosstab_bytes(lines, Layout(header=MAPPING_HEADER, newline="\r\n"))


def month_cells(month: dt.date) -> list[Cell]:
    """Per practice: a same-day routine row and a DNA triage row of 1 (practice_cells);
    L85002 also has 100 Unmapped appointments; J99001 reports in 92G."""
    return [
        *practice_cells(month, {"L85001": 500, "L85002": 299, "L85003": 200}),
        Cell("L85002", 100, month=month, category="Unmapped", band="1 Day"),
        Cell("J99001", 150, month=month, pcn="U99999", place="92G"),
    ]


# Hand sums of month_cells: L85001 500 + 1; L85002 299 + 1 + 100; L85003 200 + 1.
PRACTICE_TOTALS = {"L85001": 501, "L85002": 400, "L85003": 201, "J99001": 150}
EXPECTED_TOTALS = {
    **PRACTICE_TOTALS,
    "U00001": 501 + 400,
    "U00002": 201,
    "U99999": 150,
    "11X": 501 + 400 + 201,
    "QSL": 501 + 400 + 201,
    "92G": 150,
    "QOX": 150,
    "Y58": 501 + 400 + 201 + 150,
    "ENG": 501 + 400 + 201 + 150,  # no list sizes loaded: nobody is judged incomplete
}


def gpad_zip(folder: Path) -> Path:
    """The March zip: one month's crosstab and Mapping.csv."""
    members = {csv_name(MARCH): month_csv(month_cells(MARCH)), "Mapping.csv": mapping_bytes()}
    return zip_of(folder, ZIP_NAME, members)


def totals(month: dt.date = MARCH) -> dict[str, float]:
    values = MeasureValue.objects.filter(measure_id="appointments_total", period=month)
    return dict(values.values_list("org__code", "numerator"))


def total_of(code: str, month: dt.date) -> float:
    return MeasureValue.objects.get(
        measure_id="appointments_total", org__code=code, period=month
    ).numerator


def ingest(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("ingest", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- The ingest command --------------------------------------------------------------------


def test_the_ingest_command_loads_a_zip_with_mapping_into_an_empty_database(tmp_path):
    path = gpad_zip(tmp_path)

    out, err = ingest("gpad", str(path))

    batch = ImportBatch.objects.get()
    assert batch.source == "gpad" and batch.status == BatchStatus.SUCCEEDED, batch.errors
    assert out.startswith(f"Batch {batch.pk} {ZIP_NAME}: Loaded ")
    assert err == ""
    assert totals() == EXPECTED_TOTALS
    names = dict(Organisation.objects.values_list("code", "name"))
    assert names["L85001"] == "Brookfield Surgery" and names["U00001"] == "Levelmoor PCN"
    assert names["QSL"] == "NHS Somerset Integrated Care Board"
    assert names["J99001"] == "Far Away Surgery" and names["L85003"] == "Hillside Health Centre"


def test_running_the_ingest_command_again_on_the_same_zip_changes_nothing(tmp_path):
    path = gpad_zip(tmp_path)
    ingest("gpad", str(path))
    loader = UserFactory(username="loader")  # the command loads as this person, checked as them
    england, _ = Organisation.objects.get_or_create(kind=OrgKind.ENGLAND, code="ENG")
    RoleAssignment.objects.create(user=loader, role=Role.NATIONAL_DATA, organisation=england)

    out, err = ingest("gpad", str(path), "--user", "loader")

    again = ImportBatch.objects.latest("pk")
    assert again.status == BatchStatus.UNCHANGED and again.created_by == loader
    assert out.startswith(f"Batch {again.pk} {ZIP_NAME}: Nothing changed") and err == ""
    assert totals() == EXPECTED_TOTALS
    assert sum(AppointmentCount.objects.values_list("count", flat=True)) == 501 + 400 + 201 + 150


def test_a_practice_with_no_list_size_counts_in_england_and_one_that_records_little_does_not(
    tmp_path,
):
    ingest("gpad", str(gpad_zip(tmp_path)))
    sizes = tmp_path / "gp-reg-pat-prac-all.csv"
    header = (
        "PUBLICATION,EXTRACT_DATE,TYPE,SUB_ICB_LOCATION_CODE,ONS_SUB_ICB_LOCATION_CODE,CODE,"
        "POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS"
    )
    # L85003: 201 x 12 = 2,412 a year for 3,000 patients: incomplete. L85001: 6,012 >= 6,000.
    lines = [
        f"GP_PRAC_PAT_LIST,2025-03-01,GP,11X,E38000150,{code},TA1 2LB,ALL,ALL,{patients}"
        for code, patients in (("L85001", 6000), ("L85003", 3000))
    ]
    sizes.write_text("\r\n".join([header, *lines, ""]))

    ingest("list-sizes", str(sizes))

    # L85002 and J99001 have no list size, so they still count; L85003 drops out of England.
    assert total_of("ENG", MARCH) == 501 + 400 + 150
    assert total_of("QSL", MARCH) == 501 + 400 + 201


def test_the_ingest_command_names_the_bad_row_and_column_and_writes_nothing(tmp_path):
    cells: list[Cell | list[str]] = list(month_cells(MARCH))
    broken = PUBLISHED.fields(cells[2])  # L85002's first cell: the file's row 4
    broken[PUBLISHED.header.index("COUNT_OF_APPOINTMENTS")] = "12a"
    cells[2] = broken
    members = {csv_name(MARCH): crosstab_bytes(cells), "Mapping.csv": mapping_bytes()}
    path = zip_of(tmp_path, ZIP_NAME, members)

    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match=r"^1 of 1 file\(s\) were not loaded\.$"):
        call_command("ingest", "gpad", str(path), stdout=out, stderr=err)

    batch = ImportBatch.objects.get()
    assert out.getvalue() == (
        f"Batch {batch.pk} {ZIP_NAME}: Nothing was loaded: 1 problem(s) in 1 row. "
        "Correct the file and load it again.\n"
    )
    assert err.getvalue() == (
        f"  {csv_name(MARCH)}, row 4, column COUNT_OF_APPOINTMENTS: '12a' is not a whole "
        "number of zero or more\n"
    )
    assert batch.status == BatchStatus.FAILED and batch.rows_loaded == 0
    assert not AppointmentCount.objects.exists() and not GpadPracticeMonth.objects.exists()
    assert not MeasureValue.objects.exists() and not ImportFile.objects.exists()
    # Mapping.csv is applied in the same transaction, so it is rolled back with the rows.
    assert not Organisation.objects.exists() and not Membership.objects.exists()


def test_the_ingest_command_refuses_a_file_that_is_not_there(tmp_path):
    with pytest.raises(CommandError, match="No such file: .*missing.zip"):
        ingest("gpad", str(tmp_path / "missing.zip"))

    assert not ImportBatch.objects.exists()


def test_the_ingest_command_queues_the_load_with_async(
    tmp_path, celery_eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        out, _ = ingest("gpad", str(gpad_zip(tmp_path)), "--async")

    batch = ImportBatch.objects.get()
    assert out == f"Queued batch {batch.pk} for {ZIP_NAME}\n"
    batch.refresh_from_db()
    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    assert totals() == EXPECTED_TOTALS


# --- The upload page ------------------------------------------------------------------------

UPLOAD = reverse("metrics:upload")


def zip_upload(folder: Path) -> SimpleUploadedFile:
    path = gpad_zip(folder)
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="application/zip")


def test_a_data_loader_uploads_a_gpad_zip_and_the_figures_land(
    client, data_loader, tmp_path, celery_eager, django_capture_on_commit_callbacks
):
    client.force_login(data_loader)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(UPLOAD, {"source": "gpad", "file": zip_upload(tmp_path)})

    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("metrics:batch", args=[batch.pk])
    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    assert batch.source == "gpad" and batch.created_by == data_loader
    assert (batch.period_start, batch.period_end) == (MARCH, MARCH)
    # The tree's published memberships outrank Mapping.csv's snapshot (the same PCNs here).
    found = totals()
    assert {code: found[code] for code in ("L85001", "L85002", "U00001", "U00002", "QSL")} == {
        "L85001": 501,
        "L85002": 400,
        "U00001": 901,
        "U00002": 201,
        "QSL": 1102,
    }
    assert "Status: Loaded" in visible_text(client.get(response["Location"]))


@pytest.mark.parametrize("role", ["pcn_manager", "board_member"])
def test_someone_who_may_not_load_data_is_refused_and_nothing_lands(
    client, request, role, tmp_path, celery_eager, django_capture_on_commit_callbacks
):
    client.force_login(request.getfixturevalue(role))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(UPLOAD, {"source": "gpad", "file": zip_upload(tmp_path)})

    assert response.status_code == 403
    assert not ImportBatch.objects.exists() and not AppointmentCount.objects.exists()


def test_an_anonymous_upload_is_sent_to_sign_in_and_nothing_lands(client, tmp_path, db):
    response = client.post(UPLOAD, {"source": "gpad", "file": zip_upload(tmp_path)})

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not ImportBatch.objects.exists() and not AppointmentCount.objects.exists()


# --- The pages, after one zip loaded into an empty database ---------------------------------


@pytest.fixture
def loaded_alone(client, tmp_path):
    """One zip with Mapping.csv loaded into an empty database, and an ICB manager of the ICB
    it created signed in."""
    batch = import_file(source="gpad", path=gpad_zip(tmp_path))
    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    manager = user_with_role(Role.ICB_MANAGER, Organisation.objects.get(code="QSL"))
    client.force_login(manager)
    return client


def test_the_practice_page_shows_the_loaded_practice_and_its_appointments(loaded_alone):
    response = loaded_alone.get(reverse("practices:practice", args=["L85002"]))

    assert response.status_code == 200
    text = visible_text(response)
    access = text.split("Access measures for The Old Mill Medical Practice, Mar 2025")[1]
    assert "Levelmoor PCN" in text
    assert "Value 400 Change on last year" in access
    # Same day: 299 + 1 of 400 (the Unmapped 100 were booked a day ahead).
    assert "Value 75.0%" in access
    # The ICB next door's practice, placed there by Mapping.csv, is not this manager's to read.
    assert loaded_alone.get(reverse("practices:practice", args=["J99001"])).status_code == 403


def test_the_pcn_page_shows_the_loaded_pcn_its_practices_and_their_sum(loaded_alone):
    response = loaded_alone.get(reverse("pcns:detail", args=["U00001"]))

    assert response.status_code == 200
    text = visible_text(response)
    assert "Brookfield Surgery" in text and "The Old Mill Medical Practice" in text
    assert "Hillside Health Centre" not in text
    access = text.split("Access measures for Levelmoor PCN, Mar 2025")[1]
    assert "Value 901 Change on last year" in access


def test_the_icb_access_page_has_a_row_for_each_loaded_pcn_and_practice(loaded_alone):
    response = loaded_alone.get(reverse("metrics:access"))

    assert response.status_code == 200
    text = visible_text(response)
    assert "Access: GP appointments, Mar 2025" in text
    assert "PCN Levelmoor PCN (U00001) Appointments 901" in text
    assert "PCN Riverside PCN (U00002) Appointments 201" in text
    assert "Practice Brookfield Surgery (L85001) PCN Levelmoor PCN Appointments 501" in text
    assert "NHS Somerset Integrated Care Board (QSL) Appointments 1,102" in text
    assert "England (national) Appointments 1,252" in text
    assert "Far Away Surgery" not in text


def test_the_data_quality_page_counts_the_loaded_practices_and_their_unmapped_share(
    loaded_alone,
):
    response = loaded_alone.get(reverse("metrics:data_quality"))

    assert response.status_code == 200
    text = visible_text(response)
    assert "Data quality: GP appointments, Mar 2025" in text
    assert "Open practices that recorded appointments 3 (100.0%)" in text
    table = text.split("Unmapped share by practice")[1]
    # L85002: 100 Unmapped of 400 is 25.0%; it is listed first, the worst.
    assert table.index("The Old Mill Medical Practice") < table.index("Brookfield Surgery")
    assert (
        "The Old Mill Medical Practice (L85002) Appointments 400 "
        "Unmapped or inconsistently mapped 100 Share unmapped 25.0%"
    ) in table
    assert "Far Away Surgery" not in text


# --- An ODS membership file moves a practice: the months after are rolled up again ---------

PARTNER_LINE = (
    '"{practice}","{name}","11X","NHS SOMERSET ICB - 11X","{pcn}","{pcn_name}","11X",'
    '"NHS SOMERSET ICB - 11X","{start}","{end}","Y"'
)


def partners_csv(folder: Path) -> Path:
    """epcncorepartnerdetails: L85002 left Levelmoor PCN on 31 March 2025 for Riverside."""
    rows = [
        ("L85001", "BROOKFIELD SURGERY", "U00001", "LEVELMOOR PCN", "20190701", ""),
        ("L85002", "THE OLD MILL MEDICAL PRACTICE", "U00001", "LEVELMOOR PCN", "20190701",
         "20250331"),
        ("L85002", "THE OLD MILL MEDICAL PRACTICE", "U00002", "RIVERSIDE PCN", "20250401", ""),
        ("L85003", "HILLSIDE HEALTH CENTRE", "U00002", "RIVERSIDE PCN", "20190701", ""),
    ]  # fmt: skip
    lines = [
        PARTNER_LINE.format(practice=p, name=n, pcn=c, pcn_name=cn, start=s, end=e)
        for p, n, c, cn, s, e in rows
    ]
    path = folder / "epcncorepartnerdetails.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    return path


def test_an_ods_file_moving_a_practice_rerolls_the_pcn_figures_from_the_move(tmp_path):
    # GPAD still reports L85002 in Levelmoor in April (reported_pcn), as does Mapping.csv.
    members = {
        csv_name(MARCH): month_csv(month_cells(MARCH)),
        csv_name(APRIL): month_csv(month_cells(APRIL)),
        "Mapping.csv": mapping_bytes(),
    }
    loaded = import_file(
        source="gpad", path=zip_of(tmp_path, "Practice_Level_Crosstab_Apr_25.zip", members)
    )
    assert loaded.status == BatchStatus.SUCCEEDED, loaded.errors
    assert (total_of("U00001", APRIL), total_of("U00002", APRIL)) == (901, 201)

    moved = import_file(source="ods-pcn-members", path=partners_csv(tmp_path))

    assert moved.status == BatchStatus.SUCCEEDED, moved.errors
    # March, before the move: as it was.
    assert (total_of("U00001", MARCH), total_of("U00002", MARCH)) == (501 + 400, 201)
    # April, after it: L85002's 400 appointments go with it to Riverside.
    assert (total_of("U00001", APRIL), total_of("U00002", APRIL)) == (501, 201 + 400)
    assert total_of("L85002", APRIL) == 400
    assert total_of("QSL", APRIL) == total_of("QSL", MARCH) == 1102
