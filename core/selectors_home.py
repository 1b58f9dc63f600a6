"""Reads for the home page: what waits for each role (docs/decisions/0020-landing-pages.md).

- A PCN manager: their PCNs, each with its plans returned by the ICB and the open plan rounds
  with their due dates and whether the PCN's plan is in.
- An ICB manager: a to-do list of plans awaiting review, the ICB's own imports that failed or
  are stuck, open rounds past their due date with PCNs yet to submit, and monthly sources not
  loaded for the latest month.

Every read is a fixed number of queries whatever the number of PCNs, plans, rounds or batches
(one walk of the register per ICB managed).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, F, Max, OuterRef, Q
from django.utils import timezone

from arrs.access import icb_pcn_ids
from arrs.models import CURRENT_STATUSES, PlanRound, PlanStatus, WorkforcePlan
from core import registry
from core.access import NATIONAL, Scope
from core.models import Role
from metrics.leases import lease_held
from metrics.models.batches import BatchStatus, ImportBatch
from practices.models import Membership, Organisation, OrgKind
from practices.selectors import descendant_ids

# The monthly sources held against GPAD's latest month. GPAD sets the month; its mapping
# comes inside each GPAD zip, so it is loaded with it.
GPAD = "gpad"
CHECKED_AGAINST_GPAD = ("gpad-coverage", "list-sizes", "arrs-claims")
LOADED = (BatchStatus.SUCCEEDED, BatchStatus.UNCHANGED)
UNFINISHED = (BatchStatus.QUEUED, BatchStatus.RUNNING)


# --- a PCN manager's PCNs ----------------------------------------------------------------


@dataclass(frozen=True)
class RoundState:
    """An open round as one PCN stands in it: its current plan, or a draft not yet submitted."""

    plan_round: PlanRound
    plan: WorkforcePlan | None

    @property
    def submitted(self) -> bool:
        return self.plan is not None and self.plan.status in CURRENT_STATUSES

    @property
    def is_draft(self) -> bool:
        return self.plan is not None and self.plan.status == PlanStatus.DRAFT

    def overdue(self, today: dt.date) -> bool:
        """Past its due date with no plan awaiting review or accepted (a returned plan is
        back with the PCN)."""
        due = self.plan_round.due_on
        in_hand = self.submitted and self.plan.status != PlanStatus.RETURNED
        return due is not None and due < today and not in_hand


@dataclass
class PcnWork:
    pcn: Organisation
    returned: list[WorkforcePlan] = field(default_factory=list)
    rounds: list[RoundState] = field(default_factory=list)
    # A corrected plan uploaded after a return but not yet submitted, by round id.
    drafts: dict[int, WorkforcePlan] = field(default_factory=dict)


def icb_of_each(org_ids: Iterable[int], day: dt.date) -> dict[int, int]:
    """The ICB each organisation is in on ``day``: one query per level of the register."""
    start = {pk: pk for pk in org_ids}
    found: dict[int, int] = {}
    frontier = dict(start)  # organisation reached -> where the walk began
    for _ in range(3):  # PCN > sub-ICB > ICB, or straight to an ICB
        if not frontier:
            break
        rows = Membership.objects.in_force_on(day).filter(child_id__in=frontier)
        reached: dict[int, int] = {}
        for child, parent, kind in rows.values_list("child_id", "parent_id", "parent__kind"):
            origin = frontier[child]
            if kind == OrgKind.ICB:
                found.setdefault(origin, parent)
            elif origin not in found:
                reached[parent] = origin
        frontier = {pk: origin for pk, origin in reached.items() if origin not in found}
    return found


def pcn_work(scope: Scope, today: dt.date) -> list[PcnWork]:
    """Each PCN the user manages: plans returned to it in rounds still open, and the open
    rounds of its ICB, soonest due first, with the PCN's plan in each."""
    pcns = sorted(
        (a.organisation for a in scope.assignments if a.role == Role.PCN_MANAGER),
        key=lambda o: o.name,
    )
    if not pcns:
        return []
    icbs = icb_of_each([p.pk for p in pcns], today)
    rounds = list(
        PlanRound.objects.filter(icb_id__in=set(icbs.values()), is_open=True).order_by(
            F("due_on").asc(nulls_last=True), "-financial_year", "label"
        )
    )
    plans = _plans_in(pcns, rounds)
    return [_one_pcn(pcn, icbs.get(pcn.pk), rounds, plans) for pcn in pcns]


def _plans_in(pcns: list[Organisation], rounds: list[PlanRound]) -> list[WorkforcePlan]:
    """The PCNs' plans in the rounds, current or draft, newest first."""
    if not rounds:
        return []
    return list(
        WorkforcePlan.objects.filter(pcn__in=pcns, plan_round__in=rounds)
        .exclude(status=PlanStatus.SUPERSEDED)
        .select_related("plan_round", "reviewed_by")
        .order_by("-uploaded_at", "-id")
    )


def _one_pcn(
    pcn: Organisation, icb_id: int | None, rounds: list[PlanRound], plans: list[WorkforcePlan]
) -> PcnWork:
    work = PcnWork(pcn)
    current: dict[int, WorkforcePlan] = {}
    for plan in (p for p in plans if p.pcn_id == pcn.pk):
        if plan.status in CURRENT_STATUSES:
            current[plan.plan_round_id] = plan
        else:
            work.drafts.setdefault(plan.plan_round_id, plan)
    work.returned = [p for p in current.values() if p.status == PlanStatus.RETURNED]
    for plan_round in (r for r in rounds if r.icb_id == icb_id):
        plan = current.get(plan_round.pk) or work.drafts.get(plan_round.pk)
        work.rounds.append(RoundState(plan_round, plan))
    return work


# --- an ICB manager's to-do list ---------------------------------------------------------


@dataclass(frozen=True)
class OverdueRound:
    plan_round: PlanRound
    missing: list[Organisation]  # PCNs with no plan in, by name
    returned: list[Organisation]  # PCNs whose plan was returned and not sent again


@dataclass(frozen=True)
class SourceGap:
    """A monthly source whose newest loaded month is older than GPAD's (None: never loaded)."""

    code: str
    title: str
    loaded_month: dt.date | None
    icb: Organisation | None  # the ICB whose own records it holds; None for a national file

    @property
    def icb_loads_it(self) -> bool:
        return self.icb is not None


@dataclass
class IcbTodo:
    to_review: list[WorkforcePlan]
    failed: list[ImportBatch]
    stuck: list[ImportBatch]
    overdue: list[OverdueRound]
    latest_month: dt.date | None
    not_loaded: list[SourceGap]

    @property
    def count(self) -> int:
        return sum(
            len(items)
            for items in (self.to_review, self.failed, self.stuck, self.overdue, self.not_loaded)
        )


def icb_todo(scope: Scope, today: dt.date) -> IcbTodo | None:
    """What waits for an ICB manager; None for anyone else."""
    if not scope.managed_icb_ids:
        return None
    icbs = {o.pk: o for o in (a.organisation for a in scope.assignments) if o.kind == OrgKind.ICB}
    icbs = {pk: org for pk, org in icbs.items() if pk in scope.managed_icb_ids}
    latest, gaps = sources_behind(icbs)
    return IcbTodo(
        to_review=plans_to_review(scope),
        failed=failed_imports(scope.managed_icb_ids),
        stuck=stuck_imports(scope.managed_icb_ids),
        overdue=overdue_rounds(scope.managed_icb_ids, today),
        latest_month=latest,
        not_loaded=gaps,
    )


def plans_to_review(scope: Scope) -> list[WorkforcePlan]:
    """Plans submitted by the ICB's PCNs and not yet accepted or returned, oldest first."""
    return list(
        WorkforcePlan.objects.filter(pcn_id__in=icb_pcn_ids(scope), status=PlanStatus.SUBMITTED)
        .select_related("pcn", "plan_round", "submitted_by")
        .order_by("submitted_at", "id")
    )


def failed_imports(icb_ids: Iterable[int]) -> list[ImportBatch]:
    """The ICB's own imports that failed and have not been loaded again since (nothing of
    the same source for the ICB started after them)."""
    later = ImportBatch.objects.filter(
        source=OuterRef("source"), icb_id=OuterRef("icb_id"), created_at__gt=OuterRef("created_at")
    )
    return list(
        ImportBatch.objects.filter(icb_id__in=list(icb_ids), status=BatchStatus.FAILED)
        .exclude(Exists(later))
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )


def unfinished_imports(icb_ids: Iterable[int]) -> list[ImportBatch]:
    """The ICB's own imports still queued or running."""
    return list(
        ImportBatch.objects.filter(icb_id__in=list(icb_ids), status__in=UNFINISHED)
        .select_related("created_by")
        .order_by("created_at", "id")
    )


def is_stuck(batch: ImportBatch, now: dt.datetime) -> bool:
    """Queued for longer than a lease with no worker starting it, or running past its lease
    with no live process holding it (the worker died)."""
    limit = now - dt.timedelta(seconds=settings.IMPORT_LEASE_SECONDS)
    if batch.status == BatchStatus.QUEUED:
        return batch.created_at < limit
    started = batch.started_at or batch.created_at
    return batch.status == BatchStatus.RUNNING and started < limit and not lease_held(batch.pk)


def stuck_imports(icb_ids: Iterable[int]) -> list[ImportBatch]:
    now = timezone.now()
    return [batch for batch in unfinished_imports(icb_ids) if is_stuck(batch, now)]


def overdue_rounds(icb_ids: Iterable[int], today: dt.date) -> list[OverdueRound]:
    """Open rounds past their due date in which some of the ICB's PCNs (today's) have no plan
    awaiting review or accepted."""
    rounds = list(
        PlanRound.objects.filter(icb_id__in=list(icb_ids), is_open=True, due_on__lt=today)
        .select_related("icb")
        .order_by("due_on", "label")
    )
    if not rounds:
        return []
    pcns_of = {icb: descendant_ids([icb], today, OrgKind.PCN) for icb in {r.icb_id for r in rounds}}
    statuses = defaultdict(dict)
    current = WorkforcePlan.objects.filter(plan_round__in=rounds, status__in=CURRENT_STATUSES)
    for round_id, pcn_id, status in current.values_list("plan_round_id", "pcn_id", "status"):
        statuses[round_id][pcn_id] = status
    names = Organisation.objects.filter(pk__in=set().union(*pcns_of.values())).order_by("name")
    pcns = list(names)
    found = []
    for plan_round in rounds:
        mine, seen = pcns_of[plan_round.icb_id], statuses[plan_round.pk]
        missing = [p for p in pcns if p.pk in mine and p.pk not in seen]
        returned = [p for p in pcns if seen.get(p.pk) == PlanStatus.RETURNED]
        if missing or returned:
            found.append(OverdueRound(plan_round, missing, returned))
    return found


def sources_behind(icbs: dict[int, Organisation]) -> tuple[dt.date | None, list[SourceGap]]:
    """GPAD's newest loaded month, and each monthly source that does not reach it: national
    files as loaded for everyone, the ICB's own files (claims) per ICB managed."""
    codes = (GPAD, *CHECKED_AGAINST_GPAD)
    rows = (
        ImportBatch.objects.filter(source__in=codes, status__in=LOADED, period_end__isnull=False)
        .filter(Q(icb__isnull=True) | Q(icb_id__in=list(icbs)))
        .values("source", "icb_id")
        .annotate(latest=Max("period_end"))
    )
    newest = {(row["source"], row["icb_id"]): row["latest"] for row in rows}
    latest = newest.get((GPAD, None))
    if latest is None:
        return None, []
    latest = latest.replace(day=1)
    gaps = []
    for code in CHECKED_AGAINST_GPAD:
        source = registry.sources.get(code)
        owners = [icbs[pk] for pk in sorted(icbs, key=lambda pk: icbs[pk].name)]
        for icb in [None] if source.writes == NATIONAL else owners:
            loaded = newest.get((code, icb.pk if icb else None))
            if loaded is None or loaded.replace(day=1) < latest:
                gaps.append(SourceGap(code, source.title, loaded, icb))
    return latest, gaps


def has_unfinished_imports(scope: Scope) -> bool:
    """Whether an import the user's to-do list watches is queued or running: such an import
    can become stuck with no record changing, so the home page is then drawn afresh."""
    if not scope.managed_icb_ids:
        return False
    return ImportBatch.objects.filter(
        icb_id__in=list(scope.managed_icb_ids), status__in=UNFINISHED
    ).exists()
