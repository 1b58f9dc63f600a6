"""A deterministic demo ICB written as files in the real published NHS formats.

The demo is shaped like NHS Somerset ICB (one region, one ICB, one sub-ICB location, 13 PCNs and
62 open practices) but every PCN, practice, address and phone number is invented. The files go
through the same importers as the national extracts, so the demo exercises the real code paths:
the ODS organisation reports, the GPAD ``Mapping.csv``, the monthly list-size files and the
GPAD appointment zips.

Pure standard library, no Django: the generator can be unit-tested without a database, and the same
seed always gives the same bytes. This module is the public face of ``demo``: the structure
lives in ``structure``, the patient numbers in ``populations`` and the file layouts in ``formats``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from demo import formats, gpad
from demo.populations import FIRST_MONTH, LAST_MONTH, demo_months, has_age_file, list_size
from demo.structure import (
    CLOSE_DATE,
    DEFAULT_SEED,
    ICB_CODE,
    ICB_NAME,
    MOVE_DATE,
    ONS_SUB_ICB_CODE,
    REGION_CODE,
    REGION_NAME,
    SUB_ICB_CODE,
    SUB_ICB_NAME,
    DemoMembership,
    DemoMove,
    DemoPcn,
    DemoPractice,
    DemoSite,
    DemoStructure,
    demo_structure,
)

__all__ = [
    "CLOSE_DATE",
    "DEFAULT_SEED",
    "FIRST_MONTH",
    "ICB_CODE",
    "ICB_NAME",
    "LAST_MONTH",
    "MOVE_DATE",
    "ONS_SUB_ICB_CODE",
    "REGION_CODE",
    "REGION_NAME",
    "SOURCE_GPAD",
    "SOURCE_GPAD_MAPPING",
    "SOURCE_LIST_SIZES",
    "SOURCE_PCNS",
    "SOURCE_PCN_MEMBERS",
    "SOURCE_PRACTICES",
    "SUB_ICB_CODE",
    "SUB_ICB_NAME",
    "DemoManifest",
    "DemoMembership",
    "DemoMove",
    "DemoPcn",
    "DemoPractice",
    "DemoSite",
    "DemoStructure",
    "demo_files_write",
    "demo_months",
    "demo_structure",
    "list_size",
]

SOURCE_PRACTICES = "ods-practices"
SOURCE_PCNS = "ods-pcns"
SOURCE_PCN_MEMBERS = "ods-pcn-members"
SOURCE_GPAD_MAPPING = "gpad-mapping"
SOURCE_LIST_SIZES = "list-sizes"
SOURCE_GPAD = "gpad"

_PARTNERS_FILE = "epcncorepartnerdetails.csv"


@dataclass(frozen=True)
class DemoManifest:
    """The files written, as ``(source_code, path)`` pairs in the order they must be loaded."""

    out_dir: Path
    seed: int
    files: tuple[tuple[str, Path], ...]

    def paths(self, source_code: str) -> tuple[Path, ...]:
        return tuple(path for code, path in self.files if code == source_code)


def demo_files_write(
    *, out_dir: Path, seed: int = DEFAULT_SEED, include_gpad: bool = True
) -> DemoManifest:
    """Write the demo ICB's files into ``out_dir`` and list them in load order.

    Organisations come first because list sizes refer to practices, and list sizes before the
    GPAD zips because appointment rates need them. ``epraccur_legacy.csv`` (the pre-2025 layout
    of the same organisations) is written for importer tests but left out of the manifest:
    loading both would load the practices twice. ``include_gpad=False`` leaves the GPAD zips
    out altogether."""
    out_dir.mkdir(parents=True, exist_ok=True)
    structure = demo_structure(seed)
    formats.epraccur_write(out_dir / "epraccur_legacy.csv", structure, legacy=True)
    epraccur = formats.epraccur_write(out_dir / "epraccur.csv", structure, legacy=False)
    files = [
        (SOURCE_PRACTICES, epraccur),
        (SOURCE_PCNS, formats.epcn_write(out_dir / "epcn.csv", structure)),
        (SOURCE_PCN_MEMBERS, formats.pcn_members_write(out_dir / _PARTNERS_FILE, structure)),
        (SOURCE_GPAD_MAPPING, formats.mapping_write(out_dir / "Mapping.csv", structure)),
        *_list_size_files(out_dir, structure),
    ]
    if include_gpad:
        zips = gpad.demo_gpad_write(out_dir=out_dir, structure=structure)
        files.extend((SOURCE_GPAD, path) for path in zips)
    return DemoManifest(out_dir=out_dir, seed=seed, files=tuple(files))


def _list_size_files(out_dir: Path, structure: DemoStructure) -> Iterator[tuple[str, Path]]:
    """Oldest month first; within a month the all-patients file, then the single-age file."""
    for month in demo_months():
        stamp = f"{month:%Y-%m}"
        path = out_dir / f"gp-reg-pat-prac-all-{stamp}.csv"
        yield SOURCE_LIST_SIZES, formats.all_patients_write(path, structure, month)
        if has_age_file(month):
            path = out_dir / f"gp-reg-pat-prac-sing-age-{stamp}.csv"
            yield SOURCE_LIST_SIZES, formats.single_age_write(path, structure, month)
