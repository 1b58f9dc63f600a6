"""The journeys people take, in a real browser."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from metrics.models import ImportBatch
from practices.models import ListSize
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PUBLICATION = "Patients Registered at a GP Practice,2025-05-01,GP,11X,E38000150"
LIST_SIZE_FILE = (
    "PUBLICATION,EXTRACT_DATE,TYPE,SUB_ICB_LOCATION_CODE,ONS_SUB_ICB_LOCATION_CODE,CODE,"
    "POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS\r\n"
    f"{PUBLICATION},L85001,TA1 1AA,ALL,ALL,6123\r\n"
    f"{PUBLICATION},L85002,TA1 1AB,ALL,ALL,7456\r\n"
)


@pytest.mark.parametrize("username", ["icb.manager", "pcn.manager", "board.member"])
def test_each_role_signs_in_and_browses_from_the_icb_to_a_pcn_and_a_practice(
    page, tree, icb_manager, pcn_manager, board_member, username
):
    sign_in(page, username)
    # Managers see their own work first and their ICB below it; board members its dashboard.
    assert page.get_by_role("heading", name=re.compile(r"^NHS Somerset ICB")).first.is_visible()

    page.get_by_role("link", name="PCN U00001").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "PCN U00001"
    page.get_by_role("link", name="Surgery L85001").first.click()

    assert page.get_by_role("heading", level=1).inner_text() == "Surgery L85001"
    assert "L85001" in page.content()
    assert page.get_by_role("navigation", name="Breadcrumb").get_by_text("PCN U00001").count()


def test_a_data_loader_uploads_a_list_size_file_and_sees_its_batch(
    page, tree, data_loader, celery_eager, tmp_path
):
    upload = tmp_path / "gp-reg-pat-prac-all.csv"
    upload.write_bytes(LIST_SIZE_FILE.encode())
    sign_in(page, "data.loader")

    page.get_by_role("link", name="Imports").first.click()
    page.get_by_role("button", name="Upload a file").click()
    page.get_by_label("Source").select_option("list-sizes")
    page.locator("input[type=file]").set_input_files(str(upload))
    page.get_by_role("button", name="Upload").click()

    page.get_by_text("Loaded 2 rows").first.wait_for()
    batch = ImportBatch.objects.get()
    assert batch.file_name == "gp-reg-pat-prac-all.csv" and batch.created_by == data_loader
    assert (
        ListSize.objects.get(practice__code="L85001", month=dt.date(2025, 5, 1)).all_patients
        == 6123
    )
    page.get_by_role("link", name="Imports").first.click()
    row = page.get_by_role("row").filter(has_text="gp-reg-pat-prac-all.csv")
    assert "Loaded" in row.inner_text() and "data.loader" in row.inner_text()


def test_a_board_member_finds_no_upload_page(page, tree, board_member):
    sign_in(page, "board.member")

    assert page.get_by_role("link", name="Imports").count() == 0
    assert page.get_by_text("Upload a file").count() == 0
    response = page.goto("/imports/upload/")
    assert response.status == 403
