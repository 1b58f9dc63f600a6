"""Board packs: asked for on a page, made by the task, kept, listed and downloaded again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from openpyxl import load_workbook
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from board.dashboard.tests.data import LAST
from board.pack.models import BoardPack, PackStatus
from board.pack.services import board_pack_build
from board.pack.tests.conftest import COVER
from tests import pages
from tests.pages import page_as, pdf_text, visible_text


def test_the_form_offers_the_months_with_figures_and_a_cover_sheet_to_fill_in(
    client, loaded, board_member
):
    text = visible_text(page_as(client, board_member, "/board-packs/new/icb/QSL/"))

    assert "Make a board pack" in text and "Oct 2025" in text and "Sep 2024" in text
    for label in ("Title", "Meeting", "Meeting date", "Executive lead", "Purpose"):
        assert label in text
    assert "The ask of the board" in text


def test_a_cover_sheet_with_a_missing_field_is_refused_with_the_reason(
    client, loaded, board_member
):
    client.force_login(board_member)
    response = client.post("/board-packs/new/icb/QSL/", {**COVER, "executive_lead": ""})

    assert response.status_code == 400
    assert "Enter the executive lead" in response.content.decode()
    assert not BoardPack.objects.exists()


def test_asking_for_a_pack_queues_it_and_shows_its_progress(client, loaded, board_member):
    client.force_login(board_member)
    response = client.post("/board-packs/new/icb/QSL/", COVER)  # no worker in this test

    pack = BoardPack.objects.get()
    assert response["Location"] == f"/board-packs/{pack.pk}/"
    assert (pack.status, pack.month, pack.requested_by) == (PackStatus.QUEUED, LAST, board_member)
    page = client.get(response["Location"]).content.decode()
    assert 'id="pack-progress"' in page and "This page updates by itself" in page
    status = client.get(f"/board-packs/{pack.pk}/status.json").json()
    assert status == {
        "status": "queued",
        "label": "Waiting to start",
        "stage": "",
        "progress": 0,
        "finished": False,
    }


def test_the_task_makes_the_pdf_the_slides_and_the_workbook(made):
    assert (made.status, made.progress, made.stage) == (PackStatus.READY, 100, "Ready")
    assert made.pdf.name.endswith(".pdf") and made.pptx.name.endswith(".pptx")
    assert made.xlsx.name.endswith(".xlsx") and made.finished_at is not None


def test_the_pdf_has_the_cover_sheet_summary_headline_figures_and_sources(made):
    text = pdf_text(made.pdf.path)

    for value in COVER.values():
        if value != "2025-10" and value != "2025-12-03":
            assert value in text
    assert "3 December 2025" in text and "Summary for escalation" in text
    assert "Same-day appointments 35.9%" in text  # the card's figure, as on the page
    assert "Statistical process control charts" in text and "Variation" in text
    assert "Data sources and caveats" in text and "Practice_Level_Crosstab_Oct_25.zip" in text


def test_the_slides_have_native_charts_an_analyst_can_edit(made):
    deck = Presentation(made.pptx.path)

    charts = [shape.chart for s in deck.slides for shape in s.shapes if shape.has_chart]
    assert len(charts) == 12  # six SPC and six variation charts, all line charts
    assert {chart.chart_type for chart in charts} <= {
        XL_CHART_TYPE.LINE,
        XL_CHART_TYPE.LINE_MARKERS,
    }
    # Each chart carries its own data sheet, so it can be edited in PowerPoint.
    assert all(chart.part.chart_workbook.xlsx_part is not None for chart in charts)
    same_day = charts[1].plots[0].series
    assert [series.name for series in same_day][:4] == [
        "Same-day appointments", "Mean", "Upper process limit", "Lower process limit",
    ]  # fmt: skip
    assert list(same_day[0].values)[-1] == pytest.approx(1831 * 100 / 5100)
    titles = [s.shapes.title.text for s in deck.slides]
    assert titles[0] == COVER["title"] and "Summary for escalation" in titles


def test_the_workbook_has_one_sheet_per_table_with_numbers_as_numbers(made):
    book = load_workbook(made.xlsx.path)

    assert book.sheetnames[:4] == [
        "Cover", "Contents", "Headline measures", "SPC Appts per 1,000 patients",
    ]  # fmt: skip
    assert "Same-day appointments by PCN" in book.sheetnames
    assert "Weakest recording" in book.sheetnames and "Sources and caveats" in book.sheetnames
    sheet = book["SPC Same-day appointments"]
    last = [cell.value for cell in sheet[sheet.max_row]]
    assert last[1] == dt.datetime(2025, 10, 1) and last[2] == pytest.approx(1831 * 100 / 5100)


def test_packs_are_listed_and_can_be_downloaded_again(client, made):
    listing = visible_text(client.get("/board-packs/"))
    assert COVER["title"] in listing and "Ready" in listing

    for kind, starts in (("pdf", b"%PDF"), ("pptx", b"PK"), ("xlsx", b"PK")):
        response = client.get(f"/board-packs/{made.pk}/{kind}/")
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content).startswith(starts)


def test_a_pack_of_another_icb_is_not_found(client, tree, made):
    client.force_login(pages.other_icb_manager(tree))

    assert client.get(f"/board-packs/{made.pk}/").status_code == 404
    assert client.get(f"/board-packs/{made.pk}/pdf/").status_code == 404
    assert COVER["title"] not in client.get("/board-packs/").content.decode()


def test_making_a_ready_pack_again_leaves_it_alone(made):
    before = made.pdf.name
    assert board_pack_build(pack_id=made.pk).pdf.name == before


def test_a_pack_that_cannot_be_made_says_why(loaded, monkeypatch):
    pack = BoardPack.objects.create(
        org=loaded.icb, month=LAST, title="t", meeting="m", meeting_date=LAST,
        executive_lead="e", purpose="p", ask="a",
    )  # fmt: skip
    from board.pack import document

    def broken(*args):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(document, "pack_pdf", broken)
    with pytest.raises(RuntimeError):
        board_pack_build(pack_id=pack.pk)
    pack.refresh_from_db()
    assert (pack.status, pack.error) == (PackStatus.FAILED, "no fonts")


@pytest.mark.parametrize(
    "change",
    [{"progress": 101}, {"status": "lost"}, {"month": dt.date(2025, 10, 2)}],
)
def test_the_database_refuses_an_impossible_pack(loaded, change):
    fields = {
        "org": loaded.icb, "month": LAST, "title": "t", "meeting": "m", "meeting_date": LAST,
        "executive_lead": "e", "purpose": "p", "ask": "a",
    }  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        BoardPack.objects.create(**{**fields, **change})


def test_the_board_pack_pdf_draws_the_pages_charts(made):
    """The same figures go to the page and, as SVG, into the PDF: compare the HTML the PDF
    is printed from with the page's figure JSON for one chart."""
    from board.dashboard.page import DashboardPage
    from board.dashboard.selectors import dashboard_read
    from board.pack.document import pack_html

    page = DashboardPage(dashboard_read(made.org, month=made.month))
    html = pack_html(made, page)
    assert html.count("<svg xmlns") == len(page.spc_sections) + len(page.spread_sections)
    assert "Same-day appointments, NHS Somerset ICB: SPC chart" in html
    assert html.count(">Process limits<") >= len(page.spc_sections)
