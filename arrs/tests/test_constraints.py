"""What must hold is held by the database: each constraint, broken once."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from arrs.models import (
    Allocation,
    ArrsRole,
    Claim,
    InPostCount,
    NwrsRoleMapping,
    NwrsStaffCount,
    PlanFigure,
    PlanLine,
    PlanRound,
    ReimbursementRate,
    WorkforcePlan,
)
from arrs.tests.plans import plan_round

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 9, 30)


def breaks(create) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


@pytest.fixture
def role(db):
    return ArrsRole.objects.get(code="clinical_pharmacist")


def plan(pcn, rnd, status="submitted", **extra) -> WorkforcePlan:
    values = {"submitted_at": timezone.now()} if status != "draft" else {}
    values.update(extra)
    return WorkforcePlan.objects.create(
        pcn=pcn,
        plan_round=rnd,
        status=status,
        as_at=DAY,
        file_name="p.xlsx",
        checksum="x",
        **values,
    )


def test_a_role_needs_a_code_and_a_name(db):
    breaks(lambda: ArrsRole.objects.create(code="", name="Nobody", afc_band="4"))
    breaks(lambda: ArrsRole.objects.create(code="nobody", name="", afc_band="4"))


def test_amounts_are_positive_in_a_known_area_and_held_once(role):
    rate = {"role": role, "effective_from": DAY, "published_on": DAY, "source": "test"}
    breaks(lambda: ReimbursementRate.objects.create(**rate, amount=Decimal("0")))
    breaks(lambda: ReimbursementRate.objects.create(**rate, amount=Decimal("1"), area="mars"))
    ReimbursementRate.objects.create(**rate, amount=Decimal("1"))
    breaks(lambda: ReimbursementRate.objects.create(**rate, amount=Decimal("2")))


def test_one_allocation_per_pcn_and_year_never_negative_in_range(tree):
    breaks(lambda: Allocation.objects.create(pcn=tree.pcn_a, financial_year=2026, amount=-1))
    breaks(lambda: Allocation.objects.create(pcn=tree.pcn_a, financial_year=1999, amount=1))
    breaks(
        lambda: Allocation.objects.create(
            pcn=tree.pcn_a, financial_year=2026, amount=1, rate_area="mars"
        )
    )
    Allocation.objects.create(pcn=tree.pcn_a, financial_year=2026, amount=1)
    breaks(lambda: Allocation.objects.create(pcn=tree.pcn_a, financial_year=2026, amount=2))


def test_round_names_are_unique_per_icb_and_year_and_not_blank(tree):
    plan_round(tree.icb, "August")
    breaks(lambda: plan_round(tree.icb, "August"))
    breaks(lambda: plan_round(tree.icb, ""))
    breaks(lambda: PlanRound.objects.create(icb=tree.icb, financial_year=2101, label="Late"))


def test_only_one_plan_per_pcn_and_round_counts(tree):
    rnd = plan_round(tree.icb)
    plan(tree.pcn_a, rnd, status="accepted")
    plan(tree.pcn_a, rnd, status="draft")
    plan(tree.pcn_a, rnd, status="superseded")
    breaks(lambda: plan(tree.pcn_a, rnd, status="submitted"))


def test_a_plan_status_is_known_confirmed_plans_say_when_and_returns_say_why(tree):
    rnd = plan_round(tree.icb)
    breaks(lambda: plan(tree.pcn_a, rnd, status="lost"))
    breaks(lambda: plan(tree.pcn_a, rnd, status="submitted", submitted_at=None))
    breaks(lambda: plan(tree.pcn_a, rnd, status="returned", review_comment=""))
    plan(tree.pcn_a, rnd, status="returned", review_comment="Paramedics missing")


def test_plan_figures_are_never_negative_and_once_per_role_and_date(tree, role):
    line = PlanLine.objects.create(plan=plan(tree.pcn_a, plan_round(tree.icb)), role=role, row=9)
    breaks(lambda: PlanLine.objects.create(plan=line.plan, role=role, row=10))
    breaks(lambda: PlanLine.objects.create(plan=line.plan, role_id=role.pk + 1, row=10, in_post=-1))
    PlanFigure.objects.create(line=line, on=DAY, wte=None)
    breaks(lambda: PlanFigure.objects.create(line=line, on=DAY, wte=1))
    breaks(lambda: PlanFigure.objects.create(line=line, on=DAY.replace(day=1), wte=-1))


def test_staff_in_post_counts_are_once_per_date_and_never_negative(tree, role):
    InPostCount.objects.create(pcn=tree.pcn_a, role=role, as_at=DAY, fte=None)
    breaks(lambda: InPostCount.objects.create(pcn=tree.pcn_a, role=role, as_at=DAY, fte=1))
    breaks(lambda: InPostCount.objects.create(pcn=tree.pcn_b, role=role, as_at=DAY, fte=-1))
    count = {"pcn": tree.pcn_a, "census_date": DAY, "staff_role": "P", "headcount": 1}
    NwrsStaffCount.objects.create(**count, fte=1)
    breaks(lambda: NwrsStaffCount.objects.create(**count, fte=2))
    # NWRS publishes negative FTE (adjustments) and contracted services without a headcount
    NwrsStaffCount.objects.create(**{**count, "staff_role": "Q", "headcount": None}, fte=-1)


def test_claims_are_for_a_month_once(tree, role):
    breaks(lambda: Claim.objects.create(pcn=tree.pcn_a, role=role, month=DAY, amount=1))
    Claim.objects.create(pcn=tree.pcn_a, role=role, month=DAY.replace(day=1), amount=1)
    breaks(
        lambda: Claim.objects.create(pcn=tree.pcn_a, role=role, month=DAY.replace(day=1), amount=2)
    )


def test_a_staff_role_mapping_has_a_key(db):
    breaks(lambda: NwrsRoleMapping.objects.create(staff_role_key="", staff_role=""))
