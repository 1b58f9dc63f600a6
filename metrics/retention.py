"""Which uploaded files are kept: one copy of each content, and the last few versions per
source and ICB.

Every batch keeps its file until it finishes (a re-run reads it again). Once finished, the
files of the newest ``IMPORT_KEEP_VERSIONS`` distinct contents per source and ICB (national
files: per source) stay; older ones are deleted (their batches keep every figure and note;
only a re-run needs the file, and says so). The same file
uploaded again is not stored twice: its name is another link to the copy already held.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from django.conf import settings

from metrics.models import FINISHED_STATUSES, ImportBatch


def _imports_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def incoming_path(name: str) -> Path:
    """Where a file is written before its content is known."""
    folder = _imports_dir() / "incoming" / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


def file_keep(*, incoming: Path, checksum: str) -> Path:
    """Keep ``incoming`` under its content's checksum and return where it is kept: a content
    already held is linked under the new name rather than stored again."""
    folder = _imports_dir() / checksum[:2] / checksum
    target = folder / incoming.name
    folder.mkdir(parents=True, exist_ok=True)
    held = next((p for p in folder.iterdir() if p.is_file()), None)
    if held is None:
        os.replace(incoming, target)
    else:
        if not target.exists():
            os.link(held, target)
        incoming.unlink()
    incoming.parent.rmdir()
    return target


def files_prune(*, source: str, icb_id: int | None) -> list[ImportBatch]:
    """Delete the files of finished batches of ``source`` (and ICB) older than the newest
    IMPORT_KEEP_VERSIONS distinct contents; returns the batches whose file went."""
    batches = ImportBatch.objects.filter(source=source, icb_id=icb_id).order_by(
        "-created_at", "-pk"
    )
    limit = settings.IMPORT_KEEP_VERSIONS
    kept_contents: set[str] = set()
    keep_paths: set[str] = set()
    older: list[ImportBatch] = []
    for batch in batches.only("pk", "status", "checksum", "file_path"):
        if batch.status not in FINISHED_STATUSES:
            keep_paths.add(batch.file_path)
        elif batch.checksum in kept_contents or len(kept_contents) < limit:
            kept_contents.add(batch.checksum)
            keep_paths.add(batch.file_path)
        else:
            older.append(batch)
    pruned = [batch for batch in older if batch.file_path not in keep_paths]
    for batch in pruned:
        path = Path(batch.file_path)
        path.unlink(missing_ok=True)
        if path.parent.exists() and not any(path.parent.iterdir()):
            path.parent.rmdir()
    return pruned
