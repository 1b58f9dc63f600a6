"""ARRS fixtures: a round with plans in every state, allocations, staff in post and claims."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from arrs.models import (
    Allocation,
    ArrsRole,
    Claim,
    InPostCount,
    NwrsStaffCount,
    PlanRound,
    WorkforcePlan,
)
from arrs.services import workforce_plan_review, workforce_plan_submit, workforce_plan_upload
from arrs.tests.plans import plan_file, plan_round


def submitted(pcn, rnd, user, figures, **extra) -> WorkforcePlan:
    upload = plan_file(pcn, figures, **extra)
    plan = workforce_plan_upload(pcn=pcn, plan_round=rnd, upload=upload, user=user).plan
    assert plan is not None
    return workforce_plan_submit(plan=plan, user=user)


def accepted(pcn, rnd, user, reviewer, figures) -> WorkforcePlan:
    plan = submitted(pcn, rnd, user, figures)
    return workforce_plan_review(plan=plan, user=reviewer, accept=True)


@dataclass
class Plans:
    round: PlanRound
    accepted: WorkforcePlan  # PCN U00001
    awaiting: WorkforcePlan  # PCN U00002, submitted
    returned: WorkforcePlan  # PCN U00003
    draft: WorkforcePlan  # PCN U00002, never confirmed


@pytest.fixture
def plans(tree, pcn_manager, icb_manager) -> Plans:
    rnd = plan_round(tree.icb)
    good = accepted(
        tree.pcn_a, rnd, pcn_manager, icb_manager, {"Clinical Pharmacist": (2, 2.5, None, 3)}
    )
    awaiting = submitted(tree.pcn_b, rnd, icb_manager, {"Paramedic": (1, 1, 1, 1)})
    returned = workforce_plan_review(
        plan=submitted(tree.pcn_c, rnd, icb_manager, {"Dietitian": (7, 7, 7, 7)}),
        user=icb_manager,
        accept=False,
        comment="Seven dietitians is surely a typing slip",
    )
    draft_upload = plan_file(tree.pcn_b, {"Podiatrist": (4,)})
    draft = workforce_plan_upload(
        pcn=tree.pcn_b, plan_round=rnd, upload=draft_upload, user=icb_manager
    ).plan
    for pcn, amount in ((tree.pcn_a, "250000"), (tree.pcn_b, "300000")):
        Allocation.objects.create(pcn=pcn, financial_year=2026, amount=Decimal(amount))
    return Plans(rnd, good, awaiting, returned, draft)


JUNE_30 = dt.date(2026, 6, 30)


def role(code: str) -> ArrsRole:
    return ArrsRole.objects.get(code=code)


@pytest.fixture
def in_post(tree):
    """U00001 counted by the ICB on 30 June 2026 (pharmacists 2.5, paramedics not reported);
    U00002 only in the NWRS census that day (1.2 pharmacists); U00001 is in the census too,
    but the ICB's count wins for it."""
    pharmacist, paramedic = role("clinical_pharmacist"), role("paramedic")
    InPostCount.objects.create(pcn=tree.pcn_a, role=pharmacist, as_at=JUNE_30, fte=Decimal("2.5"))
    InPostCount.objects.create(pcn=tree.pcn_a, role=paramedic, as_at=JUNE_30, fte=None)
    for pcn, fte in ((tree.pcn_a, "9"), (tree.pcn_b, "0.7"), (tree.other_pcn, "4")):
        census(pcn, fte)
    census(tree.pcn_b, "0.5", name="Clinical Pharmacist", detailed="Pharmacist")
    return tree


def census(pcn, fte: str, name: str = "Clinical Pharmacist", detailed: str = ""):
    NwrsStaffCount.objects.create(
        pcn=pcn,
        census_date=JUNE_30,
        staff_group="Direct Patient Care",
        staff_role=name,
        detailed_staff_role=detailed or name,
        fte=Decimal(fte),
        headcount=1,
    )


@pytest.fixture
def claims(tree):
    pharmacist = role("clinical_pharmacist")
    for month, amount in (
        (dt.date(2026, 4, 1), "5000.00"),
        (dt.date(2026, 5, 1), "5000.50"),
        (dt.date(2026, 3, 1), "7777.00"),  # 2025/26: not this year's
    ):
        Claim.objects.create(pcn=tree.pcn_a, role=pharmacist, month=month, amount=Decimal(amount))
