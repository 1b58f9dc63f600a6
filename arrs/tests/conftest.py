"""ARRS fixtures: a round with plans in every state, and allocations."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from arrs.models import Allocation, PlanRound, WorkforcePlan
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
