"""The ARRS workforce plan journey, in a real browser: a PCN manager downloads the template,
fills it in, uploads a file with a mistake, reads the problem, corrects it and submits; the
ICB manager accepts the plan and sees the ICB table and projected spend change."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from arrs.models import Allocation, PlanRound, PlanStatus, WorkforcePlan
from arrs.plan_files import HEADER_ROW
from arrs.years import fy_label, fy_of
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
PARAMEDIC_ROW = HEADER_ROW + 5


@pytest.fixture
def open_round(tree):
    year = fy_of(timezone.localdate())
    Allocation.objects.create(pcn=tree.pcn_a, financial_year=year, amount=Decimal("400000"))
    return PlanRound.objects.create(icb=tree.icb, financial_year=year, label="August")


def filled(path, paramedics) -> bytes:
    """The downloaded template with paramedics in post now and at the first date."""
    book = load_workbook(path)
    sheet = book["Workforce plan"]
    assert sheet.cell(row=PARAMEDIC_ROW, column=1).value == "Paramedic"
    sheet.cell(row=PARAMEDIC_ROW, column=3, value=paramedics[0])
    sheet.cell(row=PARAMEDIC_ROW, column=4, value=paramedics[1])
    sheet.cell(row=HEADER_ROW + 1, column=3, value=2)  # clinical pharmacists in post
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(page, tmp_path, name: str, data: bytes, round_name: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    page.get_by_role("button", name="Upload a plan").click()
    page.get_by_label("Round").select_option(label=round_name)
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_role("button", name="Upload and check").click()


def projected_spend(page) -> str:
    """The ICB's row of the spend table, which says how many PCNs it adds up."""
    row = page.get_by_role("row").filter(has_text=re.compile(r"NHS Somerset ICB \(\d+ of 3 PCNs\)"))
    return row.inner_text()


def test_a_pcn_plan_goes_from_template_to_the_icb_table(
    page, tree, pcn_manager, icb_manager, open_round, tmp_path
):
    round_name = f"{fy_label(open_round.financial_year)} August"
    sign_in(page, "pcn.manager")
    page.get_by_role("link", name="Workforce").first.click()
    page.get_by_role("link", name=re.compile("PCN U00001: workforce plan")).click()

    with page.expect_download() as download:
        page.get_by_role("button", name="Download the plan template (XLSX)").click()
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)
    assert template.name.startswith("arrs-workforce-plan-U00001")

    upload(page, tmp_path, "plan-with-a-mistake.xlsx", filled(template, (-1, 1.5)), round_name)
    summary = page.locator(".nhsuk-error-summary")
    assert "The plan was not uploaded" in summary.inner_text()
    assert f"Row {PARAMEDIC_ROW}, column C: -1 is negative" in summary.inner_text()
    assert not WorkforcePlan.objects.exists()

    page.get_by_role("link", name=re.compile("Back to PCN U00001")).click()
    upload(page, tmp_path, "plan.xlsx", filled(template, (1, 1.5)), round_name)
    page.get_by_role("heading", name="Check your plan before you submit it").wait_for()
    page.get_by_role("button", name=f"Confirm and submit for {round_name}").click()
    page.get_by_text(f"Plan submitted for {round_name}").wait_for()
    assert WorkforcePlan.objects.get().status == PlanStatus.SUBMITTED

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "icb.manager")
    page.get_by_role("link", name="Workforce").first.click()
    before = projected_spend(page)
    # no accepted plan yet: no planned column, so no figure of the submitted plan
    paramedics = page.get_by_role("row").filter(has_text="Paramedic").all_inner_texts()
    assert not [row for row in paramedics if "1.50" in row]

    page.get_by_role("link", name="Review plans").click()
    page.get_by_role("link", name="PCN U00001").click()
    page.get_by_label("Accept the plan").check()
    page.get_by_role("button", name="Save decision").click()
    page.get_by_text("PCN U00001's plan for").wait_for()
    assert WorkforcePlan.objects.get().status == PlanStatus.ACCEPTED

    page.get_by_role("link", name="Workforce").first.click()
    after = projected_spend(page)
    assert "(0 of 3 PCNs)" in before and "(1 of 3 PCNs)" in after
    assert "–" not in after.split("\t")[2]
    assert "1.50" in page.get_by_role("row").filter(has_text="Paramedic").inner_text()
