"""Reads of workforce plans and rounds. Unaccepted plans only ever reach people through
``plans_for``, scoped by ``arrs.access``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from arrs.access import can_read_plans_of, plan_pcn_ids
from arrs.models import CURRENT_STATUSES, PlanLine, PlanRound, PlanStatus, WorkforcePlan
from arrs.money import Figure, value_on
from core.access import Scope
from practices.models import Organisation, OrgKind
from practices.selectors import ancestor_ids


def _plans() -> QuerySet[WorkforcePlan]:
    return WorkforcePlan.objects.select_related(
        "pcn", "plan_round", "uploaded_by", "submitted_by", "reviewed_by"
    )


def plans_for(scope: Scope) -> QuerySet[WorkforcePlan]:
    """Every plan, of any status, of the PCNs whose plans this user may read."""
    return _plans().filter(pcn_id__in=plan_pcn_ids(scope))


def plans_with_lines(scope: Scope) -> QuerySet[WorkforcePlan]:
    """``plans_for``, each with its lines (in table order) and their intended WTE."""
    lines = PlanLine.objects.select_related("role").order_by("role__sort_order", "role__name")
    return plans_for(scope).prefetch_related(Prefetch("lines", queryset=lines), "lines__intended")


def plan_for(scope: Scope, pk: int) -> WorkforcePlan:
    """One plan: 404 if there is none, 403 if it is another PCN's."""
    plan = _plans().filter(pk=pk).first()
    if plan is None:
        raise Http404("No such workforce plan.")
    if not can_read_plans_of(scope, plan.pcn):
        raise PermissionDenied("This plan belongs to a PCN whose plans you cannot see.")
    return plan


def rounds_of(icb_ids: Iterable[int], year: int | None = None) -> QuerySet[PlanRound]:
    rounds = PlanRound.objects.filter(icb_id__in=list(icb_ids)).select_related("icb")
    return rounds.filter(financial_year=year) if year is not None else rounds


def round_to_publish(rounds: list[PlanRound], wanted: int | None) -> PlanRound | None:
    """The round asked for (if it is one of ``rounds``), else the newest with an accepted
    plan, else the newest: the round an ICB's published figures use."""
    chosen = next((r for r in rounds if r.pk == wanted), None)
    if chosen is not None:
        return chosen
    accepted = set(
        WorkforcePlan.objects.filter(plan_round__in=rounds, status=PlanStatus.ACCEPTED).values_list(
            "plan_round_id", flat=True
        )
    )
    return next((r for r in rounds if r.pk in accepted), rounds[0] if rounds else None)


def open_rounds_for(pcn: Organisation) -> QuerySet[PlanRound]:
    """The rounds of the PCN's ICB that take plans now, newest first."""
    return rounds_of(ancestor_ids([pcn.pk], OrgKind.ICB)).filter(is_open=True)


def accepted_plans(
    pcn_ids: Iterable[int], plan_round: PlanRound | None
) -> dict[int, WorkforcePlan]:
    """Each PCN's accepted plan in the round: the plans the ICB's published figures use."""
    if plan_round is None:
        return {}
    plans = _plans().filter(
        pcn_id__in=list(pcn_ids), plan_round=plan_round, status=PlanStatus.ACCEPTED
    )
    return {plan.pcn_id: plan for plan in plans}


def awaiting_review(pcn_ids: Iterable[int], plan_round: PlanRound | None) -> int:
    if plan_round is None:
        return 0
    return WorkforcePlan.objects.filter(
        pcn_id__in=list(pcn_ids), plan_round=plan_round, status=PlanStatus.SUBMITTED
    ).count()


def plan_to_show(scope: Scope, pcn: Organisation, plan_round: PlanRound | None):
    """The plan a PCN's page shows: its current plan for those who may read its plans,
    otherwise only an accepted one."""
    if plan_round is None:
        return None
    statuses = CURRENT_STATUSES if can_read_plans_of(scope, pcn) else (PlanStatus.ACCEPTED,)
    return _plans().filter(pcn=pcn, plan_round=plan_round, status__in=statuses).first()


@dataclass
class PlanFigures:
    """A plan's stated figures by role: WTE in post on its as-at date, then intended WTE.
    Blank cells are not figures. ``by_role`` is what money is worked from (each figure holds
    until the next); tables show only ``in_post`` and ``intended``, as the plan states them."""

    plan: WorkforcePlan
    by_role: dict[int, list[Figure]] = field(default_factory=dict)
    in_post: dict[int, Decimal | None] = field(default_factory=dict)
    intended: dict[int, dict] = field(default_factory=dict)
    dates: list = field(default_factory=list)

    def at(self, role_id: int, day) -> Decimal | None:
        """The figure holding on ``day``: the latest stated on or before it, intended before
        in post on the plan's own date."""
        return value_on(self.by_role.get(role_id, []), day)

    def planned(self, role_id: int, day) -> Decimal | None:
        """The intended WTE the plan states for ``day``; blank when it states none."""
        return self.intended.get(role_id, {}).get(day)

    def states_intended(self, day) -> bool:
        """Whether the plan gives any intended figure for ``day``."""
        return any(by_day.get(day) is not None for by_day in self.intended.values())

    def states_in_post(self) -> bool:
        return any(value is not None for value in self.in_post.values())


def plan_figures(plans: Iterable[WorkforcePlan]) -> dict[int, PlanFigures]:
    """Figures of several plans, read in two queries."""
    plans = list(plans)
    found = {plan.pk: PlanFigures(plan) for plan in plans}
    if not plans:
        return found
    from arrs.models import PlanFigure, PlanLine

    lines = PlanLine.objects.filter(plan_id__in=found).values_list(
        "pk", "plan_id", "role_id", "in_post"
    )
    line_owner = {}
    for line_id, plan_id, role_id, in_post in lines:
        figures = found[plan_id]
        line_owner[line_id] = (figures, role_id)
        figures.in_post[role_id] = in_post
        figures.by_role.setdefault(role_id, [])
        if in_post is not None:
            figures.by_role[role_id].append(Figure(figures.plan.as_at, in_post))
    dates = defaultdict(set)
    for line_id, on, wte in PlanFigure.objects.filter(line_id__in=line_owner).values_list(
        "line_id", "on", "wte"
    ):
        figures, role_id = line_owner[line_id]
        figures.intended.setdefault(role_id, {})[on] = wte
        dates[figures.plan.pk].add(on)
        if wte is not None:
            figures.by_role[role_id].append(Figure(on, wte))
    for plan_id, figures in found.items():
        figures.dates = sorted(dates[plan_id])
    return found
