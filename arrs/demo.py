"""The demo ICB's ARRS workforce, put in the way people would: files through the importers,
later years' amounts through "add a year", plans through the template, upload, confirm and
review services. Safe to run again: loaded files report no change and plans already made for
a round are left alone.

The demo app (installed only where DJANGO_DEMO=1) writes the files and the plans' figures and
hands them over as an `ArrsDemo`; this app never imports it (it sits above this one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from arrs.models import ArrsRole, PlanRound, RateArea, ReimbursementRate, WorkforcePlan
from arrs.services.plans import (
    workforce_plan_review,
    workforce_plan_submit,
    workforce_plan_template,
    workforce_plan_upload,
)
from arrs.services.records import plan_round_set_open, reimbursement_amounts_add
from arrs.years import fy_label, fy_start, month_end
from core import registry
from metrics.demo import demo_files_import
from metrics.models import ImportBatch
from practices.models import Organisation, OrgKind

PLAN_YEAR = 2026
POUND = Decimal(1)
RETURN_COMMENT = (
    "Some roles are blank at 31 December. Please fill in the WTE you intend for them (0 if "
    "none) so the whole year can be costed, and upload the plan again."
)

# A plan's workbook: the plan template (bytes) and role names by code in, the filled file out.
WorkbookFill = Callable[[bytes, dict[str, str]], bytes]


@dataclass(frozen=True)
class DemoPeople:
    icb_manager: User
    pcn_manager: User
    own_pcn: Organisation


@dataclass(frozen=True)
class DemoPlanUpload:
    """One PCN's plan in a round: each version uploaded and submitted in turn (a resubmitted
    plan has two), then the last one reviewed: "accept", "return", or None to leave it waiting."""

    pcn_code: str
    versions: tuple[WorkbookFill, ...]
    review: str | None


@dataclass(frozen=True)
class DemoPlanRound:
    label: str
    as_at: dt.date
    plans: tuple[DemoPlanUpload, ...]


@dataclass(frozen=True)
class ArrsDemo:
    """What the demo hands this app: its files as `(source, path)` in load order, the uplift
    (percent) for each year after the published amounts, the people and the plan rounds."""

    files: tuple[tuple[str, Path], ...]
    uplifts: dict[int, Decimal]
    people: DemoPeople
    icb: Organisation
    rounds: tuple[DemoPlanRound, ...]


def arrs_demo_load(context) -> list[ImportBatch]:
    """The ARRS part of the demo (registered in arrs' AppConfig): `context.inputs("arrs")`
    is the `ArrsDemo` the demo's generators made."""
    demo: ArrsDemo = context.inputs("arrs")
    batches = demo_files_import(files=demo.files)
    arrs_demo_amounts_add(uplifts=demo.uplifts, user=demo.people.icb_manager)
    arrs_demo_plans_make(icb=demo.icb, rounds=demo.rounds, people=demo.people)
    return batches


DEMO_PARTS = (registry.DemoData(key="arrs", load=arrs_demo_load, order=40),)


def arrs_demo_amounts_add(*, uplifts: dict[int, Decimal], user: User) -> int:
    """Amounts for the years after the published file, as an ICB manager would add them
    while waiting for the DES: the latest amounts uplifted, marked as estimates."""
    from arrs.selectors import rate_book

    added = 0
    for year, uplift in sorted(uplifts.items()):
        start = fy_start(year)
        if ReimbursementRate.objects.filter(effective_from=start).exists():
            continue
        book = rate_book()
        amounts = {}
        for role in ArrsRole.objects.all():
            for area in RateArea.values:
                entry = book.entry(role.pk, area, start)
                if entry is not None and entry.area == area:
                    amounts[(role.pk, area)] = (entry.amount * (1 + uplift / 100)).quantize(POUND)
        source = (
            f"Demo figures for {fy_label(year)}: the amounts before uplifted by {uplift}%, "
            "not published amounts"
        )
        added += reimbursement_amounts_add(
            effective_from=start,
            published_on=start,
            source=source,
            amounts=amounts,
            user=user,
            is_estimate=True,
        )
    return added


def arrs_demo_plans_make(
    *, icb: Organisation, rounds: tuple[DemoPlanRound, ...], people: DemoPeople
) -> int:
    """Every PCN's plan in each round, as the round lists it; the August round is then
    closed."""
    names = dict(ArrsRole.objects.values_list("code", "name"))
    pcns = {p.code: p for p in Organisation.objects.filter(kind=OrgKind.PCN)}
    made = 0
    for demo_round in rounds:
        due_on = month_end(demo_round.as_at + dt.timedelta(days=1))
        plan_round, _ = PlanRound.objects.get_or_create(
            icb=icb, financial_year=PLAN_YEAR, label=demo_round.label, defaults={"due_on": due_on}
        )
        for upload in demo_round.plans:
            pcn = pcns[upload.pcn_code]
            if WorkforcePlan.objects.filter(pcn=pcn, plan_round=plan_round).exists():
                continue
            made += _plan_make(pcn, plan_round, demo_round.as_at, names, people, upload)
    august = PlanRound.objects.get(icb=icb, financial_year=PLAN_YEAR, label="August")
    plan_round_set_open(plan_round=august, is_open=False)
    return made


def _plan_make(pcn, plan_round, as_at, names, people: DemoPeople, upload: DemoPlanUpload) -> int:
    uploader = people.pcn_manager if pcn == people.own_pcn else people.icb_manager
    for fill in upload.versions:
        submitted = _upload_and_submit(pcn, plan_round, as_at, fill, names, uploader)
    if upload.review == "accept":
        workforce_plan_review(plan=submitted, user=people.icb_manager, accept=True)
    elif upload.review == "return":
        workforce_plan_review(
            plan=submitted, user=people.icb_manager, accept=False, comment=RETURN_COMMENT
        )
    return len(upload.versions)


def _upload_and_submit(pcn, plan_round, as_at, fill: WorkbookFill, names, user) -> WorkforcePlan:
    template = workforce_plan_template(pcn=pcn, year=PLAN_YEAR, today=as_at)
    data = fill(template, names)
    name = f"arrs-workforce-plan-{pcn.code}-{plan_round.label.lower()}.xlsx"
    upload = SimpleUploadedFile(name, data)
    result = workforce_plan_upload(pcn=pcn, plan_round=plan_round, upload=upload, user=user)
    if result.plan is None:
        problems = "; ".join(str(problem) for problem in result.problems.kept)
        raise RuntimeError(f"The demo plan for {pcn.code} did not upload: {problems}")
    return workforce_plan_submit(plan=result.plan, user=user)
