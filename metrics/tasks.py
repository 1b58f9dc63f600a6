"""Celery tasks. They take ids, call services, and are safe to run twice."""

from celery import shared_task

from metrics.services import import_batch_run


@shared_task(name="metrics.import_batch_run")
def import_batch_run_task(batch_id: int) -> str:
    """Run one queued import; returns its final status."""
    return import_batch_run(batch_id=batch_id).status
