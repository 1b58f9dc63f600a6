"""Running imports. The ``ingest`` command, the Celery task and the upload page all come
through here, so a file is loaded the same way whichever door it came in by."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import shutil
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from core.access import ICB_OWNED, Scope
from imports.registry import get_source
from imports.sources.base import (
    Parsed,
    ProblemLog,
    Source,
    WriteContext,
    Written,
    WrongKindOfFile,
    storable,
)
from metrics.leases import lease, lease_held
from metrics.models import BatchStatus, ImportBatch
from metrics.retention import file_keep, files_prune, incoming_path
from metrics.selectors import progress_key
from practices.models import Organisation

logger = logging.getLogger(__name__)
CHUNK = 1024 * 1024


def _checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _safe_name(name: str) -> str:
    return Path(name).name.replace("\x00", "") or "upload"


def import_batch_create_from_path(
    *, source: str, path: Path, user: User | None = None
) -> ImportBatch:
    """Keep a copy of the file and record a queued batch for it."""
    _may_load(get_source(source), user)
    incoming = incoming_path(_safe_name(path.name))
    shutil.copyfile(path, incoming)
    return _batch_for(source=source, incoming=incoming, name=path.name, user=user)


def import_batch_create_from_upload(
    *, source: str, upload: UploadedFile, user: User | None
) -> ImportBatch:
    """Stream an uploaded file to disk and record a queued batch for it."""
    _may_load(get_source(source), user)
    incoming = incoming_path(_safe_name(upload.name or "upload"))
    with open(incoming, "wb") as handle:
        for chunk in upload.chunks(CHUNK):
            handle.write(chunk)
    name = upload.name or incoming.name
    return _batch_for(source=source, incoming=incoming, name=name, user=user)


def _may_load(source: Source, user: User | None) -> None:
    """One rule for every door: a person loads a source only if their role may write what it
    holds (core.access). A load with no person (the ingest command, run by whoever runs the
    server) is not limited."""
    if user is None:
        return
    if not Scope(user).may_load(source.writes):
        who = (
            "ICB managers, for their own ICB"
            if source.writes == ICB_OWNED
            else "staff and national data loaders (every ICB's figures read it)"
        )
        raise PermissionDenied(f"{source.title} is loaded only by {who}.")


def _batch_for(*, source: str, incoming: Path, name: str, user: User | None) -> ImportBatch:
    checksum = _checksum(incoming)
    stored = file_keep(incoming=incoming, checksum=checksum)
    person = user if user and user.is_authenticated else None
    icb_ids = Scope(person).managed_icb_ids if person else frozenset()
    owned = get_source(source).writes == ICB_OWNED
    return ImportBatch.objects.create(
        source=source,
        file_name=_safe_name(name),
        file_path=str(stored),
        checksum=checksum,
        file_size=stored.stat().st_size,
        created_by=person,
        icb_id=min(icb_ids) if owned and icb_ids else None,
    )


QUEUE_UNAVAILABLE = (
    "The task queue could not be reached, so the file is kept and waits: it will load as soon "
    "as the queue is back, with nothing more to do."
)


def import_batch_enqueue(*, batch: ImportBatch) -> None:
    """Queue the import once the batch row is committed, so the worker can find it."""
    transaction.on_commit(lambda: import_batch_send(batch_id=batch.pk))


def import_batch_send(*, batch_id: int) -> bool:
    """Hand the batch to the task queue, saying at once when the queue cannot be reached: the
    batch stays queued with its file kept, and the recovery task sends it when it is back."""
    from metrics.tasks import import_batch_run_task

    ImportBatch.objects.filter(pk=batch_id).update(sent_at=timezone.now())
    try:
        import_batch_run_task.apply_async((batch_id,), queue=settings.IMPORT_QUEUE, retry=False)
    except OperationalError:
        logger.warning("The task queue is unreachable; import batch %s waits", batch_id)
        ImportBatch.objects.filter(pk=batch_id, status=BatchStatus.QUEUED).update(
            sent_at=None, outcome=QUEUE_UNAVAILABLE
        )
        return False
    return True


def import_batch_run(*, batch_id: int) -> ImportBatch:
    """Validate the whole file, then write it all in one transaction, or write nothing.

    Safe to run twice: a finished batch is left as it is, and a batch another live process
    is running (it holds the lease) is left to it. A run holds the batch's lease throughout,
    so if its process dies the recovery task runs the batch again from clean.
    """
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.is_finished or (batch.status == BatchStatus.RUNNING and lease_held(batch.pk)):
        return batch
    with lease(batch.pk):
        _mark_running(batch)
        return _run(batch)


def _run(batch: ImportBatch) -> ImportBatch:
    source = get_source(batch.source)
    try:
        _may_load(source, batch.created_by)
        if source.streams:
            parsed, problems, written = _stream(source, batch)
        else:
            parsed, problems = _parse(source, batch)
            _rows_outside_scope(source, batch, parsed, problems)
            written = None if problems else _write(source, parsed, batch)
        if problems:
            return _fail(batch, problems, parsed)
    except WrongKindOfFile as refusal:
        return _refuse(batch, source, str(refusal), refusal.as_dict())
    except PermissionDenied as refusal:
        return _refuse(batch, source, str(refusal))
    except Exception as error:  # recorded for the user, then re-raised for the logs
        _crash(batch, error)
        raise
    return _succeed(batch, parsed, written)


def _mark_running(batch: ImportBatch) -> None:
    batch.status, batch.started_at, batch.progress = BatchStatus.RUNNING, timezone.now(), 1
    batch.attempts += 1
    if batch.outcome == QUEUE_UNAVAILABLE:
        batch.outcome = ""
    batch.save(update_fields=["status", "started_at", "progress", "attempts", "outcome"])


def import_batches_recover() -> list[ImportBatch]:
    """Batches no live process is running, put right: a batch left running by a worker that
    died (its lease ran out) is run again from clean, nothing of the dead run having been
    written, or failed saying why after IMPORT_MAX_ATTEMPTS runs; a batch kept while the
    queue was unreachable is sent. Safe to run at any time, as often as wanted."""
    now = timezone.now()
    settled = now - dt.timedelta(seconds=settings.IMPORT_LEASE_SECONDS)
    recovered = []
    for batch in ImportBatch.objects.filter(status=BatchStatus.RUNNING, started_at__lt=settled):
        if lease_held(batch.pk):
            continue
        if batch.attempts >= settings.IMPORT_MAX_ATTEMPTS:
            recovered.append(_worker_lost(batch))
            continue
        batch.status, batch.progress = BatchStatus.QUEUED, 0
        batch.save(update_fields=["status", "progress"])
        import_batch_send(batch_id=batch.pk)
        recovered.append(batch)
    waiting = ImportBatch.objects.filter(
        status=BatchStatus.QUEUED,
        sent_at__isnull=True,
        created_at__lt=now - dt.timedelta(seconds=30),
    )
    for batch in waiting:
        import_batch_send(batch_id=batch.pk)
        recovered.append(batch)
    return recovered


def _worker_lost(batch: ImportBatch) -> ImportBatch:
    reason = (
        f"The process running this import stopped {batch.attempts} times before it finished "
        "(a worker restarted or ran out of memory)."
    )
    batch.errors, batch.error_count = [{"row": None, "column": None, "message": reason}], 1
    outcome = f"Nothing was loaded: {reason} Load the file again, or ask for the logs."
    return _finish(batch, BatchStatus.FAILED, outcome, None)


def _progress_saver(batch: ImportBatch):
    """Report progress to the cache (seen at once by the status page) and, outside a
    transaction, to the batch row."""

    def save(percent: int) -> None:
        percent = max(1, min(int(percent), 95))
        if percent <= batch.progress:
            return
        batch.progress = percent
        cache.set(progress_key(batch.pk), percent, timeout=24 * 3600)
        if not transaction.get_connection().in_atomic_block:
            ImportBatch.objects.filter(pk=batch.pk).update(progress=percent)

    return save


def _parse(source: Source, batch: ImportBatch) -> tuple[Parsed, ProblemLog]:
    problems = ProblemLog()
    path = Path(batch.file_path)
    if not path.exists():
        raise WrongKindOfFile("The stored file is missing; upload it again.")
    parsed = source.parse(path, problems, _progress_saver(batch))
    return parsed, problems


def _rows_outside_scope(
    source: Source, batch: ImportBatch, parsed: Parsed, problems: ProblemLog
) -> None:
    """An ICB-kept file loaded by a person writes only inside their ICB: each row for
    another organisation is a problem naming it, and nothing is loaded."""
    if source.writes != ICB_OWNED or batch.created_by is None:
        return
    allowed = Scope(batch.created_by).writable_org_ids
    outside = [
        (row, column, org_id)
        for row, column, org_id in source.organisations_written(parsed)
        if org_id not in allowed
    ]
    if not outside:
        return
    codes = dict(
        Organisation.objects.filter(pk__in={o for _, _, o in outside}).values_list("pk", "code")
    )
    for row, column, org_id in outside:
        problems.add(
            row,
            column,
            f"{codes.get(org_id, org_id)} is not in an ICB you manage; "
            "you can load only your own ICB's records",
        )


def _context(batch: ImportBatch) -> WriteContext:
    return WriteContext(batch_id=batch.pk, as_of=timezone.localdate(batch.created_at))


def _write(source: Source, parsed: Parsed, batch: ImportBatch) -> Written:
    with transaction.atomic():
        written = source.write(parsed, _context(batch))
        _after_write(source, parsed, written)
    return written


class _RollBack(Exception):  # noqa: N818 - control flow, never leaves this module
    pass


def _stream(source: Source, batch: ImportBatch) -> tuple[Parsed, ProblemLog, Written | None]:
    """Read and write in one pass; any problem rolls the whole load back."""
    problems, path = ProblemLog(), Path(batch.file_path)
    if not path.exists():
        raise WrongKindOfFile("The stored file is missing; upload it again.")
    parsed, written = Parsed(), None
    try:
        with transaction.atomic():
            parsed, written = source.load(path, problems, _context(batch), _progress_saver(batch))
            if problems:
                raise _RollBack
            _after_write(source, parsed, written)
    except _RollBack:
        written = None
    return parsed, problems, written


def _after_write(source: Source, parsed: Parsed, written: Written) -> None:
    """What an import triggers once its rows are in: the measures it changes, recomputed
    in the same transaction, so figures and data never disagree."""
    recompute = source.months_to_recompute(parsed)
    if recompute and written.changed_anything:
        from metrics.measures.compute import measures_recompute

        parsed.notes.extend(measures_recompute(recompute=recompute))


def _finish(batch: ImportBatch, status: str, outcome: str, parsed: Parsed | None) -> ImportBatch:
    batch.status, batch.outcome = status, outcome
    batch.finished_at, batch.progress = timezone.now(), 100
    if parsed is not None:
        batch.rows_read, batch.rows_skipped = parsed.rows_read, parsed.rows_skipped
        batch.notes = parsed.notes[:200]
        batch.period_start, batch.period_end = parsed.period_start, parsed.period_end
    batch.save()
    files_prune(source=batch.source, icb_id=batch.icb_id)
    return batch


def _fail(batch: ImportBatch, problems: ProblemLog, parsed: Parsed) -> ImportBatch:
    batch.errors = [p.as_dict() for p in problems.kept]
    batch.error_count = problems.count
    batch.rows_rejected, batch.rows_loaded = problems.rows_rejected, 0
    rows = "row" if problems.rows_rejected == 1 else "rows"
    outcome = (
        f"Nothing was loaded: {problems.count} problem(s) in {problems.rows_rejected} {rows}. "
        "Correct the file and load it again."
    )
    return _finish(batch, BatchStatus.FAILED, outcome, parsed)


def _refuse(
    batch: ImportBatch, source: Source, reason: str, problem: dict | None = None
) -> ImportBatch:
    reason = storable(reason)
    message = f"This file was not loaded. {reason}"
    problem = problem or {"row": None, "column": None, "message": reason}
    batch.errors = [
        {
            key: storable(value) if isinstance(value, str) else value
            for key, value in problem.items()
        }
    ]
    batch.error_count = 1
    outcome = f"{message} The {source.code} source expects {source.expects}."
    return _finish(batch, BatchStatus.FAILED, outcome, None)


def _crash(batch: ImportBatch, error: Exception) -> None:
    logger.exception("Import batch %s failed", batch.pk)
    message = storable(f"Unexpected error: {error}")
    batch.errors = [{"row": None, "column": None, "message": message}]
    batch.error_count = 1
    outcome = "Nothing was loaded: the import stopped on an unexpected error. It has been logged."
    _finish(batch, BatchStatus.FAILED, outcome, None)


def _succeed(batch: ImportBatch, parsed: Parsed, written: Written) -> ImportBatch:
    batch.rows_loaded, batch.rows_rejected = written.loaded, 0
    if not written.changed_anything:
        batch.duplicate_of = _same_file_before(batch)
        outcome = "Nothing changed: " + (
            f"all {written.loaded} rows matched what was already loaded."
            if written.loaded
            else "everything in the file was already loaded from this same file."
        )
        return _finish(batch, BatchStatus.UNCHANGED, outcome, parsed)
    outcome = (
        f"Loaded {written.loaded} rows: {written.created} records added, "
        f"{written.updated} changed, {written.unchanged} already up to date."
    )
    return _finish(batch, BatchStatus.SUCCEEDED, outcome, parsed)


def _same_file_before(batch: ImportBatch) -> ImportBatch | None:
    earlier = ImportBatch.objects.filter(
        source=batch.source, checksum=batch.checksum, status=BatchStatus.SUCCEEDED
    ).exclude(pk=batch.pk)
    return earlier.order_by("-created_at").first()


def import_file(
    *, source: str, path: Path, user: User | None = None, run_now: bool = True
) -> ImportBatch:
    """Record a batch for a file and either run it here and now or queue it."""
    batch = import_batch_create_from_path(source=source, path=path, user=user)
    if run_now:
        return import_batch_run(batch_id=batch.pk)
    import_batch_enqueue(batch=batch)
    return batch
