"""Celery tasks. They take ids, call services, and are safe to run twice."""

from celery import shared_task

from core.page_cache import data_changed
from imports.sources.base import Recompute
from metrics.services import import_batch_run, import_batches_recover


@shared_task(name="metrics.import_batch_run")
def import_batch_run_task(batch_id: int) -> str:
    """Run one queued import; returns its final status."""
    return import_batch_run(batch_id=batch_id).status


@shared_task(name="metrics.import_batches_recover")
def import_batches_recover_task() -> list[int]:
    """Every minute (beat): run again imports whose worker died, send files kept while the
    queue was unreachable."""
    return [batch.pk for batch in import_batches_recover()]


@shared_task(name="metrics.measures_recompute_from")
def measures_recompute_from_task(month: str) -> list[str]:
    """Recompute every loaded month's measures from ``month`` (YYYY-MM-DD) on, after a change
    such as a list-size correction; safe to run twice."""
    import datetime as dt

    from django.core.cache import cache
    from django.utils import timezone

    from metrics.measures.compute import measures_recompute
    from metrics.selectors import MEASURES_RECOMPUTED_AT

    notes = measures_recompute(recompute=Recompute(from_month=dt.date.fromisoformat(month)))
    cache.set(MEASURES_RECOMPUTED_AT, timezone.now(), timeout=None)
    data_changed()
    return notes


@shared_task(name="metrics.measures_recompute_of")
def measures_recompute_of_task(sources: list[str]) -> list[str]:
    """Recompute every month of these sources' measures after an edit in the portal (an
    ARRS allocation, say); safe to run twice."""
    from django.core.cache import cache
    from django.utils import timezone

    from metrics.measures.compute import measures_recompute
    from metrics.selectors import MEASURES_RECOMPUTED_AT

    notes = measures_recompute(recompute=Recompute(everything=True, sources=frozenset(sources)))
    cache.set(MEASURES_RECOMPUTED_AT, timezone.now(), timeout=None)
    data_changed()
    return notes
