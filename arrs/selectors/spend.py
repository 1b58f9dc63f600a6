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
from practices.selectors import members_as_at


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
class SpendTotal:
    """The ICB's money (or a place's): allocation, projected spend, headroom and claims summed
    over the same PCNs, those with an accepted plan and an allocation, so headroom is the
    allocation less the projected spend of those PCNs. The PCNs left out are named."""

    spend: Spend
    included: tuple[Organisation, ...]
    no_plan: tuple[Organisation, ...]
    no_allocation: tuple[Organisation, ...]

    @property
    def pcns_included(self) -> int:
        return len(self.included)

    @property
    def pcns_total(self) -> int:
        return len(self.included) + len(self.no_plan) + len(self.no_allocation)

    @property
    def not_included(self) -> list[Organisation]:
        return sorted((*self.no_plan, *self.no_allocation), key=lambda pcn: pcn.name)


@dataclass(frozen=True)
class IcbSpend:
    """An ICB's money for a year as its workforce page shows it: each PCN's row (by name)
    from its accepted plan in the round, and the total over the PCNs it covers."""

    icb: Organisation
    year: int
    plan_round: PlanRound | None
    rows: list[PcnSpend]
    total: SpendTotal


def published_spend(
    *, icb: Organisation, year: int, round_id: int | None, today: dt.date
) -> IcbSpend:
    """The ICB's money with every PCN in it today: what the spend API gives."""
    plan_round = round_to_publish(list(rounds_of([icb.pk], year)), round_id)
    pcns = list(members_as_at(icb, today, OrgKind.PCN).order_by("name"))
    figures = published_figures([p.pk for p in pcns], plan_round)
    return spend_table(icb=icb, year=year, plan_round=plan_round, pcns=pcns, plans=figures)


def spend_table(
    *,
    icb: Organisation,
    year: int,
    plan_round: PlanRound | None,
    pcns: Sequence[Organisation],
    plans: dict[int, PlanFigures],
) -> IcbSpend:
    """Each PCN's row and the total: the one place the workforce page, its spend.csv and
    the spend API get their figures from."""
    rows = spend_by_pcn(pcns=pcns, year=year, plans=plans)
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


def in_total(row: PcnSpend) -> bool:
    """Whether a PCN's figures count in the ICB's total: it has an accepted plan (so a
    projection) and an allocation to set it against."""
    return row.plan is not None and row.spend.allocation is not None


def icb_spend(rows: Sequence[PcnSpend]) -> SpendTotal:
    """The ICB's allocation, projection, headroom and claims: the sums over the PCNs in the
    total, never one column over more PCNs than another."""
    included = [row for row in rows if in_total(row)]
    return SpendTotal(
        spend=spend_total(row.spend for row in included),
        included=tuple(row.pcn for row in included),
        no_plan=tuple(row.pcn for row in rows if row.plan is None),
        no_allocation=tuple(
            row.pcn for row in rows if row.plan is not None and row.spend.allocation is None
        ),
    )
