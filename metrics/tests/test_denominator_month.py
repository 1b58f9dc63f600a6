"""Appointments per 1,000 patients on a list size more than three months older than the month:
flagged on the access pages and in their tables, and its list-size month given in the CSVs
and the API (``denominator_month``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse

from practices.models import ListSize
from tests.api import api_as
from tests.gpad_files import MARCH_2025, Row, gpad_month_load
from tests.pages import page_as, visible_text

AUGUST = dt.date(2025, 8, 1)
PER_1000 = "appointments_per_1000_patients"
OLD = "list size from Apr 2025"
ACCESS = reverse("metrics:access")


@pytest.fixture
def august(tree, tmp_path):
    """August 2025 for two practices of PCN U00001. The tree's list sizes are for March and
    April 2025, so L85001's is four months old; L85002 also has one for July."""
    ListSize.objects.create(
        practice=tree.practices["L85002"], month=dt.date(2025, 7, 1), all_patients=7100
    )
    return gpad_month_load(tmp_path, [Row("L85001", 900), Row("L85002", 800)], AUGUST)


def row_of(html: str, code: str) -> str:
    """The visible text of the table row naming ``code``."""
    found = [r for r in re.findall(r"<tr.*?</tr>", html, flags=re.S) if f"({code})" in r]
    assert found, f"no row for {code}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found[0]))


def csv_of(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_access_page_flags_a_value_on_an_old_list_size(client, board_member, august):
    html = page_as(client, board_member, f"{ACCESS}?month=2025-08").content.decode()

    assert OLD in row_of(html, "L85001")
    assert "list size from" not in row_of(html, "L85002")
    # The PCN sums both practices' patients: as old as the older list size.
    assert OLD in row_of(html, "U00001")


def test_a_list_size_no_more_than_three_months_old_is_not_flagged(
    client, board_member, tree, tmp_path
):
    gpad_month_load(tmp_path, [Row("L85001", 900)], dt.date(2025, 7, 1))  # April's, 3 months

    text = visible_text(page_as(client, board_member, f"{ACCESS}?month=2025-07"))

    # (The page's key explains the note with an example month: only a real one counts.)
    assert "Surgery L85001" in text and "list size from Apr 2025" not in text


def test_the_practice_page_flags_its_latest_value_and_its_chart_table(client, board_member, august):
    text = visible_text(
        page_as(client, board_member, reverse("practices:practice", args=["L85001"]))
    )

    figures = text.split("Access measures for Surgery L85001, Aug 2025", 1)[1]
    assert OLD in figures.split("Trends", 1)[0]
    chart = text.split("Figures in this chart: Appointments per 1,000", 1)[1]
    assert OLD in chart.split("Figures in this chart", 1)[0]


def test_the_access_csvs_give_the_list_size_month(client, board_member, august):
    table = csv_of(page_as(client, board_member, f"{reverse('metrics:access_csv')}?month=2025-08"))
    months = {r["code"]: r["denominator_month"] for r in table}
    assert (months["L85001"], months["L85002"], months["U00001"]) == (
        "2025-04-01", "2025-07-01", "2025-04-01"
    )  # fmt: skip

    url = reverse("metrics:org_access_csv", args=["pcn", "U00001"])
    rows = csv_of(page_as(client, board_member, url))
    (per_1000,) = [r for r in rows if r["measure"] == PER_1000]
    assert per_1000["denominator_month"] == "2025-04-01"
    (same_day,) = [r for r in rows if r["measure"] == "same_day_pct"]
    assert same_day["denominator_month"] == ""

    chart = csv_of(page_as(client, board_member, f"{url}?measure={PER_1000}"))
    assert chart[0]["denominator_month"] == "2025-04-01"


def test_the_api_gives_each_value_its_denominator_month(icb_manager, august):
    response = api_as(icb_manager).get(
        "/api/v1/measure-values/", {"period": "2025-08", "org_code": "U00001"}
    )

    found = {v["measure"]: v["denominator_month"] for v in response.json()["results"]}
    assert found[PER_1000] == "2025-04"
    assert found["same_day_pct"] is None


def test_march_on_march_list_sizes_is_not_flagged(client, board_member, tmp_path, tree):
    gpad_month_load(tmp_path, [Row("L85001", 900)], MARCH_2025)

    text = visible_text(page_as(client, board_member, ACCESS))

    assert "list size from Mar 2025" not in text
