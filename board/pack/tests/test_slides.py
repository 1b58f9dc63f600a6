"""The board pack slides, read back with python-pptx: the NHS look, axis titles with units,
SPC value axes on the data's range, and a "Needs attention" slide of what the dashboard flags."""

from __future__ import annotations

import io

import pytest
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

from board.pack.slides import pack_pptx

NHS_BLUE, TEXT, WHITE = RGBColor(0, 0x5E, 0xB8), RGBColor(0x21, 0x2B, 0x32), RGBColor(255, 255, 255)


@pytest.fixture
def deck(unmade, page):
    return Presentation(io.BytesIO(pack_pptx(unmade, page)))


def titled(deck) -> dict:
    return {slide.shapes.title.text: slide for slide in deck.slides}


def charts_of(deck, ending: str) -> dict:
    return {
        slide.shapes.title.text: shape.chart
        for slide in deck.slides
        if ending in slide.shapes.title.text
        for shape in slide.shapes
        if shape.has_chart
    }


def test_a_needs_attention_slide_after_the_summary_lists_what_the_dashboard_flags(deck, page):
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert titles.index("Needs attention") == titles.index("Summary for escalation") + 1

    slide = titled(deck)["Needs attention"]
    table = next(shape.table for shape in slide.shapes if shape.has_table)
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["What", "Where", "Figure", "Why"]
    assert [
        "Special-cause deterioration", "PCN U00002", "Same-day appointments: 28.0%",
        "A month outside the process limits",
    ] in rows  # fmt: skip
    # Every PCN and practice the dashboard finds deteriorating is on the slide.
    for concern in page.dashboard.attention.deteriorating:
        assert any(
            concern.org.name in row[1] and concern.definition.title in row[2] for row in rows
        )
    assert ["Lowest same-day appointments", "Surgery L85003 (practice)", "15.0%",
            "NHS Somerset ICB 35.9%; England 35.8%"] in rows  # fmt: skip
    assert any(row[1] == "Surgery L85006 (practice)" and "Too few" in row[0] for row in rows)


def test_every_chart_has_axis_titles_with_units(deck):
    charts = [shape.chart for slide in deck.slides for shape in slide.shapes if shape.has_chart]

    assert len(charts) == 12
    for chart in charts:
        assert chart.value_axis.has_title and chart.category_axis.has_title
    spc = charts_of(deck, ": SPC chart")["Same-day appointments: SPC chart"]
    assert spc.value_axis.axis_title.text_frame.text == "Same-day appointments (%)"
    assert spc.category_axis.axis_title.text_frame.text == "Month"
    assert spc.value_axis.tick_labels.number_format in ('0"%"', '0.0"%"')
    ranked = charts_of(deck, "Same-day appointments by PCN")
    axes = next(iter(ranked.values()))
    assert axes.category_axis.axis_title.text_frame.text == "PCNs, ranked best first"
    per_1000 = charts_of(deck, ": SPC chart")["Appointments per 1,000 patients: SPC chart"]
    assert per_1000.value_axis.axis_title.text_frame.text == "Appointments per 1,000 patients"


def test_spc_value_axes_span_the_data_not_from_zero(deck):
    for title, chart in charts_of(deck, ": SPC chart").items():
        series = list(chart.plots[0].series)
        measure = [value for value in series[0].values if value is not None]
        plotted = [value for s in series for value in s.values if value is not None]
        axis = chart.value_axis
        assert axis.minimum_scale is not None and axis.maximum_scale is not None, title
        assert axis.minimum_scale <= min(measure) and axis.maximum_scale >= max(plotted), title
        assert axis.minimum_scale >= 0, title  # no measure here can fall below zero
    same_day = charts_of(deck, ": SPC chart")["Same-day appointments: SPC chart"]
    values = [value for s in same_day.plots[0].series for value in s.values if value is not None]
    span = max(values) - min(values)
    assert same_day.value_axis.minimum_scale > 0  # 34% to 45%: far from zero
    assert same_day.value_axis.maximum_scale - same_day.value_axis.minimum_scale < 2 * span


def test_the_slides_have_the_nhs_look(deck):
    for slide in deck.slides:
        title = slide.shapes.title
        assert title.fill.fore_color.rgb == NHS_BLUE and title.top == 0
        runs = [run for paragraph in title.text_frame.paragraphs for run in paragraph.runs]
        assert runs and all(
            run.font.name == "Arial" and run.font.color.rgb == WHITE for run in runs
        )
        body = [
            run
            for shape in slide.shapes
            if shape.has_text_frame and shape != title
            for paragraph in shape.text_frame.paragraphs
            for run in paragraph.runs
        ]
        assert body and all(run.font.name == "Arial" for run in body)
    cover = titled(deck)[next(iter(titled(deck)))]
    text = next(
        shape for shape in cover.shapes if shape.has_text_frame and shape != cover.shapes.title
    )
    assert text.text_frame.paragraphs[0].runs[0].font.color.rgb == TEXT
    theme = deck.slide_master.part.part_related_by(RT.THEME).blob.decode()
    assert 'latin typeface="Arial"' in theme and "Calibri" not in theme
    assert '<a:accent1><a:srgbClr val="005EB8"/></a:accent1>' in theme
    chart = next(shape.chart for slide in deck.slides for shape in slide.shapes if shape.has_chart)
    assert chart.font.name == "Arial"


def practice_deck(tree, code: str):
    from board.dashboard.page import DashboardPage
    from board.dashboard.selectors import dashboard_read
    from board.dashboard.tests.data import LAST
    from board.pack.models import BoardPack

    practice = tree.practices[code]
    pack = BoardPack(org=practice, month=LAST, title=practice.name, meeting="m",
                     meeting_date=LAST, executive_lead="e", purpose="p", ask="a")  # fmt: skip
    page = DashboardPage(dashboard_read(practice, month=LAST))
    return Presentation(io.BytesIO(pack_pptx(pack, page)))


def test_a_practice_pack_flags_its_own_special_cause_concern(loaded):
    """A practice has no PCNs or practices below it: its own measures are what is flagged."""
    deck = practice_deck(loaded, "L85003")  # its same-day share falls to 15% in the last month

    slide = titled(deck)["Needs attention"]
    table = next(shape.table for shape in slide.shapes if shape.has_table)
    rows = [[cell.text for cell in row.cells] for row in list(table.rows)[1:]]
    assert rows[0][:3] == [
        "Special-cause concern",
        "Surgery L85003",
        "Same-day appointments: 15.0%",
    ]
    ranked = charts_of(deck, "Same-day appointments: practices in the same PCN")
    axis = next(iter(ranked.values())).category_axis
    assert axis.axis_title.text_frame.text == "Practices, ranked best first"


def test_a_pack_with_nothing_flagged_says_so(loaded):
    deck = practice_deck(loaded, "L85001")  # steady, and meeting the ACC-08 target

    slide = titled(deck)["Needs attention"]
    assert not any(shape.has_table for shape in slide.shapes)
    words = " ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
    assert (
        "Nothing is flagged for Surgery L85001 in Oct 2025: no key measure shows special-cause "
        "concern or will miss its target." in words
    )
