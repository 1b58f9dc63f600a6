"""The demo ICB's ARRS workforce, put in the way people would: files through the importers,
later years' amounts through "add a year", plans through the template, upload, confirm and
review services. Safe to run again: loaded files report no change and plans already made for
a round are left alone."""

from __future__ import annotations

import datetime as dt
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
from core.demo import arrs as demo
from core.demo.structure import DemoStructure
from metrics.models import BatchStatus, ImportBatch
from metrics.services import import_file
from practices.models import Organisation, OrgKind

PLAN_YEAR = 2026
POUND = Decimal(1)
RETURN_COMMENT = (
    "Some roles are blank at 31 December. Please fill in the WTE you intend for them (0 if "
    "none) so the whole year can be costed, and upload the plan again."
)


@dataclass(frozen=True)
class DemoPeople:
    icb_manager: User
    pcn_manager: User
    own_pcn: Organisation


def arrs_demo_files_load(*, structure: DemoStructure, out_dir: Path) -> list[ImportBatch]:
    """Allocations, a quarterly NWRS census and monthly claims, through the importers."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files = [
        ("arrs-allocations", demo.allocations_write(out_dir / "arrs-allocations.csv", structure))
    ]
    for index, census in enumerate(demo.CENSUSES):
        path = out_dir / f"PCN_Individual_Level_{census:%b%Y}.csv"
        files.append(("nwrs-pcn", demo.nwrs_write(path, structure, index)))
    files.append(("arrs-claims", demo.claims_write(out_dir / "arrs-claims.csv", structure)))
    batches = []
    for source, path in files:
        batch = import_file(source=source, path=path)
        if batch.status == BatchStatus.FAILED:
            raise RuntimeError(f"The demo file {path.name} did not load: {batch.outcome}")
        batches.append(batch)
    return batches


def arrs_demo_amounts_add(*, user: User) -> int:
    """Amounts for the years after the published file, as an ICB manager would add them
    while waiting for the DES: the latest amounts uplifted, marked as estimates."""
    from arrs.selectors import rate_book

    added = 0
    for year, uplift in sorted(demo.DEMO_UPLIFTS.items()):
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


def arrs_demo_plans_make(*, structure: DemoStructure, icb: Organisation, people: DemoPeople) -> int:
    """Two rounds of plans from every PCN. August: all accepted. October: most accepted,
    the demo PCN manager's returned with a comment, two awaiting review, one resubmitted."""
    names = dict(ArrsRole.objects.values_list("code", "name"))
    pcns = {p.code: p for p in Organisation.objects.filter(kind=OrgKind.PCN)}
    made = 0
    for label, as_at in demo.ROUNDS:
        due_on = month_end(as_at + dt.timedelta(days=1))
        plan_round, _ = PlanRound.objects.get_or_create(
            icb=icb, financial_year=PLAN_YEAR, label=label, defaults={"due_on": due_on}
        )
        outcomes = _outcomes(structure, label, people.own_pcn.code)
        for demo_pcn in structure.pcns:
            pcn = pcns[demo_pcn.code]
            if WorkforcePlan.objects.filter(pcn=pcn, plan_round=plan_round).exists():
                continue
            made += _plan_make(structure, pcn, plan_round, names, people, outcomes[pcn.code])
    august = PlanRound.objects.get(icb=icb, financial_year=PLAN_YEAR, label="August")
    plan_round_set_open(plan_round=august, is_open=False)
    return made


def _outcomes(structure: DemoStructure, label: str, own_code: str) -> dict[str, str]:
    codes = [p.code for p in sorted(structure.pcns, key=lambda p: p.name)]
    if label == "August":
        return dict.fromkeys(codes, "accept")
    others = [code for code in codes if code != own_code]
    outcomes = dict.fromkeys(codes, "accept")
    outcomes[own_code] = "return"
    outcomes[others[-1]] = outcomes[others[-2]] = "await"
    outcomes[others[0]] = "resubmit"
    return outcomes


def _plan_make(structure, pcn, plan_round, names, people: DemoPeople, outcome: str) -> int:
    plan = demo.demo_plan(structure, pcn.code, plan_round.label)
    uploader = people.pcn_manager if pcn == people.own_pcn else people.icb_manager
    if outcome == "resubmit":
        first = demo.DemoPlan(plan.as_at, dict(list(plan.figures.items())[:-1]))
        _upload_and_submit(pcn, plan_round, first, names, uploader)
    submitted = _upload_and_submit(pcn, plan_round, plan, names, uploader)
    if outcome in ("accept", "resubmit"):
        workforce_plan_review(plan=submitted, user=people.icb_manager, accept=True)
    elif outcome == "return":
        workforce_plan_review(
            plan=submitted, user=people.icb_manager, accept=False, comment=RETURN_COMMENT
        )
    return 2 if outcome == "resubmit" else 1


def _upload_and_submit(pcn, plan_round, plan: demo.DemoPlan, names, user: User) -> WorkforcePlan:
    template = workforce_plan_template(pcn=pcn, year=PLAN_YEAR, today=plan.as_at)
    data = demo.plan_workbook_fill(template, plan, names)
    name = f"arrs-workforce-plan-{pcn.code}-{plan_round.label.lower()}.xlsx"
    upload = SimpleUploadedFile(name, data)
    result = workforce_plan_upload(pcn=pcn, plan_round=plan_round, upload=upload, user=user)
    if result.plan is None:
        problems = "; ".join(str(problem) for problem in result.problems.kept)
        raise RuntimeError(f"The demo plan for {pcn.code} did not upload: {problems}")
    return workforce_plan_submit(plan=result.plan, user=user)
