"""Formatting for people, tested without the database."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from core import presenters
from core.charts import Series, line_chart
from metrics.presenters import (
    MeasureColumns,
    MeasureFigures,
    SortLinks,
    TrendView,
    latest_figures,
    trend_view,
)


def test_a_figure_nobody_reported_shows_as_a_dash_not_zero():
    assert presenters.number(None) == "–"
    assert presenters.number(0) == "0"
    assert presenters.number(12345) == "12,345"


def test_page_titles_follow_page_service_nhs():
    assert presenters.page_title("Imports") == "Imports – Access Portal – NHS"
    assert presenters.page_title(None) == "Access Portal – NHS"


def test_counts_read_as_words_in_the_singular_and_plural():
    assert presenters.count_of(1, "practice") == "1 practice"
    assert presenters.count_of(1234, "practice") == "1,234 practices"
    assert presenters.count_of(2, "PCN") == "2 PCNs"


def test_a_source_note_names_the_source_and_its_as_at_date():
    note = presenters.source_note(
        "List sizes", "Patients Registered at a GP Practice", dt.date(2026, 11, 1)
    )
    assert note == "List sizes: Patients Registered at a GP Practice, 1 Nov 2026"


def test_a_source_note_says_when_nothing_is_loaded():
    assert presenters.source_note("List sizes", "X", None) == "List sizes: X, no figures loaded yet"


def test_membership_dates_read_as_people_say_them():
    start, end = dt.date(2019, 7, 1), dt.date(2025, 3, 31)
    assert presenters.date_range(start, end) == "1 July 2019 to 31 March 2025"
    assert presenters.date_range(None, None) == "Throughout our records"
    assert presenters.date_range(start, None) == "Since 1 July 2019"
    assert presenters.date_range(None, end) == "Until 31 March 2025"


def test_a_period_of_one_month_names_it_once():
    october = dt.date(2025, 10, 1)
    assert presenters.period(october, october) == "Oct 2025"
    assert presenters.period(october, dt.date(2025, 12, 1)) == "Oct 2025 to Dec 2025"
    assert presenters.period(None, None) == "–"


def test_import_problems_are_listed_by_row_and_column():
    row_and_column = {"row": 12, "column": "GP_CODE", "message": "not a practice code"}
    assert presenters.problem(row_and_column) == "Row 12, column GP_CODE: not a practice code"
    assert presenters.problem({"row": 3, "column": None, "message": "blank"}) == "Row 3: blank"
    whole_file = {"row": None, "column": None, "message": "Not a CSV"}
    assert presenters.problem(whole_file) == "Not a CSV"


def test_the_problem_count_says_when_only_the_first_are_listed():
    assert presenters.problems_shown(3, 3) == "3 problems found."
    assert presenters.problems_shown(500, 1234) == (
        "1,234 problems found. The first 500 are listed."
    )


def test_every_batch_status_tag_carries_its_words_as_well_as_a_colour():
    tag = presenters.status_tag("failed", "Failed")
    assert tag == {"text": "Failed", "classes": "nhsuk-tag--red"}
    assert presenters.status_tag("something new", "New")["text"] == "New"


def test_file_sizes_read_in_the_largest_sensible_unit():
    assert presenters.file_size(512) == "512 bytes"
    assert presenters.file_size(2048) == "2.0 KB"
    assert presenters.file_size(185 * 1024 * 1024) == "185.0 MB"


def test_a_chart_caption_gives_source_period_and_as_at_date():
    months = [dt.date(2025, 3, 1), dt.date(2025, 4, 1)]
    caption = presenters.chart_source("Patients Registered at a GP Practice", months)
    assert "Source: Patients Registered at a GP Practice" in caption
    assert "Period: Mar 2025 to Apr 2025" in caption
    assert "as at 1 April 2025" in caption


def test_organisation_links_go_to_the_page_for_their_level():
    assert presenters.org_url(SimpleNamespace(kind="pcn", code="U00001")) == "/pcns/U00001/"
    practice = SimpleNamespace(kind="practice", code="L85001")
    assert presenters.org_url(practice) == "/organisations/practice/L85001/"
    assert presenters.org_url(SimpleNamespace(kind="icb", code="QSL")) == "/organisations/icb/QSL/"


def test_a_chart_carries_its_figure_as_json_that_cannot_end_its_script():
    series = Series("Patients <all>", [dt.date(2025, 3, 1)], [5000])

    html = str(line_chart([series], y_title="Registered patients", chart_id="trend"))

    assert 'data-app-chart="trend-figure"' in html and 'aria-hidden="true"' in html
    assert '<script type="application/json" id="trend-figure">' in html
    assert "Patients <all>" not in html and "Patients \\u003call\\u003e" in html


def test_patients_not_loaded_are_not_shown_as_zero():
    counts = SimpleNamespace(practices=3, patients=None, reporting=0)

    assert presenters.patients(counts) == "Not loaded"


def test_patients_say_when_only_some_practices_have_a_list_size():
    some = SimpleNamespace(practices=3, patients=12_000, reporting=2)
    every = SimpleNamespace(practices=3, patients=18_000, reporting=3)

    assert presenters.patients(some) == "12,000 (2 of 3 practices)"
    assert presenters.patients(every) == "18,000"


# --- Access measures ---------------------------------------------------------------------------


def test_measure_values_read_in_their_unit():
    assert presenters.measure_value(44.8123, "%") == "44.8%"
    assert presenters.measure_value(12345.0, "appointments") == "12,345"
    assert presenters.measure_value(1504.06, "per 1,000 patients") == "1,504.1"
    assert presenters.measure_value(None, "%") == "–"


def test_changes_carry_their_sign_and_a_blank_change_is_a_dash_not_zero():
    assert presenters.measure_change(1.23, "%") == "+1.2 pp"
    assert presenters.measure_change(-40.0, "%") == "\u221240.0 pp"
    assert presenters.measure_change(226.0, "appointments") == "+226"
    assert presenters.measure_change(-3.45, "per 1,000 patients") == "\u22123.5"
    assert presenters.measure_change(0.0, "appointments") == "0"
    assert presenters.measure_change(0.04, "%") == "0.0 pp"
    assert presenters.measure_change(None, "%") == "–"


def test_percentiles_read_as_ordinals():
    assert [presenters.percentile(v) for v in (1, 2, 3, 11, 12, 13, 21, 72.4, 100)] == [
        "1st", "2nd", "3rd", "11th", "12th", "13th", "21st", "72nd", "100th"
    ]  # fmt: skip
    assert presenters.percentile(0.2) == "Lowest"
    assert presenters.percentile(None) == "–"


def test_loaded_figures_name_their_source_period_and_when_they_were_loaded():
    months = [dt.date(2025, 3, 1), dt.date(2024, 8, 1)]
    loaded = dt.datetime(2025, 4, 10, 9, 30, tzinfo=dt.UTC)

    assert presenters.figures_source("GP appointments data, NHS England", months, loaded) == (
        "Source: GP appointments data, NHS England. Period: Aug 2024 to Mar 2025. "
        "As at 10 April 2025, when the latest figures were loaded."
    )
    assert presenters.figures_source("X", [], None) == "Source: X. No figures have been loaded yet."


def test_months_travel_in_addresses_as_year_and_month():
    assert presenters.month_param(dt.date(2025, 3, 1)) == "2025-03"


def test_appointments_per_patient_a_year_scale_the_month_up():
    assert presenters.per_patient_year(300, 9000) == "0.40"
    assert presenters.per_patient_year(300, None) == "No list size loaded"


def _definition(**fields):
    base = {
        "code": "dna_pct",
        "title": "Did not attend",
        "unit": "%",
        "higher_is_better": False,
        "numerator_text": "Appointments with status DNA",
        "denominator_text": "All appointments",
    }
    return SimpleNamespace(**{**base, **fields})


def test_a_measures_figures_are_shown_in_its_unit_with_blanks_as_dashes():
    value = SimpleNamespace(
        value=5.61, change_year=-0.3, change_baseline=None, percentile_england=83.3,
        percentile_icb=None,
    )  # fmt: skip

    figures = MeasureFigures(_definition(), value)

    assert (figures.value_text, figures.change_year_text) == ("5.6%", "\u22120.3 pp")
    assert (figures.change_baseline_text, figures.percentile_icb_text) == ("–", "–")
    assert figures.percentile_england_text == "83rd"
    assert figures.direction == "Lower is better."
    assert figures.counted == "Appointments with status DNA, out of All appointments."


def test_a_measure_with_no_value_that_month_shows_dashes_throughout():
    figures = MeasureFigures(_definition(higher_is_better=None), None)

    assert figures.value_text == figures.change_year_text == figures.percentile_england_text == "–"
    assert figures.direction == "Neither higher nor lower is better in itself."


def test_a_count_is_described_without_an_out_of():
    figures = MeasureFigures(_definition(denominator_text="", numerator_text="All"), None)

    assert figures.counted == "All."


def test_latest_figures_follow_the_definitions_and_leave_gaps_blank():
    first, second = _definition(code="a"), _definition(code="b")

    shown = latest_figures([first, second], {"b": SimpleNamespace(value=1.0)})

    assert [f.definition.code for f in shown] == ["a", "b"]
    assert shown[0].value is None and shown[1].value_text == "1.0%"


def test_sort_headings_link_to_their_column_and_flip_the_current_one():
    links = SortLinks({"month": "2025-03", "pcn": "U00001"}, "dna_pct", descending=False)

    current = links.head("dna_pct", "Did not attend")
    other = links.head("name", "Practice", numeric=False)

    assert current == {
        "text": "Did not attend",
        "href": "?month=2025-03&pcn=U00001&sort=dna_pct&dir=desc",
        "sort": "ascending",
        "format": "numeric",
    }
    assert other["href"].endswith("sort=name&dir=asc") and other["sort"] == "none"
    assert "format" not in other


def test_a_descending_column_links_back_to_ascending():
    links = SortLinks({}, "patients", descending=True)

    assert links.head("patients", "Registered patients")["sort"] == "descending"
    assert links.head("patients", "Registered patients")["href"] == "?sort=patients&dir=asc"


def test_table_cells_show_appointments_patients_then_measures_and_bold_references():
    columns = MeasureColumns(
        [_definition(code="appointments_total", unit="appointments"), _definition()],
        SortLinks({}, "name", descending=False),
    )
    values = {"appointments_total": 2800.0, "dna_pct": 3.95}
    row = SimpleNamespace(
        org=SimpleNamespace(kind="england", name="England", code="ENG"),
        patients=None,
        value=values.get,
        values={},
    )

    assert [c["text"] for c in columns.cells(row)] == ["2,800", "–", "4.0%"]
    assert [h["text"] for h in columns.head()] == [
        "Appointments", "Registered patients", "Did not attend"
    ]  # fmt: skip
    reference = columns.reference(row, blanks=1)
    assert reference[0] == {"text": "England (national)", "classes": "nhsuk-u-font-weight-bold"}
    assert reference[1] == "" and reference[2]["classes"] == "nhsuk-u-font-weight-bold"


def test_a_trend_chart_draws_the_band_median_and_lines_from_json():
    months = [dt.date(2025, 3, 1), dt.date(2025, 4, 1)]
    trend = SimpleNamespace(
        definition=_definition(code="same_day_pct", title="Same-day appointments"),
        months=months, org=[60.0, 61.0], icb=[55.0, None], lowest=[40.0, 41.0],
        median=[50.0, 51.0], highest=[70.0, 71.0],
    )  # fmt: skip

    view = trend_view(trend, "Surgery <A>", "NHS Somerset ICB")
    html = str(view.chart)

    assert view.id == "access-same-day-pct"
    assert 'data-app-chart="access-same-day-pct-figure"' in html
    assert '"fill":"tonexty"' in html and "Median practice in England" in html
    assert "NHS Somerset ICB" in html and "Surgery <A>" not in html


def test_a_trend_table_shows_each_month_latest_first_with_the_band():
    trend = SimpleNamespace(
        definition=_definition(),
        rows=lambda: [(dt.date(2025, 4, 1), 4.0, None, 3.0, 3.5, 6.0)],
    )

    view = TrendView(id="x", title="t", chart="", trend=trend)

    assert view.table_rows() == [("Apr 2025", "4.0%", "–", "3.5%", "3.0% to 6.0%")]


def test_a_rate_on_an_old_list_size_says_which_month_it_is_from():
    columns = MeasureColumns(
        [_definition(code="appointments_total", unit="appointments"), _definition()],
        SortLinks({}, "name", descending=False),
    )
    old = SimpleNamespace(denominator_out_of_date=True, denominator_month=dt.date(2024, 11, 1))
    row = SimpleNamespace(patients=6000, value={"dna_pct": 3.95}.get, values={"dna_pct": old})

    cell = columns.cells(row)[-1]

    assert "text" not in cell and cell["format"] == "numeric"
    assert str(cell["html"]).startswith("4.0%<br>") and "list size from Nov 2024" in cell["html"]
