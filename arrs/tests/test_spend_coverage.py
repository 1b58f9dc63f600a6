"""The ICB's money adds up over the PCNs it says it covers: allocation, projected spend,
headroom and claims are summed over the PCNs with an accepted plan (and an allocation), and
the page, spend.csv and the API say which PCNs those are and which are left out."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from arrs.models import Allocation, ArrsRole, Claim
from arrs.selectors import published_spend
from arrs.tests.conftest import accepted, submitted
from arrs.tests.plans import plan_round
from tests.api import api_as
from tests.pages import page_as, visible_text

pytestmark = pytest.mark.django_db
SPEND = "/api/v1/arrs/spend/"
TODAY = dt.date(2026, 8, 15)


@pytest.fixture
def two_of_three(tree, icb_manager):
    """U00001 and U00002 have accepted plans; U00003's plan awaits review. All three have an
    allocation, and U00003 has claimed."""
    rnd = plan_round(tree.icb)
    accepted(tree.pcn_a, rnd, icb_manager, icb_manager, {"Clinical Pharmacist": (2, 2.5, 3, 3)})
    accepted(tree.pcn_b, rnd, icb_manager, icb_manager, {"Paramedic": (1, 1, 1.5, 2)})
    submitted(tree.pcn_c, rnd, icb_manager, {"Dietitian": (1, 1, 1, 1)})
    for pcn, amount in ((tree.pcn_a, "250000"), (tree.pcn_b, "300000"), (tree.pcn_c, "900000")):
        Allocation.objects.create(pcn=pcn, financial_year=2026, amount=Decimal(amount))
    Claim.objects.create(
        pcn=tree.pcn_c,
        role=ArrsRole.objects.get(code="dietitian"),
        month=dt.date(2026, 4, 1),
        amount=Decimal("4000"),
    )
    return rnd


def _sum(values) -> Decimal:
    return sum((value for value in values if value is not None), Decimal(0))


def test_the_icb_total_is_the_sum_of_the_pcns_with_an_accepted_plan(tree, two_of_three):
    found = published_spend(icb=tree.icb, year=2026, round_id=None, today=TODAY)
    total = found.total
    counted = [row for row in found.rows if row.pcn in total.included]

    assert [p.code for p in total.included] == ["U00001", "U00002"]
    assert [p.code for p in total.not_included] == ["U00003"]
    assert (total.pcns_included, total.pcns_total) == (2, 3)
    assert total.spend.allocation == Decimal("550000")  # not 1,450,000 with U00003's
    assert total.spend.projected == _sum(row.spend.projected for row in counted)
    assert total.spend.headroom == _sum(row.spend.headroom for row in found.rows)
    assert total.spend.headroom == total.spend.allocation - total.spend.projected
    assert total.spend.claimed is None  # U00003's claims are not counted against the others


def test_a_pcn_with_a_plan_but_no_allocation_is_left_out_and_says_why(
    tree, two_of_three, icb_manager
):
    Allocation.objects.filter(pcn=tree.pcn_b).delete()

    total = published_spend(icb=tree.icb, year=2026, round_id=None, today=TODAY).total

    assert [p.code for p in total.included] == ["U00001"]
    assert [p.code for p in total.no_plan] == ["U00003"]
    assert [p.code for p in total.no_allocation] == ["U00002"]
    assert total.spend.allocation == Decimal("250000")
    assert total.spend.headroom == total.spend.allocation - total.spend.projected


def test_the_page_says_what_the_icb_row_covers(client, two_of_three, board_member):
    text = visible_text(page_as(client, board_member, reverse("arrs:icb") + "?year=2026"))

    assert "2 of 3 PCNs have an accepted plan; not included: PCN U00003." in text
    assert "NHS Somerset ICB (2 of 3 PCNs) Allocation 2026/27 £550,000" in text
    assert "£1,450,000" not in text


def test_spend_csv_rows_add_up_to_the_icb_row_and_say_what_it_covers(
    client, two_of_three, board_member
):
    client.force_login(board_member)
    response = client.get(reverse("arrs:spend_csv") + "?year=2026")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    pcns, icb = rows[:-1], rows[-1]
    counted = [row for row in pcns if row["included_in_icb_total"] == "yes"]

    assert [row["pcn_code"] for row in counted] == ["U00001", "U00002"]
    assert [row["included_in_icb_total"] for row in pcns] == ["yes", "yes", "no"]
    assert (icb["pcns_included"], icb["pcns_total"]) == ("2", "3")
    assert icb["pcns_not_included"] == "PCN U00003"
    for column in ("allocation", "projected_spend", "headroom"):
        assert Decimal(icb[column]) == sum(Decimal(row[column]) for row in counted), column
    assert Decimal(icb["headroom"]) == sum(Decimal(r["headroom"]) for r in pcns if r["headroom"])


def test_the_api_icb_row_adds_up_and_names_the_pcns_left_out(two_of_three, board_member):
    body = api_as(board_member).get(SPEND, {"financial_year": 2026}).json()
    rows = body["results"] if isinstance(body, dict) else body
    pcns, icb = rows[:-1], rows[-1]

    assert icb["org_type"] == "icb"
    assert (icb["pcns_included"], icb["pcns_total"]) == (2, 3)
    assert icb["pcns_not_included"] == ["U00003"]
    assert [row["included_in_icb_total"] for row in pcns] == [True, True, False]
    assert Decimal(icb["allocation"]) == Decimal("550000")
    assert Decimal(icb["headroom"]) == sum(Decimal(r["headroom"]) for r in pcns if r["headroom"])
