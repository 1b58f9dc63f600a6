"""Bad files get a clear answer within bounded memory: the largest upload, the longest line
and field, what a zip may unzip to, and rows that repeat a key; each refusal names the row
or the zip member, and leaves what was loaded before as it was."""

from __future__ import annotations

import io
import random
import struct
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from metrics.models import BatchStatus, GpadPracticeMonth, ImportBatch
from metrics.models.gpad import GpadCoverage
from metrics.services import import_file
from practices.models import ListSize, Organisation
from tests.api import api_as
from tests.gpad_files import Row, crosstab_write
from tests.pages import page_as

FIXTURES = Path(__file__).parent / "fixtures"
MAPPING = FIXTURES / "Mapping.csv"
LIST_SIZES = FIXTURES / "gp-reg-pat-prac-all-2024-06.csv"
UPLOAD = reverse("metrics:upload")
API_UPLOAD = "/api/v1/import-batches/"

pytestmark = pytest.mark.django_db


def mapping_upload(size: int = 0) -> SimpleUploadedFile:
    """Mapping.csv, padded with blank lines to ``size`` bytes."""
    data = MAPPING.read_bytes()
    return SimpleUploadedFile("Mapping.csv", data + b"\r\n" * ((size - len(data)) // 2))


def mapped() -> None:
    batch = import_file(source="gpad-mapping", path=MAPPING)
    assert batch.status == BatchStatus.SUCCEEDED


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def crosstab_bytes(tmp_path: Path, rows: list[Row]) -> bytes:
    return crosstab_write(tmp_path, rows, name="crosstab.csv").read_bytes()


# --- The largest upload ----------------------------------------------------------------------


def test_the_upload_page_states_the_largest_file_it_takes(client, data_loader, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1024

    html = page_as(client, data_loader, UPLOAD).content.decode()

    assert "exactly as it was published, of up to 1,024 MB." in html


def test_an_upload_past_the_limit_is_refused_as_it_streams(client, data_loader, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 0.25  # 262,144 bytes
    client.force_login(data_loader)

    response = client.post(UPLOAD, {"source": "gpad-mapping", "file": mapping_upload(300_000)})

    text = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in text
    assert "The file is larger than 0.25 MB, the largest file the portal takes" in text
    assert response.wsgi_request.upload_refused  # stopped by the upload handler
    assert "file" not in response.wsgi_request.FILES  # nothing past the limit was kept
    assert not ImportBatch.objects.exists()


def test_an_upload_within_the_limit_is_taken(
    client, data_loader, settings, celery_eager, django_capture_on_commit_callbacks
):
    settings.IMPORT_MAX_UPLOAD_MB = 0.25
    client.force_login(data_loader)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(UPLOAD, {"source": "gpad-mapping", "file": mapping_upload(200_000)})

    assert response.status_code == 302
    assert ImportBatch.objects.get().status == BatchStatus.SUCCEEDED


def test_the_api_refuses_an_upload_past_the_limit_naming_it(tree, data_loader, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 0.25

    response = api_as(data_loader).post(
        API_UPLOAD, {"source": "gpad-mapping", "file": mapping_upload(300_000)}
    )

    assert response.status_code == 400
    assert response.json()["fields"]["file"] == [
        "The file is larger than 0.25 MB, the largest file the portal takes in one upload"
    ]
    assert not ImportBatch.objects.exists()


# --- Lines and fields ------------------------------------------------------------------------


def test_a_line_past_the_limit_refuses_the_file_naming_its_row(tmp_path, settings):
    mapped()
    settings.IMPORT_MAX_LINE_CHARS = 1000
    lines = MAPPING.read_text(encoding="utf-8-sig").splitlines()
    lines.insert(2, "L85009," + "X" * 5000)
    path = tmp_path / "Mapping.csv"
    path.write_text("\r\n".join(lines), encoding="utf-8")

    batch = import_file(source="gpad-mapping", path=path)

    assert batch.status == BatchStatus.FAILED
    assert batch.errors == [
        {
            "row": 3,
            "column": None,
            "message": "the line is longer than 1,000 characters; is this the right file?",
        }
    ]
    assert "Row 3: the line is longer" in batch.outcome
    assert not Organisation.objects.filter(code="L85009").exists()


def test_a_line_just_within_the_limit_is_read(tmp_path, settings):
    settings.IMPORT_MAX_LINE_CHARS = 1000
    text = MAPPING.read_text(encoding="utf-8-sig")
    first = text.splitlines()[1]
    padded = first.replace("BROOKFIELD SURGERY", "BROOKFIELD SURGERY" + " " * (1000 - len(first)))
    path = tmp_path / "Mapping.csv"
    path.write_text(text.replace(first, padded), encoding="utf-8")

    assert import_file(source="gpad-mapping", path=path).status == BatchStatus.SUCCEEDED


def test_a_field_past_the_csv_limit_is_a_row_numbered_refusal(tmp_path):
    lines = LIST_SIZES.read_text().splitlines()
    lines.insert(3, 'GP_PRAC_PAT_LIST,2024-06-01,GP,11X,"' + "9" * 200_000 + '",L85001')
    path = tmp_path / "gp-reg-pat-prac-all.csv"
    path.write_text("\n".join(lines))

    batch = import_file(source="list-sizes", path=path)

    assert batch.status == BatchStatus.FAILED
    [problem] = batch.errors
    assert problem["row"] == 4
    assert problem["message"].startswith("a field is longer than 131,072 characters")


def test_a_huge_field_in_a_gpad_zip_member_is_a_problem_naming_member_and_row(
    tree, tmp_path, settings
):
    """Past the fast reader's block (4 MiB) a row goes to the careful reader, which reads
    no more of it than the limit."""
    settings.IMPORT_MAX_LINE_CHARS = 10_000
    rows = [Row("L85001", 5), Row("L85002", 7)]
    name = random.Random(1).randbytes(3_000_000).hex().encode()  # 6 MB that hardly compress
    data = crosstab_bytes(tmp_path, rows).replace(b"SURGERY L85002", name)
    path = tmp_path / "Practice_Level_Crosstab_Mar_25.zip"
    path.write_bytes(zip_bytes({"Practice_Level_Crosstab_Mar_25.csv": data}))

    batch = import_file(source="gpad", path=path)

    assert batch.status == BatchStatus.FAILED
    assert batch.errors == [
        {
            "row": 3,
            "column": None,
            "message": "the line is longer than 10,000 characters; is this the right file?",
            "file": "Practice_Level_Crosstab_Mar_25.csv",
        }
    ]
    assert not GpadPracticeMonth.objects.exists()


def test_a_huge_first_data_row_in_a_gpad_crosstab_is_a_problem_not_a_crash(
    tree, tmp_path, settings
):
    """The month is read from the first data row before anything else: too long a row
    there was once read whole, then an unhandled csv error."""
    settings.IMPORT_MAX_LINE_CHARS = 10_000
    data = crosstab_bytes(tmp_path, [Row("L85001", 5)]).replace(b"SURGERY", b'"' + b"S" * 200_000)
    path = tmp_path / "Practice_Level_Crosstab_Mar_25.csv"
    path.write_bytes(data)

    batch = import_file(source="gpad", path=path)

    assert batch.status == BatchStatus.FAILED
    assert [(e["row"], e["message"][:30]) for e in batch.errors] == [
        (2, "the line is longer than 10,000")
    ]


# --- Zips ------------------------------------------------------------------------------------


def test_a_zip_member_compressed_past_the_ratio_is_refused_from_its_header(tree, tmp_path):
    path = tmp_path / "Practice_Level_Crosstab_Mar_25.zip"
    path.write_bytes(zip_bytes({"bomb.csv": b"0" * (20 * 1024 * 1024)}))

    batch = import_file(source="gpad", path=path)

    assert batch.status == BatchStatus.FAILED
    [problem] = batch.errors
    assert problem["message"].startswith("bomb.csv would unzip to 20.0 MB from ")
    assert "more than 200:1" in problem["message"] and "zip bomb" in problem["message"]


def test_a_zip_that_unzips_past_the_limit_is_refused_naming_the_member(tree, tmp_path, settings):
    settings.IMPORT_MAX_UNZIPPED_MB = 0.001  # 1,048 bytes
    data = crosstab_bytes(tmp_path, [Row(f"L8500{i}", i) for i in range(1, 9)])
    path = tmp_path / "Practice_Level_Crosstab_Mar_25.zip"
    path.write_bytes(zip_bytes({"Practice_Level_Crosstab_Mar_25.csv": data}))

    batch = import_file(source="gpad", path=path)

    assert batch.status == BatchStatus.FAILED
    assert batch.errors[0]["message"].startswith(
        "Practice_Level_Crosstab_Mar_25.csv: the zip unzips to more than 1,048 bytes"
    )


def test_a_zip_whose_header_understates_a_member_is_refused_as_it_streams(tree, tmp_path):
    """Headers can lie: a member that says it is small is read no further than it says."""
    data = crosstab_bytes(tmp_path, [Row("L85001", 5)]) + b"\r\n" * 3_000_000
    raw = bytearray(zip_bytes({"Practice_Level_Crosstab_Mar_25.csv": data}))
    for header, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        struct.pack_into("<I", raw, raw.find(header) + offset, 2_000)  # uncompressed size
    path = tmp_path / "Practice_Level_Crosstab_Mar_25.zip"
    path.write_bytes(bytes(raw))

    batch = import_file(source="gpad", path=path)

    assert batch.status == BatchStatus.FAILED
    [problem] = batch.errors
    assert problem["message"].startswith(
        "Practice_Level_Crosstab_Mar_25.csv in the zip is damaged and cannot be unzipped"
    )
    assert not GpadPracticeMonth.objects.exists()


def test_a_workbook_that_is_a_zip_bomb_is_refused_before_it_is_opened(tree, tmp_path):
    path = tmp_path / "arrs-allocations.xlsx"
    path.write_bytes(
        zip_bytes({"xl/workbook.xml": b"<", "xl/worksheets/sheet1.xml": b" " * 30_000_000})
    )

    batch = import_file(source="arrs-allocations", path=path)

    assert batch.status == BatchStatus.FAILED
    assert batch.errors[0]["message"].startswith("xl/worksheets/sheet1.xml would unzip to")


# --- Rows that repeat a key ------------------------------------------------------------------


def test_a_list_size_file_naming_a_practice_twice_leaves_the_loaded_month_as_it_was(tmp_path):
    mapped()
    assert import_file(source="list-sizes", path=LIST_SIZES).status == BatchStatus.SUCCEEDED
    before = list(ListSize.objects.values_list("practice__code", "month", "all_patients"))
    lines = LIST_SIZES.read_text().splitlines()
    changed = [lines[0], lines[1].replace("10234", "99999"), *lines[2:], lines[1]]
    path = tmp_path / "gp-reg-pat-prac-all.csv"
    path.write_text("\n".join(changed))

    batch = import_file(source="list-sizes", path=path)

    assert batch.status == BatchStatus.FAILED
    [problem] = batch.errors
    assert problem["row"] == len(changed)
    assert problem["message"].startswith("repeats row 2: practice L85001 in June 2024")
    assert list(ListSize.objects.values_list("practice__code", "month", "all_patients")) == before


COVERAGE_HEADER = (
    "SUB_ICB_LOCATION_CODE,ICB_ONS_CODE,REGION_CODE,Appointment_Month,Included Practices,"
    "Open Practices,Patients registered at included practices,"
    "Patients registered at open practices"
)


def test_a_coverage_file_giving_a_place_and_month_twice_is_refused_naming_both_rows(tmp_path):
    path = tmp_path / "APPOINTMENTS_GP_COVERAGE.csv"
    row = "11X,E54000038,E40000006,01MAR2025,{n},60,500000,520000"
    path.write_text("\n".join([COVERAGE_HEADER, row.format(n=58), row.format(n=59)]))

    batch = import_file(source="gpad-coverage", path=path)

    assert batch.status == BatchStatus.FAILED
    assert [(e["row"], e["message"]) for e in batch.errors] == [
        (3, "repeats row 2: sub-ICB location 11X in March 2025")
    ]
    assert not GpadCoverage.objects.exists()


def test_an_ods_report_with_a_line_past_the_limit_is_refused_naming_its_row(tmp_path, settings):
    settings.IMPORT_MAX_LINE_CHARS = 1000
    lines = (FIXTURES / "epcn.csv").read_text().splitlines()
    lines.insert(1, '"U60009","' + "X" * 2000 + '"')
    path = tmp_path / "epcn.csv"
    path.write_text("\n".join(lines))

    batch = import_file(source="ods-pcns", path=path)

    assert batch.status == BatchStatus.FAILED
    assert [(e["row"], e["message"][:30]) for e in batch.errors] == [
        (2, "the line is longer than 1,000 ")
    ]


def test_an_ods_zip_holding_a_bomb_is_refused_before_it_is_unzipped(tmp_path):
    path = tmp_path / "epraccur.zip"
    path.write_bytes(zip_bytes({"epraccur.csv": b"0" * (20 * 1024 * 1024)}))

    batch = import_file(source="ods-practices", path=path)

    assert batch.status == BatchStatus.FAILED
    assert batch.errors[0]["message"].startswith("epraccur.csv would unzip to 20.0 MB")


def test_a_refused_file_whose_message_quotes_a_nul_is_still_recorded(tmp_path):
    """PostgreSQL text cannot hold NUL: a refusal quoting one (the fuzz test found it through
    an ODS file's first cell) shows it as \\x00 rather than fail to save the batch."""
    from metrics.services import import_file

    path = tmp_path / "epraccur.csv"
    path.write_bytes(b"\x00Y\x00,NAME\r\n")

    batch = import_file(source="ods-practices", path=path)

    assert batch.status == "failed" and "\x00" not in batch.outcome
    assert all("\x00" not in (error["message"] or "") for error in batch.errors)
