"""The access figures: the Access section of practice and PCN pages, the ICB access page and
their CSVs, on a small GPAD month loaded through the importer."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from metrics.models import MeasureValue
from tests import pages
from tests.factories import link, list_size, org
from tests.gpad_files import MARCH_2025, Row, gpad_month_load
from tests.pages import page_as, visible_text

APRIL_2025 = dt.date(2025, 4, 1)
TRIAGE = "Clinical Triage"
# Working days in England: March 2025 has 21 weekdays and no bank holiday; April 2025 has 22
# weekdays less Good Friday (18th) and Easter Monday (21st).
MARCH_WORKING_DAYS, APRIL_WORKING_DAYS = 21, 20

# Registered patients in March 2025 (conftest): L85001 6,000, L85002 7,000, L85003 8,000,
# L85005 9,000, L85006 10,000, L85004 11,000, J99001 12,000.
MARCH_ROWS = [
    Row("L85001", 600),
    Row("L85001", 300, national_category=TRIAGE, time_between_book_and_appt="2 to 7 Days"),
    Row("L85001", 100, appt_status="DNA", time_between_book_and_appt="More than 28 Days"),
    Row("L85002", 700, time_between_book_and_appt="1 Day"),
    Row("L85002", 100, national_category="Unmapped"),
    Row("L85003", 900, national_category=TRIAGE),
    Row("L85004", 500, national_category=TRIAGE),
    Row("L85004", 500, time_between_book_and_appt="8 to 14 Days"),
    Row("L85005", 400, national_category=TRIAGE),  # 400 x 12 < 9,000: incomplete
    Row("L85006", 450, national_category=TRIAGE),
    Row("L85006", 360, time_between_book_and_appt="15 to 21 Days"),
    Row("L85006", 90, national_category="Inconsistent Mapping"),
    Row("J99001", 1000, national_category=TRIAGE, sub_icb_location_code="92G"),
]

PRACTICE = reverse("practices:practice", args=["L85001"])
PCN_A = reverse("pcns:detail", args=["U00001"])
ACCESS = reverse("metrics:access")
ACCESS_CSV = reverse("metrics:access_csv")
PRACTICE_CSV = reverse("metrics:org_access_csv", args=["practice", "L85001"])
PCN_CSV = reverse("metrics:org_access_csv", args=["pcn", "U00001"])
CHART_CSV_HEADER = [
    "measure", "period", "org_code", "numerator", "denominator", "denominator_month", "value",
    "per_working_day", "icb_code", "icb_value", "england_p10", "england_median", "england_p90",
]  # fmt: skip


@pytest.fixture
def march(tree, tmp_path):
    return gpad_month_load(tmp_path, MARCH_ROWS)


def csv_rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def value_of(code: str, measure: str, month: dt.date = MARCH_2025) -> MeasureValue:
    return MeasureValue.objects.get(org__code=code, measure_id=measure, period=month)


# --- Who may see them --------------------------------------------------------------------------

# Asking for QSL by name, so a manager of the ICB next door is refused rather than shown theirs.
PAGES = {
    "access": f"{ACCESS}?icb=QSL",
    "access csv": f"{ACCESS_CSV}?icb=QSL",
    "practice csv": PRACTICE_CSV,
    "pcn csv": PCN_CSV,
    "practice chart csv": f"{PRACTICE_CSV}?measure=same_day_pct",
    "pcn chart csv": f"{PCN_CSV}?measure=appointments_total",
}
EXPECTED = {
    "anonymous": 302,
    "icb_manager": 200,
    "pcn_manager": 200,  # reads published figures across the ICB to compare with peers
    "board_member": 200,
    "no_role": 403,
    "other_icb": 403,
}


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("role", pages.ROLES)
def test_who_may_open_the_access_pages(client, request, march, role, page):
    response = page_as(client, pages.user_for(request, role), PAGES[page])

    assert response.status_code == EXPECTED[role]


def test_anonymous_visitors_are_sent_to_sign_in(client, march):
    response = client.get(ACCESS)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_manager_of_another_icb_sees_their_own_icb_and_none_of_ours(client, tree, march):
    text = visible_text(page_as(client, pages.other_icb_manager(tree), ACCESS))

    assert "Far Away Surgery (J99001)" in text
    assert "L85001" not in text and "PCN U00001" not in text


@pytest.mark.parametrize("query", ["pcn=U99999", "place=92G"])
def test_filtering_by_another_icbs_place_or_pcn_is_refused(client, icb_manager, march, query):
    assert page_as(client, icb_manager, f"{ACCESS}?{query}").status_code == 403


@pytest.mark.parametrize(
    "query", ["pcn=U00404", "month=2024-01", "month=March", "measure=no_such_measure"]
)
def test_unknown_filters_are_not_found(client, icb_manager, march, query):
    assert page_as(client, icb_manager, f"{ACCESS}?{query}").status_code == 404


def test_a_practice_access_csv_is_refused_outside_the_readers_icbs(client, tree, march):
    client.force_login(pages.other_icb_manager(tree))

    assert client.get(PRACTICE_CSV).status_code == 403
    url = reverse("metrics:org_access_csv", args=["practice", "J99001"])
    assert client.get(url).status_code == 200


def test_a_charts_csv_is_refused_outside_the_readers_icbs(client, tree, march):
    client.force_login(pages.other_icb_manager(tree))

    assert client.get(f"{PRACTICE_CSV}?measure=same_day_pct").status_code == 403
    assert client.get(f"{PCN_CSV}?measure=same_day_pct").status_code == 403
    own = reverse("metrics:org_access_csv", args=["practice", "J99001"])
    assert client.get(f"{own}?measure=same_day_pct").status_code == 200


def test_only_practices_and_pcns_have_an_access_csv(client, icb_manager, march):
    url = reverse("metrics:org_access_csv", args=["icb", "QSL"])

    assert page_as(client, icb_manager, url).status_code == 404


def test_the_navigation_and_home_page_lead_to_the_access_pages(client, icb_manager, march):
    html = page_as(client, icb_manager, reverse("home")).content.decode()

    assert f'href="{ACCESS}"' in html
    assert f'href="{ACCESS}?icb=QSL"' in html
    assert f'href="{reverse("metrics:data_quality")}?icb=QSL"' in html


# --- The Access section of the practice and PCN pages ----------------------------------------


def test_the_practice_page_shows_each_measure_for_the_latest_month(client, board_member, march):
    text = visible_text(page_as(client, board_member, PRACTICE))
    access = text.split("Access measures for Surgery L85001, Mar 2025")[1]

    assert "Appointments What this measures and why it matters" in access
    assert "Value 1,000 Change on last year – Change on baseline –" in access
    assert "Appointments per 1,000 patients" in access and "Value 166.7" in access
    assert "Same-day appointments" in access and "Value 60.0%" in access
    assert "Did not attend" in access and "Value 10.0%" in access


def test_percentiles_place_the_practice_in_england_and_its_icb(client, board_member, march):
    text = visible_text(page_as(client, board_member, PRACTICE))
    same_day = value_of("L85001", "same_day_pct")

    row = text.split("Same-day appointments What this measures")[1].split("Measure ")[0]
    assert f"Percentile in England {round(same_day.percentile_england)}" in row
    assert f"Percentile in ICB {round(same_day.percentile_icb)}" in row


def test_each_measure_says_what_it_counts_and_why_it_matters(client, board_member, march):
    html = page_as(client, board_member, PRACTICE).content.decode()
    text = visible_text(page_as(client, board_member, PRACTICE))

    assert '<details class="nhsuk-details' in html
    assert "Counted: Appointments with status DNA, out of All appointments." in text
    assert "Missed appointments are lost capacity" in text and "Lower is better." in text


def test_a_change_on_last_year_is_signed_and_in_percentage_points(
    client, board_member, march, tmp_path
):
    last_year = tmp_path / "2024"
    last_year.mkdir()
    gpad_month_load(last_year, [Row("L85001", 500), Row("L85001", 500, appt_status="DNA")],
                    dt.date(2024, 3, 1))  # fmt: skip

    text = visible_text(page_as(client, board_member, PRACTICE))

    # Same day 60.0% now, 100% a year before; DNA 10.0% now, 50.0% then.
    assert "Value 60.0% Change on last year −40.0 pp Change on baseline –" in text
    assert "Value 10.0% Change on last year −40.0 pp" in text
    assert "Value 1,000 Change on last year 0 Change on baseline –" in text


def test_the_pcn_page_shows_its_measures_without_practice_percentiles(client, board_member, march):
    text = visible_text(page_as(client, board_member, PCN_A))
    access = text.split("Access measures for PCN U00001, Mar 2025")[1]

    # L85001, L85002 and, until it moved in April, L85004.
    assert "Value 2,800 Change on last year" in access
    assert "Percentile in England" not in access
    assert "recorded by the PCN's member practices" in text


def test_the_key_measures_are_charted_against_the_icb_and_national_deciles(
    client, board_member, march
):
    response = page_as(client, board_member, PRACTICE)
    html, text = response.content.decode(), visible_text(response)

    for code in ("appointments-per-1000-patients", "same-day-pct", "within-14-days-pct",
                 "dna-pct", "acc08-within-14-days-pct"):  # fmt: skip
        assert f'data-app-chart="access-{code}-figure"' in html
    assert "Same-day appointments: Surgery L85001, its ICB and practices in England" in text
    assert "Practices in England, 10th to 90th percentile" in html and "NHS Somerset ICB" in html
    caption = "Appointments in General Practice (GPAD), NHS England"
    assert f"Source: {caption}. Period: Mar 2025. As at " in text
    assert PRACTICE_CSV in html


def test_a_charts_table_holds_the_organisation_icb_and_england_figures(client, board_member, march):
    text = visible_text(page_as(client, board_member, PRACTICE))
    table = text.split("Figures in this chart: Same-day appointments")[1]
    icb = value_of("QSL", "same_day_pct").value

    assert icb == pytest.approx(60.8)
    assert "Mar 2025 60.0% 60.8%" in table


def test_each_chart_links_to_a_csv_of_its_own_measure(client, board_member, march):
    html = page_as(client, board_member, f"{PRACTICE}?measure=unmapped_pct").content.decode()

    for code in ("appointments_per_1000_patients", "same_day_pct", "within_14_days_pct",
                 "dna_pct", "acc08_within_14_days_pct", "unmapped_pct"):  # fmt: skip
        assert html.count(f'href="{PRACTICE_CSV}?measure={code}"') == 1
    assert html.count(f'href="{PRACTICE_CSV}"') == 1  # every measure, every month


def test_a_pcns_charts_link_to_the_pcns_own_csvs(client, board_member, march):
    html = page_as(client, board_member, PCN_A).content.decode()

    assert f'href="{PCN_CSV}?measure=same_day_pct"' in html
    assert f'href="{PRACTICE_CSV}?measure=same_day_pct"' not in html


def chart_table(text: str, title: str, org_name: str = "Surgery L85001") -> str:
    caption = f"{title}: {org_name}, its ICB and practices in England, by month, latest month first"
    return text.split(caption)[1].split("Download")[0]


def test_a_count_is_also_shown_per_working_day_in_its_charts_table(client, board_member, march):
    text = visible_text(page_as(client, board_member, f"{PRACTICE}?measure=appointments_total"))
    table = chart_table(text, "Appointments")

    # 1,000 appointments over 21 working days; the ICB 5,000; England's practices that
    # recorded completely 800, 900, 900, 1,000, 1,000, 1,000 (median 950, 10th 850, 90th 1,000).
    assert (
        "Month Surgery L85001 Surgery L85001, per working day NHS Somerset ICB "
        "Median practice in England Practices in England, 10th to 90th percentile "
        "Mar 2025 1,000 47.6 5,000 950 850 to 1,000"
    ) in table
    assert "Per working day: weekdays in the month, less bank holidays in England." in table


def test_a_percentage_has_no_per_working_day_column(client, board_member, march):
    text = visible_text(page_as(client, board_member, PRACTICE))
    table = chart_table(text, "Same-day appointments")

    assert "per working day" not in table.lower()
    # England: 12.5, 50, 60, 60, 100 and 100 (L85005 left out): median 60, 10th 31.25.
    assert "Mar 2025 60.0% 60.8% 60.0% 31.2% to 100.0%" in table


def test_a_pcns_charts_table_shows_its_appointments_per_working_day(client, board_member, march):
    text = visible_text(page_as(client, board_member, f"{PCN_A}?measure=appointments_total"))
    table = chart_table(text, "Appointments", "PCN U00001")

    # L85001, L85002 and L85004: 2,800 appointments over 21 working days.
    assert "Mar 2025 2,800 133.3 5,000" in table


def test_another_measure_is_charted_when_chosen(client, board_member, march):
    html = page_as(client, board_member, f"{PRACTICE}?measure=unmapped_pct").content.decode()

    assert 'data-app-chart="access-unmapped-pct-figure"' in html
    assert re.search(r'<option value="unmapped_pct" selected\s*>', html)


def test_a_page_with_no_appointments_loaded_says_so(client, board_member):
    text = visible_text(page_as(client, board_member, PRACTICE))

    assert "No GP appointments data has been loaded for Surgery L85001 yet." in text


def test_the_practice_page_queries_do_not_grow_with_months_loaded(
    client, board_member, march, tmp_path
):
    client.force_login(board_member)
    with CaptureQueriesContext(connection) as one_month:
        client.get(PRACTICE)
    april = tmp_path / "april"
    april.mkdir()
    gpad_month_load(april, MARCH_ROWS, APRIL_2025)

    with CaptureQueriesContext(connection) as two_months:
        response = client.get(PRACTICE)

    assert "Period: Mar 2025 to Apr 2025" in visible_text(response)
    assert len(two_months.captured_queries) == len(one_month.captured_queries)


# --- The CSV of one organisation's figures ----------------------------------------------------


def test_the_practice_csv_holds_every_value_unrounded_with_its_batch(client, board_member, march):
    response = page_as(client, board_member, PRACTICE_CSV)
    rows = csv_rows(response)

    assert 'filename="access-L85001.csv"' in response["Content-Disposition"]
    assert len(rows) == MeasureValue.objects.filter(org__code="L85001").count() == 13
    same_day = next(r for r in rows if r["measure"] == "same_day_pct")
    held = value_of("L85001", "same_day_pct")
    assert same_day["period"] == "2025-03-01"
    assert (same_day["numerator"], same_day["denominator"]) == ("600", "1000")
    assert float(same_day["value"]) == held.value
    assert float(same_day["percentile_england"]) == held.percentile_england
    assert same_day["change_year"] == "" and same_day["change_baseline"] == ""
    assert same_day["batch_id"] == str(march.pk)


def test_the_pcn_csv_holds_the_pcns_own_values(client, board_member, march):
    rows = csv_rows(page_as(client, board_member, PCN_CSV))

    total = next(r for r in rows if r["measure"] == "appointments_total")
    assert total["org_code"] == "U00001" and total["numerator"] == "2800"
    assert total["percentile_england"] == ""


def chart_csv(client, user, url: str, measure: str) -> tuple[list[str], list[dict[str, str]]]:
    response = page_as(client, user, f"{url}?measure={measure}")
    assert response.status_code == 200
    header = next(csv.reader(io.StringIO(response.content.decode())))
    return header, csv_rows(response)


def test_a_charts_csv_holds_the_figures_behind_that_chart(client, board_member, march):
    response = page_as(client, board_member, f"{PRACTICE_CSV}?measure=same_day_pct")
    header, rows = chart_csv(client, board_member, PRACTICE_CSV, "same_day_pct")

    assert 'filename="access-L85001-same_day_pct.csv"' in response["Content-Disposition"]
    assert header == CHART_CSV_HEADER
    assert len(rows) == 1
    row = rows[0]
    assert (row["measure"], row["period"], row["org_code"]) == (
        "same_day_pct", "2025-03-01", "L85001"
    )  # fmt: skip
    assert (row["numerator"], row["denominator"]) == ("600", "1000")
    assert float(row["value"]) == 60.0
    assert row["per_working_day"] == ""  # a percentage has none: blank, not 0
    # QSL: 3,040 same-day appointments of 5,000.
    assert row["icb_code"] == "QSL" and float(row["icb_value"]) == pytest.approx(60.8)
    # England: 12.5, 50, 60, 60, 100 and 100, interpolated.
    assert float(row["england_p10"]) == pytest.approx(31.25)
    assert float(row["england_median"]) == pytest.approx(60.0)
    assert float(row["england_p90"]) == pytest.approx(100.0)


def test_a_charts_csv_gives_a_count_per_working_day_without_bank_holidays(
    client, board_member, march, tmp_path
):
    april = tmp_path / "april"
    april.mkdir()
    gpad_month_load(april, MARCH_ROWS, APRIL_2025)

    _, rows = chart_csv(client, board_member, PRACTICE_CSV, "appointments_total")

    assert [r["period"] for r in rows] == ["2025-03-01", "2025-04-01"]
    assert [r["numerator"] for r in rows] == ["1000", "1000"]
    assert [r["denominator"] for r in rows] == ["", ""]
    per_day = [float(r["per_working_day"]) for r in rows]
    assert per_day == pytest.approx([1000 / MARCH_WORKING_DAYS, 1000 / APRIL_WORKING_DAYS])
    assert per_day[1] == pytest.approx(50.0)
    assert [float(r["icb_value"]) for r in rows] == [5000.0, 5000.0]
    assert [float(r["england_median"]) for r in rows][0] == pytest.approx(950.0)


def test_a_pcns_chart_csv_follows_its_members_month_by_month(client, board_member, march, tmp_path):
    april = tmp_path / "april"
    april.mkdir()
    gpad_month_load(april, MARCH_ROWS, APRIL_2025)

    _, rows = chart_csv(client, board_member, PCN_CSV, "appointments_total")

    # March: L85001, L85002 and L85004 (2,800); April, after L85004 moved: 1,800.
    assert [(r["org_code"], r["numerator"]) for r in rows] == [("U00001", "2800"),
                                                               ("U00001", "1800")]  # fmt: skip
    assert float(rows[0]["per_working_day"]) == pytest.approx(2800 / MARCH_WORKING_DAYS)
    assert float(rows[1]["per_working_day"]) == pytest.approx(90.0)  # 1,800 / 20


def test_a_charts_csv_matches_the_rows_of_its_table(client, board_member, march):
    text = visible_text(page_as(client, board_member, PCN_A))
    table = chart_table(text, "Same-day appointments", "PCN U00001")
    _, rows = chart_csv(client, board_member, PCN_CSV, "same_day_pct")

    # 1,200 same-day appointments of 2,800.
    assert (rows[0]["numerator"], rows[0]["denominator"]) == ("1200", "2800")
    assert float(rows[0]["value"]) == pytest.approx(42.857, abs=0.001)
    shown = f"Mar 2025 {float(rows[0]['value']):.1f}% {float(rows[0]['icb_value']):.1f}%"
    assert shown == "Mar 2025 42.9% 60.8%" and shown in table


@pytest.mark.parametrize("measure", ["no_such_measure", "SAME_DAY_PCT", "gpad"])
def test_a_charts_csv_for_an_unknown_measure_is_not_found(client, board_member, march, measure):
    response = page_as(client, board_member, f"{PRACTICE_CSV}?measure={measure}")

    assert response.status_code == 404


def test_a_charts_csv_for_an_unknown_organisation_is_not_found(client, board_member, march):
    url = reverse("metrics:org_access_csv", args=["practice", "L00404"])

    assert page_as(client, board_member, f"{url}?measure=same_day_pct").status_code == 404


def test_a_charts_csv_queries_do_not_grow_with_months_loaded(client, board_member, march, tmp_path):
    client.force_login(board_member)
    url = f"{PCN_CSV}?measure=same_day_pct"
    with CaptureQueriesContext(connection) as one_month:
        client.get(url)
    april = tmp_path / "april"
    april.mkdir()
    gpad_month_load(april, MARCH_ROWS, APRIL_2025)

    with CaptureQueriesContext(connection) as two_months:
        rows = csv_rows(client.get(url))

    assert len(rows) == 2
    assert len(two_months.captured_queries) == len(one_month.captured_queries)


# --- The ICB access page ----------------------------------------------------------------------


def test_the_access_page_has_a_row_per_pcn_and_per_practice(client, board_member, march):
    text = visible_text(page_as(client, board_member, ACCESS))

    assert "Access: GP appointments, Mar 2025" in text
    # Per working day: 2,800 / 21 = 133.3 and 1,000 / 21 = 47.6.
    assert (
        "PCN PCN U00001 (U00001) Appointments 2,800 Appointments per working day 133.3 "
        "Registered patients 24,000 Appointments per 1,000 patients 116.7 "
        "Same-day appointments 42.9%"
    ) in text
    # The ICB's key measures in their order (the default list: it has not set its own).
    assert re.search(
        r"Practice Surgery L85001 \(L85001\) PCN PCN U00001 Appointments 1,000 "
        r"Appointments per working day 47\.6 Registered patients 6,000 "
        r"Appointments per 1,000 patients 166\.7 Same-day appointments 60\.0% "
        r"Appointments within 14 days 90\.0% ACC-08: appointments within two weeks .{1,12}? "
        r"Appointments after more than 28 days .{1,12}? Did not attend 10\.0%",
        text,
    )
    assert "Practice Surgery L85006 (L85006) PCN No PCN Appointments 900" in text


def test_the_icb_and_england_are_shown_for_reference(client, board_member, march):
    text = visible_text(page_as(client, board_member, ACCESS))
    icb, england = value_of("QSL", "appointments_total"), value_of("ENG", "appointments_total")

    assert f"NHS Somerset ICB (QSL) Appointments {icb.numerator:,}" in text
    assert f"England (national) Appointments {england.numerator:,}" in text
    assert icb.numerator == 5000 and england.numerator == 5600  # England leaves out L85005


def test_a_practice_that_recorded_too_little_is_tagged(client, board_member, march):
    html = page_as(client, board_member, ACCESS).content.decode()

    row = html.split("Surgery L85005 (L85005)")[1].split("</tr>")[0]
    assert "nhsuk-tag--orange" in row and "Incomplete recording" in row
    assert "Incomplete recording" not in html.split("Surgery L85001 (L85001)")[1].split("</tr>")[0]


def practice_order(response) -> list[str]:
    text = visible_text(response).split("Practices, Mar 2025")[1]
    return [part.split(")")[0] for part in text.split("Practice Surgery ")[1:]]


def test_the_practice_table_sorts_by_a_measure_either_way(client, board_member, march):
    client.force_login(board_member)

    down = practice_order(client.get(f"{ACCESS}?sort=same_day_pct&dir=desc"))
    up = practice_order(client.get(f"{ACCESS}?sort=same_day_pct&dir=asc"))

    # Same day: L85003 100%, L85005 100%, L85001 60%, L85006 60%, L85004 50%, L85002 12.5%.
    assert down == ["L85003 (L85003", "L85005 (L85005", "L85001 (L85001", "L85006 (L85006",
                    "L85002 (L85002"]  # fmt: skip
    assert up[0] == "L85002 (L85002"


def test_sorted_headings_say_so_and_link_to_the_other_direction(client, board_member, march):
    html = page_as(client, board_member, f"{ACCESS}?sort=dna_pct&dir=desc").content.decode()

    heading = html.split('aria-sort="descending"')[1].split("</th>")[0]
    assert "Did not attend" in heading and "sort=dna_pct&amp;dir=asc" in heading
    assert html.count('aria-sort="descending"') == 2  # the PCN and practice tables
    assert "sort=same_day_pct&amp;dir=asc" in html and "month=2025-03" in html


def test_an_unknown_sort_falls_back_to_names(client, board_member, march):
    response = page_as(client, board_member, f"{ACCESS}?sort=nonsense&dir=sideways")

    assert response.status_code == 200
    assert practice_order(response)[0] == "L85001 (L85001"


def test_the_reference_rows_show_appointments_per_working_day(client, board_member, march):
    text = visible_text(page_as(client, board_member, ACCESS))

    # QSL 5,000 and England 5,600 appointments over 21 working days.
    assert "NHS Somerset ICB (QSL) Appointments 5,000 Appointments per working day 238.1" in text
    assert "England (national) Appointments 5,600 Appointments per working day 266.7" in text


def test_the_practice_table_sorts_by_appointments_per_working_day(client, board_member, march):
    client.force_login(board_member)

    up = practice_order(client.get(f"{ACCESS}?sort=per_working_day&dir=asc"))
    html = client.get(f"{ACCESS}?sort=per_working_day&dir=desc").content.decode()

    # Per working day: L85005 19.0, L85002 38.1, L85003 and L85006 42.9, L85001 47.6.
    assert up == ["L85005 (L85005", "L85002 (L85002", "L85003 (L85003", "L85006 (L85006",
                  "L85001 (L85001"]  # fmt: skip
    heading = html.split('aria-sort="descending"')[1].split("</th>")[0]
    assert (
        "Appointments per working day" in heading and "sort=per_working_day&amp;dir=asc" in heading
    )


def test_filtering_by_pcn_keeps_its_practices_only(client, board_member, march):
    page = visible_text(page_as(client, board_member, f"{ACCESS}?pcn=U00001"))
    text = page.split("PCNs, Mar 2025")[1]

    assert "Surgery L85001" in text and "Surgery L85002" in text and "Moving Surgery" in text
    assert "Surgery L85003" not in text and "PCN U00002 (U00002)" not in text
    assert "NHS Somerset ICB (QSL)" in text


def test_filtering_by_place_adds_the_place_for_reference(client, board_member, march):
    text = visible_text(page_as(client, board_member, f"{ACCESS}?place=11X"))

    assert "NHS Somerset ICB - 11X (11X) Appointments 5,000" in text


def test_a_chosen_month_uses_the_memberships_of_that_month(client, board_member, march, tmp_path):
    april = tmp_path / "april"
    april.mkdir()
    gpad_month_load(april, MARCH_ROWS, APRIL_2025)

    march_text = visible_text(page_as(client, board_member, f"{ACCESS}?month=2025-03"))
    april_text = visible_text(client.get(ACCESS))

    assert "Moving Surgery (L85004) PCN PCN U00001" in march_text
    assert "Access: GP appointments, Apr 2025" in april_text
    assert "Moving Surgery (L85004) PCN PCN U00002" in april_text


def test_another_measure_can_be_added_as_a_column(client, board_member, march):
    text = visible_text(page_as(client, board_member, f"{ACCESS}?measure=unmapped_pct"))

    assert "Surgery L85002 (L85002)" in text
    row = text.split("Surgery L85002 (L85002)")[1].split("Practice ")[0]
    assert "Unmapped appointments 12.5%" in row


def test_the_access_csv_matches_the_database_and_the_page_order(client, board_member, march):
    url = f"{ACCESS_CSV}?sort=same_day_pct&dir=desc"
    response = page_as(client, board_member, url)
    rows = csv_rows(response)

    assert 'filename="access-QSL-2025-03.csv"' in response["Content-Disposition"]
    practices = [r for r in rows if r["level"] == "practice"]
    assert [r["code"] for r in practices][:2] == ["L85003", "L85005"]
    first = next(r for r in practices if r["code"] == "L85001")
    assert first["pcn_code"] == "U00001" and first["place_code"] == "11X"
    assert float(first["same_day_pct"]) == value_of("L85001", "same_day_pct").value
    assert first["patients"] == "6000" and first["appointments_total"] == "1000.0"
    assert next(r for r in practices if r["code"] == "L85005")["incomplete_recording"] == "yes"
    levels = [r["level"] for r in rows]
    assert levels.count("pcn") == 3 and levels[-2:] == ["icb", "england"]


def test_the_access_csv_ends_with_appointments_per_working_day(client, board_member, march):
    response = page_as(client, board_member, f"{ACCESS_CSV}?sort=per_working_day&dir=desc")
    header = next(csv.reader(io.StringIO(response.content.decode())))
    rows = csv_rows(response)

    assert header[-1] == "appointments_per_working_day"
    practices = [r for r in rows if r["level"] == "practice"]
    # 1,000 each for Moving Surgery and L85001 (ties by name), then 900, 900, 800 and 400.
    assert [r["code"] for r in practices] == ["L85004", "L85001", "L85003", "L85006", "L85002",
                                              "L85005"]  # fmt: skip
    per_day = {r["code"]: float(r["appointments_per_working_day"]) for r in rows}
    assert per_day["L85001"] == pytest.approx(1000 / MARCH_WORKING_DAYS)
    assert per_day["U00001"] == pytest.approx(2800 / MARCH_WORKING_DAYS)
    assert per_day["QSL"] == pytest.approx(5000 / MARCH_WORKING_DAYS)


def test_the_access_page_queries_do_not_grow_with_practices(
    client, tree, board_member, tmp_path, django_assert_max_num_queries
):
    extra = []
    for number in range(20):
        practice = org("practice", f"L86{number:03d}", f"Extra Surgery {number}")
        link(practice, tree.place)
        link(practice, tree.pcn_b)
        list_size(practice, MARCH_2025, 4000)
        extra.append(Row(practice.code, 400))
    gpad_month_load(tmp_path, MARCH_ROWS + extra)
    client.force_login(board_member)

    with django_assert_max_num_queries(16):
        response = client.get(ACCESS)

    assert "Extra Surgery 19 (L86019)" in visible_text(response)


def test_a_staff_admin_with_no_icb_is_told_there_is_nothing_to_show(client, staff_admin, march):
    text = visible_text(page_as(client, staff_admin, ACCESS))

    assert "either your account is not linked to an ICB" in text
