"""A task travels through the real broker to a separately started Celery worker.

On the default settings the broker is kombu's filesystem transport and the database a
SQLite file; in CI the same test runs against Redis and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from demo.gpad_national import national_month_write
from metrics.models import BatchStatus, GpadPracticeMonth, ImportBatch
from metrics.services import import_batch_create_from_path, import_batches_recover
from metrics.tasks import import_batch_run_task
from practices.models import Organisation

ROOT = Path(settings.BASE_DIR)
MAPPING = ROOT / "metrics" / "tests" / "fixtures" / "Mapping.csv"

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _database_url() -> str:
    """The URL of the database this test is using, so the worker opens the same one."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    auth = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_start(queue: str) -> subprocess.Popen:
    """A worker, in its own process, listening on ``queue``."""
    env = {**os.environ, "DATABASE_URL": _database_url()}
    env["DJANGO_SETTINGS_MODULE"] = "access_portal.settings"
    command = [sys.executable, "-m", "celery", "-A", "access_portal", "worker"]
    command += ["--pool=solo", "--without-gossip", "--without-mingle", "--loglevel=warning"]
    return subprocess.Popen([*command, "-Q", queue], cwd=ROOT, env=env)


@pytest.fixture
def worker_queue():
    """A worker listening on a queue of its own."""
    queue = f"worker-test-{uuid.uuid4().hex[:8]}"
    process = worker_start(queue)
    yield queue
    process.terminate()
    process.wait(timeout=30)


def test_an_import_sent_through_the_broker_is_run_by_a_separate_worker(worker_queue):
    batch = import_batch_create_from_path(source="gpad-mapping", path=MAPPING)

    result = import_batch_run_task.apply_async((batch.pk,), queue=worker_queue)

    assert result.get(timeout=120) == BatchStatus.SUCCEEDED
    batch = _wait_until_finished(batch)
    assert batch.rows_loaded == 3
    assert Organisation.objects.filter(code="L85001", source_batch=batch).exists()
    assert batch.started_at is not None and batch.finished_at >= batch.started_at


def _wait_until_finished(batch: ImportBatch, seconds: float = 30) -> ImportBatch:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        batch.refresh_from_db()
        if batch.is_finished:
            return batch
        time.sleep(0.2)
    raise AssertionError(f"Batch {batch.pk} did not finish: {batch.status}")


def test_a_worker_killed_mid_import_leaves_nothing_half_written_and_the_batch_is_run_again(
    tmp_path, settings
):
    """SIGKILL, as the kernel's out-of-memory killer or a lost machine would: the run's
    transaction dies with it, its lease runs out, and recovery sends the batch again."""
    settings.IMPORT_LEASE_SECONDS = 4
    settings.IMPORT_QUEUE = queue = f"worker-test-{uuid.uuid4().hex[:8]}"
    crosstab = national_month_write(
        path=tmp_path / "Practice_Level_Crosstab_Mar_25.csv", month=dt.date(2025, 3, 1),
        practices=1500, seed=7,
    )  # fmt: skip
    batch = import_batch_create_from_path(source="gpad", path=crosstab.path)
    first = worker_start(queue)
    try:
        import_batch_run_task.apply_async((batch.pk,), queue=queue)
        _wait_for(lambda: _status(batch) == BatchStatus.RUNNING, "the first run to start")
        time.sleep(0.5)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        first.kill()

    assert _status(batch) == BatchStatus.RUNNING  # what the dead worker left
    assert not GpadPracticeMonth.objects.exists()  # and nothing of its run
    # The dead run's lease runs out; recovery sends the batch to a new worker.
    _wait_for(lambda: bool(import_batches_recover()), "recovery to see the dead run", 60)
    second = worker_start(queue)
    try:
        batch = _wait_until_finished(batch, seconds=180)
    finally:
        second.terminate()
        second.wait(timeout=30)
    assert batch.status == BatchStatus.SUCCEEDED and batch.attempts == 2
    assert GpadPracticeMonth.objects.count() == crosstab.practices


def _status(batch: ImportBatch) -> str:
    return ImportBatch.objects.values_list("status", flat=True).get(pk=batch.pk)


def _wait_for(condition, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"Waited {seconds} s for {what}")
