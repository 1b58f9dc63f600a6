"""The dashboard's figures, and the same figures drawn to SVG for the PDF."""

import datetime as dt
from types import SimpleNamespace

import pytest

from board.dashboard import charts
from board.dashboard.attention import Ranked
from board.dashboard.measures import KeyMeasure
from board.dashboard.selectors import Spread
from board.dashboard.svg import figure_svg, nice_ticks
from board.dashboard.trends import MonthValue, measure_trend
from metrics.calendar import add_months
from metrics.models import MeasureDefinition

SAME_DAY = MeasureDefinition(code="same_day_pct", title="Same-day appointments", unit="%",
                             higher_is_better=True)  # fmt: skip
MONTHS = [add_months(dt.date(2025, 1, 1), i) for i in range(14)]


def _trend(values, target=None, rebase=None):
    rows = [MonthValue(m, v, 0, 100) for m, v in zip(MONTHS, values, strict=False)]
    key = KeyMeasure("same_day_pct", target, "")
    return measure_trend(SAME_DAY, key, rows, until=MONTHS[-1], rebase=rebase)


def _names(figure):
    return [trace.get("name") for trace in figure["data"]]


def test_an_spc_figure_has_the_values_mean_limits_and_each_kind_of_point():
    figure = charts.spc_figure(_trend([38, 42] * 6 + [40, 20], target=42))

    names = _names(figure)
    assert {"Mean", "Process limits", "Target 42.0%", "Common cause"} <= set(names)
    concern = next(t for t in figure["data"] if t["name"] == "Special cause: concerning")
    assert concern["x"] == ["2026-02-01"] and concern["y"] == [20]
    assert concern["marker"]["symbol"] == "square"  # a shape as well as a colour


def test_a_re_baselined_figure_draws_each_segments_own_mean():
    figure = charts.spc_figure(_trend([40, 41] * 7, rebase=MONTHS[7]))

    means = [t for t in figure["data"] if t["name"] == "Mean"]
    assert len(means) == 2 and means[1]["x"][0] == MONTHS[7].isoformat()
    assert [t["showlegend"] for t in means] == [True, False]


def test_the_key_in_words_names_only_the_kinds_of_point_shown():
    words = charts.legend_words(_trend([38, 42] * 6 + [40, 20]))
    assert "orange squares are special cause concerning" in words
    assert "blue diamonds" not in words


def _spread():
    orgs = [SimpleNamespace(pk=i, name=f"PCN {i}") for i in range(3)]
    rows = [Ranked(org, value, 0, 100) for org, value in zip(orgs, [47.0, 45.0, 41.0], strict=True)]
    return Spread(SAME_DAY, "pcn", rows, own=45.0, england=44.0, highlight=1)


def test_a_variation_figure_ranks_dots_and_marks_the_organisation_and_england():
    figure = charts.spread_figure(_spread(), "NHS Somerset ICB")

    dots = figure["data"][0]
    assert dots["y"] == ["PCN 0", "PCN 1", "PCN 2"] and dots["x"] == [47.0, 45.0, 41.0]
    assert dots["marker"]["color"][1] == charts.HIGHLIGHT
    assert [s["name"] for s in figure["layout"]["shapes"]] == [
        "NHS Somerset ICB: 45.0%",
        "England: 44.0%",
    ]


def test_figure_markup_keeps_the_json_inside_its_script_element():
    markup = str(charts.figure_markup({"data": [{"name": "</script><b>"}], "layout": {}}, "x"))
    assert "</script><b>" not in markup and "\\u003c/script\\u003e" in markup


def test_the_svg_of_an_spc_figure_draws_its_lines_points_axis_and_legend():
    svg = figure_svg(charts.spc_figure(_trend([38, 42] * 6 + [40, 20])), title="Same day")

    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<title>Same day</title>" in svg
    assert svg.count("<polyline") >= 4  # values, mean, two limits (and the legend's lines)
    assert 'fill="#b35c00"' in svg  # the concerning point, orange as on the page
    assert ">Jan 2025<" in svg and ">Process limits<" in svg


def test_the_svg_of_a_variation_figure_names_each_organisation_and_the_markers():
    svg = figure_svg(charts.spread_figure(_spread(), "NHS Somerset ICB"))

    assert all(f">PCN {i}<" in svg for i in range(3))
    assert ">England: 44.0%<" in svg and 'stroke-dasharray="7,4"' in svg


def test_names_in_the_svg_are_escaped():
    figure = charts.spread_figure(_spread(), "A & B <ICB>")
    assert "A &amp; B &lt;ICB&gt;" in figure_svg(figure)


@pytest.mark.parametrize(
    ("low", "high", "ticks"),
    [(44.8, 45.4, [44.8, 45.0, 45.2, 45.4]), (0, 97, [0, 20, 40, 60, 80, 100])],
)
def test_axis_ticks_are_round_numbers_covering_the_values(low, high, ticks):
    assert nice_ticks(low, high) == pytest.approx(ticks)


def test_a_flat_series_gets_an_axis_around_its_value():
    value = 1000 * 1000 / 6000
    ticks = nice_ticks(value, value + 3e-14)  # equal but for the last binary digit
    assert ticks[0] < value < ticks[-1] and len(ticks) <= 8
