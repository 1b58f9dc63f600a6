"""The ARRS workforce section of the board: the dashboard page, the pack's PDF, slides and
workbook show the figures of the workforce page's selectors, read back from each file."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pptx import Presentation

from arrs.board import workforce_section_read
from arrs.presenters import money, wte
from arrs.selectors import published_spend
from arrs.tests.conftest import JUNE_30
from board.dashboard.page import DashboardPage
from board.dashboard.selectors import dashboard_read
from board.pack.document import pack_pdf
from board.pack.models import BoardPack
from board.pack.slides import pack_pptx
from board.pack.workbook import pack_xlsx
from board.sections import board_sections_read
from core.registry import board_sections
from tests.pages import page_as, pdf_text, visible_text

TODAY = dt.date(2026, 10, 15)
OCTOBER = dt.date(2026, 10, 1)
MARCH_31 = dt.date(2027, 3, 31)


@pytest.fixture
def arrs_data(plans, in_post, claims, monkeypatch):
    """QSL's round with U00001's plan accepted (pharmacists 3 WTE by 31 March 2027), staff in
    post on 30 June 2026 and claims; the board drawn on 15 October 2026."""
    monkeypatch.setattr("arrs.board.localdate", lambda: TODAY)
    return in_post


@pytest.fixture
def expected(arrs_data):
    """The ICB's money as the spend API and the workforce page give it."""
    return published_spend(icb=arrs_data.icb, year=2026, round_id=None, today=TODAY).total.spend


@pytest.fixture
def pack(arrs_data):
    return BoardPack.objects.create(
        org=arrs_data.icb, month=OCTOBER, title="Board papers", meeting="Committee",
        meeting_date=TODAY, executive_lead="Lead", purpose="To inform.", ask="To note.",
    )  # fmt: skip


@pytest.fixture
def drawn(pack):
    page = DashboardPage(dashboard_read(pack.org, month=pack.month))
    return page, board_sections_read(pack.org, month=pack.month)


def test_the_workforce_section_is_registered_for_the_board():
    assert "arrs-workforce" in board_sections


def test_the_read_gives_in_post_and_planned_by_role_and_the_icbs_money(arrs_data, expected):
    section = workforce_section_read(arrs_data.icb, month=OCTOBER)
    assert (section.in_post_on, section.planned_by) == (JUNE_30, MARCH_31)
    rows = {name: (in_post, planned) for name, in_post, planned in section.rows()}
    # In post: U00001's own count 2.5 and U00002's census 0.7 + 0.5; planned: U00001's plan.
    assert rows["Clinical Pharmacist"] == (Decimal("3.7"), Decimal("3"))
    assert section.spend == expected
    assert expected.allocation == Decimal("250000") and expected.projected > 0
    assert "As at 15 Oct 2026" in section.source_line


def test_a_pcn_gets_its_own_figures_and_a_place_no_section(arrs_data):
    section = workforce_section_read(arrs_data.pcn_a, month=OCTOBER)
    rows = {name: (in_post, planned) for name, in_post, planned in section.rows()}
    assert rows["Clinical Pharmacist"] == (Decimal("2.5"), Decimal("3"))
    assert section.spend.allocation == Decimal("250000")
    assert workforce_section_read(arrs_data.place, month=OCTOBER) is None


def test_an_icb_with_no_workforce_records_gets_no_section(tree):
    assert workforce_section_read(tree.icb, month=OCTOBER) is None


def test_the_dashboard_shows_the_section_with_its_source(client, arrs_data, board_member, expected):
    text = visible_text(page_as(client, board_member, "/dashboard/icb/QSL/"))
    assert "ARRS workforce: NHS Somerset ICB, 2026/27" in text
    assert "Clinical Pharmacist 3.70 3.00" in text
    assert money(expected.allocation) in text and money(expected.projected) in text
    assert "In post, 30 Jun 2026" in text and "Planned, 31 Mar 2027" in text
    assert "As at 15 Oct 2026" in text


def test_the_pdf_has_the_section_figures(pack, drawn, expected, tmp_path):
    path = tmp_path / "pack.pdf"
    path.write_bytes(pack_pdf(pack, *drawn))
    text = pdf_text(path)
    assert "ARRS workforce: NHS Somerset ICB, 2026/27" in text
    assert "Clinical Pharmacist 3.70 3.00" in text
    assert money(expected.allocation) in text and money(expected.projected) in text
    assert "As at 15 Oct 2026" in text


def _slide_text(slide) -> str:
    words = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            words.append(shape.text_frame.text)
        if shape.has_table:
            words += [cell.text for row in shape.table.rows for cell in row.cells]
    return " | ".join(words)


def test_the_slides_have_the_section_figures(pack, drawn, expected):
    deck = Presentation(io.BytesIO(pack_pptx(pack, *drawn)))
    texts = [_slide_text(slide) for slide in deck.slides]
    by_role = next(t for t in texts if "ARRS workforce: in post and planned by role" in t)
    assert "Clinical Pharmacist | 3.70 | 3.00" in by_role
    assert "As at 15 Oct 2026" in by_role
    spend = next(t for t in texts if "ARRS workforce: projected spend" in t)
    assert f"Allocation | {money(expected.allocation)}" in spend
    assert f"Projected spend | {money(expected.projected)}" in spend
    assert any("As at 15 Oct 2026" in t for t in texts if t.startswith("Data sources"))


def test_the_workbook_has_the_section_figures_as_numbers(pack, drawn, expected):
    book = load_workbook(io.BytesIO(pack_xlsx(pack, *drawn)))
    roles = {row[0].value: row for row in book["ARRS WTE by role"].iter_rows(min_row=2)}
    pharmacist = roles["Clinical Pharmacist"]
    assert (pharmacist[1].value, pharmacist[2].value) == (3.7, 3)
    assert pharmacist[1].data_type == "n" and pharmacist[1].number_format == "#,##0.00"
    spend = {row[0].value: row[1] for row in book["ARRS spend"].iter_rows(min_row=2)}
    assert spend["Allocation"].value == expected.allocation
    assert spend["Projected spend"].value == pytest.approx(float(expected.projected))
    assert spend["Projected spend"].data_type == "n"
    contents = [row[0].value for row in book["Contents"].iter_rows(min_row=2)]
    assert "ARRS WTE by role" in contents and "ARRS spend" in contents
    notes = [row[0].value for row in book["Sources and caveats"].iter_rows(min_row=2)]
    assert any("As at 15 Oct 2026" in note for note in notes)


def test_wte_and_money_are_printed_as_the_workforce_page_prints_them():
    assert (wte(Decimal("3.7")), money(Decimal("250000"))) == ("3.70", "£250,000")


@pytest.fixture
def measured(arrs_data):
    """Two more months of U00001's own counts, and the ARRS measures worked out."""
    from arrs.models import ArrsRole, InPostCount
    from imports.sources.base import Recompute
    from metrics.measures.compute import measures_recompute

    pharmacist = ArrsRole.objects.get(code="clinical_pharmacist")
    for day, fte in ((dt.date(2026, 7, 31), "2.8"), (dt.date(2026, 8, 31), "3.1")):
        InPostCount.objects.create(pcn=arrs_data.pcn_a, role=pharmacist, as_at=day, fte=fte)
    measures_recompute(recompute=Recompute(everything=True), sources=["arrs"])
    return arrs_data


def test_the_section_reads_the_arrs_measures_as_spc_charts(measured):
    from metrics.models import MeasureValue

    section = workforce_section_read(measured.icb, month=OCTOBER)
    wte_measure = next(m for m in section.measures if m.unit == "WTE per 10,000 patients")
    stored = MeasureValue.objects.filter(
        measure_id="arrs_wte_per_10000_patients", org=measured.icb
    ).order_by("period")
    assert wte_measure.months == [v.period for v in stored]
    assert [p.value for p in wte_measure.chart.points] == [v.value for v in stored]
    # Three points: too few for limits to signal anything, so no special cause is claimed.
    assert len(stored) == 3 and wte_measure.variation == "Common cause variation"


def test_the_dashboard_pdf_slides_and_workbook_show_the_arrs_measures(
    client, measured, board_member, tmp_path
):
    from board.dashboard.page import DashboardPage
    from core.presenters import measure_value
    from metrics.models import MeasureValue

    latest = MeasureValue.objects.filter(
        measure_id="arrs_wte_per_10000_patients", org=measured.icb
    ).latest("period")
    shown = measure_value(latest.value, "WTE per 10,000 patients")
    text = visible_text(page_as(client, board_member, "/dashboard/icb/QSL/"))
    assert "ARRS measures over time (SPC)" in text
    assert f"ARRS staff in post per 10,000 patients Aug 2026 {shown}" in text
    pack = BoardPack.objects.create(
        org=measured.icb, month=OCTOBER, title="Board papers", meeting="Committee",
        meeting_date=TODAY, executive_lead="Lead", purpose="To inform.", ask="To note.",
    )  # fmt: skip
    drawn = (
        DashboardPage(dashboard_read(pack.org, month=pack.month)),
        board_sections_read(pack.org, month=pack.month),
    )
    path = tmp_path / "pack.pdf"
    path.write_bytes(pack_pdf(pack, *drawn))
    assert f"ARRS staff in post per 10,000 patients Aug 2026 {shown}" in pdf_text(path)
    deck = Presentation(io.BytesIO(pack_pptx(pack, *drawn)))
    spc = next(t for t in map(_slide_text, deck.slides) if "measures over time (SPC)" in t)
    assert f"ARRS staff in post per 10,000 patients | Aug 2026 | {shown}" in spc
    sheet = load_workbook(io.BytesIO(pack_xlsx(pack, *drawn)))["ARRS measures"]
    rows = [row for row in sheet.iter_rows(min_row=2) if row[0].value.startswith("ARRS staff")]
    assert [row[2].value for row in rows][-1] == pytest.approx(latest.value)
    assert rows[-1][2].data_type == "n"


def test_the_pcn_and_icb_pages_carry_the_arrs_panel_from_the_same_read(
    client, arrs_data, board_member, expected
):
    pcn_text = visible_text(page_as(client, board_member, f"/pcns/{arrs_data.pcn_a.code}/"))
    assert "ARRS workforce, 2026/27" in pcn_text
    assert "In post, 30 Jun 2026 2.50 WTE" in pcn_text
    icb_text = visible_text(page_as(client, board_member, "/organisations/icb/QSL/"))
    assert f"Projected spend against allocation {money(expected.projected)} of" in icb_text


def test_a_pcn_with_no_arrs_records_has_no_panel(client, tree, board_member):
    text = visible_text(page_as(client, board_member, f"/pcns/{tree.pcn_c.code}/"))
    assert "ARRS workforce" not in text
