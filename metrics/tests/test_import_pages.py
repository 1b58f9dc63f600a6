"""The imports list, the upload page and the batch page, through the test client."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from metrics.models import BatchStatus, ImportBatch
from practices.models import Organisation
from tests import pages
from tests.pages import page_as, visible_text

MAPPING = Path(__file__).parent / "fixtures" / "Mapping.csv"
UPLOAD = reverse("metrics:upload")
IMPORTS = reverse("metrics:imports")


@pytest.fixture
def batch(icb_manager):
    return ImportBatch.objects.create(
        source="gpad-mapping",
        file_name="Mapping.csv",
        file_size=2048,
        created_by=icb_manager,
        status=BatchStatus.RUNNING,
        progress=40,
    )


def mapping_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("Mapping.csv", MAPPING.read_bytes(), content_type="text/csv")


# Imports are for ICB managers (and staff); loading data is for ICB managers only.
SEE_IMPORTS = {
    "anonymous": 302,
    "icb_manager": 200,
    "pcn_manager": 403,
    "board_member": 403,
    "no_role": 403,
    "other_icb": 200,
}


@pytest.mark.parametrize("page", ["imports", "upload", "batch", "status"])
@pytest.mark.parametrize("role", pages.ROLES)
def test_who_may_open_the_import_pages(client, request, tree, batch, role, page):
    url = {
        "imports": IMPORTS,
        "upload": UPLOAD,
        "batch": reverse("metrics:batch", args=[batch.pk]),
        "status": reverse("metrics:batch_status", args=[batch.pk]),
    }[page]

    response = page_as(client, pages.user_for(request, role), url)

    assert response.status_code == SEE_IMPORTS[role]


def test_staff_see_the_imports_and_upload_national_files_only(client, staff_admin):
    assert page_as(client, staff_admin, IMPORTS).status_code == 200
    html = client.get(UPLOAD).content.decode()
    assert 'value="gpad-mapping"' in html and 'value="arrs-allocations"' not in html


def test_an_icb_manager_may_not_load_a_national_file(client, icb_manager):
    """Every ICB's figures read the national files: an ICB manager without the national
    data role is neither offered them nor able to post one."""
    html = page_as(client, icb_manager, UPLOAD).content.decode()
    assert 'value="arrs-allocations"' in html and 'value="gpad-mapping"' not in html

    response = client.post(UPLOAD, {"source": "gpad-mapping", "file": mapping_upload()})

    assert response.status_code == 400
    assert "Select one of the listed kinds of file" in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("role", ["board_member", "pcn_manager"])
def test_board_members_and_pcn_managers_cannot_upload(client, request, role, tree):
    client.force_login(request.getfixturevalue(role))

    response = client.post(UPLOAD, {"source": "gpad-mapping", "file": mapping_upload()})

    assert response.status_code == 403
    assert not ImportBatch.objects.exists()


def test_everyone_who_sees_the_imports_may_upload_something(client, icb_manager, staff_admin):
    assert UPLOAD in page_as(client, icb_manager, IMPORTS).content.decode()
    assert UPLOAD in page_as(client, staff_admin, IMPORTS).content.decode()


def test_a_data_loader_uploads_a_mapping_file_and_sees_it_loaded(
    client, data_loader, celery_eager, django_capture_on_commit_callbacks
):
    client.force_login(data_loader)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(UPLOAD, {"source": "gpad-mapping", "file": mapping_upload()})

    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("metrics:batch", args=[batch.pk])
    assert batch.status == BatchStatus.SUCCEEDED and batch.created_by == data_loader
    assert Organisation.objects.filter(code="L85003", name="Hillside Health Centre").exists()
    text = visible_text(client.get(response["Location"]))
    assert "Status: Loaded" in text and "Loaded 3 rows" in text
    assert "Rows loaded 3" in text and "Loaded by data.loader" in text


def test_the_upload_page_offers_every_registered_source(client, data_loader):
    from imports.registry import all_sources

    html = page_as(client, data_loader, UPLOAD).content.decode()

    for source in all_sources():
        assert f'value="{source.code}"' in html
    assert 'enctype="multipart/form-data"' in html and 'type="file"' in html


def test_uploading_without_a_file_says_to_choose_one(client, icb_manager):
    client.force_login(icb_manager)

    response = client.post(UPLOAD, {"source": "gpad-mapping"})

    text = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in text and "Choose the file to load" in text
    assert "<title>Error: Upload a file – Access Portal – NHS</title>" in text
    assert not ImportBatch.objects.exists()


def test_uploading_for_an_unknown_source_is_refused(client, icb_manager):
    client.force_login(icb_manager)

    response = client.post(UPLOAD, {"source": "no-such-source", "file": mapping_upload()})

    assert response.status_code == 400
    assert "Select one of the listed kinds of file" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_running_batch_shows_progress_and_refreshes_without_javascript(
    client, icb_manager, batch
):
    response = page_as(client, icb_manager, reverse("metrics:batch", args=[batch.pk]))

    html = response.content.decode()
    assert '<progress class="app-progress" id="batch-progress" max="100" value="40">' in html
    assert '<meta http-equiv="refresh" content="3">' in html
    assert re.search(r"/static/js/progress\.[0-9a-f]{12}\.js", html)
    assert reverse("metrics:batch_status", args=[batch.pk]) in html
    assert "Status: Running" in visible_text(response)


def test_a_finished_batch_neither_refreshes_nor_polls(client, icb_manager, batch):
    batch.status, batch.progress = BatchStatus.SUCCEEDED, 100
    batch.save()

    html = page_as(client, icb_manager, reverse("metrics:batch", args=[batch.pk])).content.decode()

    assert 'http-equiv="refresh"' not in html and "js/progress.js" not in html


def test_the_status_json_says_how_far_a_batch_has_got(client, icb_manager, batch):
    response = page_as(client, icb_manager, reverse("metrics:batch_status", args=[batch.pk]))

    assert response.json() == {
        "status": "running",
        "label": "Running",
        "progress": 40,
        "outcome": "",
        "finished": False,
    }


def test_a_failed_batch_lists_its_problems_by_row_and_column(client, icb_manager, batch):
    batch.status, batch.outcome = BatchStatus.FAILED, "Nothing was loaded: 2 problem(s)."
    batch.errors = [
        {"row": 12, "column": "GP_CODE", "message": "'X1' is not a practice code"},
        {"row": 14, "column": None, "message": "the row has 3 fields, not 11"},
    ]
    batch.error_count = 2
    batch.save()

    response = page_as(client, icb_manager, reverse("metrics:batch", args=[batch.pk]))

    text = visible_text(response)
    assert "nhsuk-error-summary" in response.content.decode()
    assert "Nothing was loaded from this file" in text and "2 problems found." in text
    assert "Row 12, column GP_CODE: 'X1' is not a practice code" in text
    assert "Row 14: the row has 3 fields, not 11" in text


def test_a_failed_batch_says_when_only_the_first_problems_are_listed(client, icb_manager, batch):
    batch.status = BatchStatus.FAILED
    batch.errors = [{"row": n, "column": "CODE", "message": "blank"} for n in range(2, 502)]
    batch.error_count = 1234
    batch.save()

    text = visible_text(page_as(client, icb_manager, reverse("metrics:batch", args=[batch.pk])))

    assert "1,234 problems found. The first 500 are listed." in text
    assert "Row 501, column CODE: blank" in text


def test_an_unknown_batch_is_not_found(client, icb_manager):
    assert page_as(client, icb_manager, reverse("metrics:batch", args=[999])).status_code == 404


def test_the_imports_list_shows_source_status_periods_counts_who_and_when(
    client, icb_manager, batch
):
    batch.status, batch.rows_read, batch.rows_loaded, batch.rows_rejected = "succeeded", 10, 9, 1
    batch.period_start, batch.period_end = dt.date(2025, 10, 1), dt.date(2025, 12, 1)
    batch.save()

    response = page_as(client, icb_manager, IMPORTS)

    text = visible_text(response)
    assert "nhsuk-tag--green" in response.content.decode()
    assert f"Import {batch.pk}" in text and "GPAD practice mapping (Mapping.csv)" in text
    assert "Status Loaded" in text and "Periods Oct 2025 to Dec 2025" in text
    assert "Rows read 10 Loaded 9 Rejected 1 Loaded by icb.manager" in text


def test_the_imports_list_takes_a_bounded_number_of_queries(
    client, icb_manager, django_assert_max_num_queries
):
    for number in range(30):
        ImportBatch.objects.create(source="gpad-mapping", file_name=f"{number}.csv")
    client.force_login(icb_manager)

    with django_assert_max_num_queries(8):
        assert client.get(IMPORTS).status_code == 200


def test_a_batch_shows_rows_loaded_skipped_and_refused_and_its_notes(client, icb_manager, batch):
    batch.status, batch.progress = BatchStatus.SUCCEEDED, 100
    batch.rows_read, batch.rows_loaded, batch.rows_skipped = 12, 9, 3
    batch.notes = ["Skipped 3 rows that are not GP practices (prescribing setting not 4)."]
    batch.save()

    text = visible_text(page_as(client, icb_manager, reverse("metrics:batch", args=[batch.pk])))

    assert "Rows loaded 9" in text and "Rows refused 0" in text
    assert "Rows skipped (not for this portal) 3 (why: see the notes)" in text
    assert "Notes What the file held" in text
    assert "Skipped 3 rows that are not GP practices" in text


def test_a_failed_batch_calls_its_notes_notes_not_warnings(client, icb_manager, batch):
    batch.status, batch.progress = BatchStatus.FAILED, 100
    batch.rows_read, batch.rows_rejected, batch.rows_skipped = 12, 1, 2
    batch.errors = [{"row": 4, "column": "GP_CODE", "message": "is not a practice code"}]
    batch.error_count = 1
    batch.notes = ["Mapping.csv: 12 rows read."]
    batch.save()

    text = visible_text(page_as(client, icb_manager, reverse("metrics:batch", args=[batch.pk])))

    assert "Nothing was loaded from this file" in text and "Rows refused 1" in text
    assert "Warning" not in text
    notes = text.split("Notes ", 1)[1]
    assert "Nothing was loaded: these describe the file as read" in notes
    assert "Mapping.csv: 12 rows read." in notes
