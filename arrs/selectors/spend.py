"""Money for a financial year: each PCN's allocation, projected spend from its plan, and
what it has claimed; and the ICB's figures as the sums of its PCNs'."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from arrs.models import Allocation, PlanRound, RateArea, ReimbursementRate, WorkforcePlan
from arrs.money import RateBook, RateEntry, Spend, projected_spend, spend_total
from arrs.selectors.plans import (
    PlanFigures,
    accepted_plans,
    plan_figures,
    round_to_publish,
    rounds_of,
)
from arrs.selectors.staffing import claimed_by_pcn
from arrs.years import months_of
from practices.models import Organisation, OrgKind


def rate_book() -> RateBook:
    fields = ("role_id", "area", "effective_from", "published_on", "amount", "is_estimate")
    return RateBook(RateEntry(*row) for row in ReimbursementRate.objects.values_list(*fields))


@dataclass(frozen=True)
class PcnSpend:
    pcn: Organisation
    spend: Spend
    plan: WorkforcePlan | None
    rate_area: str
    by_role: dict[int, Decimal] = field(default_factory=dict)
    roles_without_amount: frozenset[int] = frozenset()


def allocations_for(pcn_ids: Sequence[int], year: int) -> dict[int, Allocation]:
    rows = Allocation.objects.filter(pcn_id__in=list(pcn_ids), financial_year=year)
    return {allocation.pcn_id: allocation for allocation in rows}


def allocations_listed(org_ids: Iterable[int]) -> QuerySet[Allocation]:
    """The allocations of the PCNs among ``org_ids`` (a reader's visible organisations)."""
    return Allocation.objects.filter(pcn_id__in=list(org_ids)).select_related("pcn", "updated_by")


def published_figures(
    pcn_ids: Iterable[int], plan_round: PlanRound | None
) -> dict[int, PlanFigures]:
    """PCN id -> figures of its accepted plan in the round: what published tables use."""
    plans = accepted_plans(pcn_ids, plan_round)
    return {figures.plan.pcn_id: figures for figures in plan_figures(plans.values()).values()}


@dataclass(frozen=True)
class IcbSpend:
    """An ICB's money for a year as its workforce page shows it: each PCN's row (PCNs in the
    ICB today, by name) from its accepted plan in the round, and the sums."""

    icb: Organisation
    year: int
    plan_round: PlanRound | None
    rows: list[PcnSpend]
    total: Spend


def published_spend(
    *, icb: Organisation, year: int, round_id: int | None, today: dt.date
) -> IcbSpend:
    from practices.selectors import members_as_at

    plan_round = round_to_publish(list(rounds_of([icb.pk], year)), round_id)
    pcns = list(members_as_at(icb, today, OrgKind.PCN).order_by("name"))
    figures = published_figures([p.pk for p in pcns], plan_round)
    rows = spend_by_pcn(pcns=pcns, year=year, plans=figures)
    return IcbSpend(icb=icb, year=year, plan_round=plan_round, rows=rows, total=icb_spend(rows))


def spend_by_pcn(
    *, pcns: Sequence[Organisation], year: int, plans: dict[int, PlanFigures]
) -> list[PcnSpend]:
    """Each PCN's money for the year, from the plan given for it (if any)."""
    ids = [pcn.pk for pcn in pcns]
    allocations = allocations_for(ids, year)
    claimed = claimed_by_pcn(ids, months_of(year))
    rates = rate_book()
    return [_pcn_spend(pcn, year, allocations, claimed, plans.get(pcn.pk), rates) for pcn in pcns]


def _pcn_spend(pcn, year, allocations, claimed, figures, rates) -> PcnSpend:
    allocation = allocations.get(pcn.pk)
    area = allocation.rate_area if allocation else RateArea.NATIONAL
    projection = (
        projected_spend(figures.by_role, year=year, area=area, rates=rates) if figures else None
    )
    spend = Spend(
        allocation=allocation.amount if allocation else None,
        projected=projection.total if projection else None,
        claimed=claimed.get(pcn.pk),
    )
    return PcnSpend(
        pcn=pcn,
        spend=spend,
        plan=figures.plan if figures else None,
        rate_area=area,
        by_role=dict(projection.by_role) if projection else {},
        roles_without_amount=projection.roles_without_amount if projection else frozenset(),
    )


def icb_spend(rows: Sequence[PcnSpend]) -> Spend:
    """The ICB's allocation, projection and claims: the sums of its PCNs'."""
    return spend_total(row.spend for row in rows)
