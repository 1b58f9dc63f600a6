"""/api/v1/arrs/fte-table/: the board's WTE table by role and date, with the workforce page's
choices and figures, for the ICBs a reader reads; anything it cannot use is a 400."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from arrs.models import ArrsRole
from arrs.services import icb_in_post_set
from tests.api import READ_STATUS, ROLES, api_as, csv_rows, user_for

pytestmark = pytest.mark.django_db
URL = "/api/v1/arrs/fte-table/"
MARCH_31 = dt.date(2026, 3, 31)


def rows_of(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def cell(rows, role: str | None, column: str, on: str) -> dict:
    found = [r for r in rows if r["role"] == role and r["column"] == column and r["on"] == on]
    assert len(found) == 1, (role, column, on)
    return found[0]


@pytest.mark.parametrize("who", ROLES)
def test_who_may_read_the_table(request, plans, who):
    response = api_as(user_for(request, who)).get(URL, {"financial_year": 2026})

    assert response.status_code == READ_STATUS[who]


def test_the_table_is_the_workforce_pages(client, plans, in_post, board_member):
    client.force_login(board_member)
    page = client.get(reverse("arrs:fte_csv") + "?year=2026").content.decode()
    shown = list(csv.reader(io.StringIO(page)))

    rows = rows_of(api_as(board_member).get(URL, {"financial_year": 2026, "page_size": 500}))

    labels = shown[0][2:]
    assert labels[0] == "In post 30 Jun 2026" and labels[-1] == "Planned 31 Mar 2027"
    for line in shown[1:-1]:  # every role and the total; not the 'PCNs with figures' row
        for label, value in zip(labels, line[2:], strict=True):
            ours = [r for r in rows if r["role_name"] == line[0] and r["column_label"] == label]
            assert len(ours) == 1, (line[0], label)
            assert (Decimal(ours[0]["wte"]) if ours[0]["wte"] else None) == (
                Decimal(value) if value else None
            ), (line[0], label)
    pharmacist = cell(rows, "clinical_pharmacist", "in_post", "2026-06-30")
    assert Decimal(pharmacist["wte"]) == Decimal("3.7")
    assert pharmacist["pcns_with_figures"] == 2 and pharmacist["pcns_total"] == 3
    planned = cell(rows, "clinical_pharmacist", "planned", "2027-03-31")
    assert Decimal(planned["wte"]) == 3 and planned["pcns_with_figures"] == 1
    assert planned["plan_round_name"] == "2026/27 August" and planned["org_code"] == "QSL"
    assert cell(rows, "paramedic", "planned", "2027-03-31")["wte"] is None  # blank, not 0
    assert cell(rows, None, "in_post", "2026-06-30")["row"] == "total"


def test_a_pcn_place_and_dates_are_chosen_as_on_the_page(plans, in_post, board_member):
    rows = rows_of(
        api_as(board_member).get(
            URL, {"financial_year": 2026, "pcn": "u00002", "in_post": "2026-06-30"}
        )
    )

    assert {(r["column"], r["on"]) for r in rows} == {("in_post", "2026-06-30")}
    assert {(r["org_type"], r["org_code"], r["pcns_total"]) for r in rows} == {("pcn", "U00002", 1)}
    assert Decimal(cell(rows, "clinical_pharmacist", "in_post", "2026-06-30")["wte"]) == Decimal(
        "1.2"
    )
    place = rows_of(api_as(board_member).get(URL, {"financial_year": 2026, "place": "11X"}))
    assert {r["org_type"] for r in place} == {"place"}


def test_the_icbs_own_totals_fill_a_date_no_pcn_has(plans, in_post, icb_manager):
    pharmacist = ArrsRole.objects.get(code="clinical_pharmacist")
    icb_in_post_set(
        icb=in_post.icb, as_at=MARCH_31, values={pharmacist.pk: Decimal("4.5")}, user=icb_manager
    )

    rows = rows_of(
        api_as(icb_manager).get(
            URL, [("financial_year", 2026), ("in_post", "2026-03-31"), ("in_post", "2026-06-30")]
        )
    )

    march = cell(rows, "clinical_pharmacist", "in_post", "2026-03-31")
    june = cell(rows, "clinical_pharmacist", "in_post", "2026-06-30")
    assert Decimal(march["wte"]) == Decimal("4.5") and march["icb_total_only"] is True
    assert Decimal(june["wte"]) == Decimal("3.7") and june["icb_total_only"] is False
    # the ICB's own totals are for the whole ICB: a PCN has no figures on that date
    for_a_pcn = api_as(icb_manager).get(
        URL, {"financial_year": 2026, "pcn": "U00001", "in_post": "2026-03-31"}
    )
    assert for_a_pcn.status_code == 400
    assert "No figures for 2026-03-31" in str(for_a_pcn.json()["fields"]["in_post"])


@pytest.mark.parametrize(
    "query, field, says",
    [
        ({"org": "QSL"}, "org", "It takes:"),
        ({"place": "92G"}, "place", "Its places: 11X"),
        ({"pcn": "U99999"}, "pcn", "Its PCNs: U00001, U00002, U00003"),
        ({"round": 999999}, "round", "Its rounds:"),
        ({"in_post": "2026-01-01"}, "in_post", "Dates held: 2026-06-30"),
        ({"planned": "2026-11-30"}, "planned", "Dates held: 2026-09-30, 2026-12-31, 2027-03-31"),
        ({"in_post": "not a date"}, "in_post", ""),
        ({"financial_year": 1900}, "financial_year", ""),
    ],
)
def test_what_the_table_cannot_use_is_400_naming_it(
    plans, in_post, icb_manager, query, field, says
):
    response = api_as(icb_manager).get(URL, {"financial_year": 2026, **query})

    assert response.status_code == 400
    fields = response.json()["fields"]
    assert field in fields and says in str(fields[field])


def test_an_icb_the_reader_does_not_read_is_404(plans, icb_manager):
    assert api_as(icb_manager).get(URL, {"icb": "QOX"}).status_code == 404


def test_a_manager_of_another_icb_reads_their_own(request, plans):
    rows = rows_of(api_as(user_for(request, "other_icb")).get(URL, {"financial_year": 2026}))

    assert {r["icb"] for r in rows} <= {"QOX"}


def test_the_table_as_csv_and_unchanged_as_304(plans, in_post, board_member):
    client = api_as(board_member)

    response = client.get(URL, {"financial_year": 2026, "format": "csv"})
    again = client.get(URL, {"financial_year": 2026}, HTTP_IF_NONE_MATCH="x")
    first = client.get(URL, {"financial_year": 2026})
    unchanged = client.get(URL, {"financial_year": 2026}, HTTP_IF_NONE_MATCH=first["ETag"])

    lines = csv_rows(response)
    pharmacist = [
        r for r in lines if r["role"] == "clinical_pharmacist" and r["on"] == "2026-06-30"
    ]
    assert (
        pharmacist[0]["wte"] == "3.7000" and pharmacist[0]["column_label"] == "In post 30 Jun 2026"
    )
    assert again.status_code == 200 and unchanged.status_code == 304
