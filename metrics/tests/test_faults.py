"""Imports that survive faults: a run whose worker died is run again from clean (or failed,
saying why), never left running; an unreachable queue keeps the file and says so at once;
an unreachable cache does not take pages down. The same, with a real worker killed, is in
tests/test_worker.py."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from access_portal.celery import app
from metrics.leases import lease
from metrics.models import BatchStatus, ImportBatch
from metrics.services import (
    QUEUE_UNAVAILABLE,
    import_batch_create_from_path,
    import_batch_run,
    import_batches_recover,
)
from practices.models import Organisation
from tests.pages import page_as, visible_text

MAPPING = Path(__file__).parent / "fixtures" / "Mapping.csv"


def left_running(*, minutes_ago: float, attempts: int = 1) -> ImportBatch:
    """A batch a worker started and then died running: its status still says running."""
    batch = import_batch_create_from_path(source="gpad-mapping", path=MAPPING)
    started = timezone.now() - dt.timedelta(minutes=minutes_ago)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.RUNNING, started_at=started, attempts=attempts, sent_at=started
    )
    return ImportBatch.objects.get(pk=batch.pk)


def test_a_batch_whose_worker_died_is_run_again_from_clean(tree, celery_eager, settings):
    settings.IMPORT_LEASE_SECONDS = 60
    batch = left_running(minutes_ago=5)

    recovered = import_batches_recover()

    batch.refresh_from_db()
    assert [b.pk for b in recovered] == [batch.pk]
    assert batch.status == BatchStatus.SUCCEEDED and batch.attempts == 2
    assert Organisation.objects.filter(code="L85001", source_batch=batch).exists()


def test_a_batch_still_within_its_lease_is_left_to_the_run_that_holds_it(tree, settings):
    settings.IMPORT_LEASE_SECONDS = 60
    batch = left_running(minutes_ago=5)

    with lease(batch.pk):
        assert import_batches_recover() == []
        assert import_batch_run(batch_id=batch.pk).status == BatchStatus.RUNNING

    batch.refresh_from_db()
    assert batch.status == BatchStatus.RUNNING and batch.attempts == 1


def test_a_recent_start_is_not_taken_for_a_dead_worker(tree, settings):
    settings.IMPORT_LEASE_SECONDS = 600
    left_running(minutes_ago=1)

    assert import_batches_recover() == []


def test_after_the_last_attempt_the_batch_is_failed_with_the_reason(tree, settings):
    settings.IMPORT_LEASE_SECONDS, settings.IMPORT_MAX_ATTEMPTS = 60, 3
    batch = left_running(minutes_ago=5, attempts=3)

    import_batches_recover()

    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAILED and batch.finished_at is not None
    assert "stopped 3 times before it finished" in batch.outcome
    assert not Organisation.objects.filter(source_batch=batch).exists()


@pytest.fixture
def unreachable_broker(monkeypatch):
    """The task queue pointed at a port where nothing listens, for the test's length (Celery
    reads CELERY_BROKER_URL from the environment before its configuration)."""
    nowhere = "redis://127.0.0.1:1/0"
    monkeypatch.setenv("CELERY_BROKER_URL", nowhere)
    monkeypatch.setitem(app.conf, "broker_url", nowhere)
    app._pool, app.amqp._producer_pool = None, None
    yield
    monkeypatch.undo()
    app._pool, app.amqp._producer_pool = None, None


def test_with_the_queue_unreachable_an_upload_is_kept_said_at_once_and_sent_later(
    client, tree, data_loader, unreachable_broker, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(data_loader)
    upload = SimpleUploadedFile("Mapping.csv", MAPPING.read_bytes(), content_type="text/csv")

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("metrics:upload"), {"source": "gpad-mapping", "file": upload}
        )
    answered_in = time.monotonic() - started

    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and answered_in < 10
    assert batch.status == BatchStatus.QUEUED and batch.sent_at is None
    assert Path(batch.file_path).read_bytes() == MAPPING.read_bytes()
    page = client.get(response["Location"])
    assert page.status_code == 200 and "could not be reached" in visible_text(page)
    assert batch.outcome == QUEUE_UNAVAILABLE


def test_a_file_kept_while_the_queue_was_down_loads_once_it_is_back(tree, celery_eager):
    batch = import_batch_create_from_path(source="gpad-mapping", path=MAPPING)
    ImportBatch.objects.filter(pk=batch.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=2), outcome=QUEUE_UNAVAILABLE
    )

    import_batches_recover()

    batch.refresh_from_db()
    assert batch.status == BatchStatus.SUCCEEDED and batch.sent_at is not None
    assert batch.outcome.startswith("Loaded")


def test_pages_and_the_api_keep_serving_when_the_cache_is_unreachable(
    client, settings, tree, icb_manager
):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.TolerantRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    from django.core.cache import cache

    assert cache.get("anything") is None  # a miss, not an error

    for url in (reverse("home"), "/dashboard/", reverse("metrics:imports"), "/api/v1/practices/"):
        assert page_as(client, icb_manager, url).status_code == 200, url
