"""Workforce plan deadlines that passed, and plans waiting for the subscriber."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from alerts.detectors.plans import deadline_passed_found, plan_waiting_found
from alerts.models import AlertKind
from alerts.tests.data import TODAY, watch
from arrs.models import PlanRound, PlanStatus, WorkforcePlan
from core.models import Role
from tests.factories import user_with_role

DUE = dt.date(2026, 8, 31)


def a_round(icb, *, due_on=DUE, label="August") -> PlanRound:
    return PlanRound.objects.create(icb=icb, financial_year=2026, label=label, due_on=due_on)


def a_plan(pcn, plan_round, status, **extra) -> WorkforcePlan:
    submitted = None if status == PlanStatus.DRAFT else timezone.now()
    return WorkforcePlan.objects.create(
        pcn=pcn, plan_round=plan_round, status=status, as_at=dt.date(2026, 7, 31),
        file_name="plan.xlsx", checksum="0" * 64, submitted_at=submitted, **extra,
    )  # fmt: skip


def test_a_deadline_that_passed_names_the_pcns_with_no_plan(tree, icb_manager):
    plan_round = a_round(tree.icb)
    a_plan(tree.pcn_a, plan_round, PlanStatus.SUBMITTED)
    a_plan(tree.pcn_b, plan_round, PlanStatus.DRAFT)  # a draft was never submitted

    found = deadline_passed_found(watch(icb_manager, tree.icb))

    assert len(found) == 1
    assert found[0].kind == AlertKind.DEADLINE_PASSED
    assert found[0].key == f"deadline_passed:{plan_round.pk}:2026-08-31"
    assert found[0].title == (
        "Deadline passed: 2026/27 August workforce plans were due 31 August 2026"
    )
    assert found[0].detail == (
        "2 of 3 PCNs in NHS Somerset ICB have not submitted a plan: PCN U00002, PCN U00003."
    )
    assert found[0].link == "/workforce/"


def test_a_pcns_deadline_says_whether_it_submitted(tree, pcn_manager):
    plan_round = a_round(tree.icb)
    a_plan(tree.pcn_a, plan_round, PlanStatus.RETURNED, review_comment="Check the dates")

    found = deadline_passed_found(watch(pcn_manager, tree.pcn_a))

    assert [f.detail for f in found] == ["PCN U00001 submitted a plan."]
    assert found[0].link == "/workforce/pcn/U00001/"


def test_deadlines_not_yet_passed_or_passed_before_subscribing_are_not_news(tree, icb_manager):
    a_round(tree.icb, due_on=TODAY, label="Due today")
    a_round(tree.icb, due_on=dt.date(2025, 8, 31), label="Last year")
    a_round(tree.icb, due_on=None, label="No deadline")
    a_round(tree.other_icb, label="Next door")

    assert deadline_passed_found(watch(icb_manager, tree.icb, since=dt.date(2026, 1, 1))) == []


def test_a_plan_awaiting_review_waits_for_the_icbs_manager_only(tree, icb_manager, pcn_manager):
    plan_round = a_round(tree.icb)
    awaiting = a_plan(tree.pcn_a, plan_round, PlanStatus.SUBMITTED)
    a_plan(tree.pcn_b, plan_round, PlanStatus.ACCEPTED)
    board = user_with_role(Role.BOARD_MEMBER, tree.icb, username="board")

    found = plan_waiting_found(watch(icb_manager, tree.icb))

    assert [(f.kind, f.key, f.link) for f in found] == [
        (
            AlertKind.PLAN_WAITING,
            f"plan_waiting:{awaiting.pk}:submitted",
            f"/workforce/plans/{awaiting.pk}/",
        )
    ]
    assert found[0].title == ("Workforce plan awaiting your review: PCN U00001, 2026/27 August")
    assert plan_waiting_found(watch(pcn_manager, tree.pcn_a)) == []
    assert plan_waiting_found(watch(board, tree.icb)) == []


def test_a_returned_plan_waits_for_its_pcns_manager(tree, icb_manager, pcn_manager):
    plan_round = a_round(tree.icb)
    returned = a_plan(
        tree.pcn_a, plan_round, PlanStatus.RETURNED, review_comment="Add the paramedics"
    )
    other = a_plan(tree.pcn_b, plan_round, PlanStatus.RETURNED, review_comment="Check totals")

    found = plan_waiting_found(watch(pcn_manager, tree.icb))

    assert [f.key for f in found] == [f"plan_waiting:{returned.pk}:returned"]
    assert found[0].title == "Workforce plan returned to you: PCN U00001, 2026/27 August"
    assert found[0].detail.endswith(": Add the paramedics")
    assert other.pk not in {int(f.key.split(":")[1]) for f in found}
    assert plan_waiting_found(watch(icb_manager, tree.icb)) == []


def test_plans_outside_the_watched_organisation_are_not_waiting(tree, icb_manager):
    plan_round = a_round(tree.icb)
    a_plan(tree.pcn_b, plan_round, PlanStatus.SUBMITTED)

    assert plan_waiting_found(watch(icb_manager, tree.pcn_a)) == []
    assert len(plan_waiting_found(watch(icb_manager, tree.place))) == 1
