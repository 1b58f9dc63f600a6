"""Uploaded files are kept by a rule: one copy of each content, the newest few versions per
source and ICB, every unfinished batch's file."""

from __future__ import annotations

from pathlib import Path

from metrics.models import BatchStatus, ImportBatch
from metrics.services import import_batch_create_from_path, import_file

MAPPING = Path(__file__).parent / "fixtures" / "Mapping.csv"


def version(tmp_path: Path, number: int, *, name: str = "Mapping.csv") -> Path:
    """Mapping.csv with one practice's name changed: a new version of the file."""
    folder = tmp_path / f"v{number}"
    folder.mkdir(exist_ok=True)
    text = MAPPING.read_text().replace("BROOKFIELD SURGERY", f"BROOKFIELD SURGERY {number}")
    (folder / name).write_text(text)
    return folder / name


def stored_files(settings) -> list[Path]:
    return sorted(p for p in (Path(settings.MEDIA_ROOT) / "imports").rglob("*") if p.is_file())


def test_the_same_file_uploaded_again_is_stored_once(tree, settings, tmp_path):
    first = import_file(source="gpad-mapping", path=MAPPING)
    again = import_file(source="gpad-mapping", path=MAPPING)
    renamed = import_file(source="gpad-mapping", path=version(tmp_path, 0, name="copy.csv"))

    assert first.file_path == again.file_path
    assert again.status == BatchStatus.UNCHANGED
    paths = stored_files(settings)
    assert len(paths) == 2  # Mapping.csv, and copy.csv (another content)
    assert Path(renamed.file_path).name == "copy.csv"


def test_a_renamed_copy_is_a_link_not_a_second_copy(tree, settings, tmp_path):
    renamed = tmp_path / "Mapping (1).csv"
    renamed.write_bytes(MAPPING.read_bytes())

    first = import_file(source="gpad-mapping", path=MAPPING)
    second = import_file(source="gpad-mapping", path=renamed)

    assert Path(second.file_path).name == "Mapping (1).csv"
    assert Path(first.file_path).stat().st_ino == Path(second.file_path).stat().st_ino


def test_only_the_newest_versions_per_source_are_kept(tree, settings, tmp_path):
    settings.IMPORT_KEEP_VERSIONS = 2
    batches = [import_file(source="gpad-mapping", path=version(tmp_path, n)) for n in range(4)]

    kept = [Path(b.file_path).exists() for b in batches]

    assert kept == [False, False, True, True]
    assert all(b.status == BatchStatus.SUCCEEDED for b in batches)
    rerun = ImportBatch.objects.get(pk=batches[0].pk)
    assert rerun.rows_loaded == 3  # what it did stays on record


def test_an_unfinished_batch_keeps_its_file_whatever_its_age(tree, settings, tmp_path):
    settings.IMPORT_KEEP_VERSIONS = 1
    waiting = import_batch_create_from_path(source="gpad-mapping", path=version(tmp_path, 0))
    for n in (1, 2):
        import_file(source="gpad-mapping", path=version(tmp_path, n))

    assert Path(waiting.file_path).exists()
