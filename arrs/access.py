"""Who may do what with ARRS workforce records, built on ``core.access.Scope``.

(docs/decisions/0010-arrs-plans-and-who-sees-them.md)
- A PCN manager uploads, confirms and reads the plans of the PCNs they manage, whatever
  their status, and never another PCN's unaccepted plans.
- An ICB manager reads every plan of the PCNs in their ICB, may upload one on a PCN's behalf,
  accepts or returns them, keeps allocations, rounds, the staff role mapping and the
  maximum reimbursable amounts.
- Everyone with a role in an ICB (board members too) reads its published figures: accepted
  plans, staff in post, allocations and spend, as ICB and PCN tables.
"""

from __future__ import annotations

import datetime as dt

from core.access import Scope
from practices.models import Organisation, OrgKind
from practices.selectors import descendant_ids


def icb_pcn_ids(scope: Scope) -> frozenset[int]:
    """PCNs in the ICBs this user manages."""
    if not scope.managed_icb_ids:
        return frozenset()
    return descendant_ids(scope.managed_icb_ids, kind=OrgKind.PCN)


def plan_pcn_ids(scope: Scope) -> frozenset[int]:
    """PCNs whose unaccepted plans (drafts, awaiting review, returned) this user may read."""
    return scope.managed_pcn_ids | icb_pcn_ids(scope)


def can_read_plans_of(scope: Scope, pcn: Organisation) -> bool:
    return pcn.pk in plan_pcn_ids(scope)


def can_submit_plan_for(scope: Scope, pcn: Organisation) -> bool:
    """The PCN's own managers, and its ICB's managers on the PCN's behalf."""
    return pcn.kind == OrgKind.PCN and can_read_plans_of(scope, pcn)


def can_review_plan_for(scope: Scope, pcn: Organisation) -> bool:
    """Only the ICB's managers accept or return a plan."""
    return pcn.pk in icb_pcn_ids(scope)


def can_keep_workforce_records(scope: Scope) -> bool:
    """Allocations, rounds, the staff role mapping and the maximum reimbursable amounts."""
    return scope.is_icb_manager


def can_set_allocation_for(scope: Scope, pcn: Organisation, today: dt.date) -> bool:
    """ICB managers, for the PCNs in their ICBs today (those their allocations page lists)."""
    if pcn.kind != OrgKind.PCN or not can_keep_workforce_records(scope):
        return False
    return pcn.pk in descendant_ids(scope.managed_icb_ids, today, OrgKind.PCN)


def can_read_icb_workforce(scope: Scope, icb: Organisation) -> bool:
    return icb.pk in scope.icb_ids
