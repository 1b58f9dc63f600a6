"""What ICB managers keep by hand: maximum reimbursable amounts for a new year or uplift,
allocations typed in, plan rounds and the NWRS staff role mapping."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from arrs.measures.provider import ArrsProvider
from arrs.models import (
    FIRST_YEAR,
    LAST_YEAR,
    Allocation,
    ArrsRole,
    IcbInPostCount,
    NwrsRoleMapping,
    PlanRound,
    RateArea,
    ReimbursementRate,
    RoleAlias,
)
from arrs.years import fy_label
from core.page_cache import data_changed
from imports.sources.readers import clean_text, label_key
from metrics.tasks import measures_recompute_of_task
from practices.models import Organisation, OrgKind


class RecordError(Exception):
    """A record cannot be saved as asked; the message says why, for people."""


@transaction.atomic
def reimbursement_amounts_add(
    *,
    effective_from: dt.date,
    published_on: dt.date,
    source: str,
    amounts: Mapping[tuple[int, str], Decimal],
    user: User,
    is_estimate: bool = False,
) -> int:
    """Add the amounts per WTE per year that take effect on a date (a new year, or an uplift).

    ``amounts`` is keyed by (role id, area). A later publication for the same effective date
    replaces the earlier amounts from then on; the same date published twice is refused."""
    if not amounts:
        raise RecordError("Enter at least one amount.")
    clash = ReimbursementRate.objects.filter(
        effective_from=effective_from, published_on=published_on
    )
    if clash.exists():
        raise RecordError(
            f"Amounts taking effect on {effective_from:%d/%m/%Y} and published on "
            f"{published_on:%d/%m/%Y} are already recorded."
        )
    rates = [
        ReimbursementRate(
            role_id=role_id,
            area=area,
            effective_from=effective_from,
            published_on=published_on,
            amount=amount,
            is_estimate=is_estimate,
            source=clean_text(source)[:500],
            created_by=user,
        )
        for (role_id, area), amount in amounts.items()
    ]
    ReimbursementRate.objects.bulk_create(rates)
    transaction.on_commit(data_changed)  # a bulk insert saves no record to signal it
    _arrs_measures_recompute_later()
    return len(rates)


def allocation_set(
    *,
    pcn: Organisation,
    year: int,
    amount: Decimal,
    user: User,
    rate_area: str = RateArea.NATIONAL,
) -> Allocation:
    """Type in (or correct) a PCN's allocation for a year."""
    if pcn.kind != OrgKind.PCN:
        raise RecordError(f"{pcn} is not a PCN.")
    if amount < 0:
        raise RecordError("An allocation cannot be negative.")
    allocation = Allocation.objects.filter(pcn=pcn, financial_year=year).first()
    if allocation is None:
        allocation = Allocation(pcn=pcn, financial_year=year)
    allocation.amount, allocation.rate_area, allocation.updated_by = amount, rate_area, user
    allocation.source_batch, allocation.source_row = None, None
    allocation.save()
    _arrs_measures_recompute_later()
    return allocation


def _arrs_measures_recompute_later() -> None:
    """The ARRS measures read allocations and amounts: work them out again once this
    change is committed (queued, so the page answers at once)."""
    transaction.on_commit(lambda: measures_recompute_of_task.delay([ArrsProvider.source]))


def plan_round_create(
    *, icb: Organisation, year: int, label: str, user: User, due_on: dt.date | None = None
) -> PlanRound:
    label = clean_text(label)
    if not label:
        raise RecordError("Give the round a name, for example August.")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise RecordError(
            f"Choose a year from {fy_label(FIRST_YEAR)} (when ARRS began) to {fy_label(LAST_YEAR)}."
        )
    if PlanRound.objects.filter(icb=icb, financial_year=year, label__iexact=label).exists():
        raise RecordError(f"There is already a round called {label} for that year.")
    return PlanRound.objects.create(
        icb=icb, financial_year=year, label=label, due_on=due_on, created_by=user
    )


def plan_round_set_open(*, plan_round: PlanRound, is_open: bool) -> PlanRound:
    plan_round.is_open = is_open
    plan_round.save(update_fields=["is_open"])
    return plan_round


def nwrs_role_mapping_set(
    *, staff_role: str, arrs_role: ArrsRole | None, user: User
) -> NwrsRoleMapping:
    """Say which ARRS role an NWRS staff role counts as (None: it is not an ARRS role).
    Staff in post figures read the mapping, so the change shows at once."""
    key = label_key(staff_role)
    if not key:
        raise RecordError("The staff role is blank.")
    mapping, _ = NwrsRoleMapping.objects.get_or_create(
        staff_role_key=key, defaults={"staff_role": clean_text(staff_role)}
    )
    mapping.arrs_role, mapping.updated_by = arrs_role, user
    mapping.save()
    return mapping


def _names_in_use() -> dict[str, ArrsRole]:
    """The names every ICB shares: each role's name, code and shared aliases."""
    found: dict[str, ArrsRole] = {}
    for role in ArrsRole.objects.all():
        for name in (role.name, role.code, *role.aliases):
            found.setdefault(label_key(name), role)
    return found


def role_alias_set(*, icb: Organisation, alias: str, role: ArrsRole, user: User) -> RoleAlias:
    """Accept ``alias`` as a name of ``role`` in the ICB's plans and files, or change the role
    an alias the ICB already keeps means. A name every ICB shares is refused: it already
    means its role everywhere."""
    if icb.kind != OrgKind.ICB:
        raise RecordError(f"{icb} is not an ICB.")
    shown, key = clean_text(alias), label_key(alias)
    if not key:
        raise RecordError("Enter the name PCNs write for the role.")
    if len(shown) > RoleAlias._meta.get_field("alias").max_length:
        raise RecordError("A name can be at most 120 characters long.")
    shared = _names_in_use().get(key)
    if shared is not None:
        raise RecordError(f"'{shown}' already means {shared.name} for every ICB.")
    found = RoleAlias.objects.filter(icb=icb, alias_key=key).first() or RoleAlias(
        icb=icb, alias_key=key
    )
    if found.pk and found.alias == shown and found.role_id == role.pk:
        return found  # as it was: no change to record
    found.alias, found.role, found.updated_by = shown, role, user
    found.save()
    return found


def role_alias_remove(*, alias: RoleAlias) -> None:
    """Stop accepting an alias in the ICB's plans and files (its history is kept). Plans and
    counts already loaded keep the role it gave them."""
    alias.delete()


MOST_WTE = Decimal(9999)


def icb_in_post_set(
    *,
    icb: Organisation,
    as_at: dt.date,
    values: Mapping[int, Decimal | None],
    user: User,
) -> int:
    """Record the ICB's own WTE in post by role (role id -> WTE) on a date, for the whole ICB
    where it holds no split by PCN. A blank (None) means not reported: a figure held for
    that role and date is removed. Returns how many figures changed; each change is kept in
    the history."""
    if icb.kind != OrgKind.ICB:
        raise RecordError(f"{icb} is not an ICB.")
    if as_at > timezone.localdate():
        raise RecordError("Staff in post are counted on a day that has come; the date is ahead.")
    for wte in values.values():
        if wte is not None and not (0 <= wte <= MOST_WTE):
            raise RecordError(f"{wte} WTE is not a number from 0 to {MOST_WTE}.")
    held = {row.role_id: row for row in IcbInPostCount.objects.filter(icb=icb, as_at=as_at)}
    changed = 0
    with transaction.atomic():
        for role_id, wte in values.items():
            row = held.get(role_id)
            if wte is None and row is not None:
                row.delete()
            elif wte is not None and (row is None or row.wte != wte):
                row = row or IcbInPostCount(icb=icb, role_id=role_id, as_at=as_at)
                row.wte, row.updated_by = wte, user
                row.save()
            else:
                continue
            changed += 1
    return changed
