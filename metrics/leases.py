"""A running import's lease on its batch: renewed by a thread beside the import, kept in the
shared cache (seen by every process), gone when the process running it dies.

A batch that says it is running but whose lease has run out lost its worker: the recovery
task (``metrics.services.import_batches_recover``) runs it again from clean. A second
delivery of the same task while the lease is held leaves the batch to the run that holds it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


def _key(batch_id: int) -> str:
    return f"import-lease:{batch_id}"


def lease_held(batch_id: int) -> bool:
    """Whether a live process is running the batch (as far as the cache can tell)."""
    try:
        return cache.get(_key(batch_id)) is not None
    except Exception:  # the cache is unreachable: assume the run is alive, decide later
        logger.warning("Could not read the lease of import batch %s", batch_id, exc_info=True)
        return True


def _renew(batch_id: int) -> None:
    try:
        cache.set(_key(batch_id), True, timeout=settings.IMPORT_LEASE_SECONDS)
    except Exception:
        logger.warning("Could not renew the lease of import batch %s", batch_id, exc_info=True)


@contextmanager
def lease(batch_id: int) -> Iterator[None]:
    """Hold the batch's lease while the block runs, renewed every quarter of its length."""
    _renew(batch_id)
    stopped = threading.Event()

    def keep_renewing() -> None:
        while not stopped.wait(settings.IMPORT_LEASE_SECONDS / 4):
            _renew(batch_id)

    renewer = threading.Thread(target=keep_renewing, name=f"lease-{batch_id}", daemon=True)
    renewer.start()
    try:
        yield
    finally:
        stopped.set()
        renewer.join()
        try:
            cache.delete(_key(batch_id))
        except Exception:
            logger.warning("Could not end the lease of import batch %s", batch_id, exc_info=True)
