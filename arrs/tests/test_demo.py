"""The demo ICB's ARRS workforce, loaded through the importers and the plan services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum

from arrs.models import Allocation, NwrsStaffCount, PlanRound, PlanStatus, WorkforcePlan
from arrs.selectors import in_post_dates
from demo.arrs import nwrs_write
from demo.services import demo_icb_load, demo_workforce_load
from demo.structure import demo_structure
from metrics.models import BatchStatus
from tests.real_data import real_file

pytestmark = pytest.mark.django_db


def test_the_demo_has_allocations_staff_in_post_claims_and_two_rounds_of_plans(tmp_path):
    demo_icb_load(out_dir=tmp_path, appointments=False)
    batches = demo_workforce_load(out_dir=tmp_path)

    assert {batch.status for batch in batches} == {BatchStatus.SUCCEEDED}
    assert [b.source for b in batches].count("nwrs-pcn") == 9
    allocations = Allocation.objects.filter(financial_year=2026)
    assert allocations.count() == 13
    assert Decimal("12000000") < allocations.aggregate(t=Sum("amount"))["t"] < Decimal("16000000")
    dates = in_post_dates(allocations.values_list("pcn_id", flat=True))
    assert (len(dates), dates[0], dates[-1]) == (9, dt.date(2024, 9, 30), dt.date(2026, 9, 30))
    assert NwrsStaffCount.objects.filter(
        detailed_staff_role="Clinical Director \u2013 Medical"
    ).exists()

    rounds = {r.label: r for r in PlanRound.objects.all()}
    assert set(rounds) == {"August", "October"} and not rounds["August"].is_open
    august = WorkforcePlan.objects.filter(plan_round=rounds["August"])
    assert august.filter(status=PlanStatus.ACCEPTED).count() == 13
    october = list(
        WorkforcePlan.objects.filter(plan_round=rounds["October"]).values_list("status", flat=True)
    )
    assert sorted(october) == sorted(
        [PlanStatus.ACCEPTED] * 10
        + [PlanStatus.SUBMITTED] * 2
        + [PlanStatus.RETURNED, PlanStatus.SUPERSEDED]
    )
    returned = WorkforcePlan.objects.get(status=PlanStatus.RETURNED)
    assert returned.uploaded_by.username == "pcn.manager"

    plans = WorkforcePlan.objects.count()
    again = demo_workforce_load(out_dir=tmp_path)
    assert {batch.status for batch in again} == {BatchStatus.UNCHANGED}
    assert WorkforcePlan.objects.count() == plans


def test_the_demo_nwrs_file_is_written_as_nhs_england_publishes_it(tmp_path):
    real = real_file("nwrs-pcn/PCN_Individual_Level_Sep2022.csv").read_bytes()
    raw = nwrs_write(
        tmp_path / "PCN_Individual_Level_Sep2026.csv", demo_structure(), 8
    ).read_bytes()

    assert raw.split(b"\r\n")[0] == real.split(b"\r\n")[0]  # the columns, in order
    assert raw.count(b"\r\n") == raw.count(b"\n") and not raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("cp1252")
    assert "Clinical Director \u2013 Medical" in text  # an en dash, byte 0x96
    assert ",Other Direct Patient Care staff,Pharmacists,Pharmacist," in text
    assert any(
        line.startswith("NWRS contracted services,") and line.endswith(",NULL")
        for line in text.splitlines()
    )
