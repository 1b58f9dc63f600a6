"""A board member reads the dashboard, drills down, and takes a board pack away as a PDF."""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connection

from board.dashboard.tests.data import measure_months_load
from board.pack import services
from tests.browser.accessibility import axe_violations
from tests.browser.conftest import sign_in
from tests.pages import pdf_text

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worker(monkeypatch):
    """Packs are made in a thread of their own, as a Celery worker would make them: the
    request that asks for one returns at once and the page shows the progress."""
    threads = []

    def build_later(pack_id: int) -> None:
        def run() -> None:
            try:
                services.board_pack_build(pack_id=pack_id)
            finally:
                connection.close()

        thread = threading.Thread(target=run)
        threads.append(thread)
        thread.start()

    monkeypatch.setattr(services, "_enqueue", build_later)
    yield
    for thread in threads:
        thread.join(timeout=120)


def _no_violations(page) -> None:
    found = axe_violations(page)
    assert found == [], found


def _headline_figures(page) -> dict[str, str]:
    cards = page.locator("[data-headline]")
    return {
        cards.nth(i).get_attribute("data-headline"): cards.nth(i).inner_text().strip()
        for i in range(cards.count())
    }


def test_a_board_member_reads_the_dashboard_drills_down_and_downloads_a_board_pack(
    page, tree, board_member, worker, tmp_path
):
    measure_months_load(tree)
    sign_in(page, "board.member")

    # Home is the ICB's dashboard.
    assert page.get_by_role("heading", level=1).inner_text() == "NHS Somerset ICB"
    assert page.get_by_role("heading", name="Summary for escalation").is_visible()
    page.locator(".js-enabled .app-chart__plot .main-svg").first.wait_for()  # charts drawn
    figures = _headline_figures(page)
    assert figures["same_day_pct"] == "35.9%" and len(figures) == 6
    _no_violations(page)

    # A table is one click from each chart.
    page.get_by_text("Show the figures in this chart as a table").first.click()
    assert page.get_by_role("columnheader", name="Upper process limit").first.is_visible()

    # Drill down to a PCN, then a practice.
    page.locator("#drill-down ~ ul").get_by_role("link", name="PCN U00001").click()
    assert page.get_by_role("heading", level=1).inner_text() == "PCN U00001"
    _no_violations(page)
    page.get_by_role("link", name="Surgery L85001").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Surgery L85001"
    breadcrumbs = page.get_by_role("navigation", name="Breadcrumb")
    assert breadcrumbs.get_by_role("link", name="PCN U00001").count() == 1
    _no_violations(page)

    # Back to the ICB, and ask for a board pack.
    breadcrumbs.get_by_role("link", name="NHS Somerset ICB", exact=True).click()
    page.get_by_role("link", name="Make a board pack for NHS Somerset ICB").click()
    _no_violations(page)
    page.get_by_label("Executive lead").fill("Chief Delivery Officer")
    page.get_by_label("Meeting", exact=True).fill("Primary Care Commissioning Committee")
    page.get_by_role("button", name="Make the board pack").click()

    # The pack's page shows its progress, then offers the files.
    assert page.get_by_role("heading", level=1).inner_text().startswith("Access to general")
    pdf_link = page.get_by_role("link", name="Board pack (PDF)")
    pdf_link.wait_for(timeout=120_000)
    _no_violations(page)
    with page.expect_download() as download:
        pdf_link.click()
    saved = tmp_path / "pack.pdf"
    download.value.save_as(saved)

    words = pdf_text(saved)
    assert "Chief Delivery Officer" in words and "Primary Care Commissioning Committee" in words
    assert "Summary for escalation" in words
    for code, figure in figures.items():
        assert figure in words, f"{code} ({figure}) is on the page but not in the PDF"

    # The pack is kept and listed.
    page.goto("/board-packs/")
    assert page.get_by_role("link", name=re.compile("Access to general practice")).count() == 1
