"""Every source, fed random bytes and damaged copies of files in its real format, answers
with a finished batch and problems in plain words: never an exception, never a batch left
running, and after a failure the data as it was before.

The seeds are the test fixtures, small files in the published layouts, and where present
the heads of the real published files (tests.real_data). The damage: truncation, flipped
bytes, inserted NUL, quote and line-end bytes, repeated rows, a field of 2 MB (with the
line limit set low), the file zipped, and a zip bomb.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imports.registry import all_sources
from metrics.models import BatchStatus
from metrics.services import import_file
from tests.gpad_files import Row, crosstab_write
from tests.real_data import REAL_DATA

FIXTURES = Path(__file__).parent / "fixtures"
FINISHED = {BatchStatus.SUCCEEDED, BatchStatus.UNCHANGED, BatchStatus.FAILED}
NOT_PLAIN_WORDS = ("Traceback", "Unexpected error", "Error:", "Exception")
HUGE_FIELD = 2 * 1024 * 1024
REAL_HEAD_LINES = 40
# The tables an import writes, compared before and after a failed one.
DATA_MODELS = (
    "practices.Organisation",
    "practices.Membership",
    "practices.ListSize",
    "metrics.GpadPracticeMonth",
    "metrics.GpadCoverage",
    "metrics.MeasureValue",
)

pytestmark = pytest.mark.django_db


def _fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _real_head(relative: str) -> bytes | None:
    """The first lines of a real published file, or None where the folder is absent."""
    path = REAL_DATA / relative
    if not path.exists():
        return None
    with open(path, "rb") as handle:
        return b"".join(handle.readline() for _ in range(REAL_HEAD_LINES))


def _crosstab(tmp: Path) -> bytes:
    rows = [Row("L85001", 5), Row("L85002", 7, appt_mode="Telephone"), Row("L85003", 3)]
    return crosstab_write(tmp, rows, name="crosstab.csv").read_bytes()


COVERAGE = (
    b"SUB_ICB_LOCATION_CODE,ICB_ONS_CODE,REGION_CODE,Appointment_Month,Included Practices,"
    b"Open Practices,Patients registered at included practices,"
    b"Patients registered at open practices\r\n"
    b"11X,E54000038,E40000006,01MAR2025,58,60,500000,520000\r\n"
    b"11Y,E54000038,E40000006,01MAR2025,30,30,200000,200000\r\n"
)
NWRS = (
    b"Data_source,CENSUS_YEAR,CENSUS_MONTH,PCN_CODE,PCN_NAME,SUB_ICB_CODE,SUB_ICB_NAME,"
    b"ICB_CODE,ICB_NAME,COMM_REGION_CODE,COMM_REGION_NAME,STAFF_GROUP,STAFF_ROLE,"
    b"DETAILED_STAFF_ROLE,FTE,UNIQUE_IDENTIFIER\r\n"
    b"NWRS Staff,2025,3,U00001,PCN ONE,11X,Place,QSL,ICB,Y58,South West,Other Direct Patient "
    b"Care staff,Pharmacists,Pharmacist,0.8,3182\r\n"
    b"NWRS Staff,2025,3,U00002,PCN TWO,11X,Place,QSL,ICB,Y58,South West,Other Direct Patient "
    b"Care staff,Social Prescribing Link Workers,Social Prescribing Link Worker,1,NULL\r\n"
)
ARRS = {
    "arrs-allocations": b"PCN code,Financial year,Allocation\nU00001,2026/27,658128\n"
    b"U00002,2026/27,\xc2\xa31,234.50\n",
    "arrs-in-post": b"PCN code,Role,Date,FTE\nU00001,Clinical Pharmacist,2026-03-31,1.6\n"
    b"U00002,Clinical Pharmacist,31/03/2026,\n",
    "arrs-claims": b"PCN code,Role,Month,Amount\nU00001,Clinical Pharmacist,2026-04,4500\n"
    b"U00002,Clinical Pharmacist,2026-04-01,3000.50\n",
}
FILE_NAMES = {
    "arrs-allocations": "arrs-allocations.csv",
    "arrs-claims": "arrs-claims.csv",
    "arrs-in-post": "arrs-in-post.csv",
    "gpad": "Practice_Level_Crosstab_Mar_25.csv",
    "gpad-coverage": "APPOINTMENTS_GP_COVERAGE.csv",
    "gpad-mapping": "Mapping.csv",
    "list-sizes": "gp-reg-pat-prac-all.csv",
    "nwrs-pcn": "PCN_Individual_Level.csv",
    "ods-pcn-members": "epcncorepartnerdetails.csv",
    "ods-pcns": "epcn.csv",
    "ods-practices": "epraccur.csv",
}
REAL_SEEDS = {
    "gpad": ("gpad/Practice_Level_Crosstab_Aug_25_Y02960.csv",),
    "gpad-coverage": ("gpad/APPOINTMENTS_GP_COVERAGE_feb2023-jul2025.csv",),
    "gpad-mapping": ("gpad/Mapping_Aug_25.csv",),
    "list-sizes": ("list-sizes/gp-reg-pat-prac-all-mar-2026.csv",),
    "nwrs-pcn": ("nwrs-pcn/PCN_Individual_Level_Sep2022.csv",),
    "ods-pcn-members": ("ods/epcncorepartnerdetails-dse-2026-03.csv",),
    "ods-practices": ("ods/epraccur-dse-2026-03.csv", "ods/epraccur-legacy-2021-11.csv"),
}


def seeds(code: str, tmp: Path) -> list[bytes]:
    """Files in the source's real format: fixtures and made files, then real heads."""
    made = {
        "gpad": [_crosstab(tmp)],
        "gpad-coverage": [COVERAGE],
        "gpad-mapping": [_fixture("Mapping.csv")],
        "list-sizes": [_fixture("gp-reg-pat-prac-all-2024-06.csv")],
        "nwrs-pcn": [NWRS],
        "ods-pcn-members": [_fixture("epcncorepartnerdetails.csv")],
        "ods-pcns": [_fixture("epcn.csv")],
        "ods-practices": [_fixture("epraccur_current.csv"), _fixture("epraccur_legacy.csv")],
    }.get(code, [ARRS.get(code, b"")])
    real = [head for name in REAL_SEEDS.get(code, ()) if (head := _real_head(name))]
    return made + real


# --- Damage ----------------------------------------------------------------------------------


def _zipped(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


@st.composite
def damaged(draw, seed: bytes, name: str) -> bytes:
    """One kind of damage done to ``seed``."""
    at = draw(st.integers(0, len(seed)))
    lines = seed.splitlines(keepends=True) or [b""]
    line = draw(st.integers(0, len(lines) - 1))
    kind = draw(
        st.sampled_from(
            ["truncated", "flipped", "inserted", "repeated", "huge", "zipped", "bomb", "random"]
        )
    )
    if kind == "truncated":
        return seed[:at]
    if kind == "flipped":
        data = bytearray(seed)
        for position in draw(st.lists(st.integers(0, max(len(seed) - 1, 0)), max_size=8)):
            if data:
                data[position] ^= draw(st.integers(1, 255))
        return bytes(data)
    if kind == "inserted":
        extra = draw(st.sampled_from([b"\x00", b'"', b"\n", b"\r", b",", b'"\n"', b"\xff\xfe"]))
        return seed[:at] + extra * draw(st.integers(1, 3)) + seed[at:]
    if kind == "repeated":
        return b"".join(
            lines[: line + 1] + [lines[line]] * draw(st.integers(1, 3)) + lines[line + 1 :]
        )
    if kind == "huge":
        quote = draw(st.sampled_from([b"", b'"']))
        return seed[:at] + quote + b"X" * HUGE_FIELD + seed[at:]
    if kind == "zipped":
        return _zipped(name, seed)
    if kind == "bomb":
        return _zipped(name, b"0" * (8 * 1024 * 1024))
    return draw(st.binary(max_size=2048))


# --- What must hold --------------------------------------------------------------------------


def data_now() -> dict[str, list[tuple]]:
    return {
        label: sorted(map(repr, apps.get_model(label).objects.values_list()))
        for label in DATA_MODELS
    }


def check_batch(batch) -> None:
    assert batch.status in FINISHED, (batch.status, batch.outcome)
    assert all(word not in batch.outcome for word in NOT_PLAIN_WORDS), batch.outcome
    for error in batch.errors:
        assert set(error) >= {"row", "column", "message"}, error
        assert isinstance(error["message"], str) and error["message"], error
        assert all(word not in error["message"] for word in NOT_PLAIN_WORDS), error
        assert error["row"] is None or isinstance(error["row"], int), error


@pytest.fixture
def low_limits(settings):
    """Limits low enough that the damage reaches them in a small file."""
    settings.IMPORT_MAX_LINE_CHARS = 64 * 1024
    settings.IMPORT_MAX_UNZIPPED_MB = 64


SOURCES = [source.code for source in all_sources()]


@pytest.mark.parametrize("code", SOURCES)
def test_every_source_answers_damaged_files_in_plain_words(code, tree, tmp_path, low_limits):
    files = seeds(code, tmp_path)
    name = FILE_NAMES[code]
    counter = iter(range(1_000_000))

    @settings(
        max_examples=40,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.sampled_from(files).flatmap(lambda seed: damaged(seed, name)))
    def feed(data: bytes) -> None:
        folder = tmp_path / str(next(counter))
        folder.mkdir()
        path = folder / name
        path.write_bytes(data)
        before = data_now()

        batch = import_file(source=code, path=path)

        check_batch(batch)
        if batch.status == BatchStatus.FAILED:
            assert data_now() == before

    feed()


def test_the_sources_fuzzed_are_every_registered_source():
    assert set(FILE_NAMES) == set(SOURCES)
