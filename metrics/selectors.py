"""Reads of import batches for the imports pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import F, Q, QuerySet

from core.access import NATIONAL, Scope
from imports.registry import all_sources
from metrics.models import ImportBatch, MeasureDefinition, MeasureValue


def import_batches(scope: Scope) -> QuerySet[ImportBatch]:
    """The batches ``scope`` may see, newest first, with who loaded them: staff see every
    one; others the national files (which every ICB reads) and their own ICB's files."""
    batches = ImportBatch.objects.select_related("created_by").order_by("-created_at", "-id")
    if scope.is_staff:
        return batches
    national = [source.code for source in all_sources() if source.writes == NATIONAL]
    return batches.filter(Q(source__in=national) | Q(icb_id__in=scope.managed_icb_ids))


def source_titles() -> dict[str, str]:
    return {source.code: source.title for source in all_sources()}


@dataclass(frozen=True)
class BatchState:
    """What the batch page's progress script polls for."""

    status: str
    label: str
    progress: int
    outcome: str
    finished: bool

    @classmethod
    def of(cls, batch: ImportBatch) -> BatchState:
        return cls(
            status=batch.status,
            label=batch.get_status_display(),
            progress=batch_progress(batch),
            outcome=batch.outcome,
            finished=batch.is_finished,
        )


def batch_progress(batch: ImportBatch) -> int:
    """Per cent done. A running import reports through the cache, because its own rows
    are inside a transaction nobody else can see until it ends."""
    if batch.is_finished:
        return batch.progress
    return max(batch.progress, cache.get(progress_key(batch.pk), 0))


def progress_key(batch_id: int) -> str:
    return f"import-batch-progress-{batch_id}"


# When measures were last recomputed outside an import (a list-size correction, say): such
# a recompute changes figures without a new import batch, and API ETags must see it.
MEASURES_RECOMPUTED_AT = "measures-recomputed-at"


def measures_recomputed_at() -> dt.datetime | None:
    return cache.get(MEASURES_RECOMPUTED_AT)


# --- API reads ---------------------------------------------------------------------------


def measure_definitions() -> QuerySet[MeasureDefinition]:
    """Every reviewed definition (reference data: the same for every reader)."""
    return MeasureDefinition.objects.order_by("sort_order", "code")


MEASURE_VALUE_COLUMNS = {
    "measure_code": F("measure_id"),
    "org_type": F("org__kind"),
    "org_code": F("org__code"),
    "org_name": F("org__name"),
}
MEASURE_VALUE_FIELDS = (
    "period", "numerator", "denominator", "denominator_month", "value", "per_working_day",
    "change_year", "change_baseline", "percentile_england", "percentile_icb", "batch_id",
)  # fmt: skip


def measure_values_listed(org_ids: Iterable[int]) -> QuerySet[MeasureValue]:
    """Values for the given organisations (a reader's ``Scope.figure_org_ids``), as rows
    of plain values, by measure, level, ODS code and month."""
    return (
        MeasureValue.objects.filter(org__in_ids=list(org_ids))
        .order_by("measure_id", "org__kind", "org__code", "period")
        .values(*MEASURE_VALUE_FIELDS, **MEASURE_VALUE_COLUMNS)
    )
