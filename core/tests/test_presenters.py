"""Formatting for people, tested without the database."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from core import presenters
from core.charts import Series, line_chart


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
