"""A task travels through the real broker to a separately started Celery worker.

On the default settings the broker is kombu's filesystem transport and the database a
SQLite file; in CI the same test runs against Redis and PostgreSQL.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from metrics.models import BatchStatus, ImportBatch
from metrics.services import import_batch_create_from_path
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


@pytest.fixture
def worker_queue():
    """A worker, in its own process, listening on a queue of its own."""
    queue = f"worker-test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": _database_url()}
    env["DJANGO_SETTINGS_MODULE"] = "access_portal.settings"
    command = [sys.executable, "-m", "celery", "-A", "access_portal", "worker"]
    command += ["--pool=solo", "--without-gossip", "--without-mingle", "--loglevel=warning"]
    process = subprocess.Popen([*command, "-Q", queue], cwd=ROOT, env=env)
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
