"""The real published files in ``../shared/real-data/`` (beside the checkout), read by tests
in place and never copied into the repository. Where the folder is absent, the tests that
need it are skipped with the reason."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REAL_DATA = Path(
    os.environ.get("ACCESS_PORTAL_REAL_DATA")
    or Path(__file__).resolve().parent.parent.parent / "shared" / "real-data"
)


def real_file(relative: str) -> Path:
    """The path of one real file, or skip the test saying which file is missing."""
    path = REAL_DATA / relative
    if not path.exists():
        pytest.skip(
            f"Real published file {relative} is not at {REAL_DATA} "
            "(set ACCESS_PORTAL_REAL_DATA to the folder holding the real-data files)."
        )
    return path
