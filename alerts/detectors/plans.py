"""ARRS workforce plans: a round's deadline passing, and plans waiting for the subscriber.

Read through arrs' own access rules: an ICB manager hears of plans awaiting review in the
PCNs they may review; a PCN manager of plans returned to the PCNs they manage.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from alerts.detectors import Found, Watch
from alerts.models import AlertKind
from arrs.access import icb_pcn_ids
from arrs.models import CURRENT_STATUSES, PlanRound, PlanStatus, WorkforcePlan
from arrs.selectors.plans import rounds_of
from core.presenters import day
from practices.models import Organisation, OrgKind


def rounds_past_deadline(watch: Watch) -> QuerySet[PlanRound]:
    """Rounds of the watched organisation's ICB whose deadline passed (before today) since
    the subscription started: older deadlines are not news to a new subscriber."""
    rounds = rounds_of(watch.icb_ids()).filter(due_on__gte=watch.since, due_on__lt=watch.today)
    return rounds.order_by("due_on", "pk")


def _without_plan(plan_round: PlanRound, pcn_ids: frozenset[int]) -> list[Organisation]:
    """The PCNs with no submitted plan (awaiting review, accepted or returned) in the round."""
    with_plan = WorkforcePlan.objects.filter(
        plan_round=plan_round, pcn_id__in=pcn_ids, status__in=CURRENT_STATUSES
    ).values_list("pcn_id", flat=True)
    missing = Organisation.objects.filter(pk__in=pcn_ids).exclude(pk__in=list(with_plan))
    return list(missing.order_by("name"))


def deadline_passed_found(watch: Watch) -> list[Found]:
    pcn_ids = watch.pcn_ids()
    return [
        Found(
            kind=AlertKind.DEADLINE_PASSED,
            key=f"deadline_passed:{plan_round.pk}:{plan_round.due_on:%Y-%m-%d}",
            title=f"Deadline passed: {plan_round.name} workforce plans were due "
            f"{day(plan_round.due_on)}",
            detail=_deadline_detail(
                watch.organisation, pcn_ids, _without_plan(plan_round, pcn_ids)
            ),
            link=_workforce_link(watch.organisation),
        )
        for plan_round in rounds_past_deadline(watch)
    ]


def _deadline_detail(org: Organisation, pcn_ids: frozenset[int], missing: list) -> str:
    if org.kind == OrgKind.PCN:
        return (
            f"{org.name} has not submitted a plan." if missing else f"{org.name} submitted a plan."
        )
    if not missing:
        return f"Every PCN in {org.name} submitted a plan ({len(pcn_ids)})."
    names = ", ".join(pcn.name for pcn in missing)
    return (
        f"{len(missing)} of {len(pcn_ids)} PCNs in {org.name} have not submitted a plan: {names}."
    )


def _workforce_link(org: Organisation) -> str:
    if org.kind == OrgKind.PCN:
        return reverse("arrs:pcn", args=[org.code])
    return reverse("arrs:icb")


def plans_to_review(watch: Watch) -> QuerySet[WorkforcePlan]:
    """Plans awaiting review in the watched organisation that this subscriber may review."""
    pcn_ids = watch.pcn_ids() & icb_pcn_ids(watch.scope)
    return _plans(pcn_ids, PlanStatus.SUBMITTED)


def plans_returned(watch: Watch) -> QuerySet[WorkforcePlan]:
    """Plans returned to the PCNs this subscriber manages, in the watched organisation."""
    pcn_ids = watch.pcn_ids() & watch.scope.managed_pcn_ids
    return _plans(pcn_ids, PlanStatus.RETURNED)


def _plans(pcn_ids: frozenset[int], status: str) -> QuerySet[WorkforcePlan]:
    plans = WorkforcePlan.objects.filter(pcn_id__in=pcn_ids, status=status)
    return plans.select_related("pcn", "plan_round").order_by("pcn__name", "pk")


def plan_waiting_found(watch: Watch) -> list[Found]:
    review = [
        _waiting(plan, "awaiting your review", _submitted(plan)) for plan in plans_to_review(watch)
    ]
    returned = [
        _waiting(plan, "returned to you", _returned(plan)) for plan in plans_returned(watch)
    ]
    return review + returned


def _waiting(plan: WorkforcePlan, what: str, detail: str) -> Found:
    return Found(
        kind=AlertKind.PLAN_WAITING,
        key=f"plan_waiting:{plan.pk}:{plan.status}",
        title=f"Workforce plan {what}: {plan.pcn.name}, {plan.plan_round.name}",
        detail=detail,
        link=reverse("arrs:plan", args=[plan.pk]),
    )


def _submitted(plan: WorkforcePlan) -> str:
    return f"Submitted {day(timezone.localtime(plan.submitted_at))}."


def _returned(plan: WorkforcePlan) -> str:
    when = day(timezone.localtime(plan.reviewed_at)) if plan.reviewed_at else "by the ICB"
    return f"Returned {when}: {plan.review_comment}"
