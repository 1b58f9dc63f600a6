"""Reads of import batches for the imports pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import QuerySet

from metrics.models import ImportBatch
from metrics.sources import all_sources


def import_batches() -> QuerySet[ImportBatch]:
    """Every batch, newest first, with who loaded it."""
    return ImportBatch.objects.select_related("created_by").order_by("-created_at", "-id")


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
