"""Workforce plans: the template, an upload (checked whole, kept as a draft to preview),
confirming it for its round, and the ICB's review."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from arrs.models import (
    CURRENT_STATUSES,
    ArrsRole,
    PlanFigure,
    PlanLine,
    PlanRound,
    PlanStatus,
    RoleAlias,
    WorkforcePlan,
)
from arrs.plan_files import Expected, PlanFile, TemplateRole, plan_file_read, plan_template_build
from arrs.years import fy_contains, fy_end, fy_start, quarter_ends
from imports.sources.base import ProblemLog
from imports.sources.readers import label_key
from practices.models import Organisation


class PlanStateError(Exception):
    """The plan is not in a state that allows this; the message says why, for people."""


def roles_for_year(year: int) -> list[ArrsRole]:
    """Roles reimbursable in the year, in table order."""
    open_then = Q(reimbursable_from__isnull=True) | Q(reimbursable_from__lte=year)
    return list(ArrsRole.objects.filter(open_then).order_by("sort_order", "name"))


def role_lookup(icb: Organisation | None = None) -> dict[str, int]:
    """Every name, code and shared alias of every role, and the ICB's own aliases, as label
    keys, to the role's id."""
    lookup: dict[str, int] = {}
    for role in ArrsRole.objects.all():
        for name in (role.name, role.code, *role.aliases):
            lookup.setdefault(label_key(name), role.pk)
    if icb is not None:
        for key, role_id in RoleAlias.objects.filter(icb=icb).values_list("alias_key", "role_id"):
            lookup.setdefault(key, role_id)
    return lookup


def default_as_at(year: int, today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    if fy_contains(year, today):
        return today
    return fy_start(year) if today < fy_start(year) else fy_end(year)


def workforce_plan_template(*, pcn: Organisation, year: int, today: dt.date | None = None) -> bytes:
    """The plan template for a PCN and year: its roles, and the quarter ends still to come."""
    as_at = default_as_at(year, today)
    dates = [day for day in quarter_ends(year) if day > as_at] or [fy_end(year)]
    roles = [TemplateRole(role.name, role.afc_band) for role in roles_for_year(year)]
    return plan_template_build(
        pcn_code=pcn.code, pcn_name=pcn.name, year=year, roles=roles, as_at=as_at, dates=dates
    )


@dataclass(frozen=True)
class PlanUpload:
    """A draft plan ready to preview, or the problems that stopped it (nothing is kept)."""

    plan: WorkforcePlan | None
    problems: ProblemLog


def workforce_plan_upload(
    *, pcn: Organisation, plan_round: PlanRound, upload: UploadedFile, user: User
) -> PlanUpload:
    """Check the whole file; a clean one becomes a draft for the round, kept with who and when."""
    problems = ProblemLog()
    if not plan_round.is_open:
        problems.add(None, None, f"The round {plan_round.name} is closed to new plans.")
        return PlanUpload(None, problems)
    stored = _store(upload)
    expected = Expected(pcn.code, plan_round.financial_year, role_lookup(plan_round.icb))
    parsed = plan_file_read(stored, expected, problems)
    if problems:
        shutil.rmtree(stored.parent, ignore_errors=True)
        return PlanUpload(None, problems)
    return PlanUpload(_draft_create(pcn, plan_round, parsed, stored, upload.name, user), problems)


def _store(upload: UploadedFile) -> Path:
    folder = Path(settings.MEDIA_ROOT) / "arrs-plans" / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / (Path(upload.name or "plan.xlsx").name.replace("\x00", "") or "plan.xlsx")
    with open(target, "wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return target


@transaction.atomic
def _draft_create(
    pcn: Organisation,
    plan_round: PlanRound,
    parsed: PlanFile,
    stored: Path,
    name: str | None,
    user: User,
) -> WorkforcePlan:
    plan = WorkforcePlan.objects.create(
        pcn=pcn,
        plan_round=plan_round,
        as_at=parsed.as_at,
        file_name=Path(name or stored.name).name,
        file_path=str(stored),
        checksum=hashlib.sha256(stored.read_bytes()).hexdigest(),
        uploaded_by=user,
    )
    lines = PlanLine.objects.bulk_create(
        [PlanLine(plan=plan, role_id=r.role_id, in_post=r.in_post, row=r.row) for r in parsed.rows]
    )
    figures = [
        PlanFigure(line=line, on=day, wte=wte)
        for line, row in zip(lines, parsed.rows, strict=True)
        for day, wte in row.intended.items()
    ]
    PlanFigure.objects.bulk_create(figures)
    return plan


@transaction.atomic
def workforce_plan_submit(*, plan: WorkforcePlan, user: User) -> WorkforcePlan:
    """Confirm a draft: it becomes the round's plan for the PCN, superseding the one before."""
    plan = WorkforcePlan.objects.select_for_update().select_related("plan_round").get(pk=plan.pk)
    if plan.status != PlanStatus.DRAFT:
        raise PlanStateError("This plan has already been submitted.")
    if not plan.plan_round.is_open:
        raise PlanStateError(f"The round {plan.plan_round.name} is closed to new plans.")
    earlier = WorkforcePlan.objects.select_for_update().filter(
        pcn_id=plan.pcn_id, plan_round_id=plan.plan_round_id, status__in=CURRENT_STATUSES
    )
    for old in earlier.exclude(pk=plan.pk):
        old.status, old.superseded_by = PlanStatus.SUPERSEDED, plan
        old.save(update_fields=["status", "superseded_by"])
    plan.status, plan.submitted_by, plan.submitted_at = PlanStatus.SUBMITTED, user, timezone.now()
    plan.save(update_fields=["status", "submitted_by", "submitted_at"])
    return plan


@transaction.atomic
def workforce_plan_review(
    *, plan: WorkforcePlan, user: User, accept: bool, comment: str = ""
) -> WorkforcePlan:
    """Accept a plan awaiting review, or return it to the PCN saying why."""
    plan = WorkforcePlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.SUBMITTED:
        raise PlanStateError(
            f"Only a plan awaiting review can be accepted or returned; "
            f"this one is {plan.get_status_display().lower()}."
        )
    comment = comment.strip()
    if not accept and not comment:
        raise PlanStateError("Say why the plan is being returned, so the PCN can put it right.")
    plan.status = PlanStatus.ACCEPTED if accept else PlanStatus.RETURNED
    plan.reviewed_by, plan.reviewed_at, plan.review_comment = user, timezone.now(), comment
    plan.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
    return plan
