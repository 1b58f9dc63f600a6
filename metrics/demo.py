"""The demo ICB's register and appointments, loaded through this app's sources (the ODS,
list-size, mapping and GPAD importers live here today), and its ICB manager's choice of
baseline month.

The demo app (installed only where DJANGO_DEMO=1) writes the files and hands them over through
the context each part's `load` receives; this app never imports it (it sits above this one).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import User

from core import registry
from metrics.measures.baseline import baseline_month_of, baseline_month_set
from metrics.models import BaselineSetting, BatchStatus, ImportBatch
from metrics.services import import_file
from practices.models import Organisation


@dataclass(frozen=True)
class DemoBaseline:
    """The month the demo ICB's manager compares against, unless one was chosen already."""

    icb: Organisation
    month: dt.date
    user: User


def demo_files_import(*, files: tuple[tuple[str, Path], ...]) -> list[ImportBatch]:
    """Each `(source, path)` through its importer, in order; a file that fails stops the demo."""
    batches = []
    for source, path in files:
        batch = import_file(source=source, path=path)
        if batch.status == BatchStatus.FAILED:
            raise RuntimeError(f"The demo file {path.name} did not load: {batch.outcome}")
        batches.append(batch)
    return batches


def register_demo_load(context) -> list[ImportBatch]:
    """The organisations (ODS), PCN memberships, the GPAD mapping and monthly list sizes."""
    return demo_files_import(files=context.inputs("register"))


def appointments_demo_load(context) -> list[ImportBatch]:
    """The GPAD appointment zips, month by month (none when the demo leaves them out)."""
    return demo_files_import(files=context.inputs("gpad"))


def baseline_demo_choose(context) -> list[ImportBatch]:
    """The demo ICB's baseline month, chosen as its ICB manager would on the baseline page,
    unless one has been chosen already (a reload keeps what a user picked)."""
    choice: DemoBaseline = context.inputs("baseline")
    if BaselineSetting.objects.filter(icb=choice.icb).exists():
        month = baseline_month_of(choice.icb)
    else:
        baseline_month_set(icb=choice.icb, month=choice.month, user=choice.user)
        month = choice.month
    if month is not None:
        context.notes.append(f"Baseline month for changes on the baseline: {month:%B %Y}")
    return []


DEMO_PARTS = (
    registry.DemoData(key="register", load=register_demo_load, order=10),
    registry.DemoData(key="gpad", load=appointments_demo_load, order=20),
    registry.DemoData(key="baseline", load=baseline_demo_choose, order=50),
)
