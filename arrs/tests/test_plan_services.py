"""Uploading, confirming and reviewing workforce plans."""

import datetime as dt
from decimal import Decimal

import pytest

from arrs.models import PlanFigure, PlanLine, PlanStatus, WorkforcePlan
from arrs.services import (
    workforce_plan_review,
    workforce_plan_submit,
    workforce_plan_upload,
)
from arrs.services.plans import PlanStateError
from arrs.tests.plans import plan_file, plan_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def august(tree):
    return plan_round(tree.icb)


def upload(pcn, rnd, user, figures=None, **extra):
    file = plan_file(pcn, figures or {"Clinical Pharmacist": (2, 2.5, None, 3)}, **extra)
    return workforce_plan_upload(pcn=pcn, plan_round=rnd, upload=file, user=user)


def test_a_clean_upload_is_kept_as_a_draft_with_who_and_when(tree, august, pcn_manager):
    result = upload(tree.pcn_a, august, pcn_manager)

    plan = result.plan
    assert not result.problems
    assert plan.status == PlanStatus.DRAFT and plan.uploaded_by == pcn_manager
    assert (
        plan.uploaded_at is not None and plan.file_name == "plan.xlsx" and len(plan.checksum) == 64
    )
    line = PlanLine.objects.get(plan=plan, role__code="clinical_pharmacist")
    assert PlanLine.objects.get(plan=plan, role__code="paramedic").in_post is None
    assert line.in_post == Decimal("2")
    figures = dict(PlanFigure.objects.filter(line=line).values_list("on", "wte"))
    assert figures == {
        dt.date(2026, 9, 30): Decimal("2.5"),
        dt.date(2026, 12, 31): None,
        dt.date(2027, 3, 31): Decimal("3"),
    }


def test_a_file_with_problems_keeps_nothing(tree, august, pcn_manager):
    result = upload(tree.pcn_a, august, pcn_manager, {"Clinical Pharmacist": (-2,)})

    assert result.plan is None and result.problems.count == 1
    assert not WorkforcePlan.objects.exists()


def test_a_closed_round_takes_no_plans(tree, pcn_manager):
    closed = plan_round(tree.icb, is_open=False)

    result = upload(tree.pcn_a, closed, pcn_manager)

    assert result.plan is None
    assert "closed" in str(result.problems.kept[0])


def test_a_new_plan_supersedes_the_old_only_when_confirmed(tree, august, pcn_manager):
    first = workforce_plan_submit(
        plan=upload(tree.pcn_a, august, pcn_manager).plan, user=pcn_manager
    )
    second = upload(tree.pcn_a, august, pcn_manager, {"Paramedic": (1,)}).plan

    first.refresh_from_db()
    assert first.status == PlanStatus.SUBMITTED and second.status == PlanStatus.DRAFT

    workforce_plan_submit(plan=second, user=pcn_manager)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == PlanStatus.SUPERSEDED and first.superseded_by == second
    assert second.status == PlanStatus.SUBMITTED and second.submitted_by == pcn_manager
    assert WorkforcePlan.objects.count() == 2  # every submission is kept


def test_plans_for_other_rounds_and_pcns_are_not_superseded(tree, august, pcn_manager, icb_manager):
    october = plan_round(tree.icb, "October")
    in_august = workforce_plan_submit(
        plan=upload(tree.pcn_a, august, pcn_manager).plan, user=pcn_manager
    )
    other_pcn = upload(tree.pcn_b, august, icb_manager).plan
    workforce_plan_submit(plan=other_pcn, user=icb_manager)

    workforce_plan_submit(plan=upload(tree.pcn_a, october, pcn_manager).plan, user=pcn_manager)

    assert WorkforcePlan.objects.get(pk=in_august.pk).status == PlanStatus.SUBMITTED
    assert WorkforcePlan.objects.get(pk=other_pcn.pk).status == PlanStatus.SUBMITTED


def test_a_plan_is_confirmed_once(tree, august, pcn_manager):
    plan = workforce_plan_submit(
        plan=upload(tree.pcn_a, august, pcn_manager).plan, user=pcn_manager
    )

    with pytest.raises(PlanStateError, match="already been submitted"):
        workforce_plan_submit(plan=plan, user=pcn_manager)


def test_the_icb_accepts_or_returns_with_a_comment(tree, august, pcn_manager, icb_manager):
    plan = workforce_plan_submit(
        plan=upload(tree.pcn_a, august, pcn_manager).plan, user=pcn_manager
    )

    with pytest.raises(PlanStateError, match="Say why"):
        workforce_plan_review(plan=plan, user=icb_manager, accept=False, comment="  ")
    returned = workforce_plan_review(
        plan=plan, user=icb_manager, accept=False, comment="Paramedic figures missing"
    )

    assert returned.status == PlanStatus.RETURNED and returned.reviewed_by == icb_manager
    assert returned.review_comment == "Paramedic figures missing"
    with pytest.raises(PlanStateError, match="awaiting review"):
        workforce_plan_review(plan=returned, user=icb_manager, accept=True)


def test_only_a_submitted_plan_can_be_reviewed(tree, august, pcn_manager, icb_manager):
    draft = upload(tree.pcn_a, august, pcn_manager).plan

    with pytest.raises(PlanStateError):
        workforce_plan_review(plan=draft, user=icb_manager, accept=True)

    accepted = workforce_plan_review(
        plan=workforce_plan_submit(plan=draft, user=pcn_manager), user=icb_manager, accept=True
    )
    assert accepted.status == PlanStatus.ACCEPTED and accepted.review_comment == ""


def test_changes_to_plans_are_kept_in_their_history(tree, august, pcn_manager, icb_manager):
    plan = workforce_plan_submit(
        plan=upload(tree.pcn_a, august, pcn_manager).plan, user=pcn_manager
    )
    workforce_plan_review(plan=plan, user=icb_manager, accept=True)

    statuses = list(plan.history.order_by("history_date").values_list("status", flat=True))

    assert statuses == ["draft", "submitted", "accepted"]
