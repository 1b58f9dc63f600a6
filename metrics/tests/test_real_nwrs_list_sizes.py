"""The real published NWRS PCN workforce and list-size files load through their sources as
they are. What each should load is worked out here from the file itself with the csv module,
then compared with what the import wrote."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from arrs.models import ArrsRole, NwrsStaffCount
from arrs.selectors import in_post_snapshots
from metrics.models import BatchStatus
from metrics.services import import_file
from practices.models import ListSize, Organisation, OrgKind
from tests.real_data import real_file

pytestmark = pytest.mark.django_db

NWRS_FILES = [
    "nwrs-pcn/PCN_Individual_Level_Mar2020.csv",
    "nwrs-pcn/PCN_Individual_Level_Sep2022.csv",
]
LIST_SIZE_FILES = [
    ("list-sizes/gp-reg-pat-prac-all-jan-2021.csv", dt.date(2021, 1, 1)),
    ("list-sizes/gp-reg-pat-prac-all-mar-2026.csv", dt.date(2026, 3, 1)),
]
ENGLAND_JAN_2021 = 60_606_345  # as NHS Digital published it
STORED = Decimal("0.0001")  # FTE is kept to four places


def published(path: Path, encoding: str) -> list[dict[str, str]]:
    with open(path, encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def real_register() -> None:
    """Every practice and PCN in England as the real GPAD Mapping.csv of August 2025 has it."""
    batch = import_file(source="gpad-mapping", path=real_file("gpad/Mapping_Aug_25.csv"))
    assert batch.status == BatchStatus.SUCCEEDED, batch.errors


def codes(kind: str) -> set[str]:
    return set(Organisation.objects.filter(kind=kind).values_list("code", flat=True))


@pytest.mark.parametrize("name", NWRS_FILES)
def test_a_real_nwrs_file_loads_every_pcn_in_the_register(name, real_register):
    path = real_file(name)
    raw = path.read_bytes()
    assert b"\x96" in raw and b"\r\n" in raw  # Windows-1252 with an en dash, CRLF
    rows = published(path, "cp1252")
    pcns = codes(OrgKind.PCN)
    kept = [row for row in rows if row["PCN_CODE"] in pcns]
    outside = {row["PCN_CODE"] for row in rows} - pcns

    batch = import_file(source="nwrs-pcn", path=path)

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    assert (batch.rows_read, batch.rows_skipped) == (len(rows), len(rows) - len(kept))
    notes = " ".join(batch.notes)
    assert "Windows-1252" in notes
    assert f"{len(outside):,} PCN(s) not in the register" in notes
    assert min(outside) in notes

    # Per PCN and staff role: FTE summed, headcount the distinct people, unknown with NULLs
    expected: dict[tuple, dict] = defaultdict(lambda: {"fte": Decimal(0), "people": set()})
    for row in kept:
        group = expected[(row["PCN_CODE"], row["STAFF_ROLE"], row["DETAILED_STAFF_ROLE"])]
        group["fte"] += Decimal(row["FTE"])
        group["people"].add(row["UNIQUE_IDENTIFIER"])
    loaded = {
        (count.pcn.code, count.staff_role, count.detailed_staff_role): count
        for count in NwrsStaffCount.objects.select_related("pcn")
    }
    assert loaded.keys() == expected.keys()
    for key, group in expected.items():
        count = loaded[key]
        assert count.fte == group["fte"].quantize(STORED), key
        unknown = "NULL" in group["people"]
        assert count.headcount == (None if unknown else len(group["people"])), key
    assert {c.staff_group for c in loaded.values()} == {row["STAFF_GROUP"] for row in kept}
    assert "Other Direct Patient Care staff" in {c.staff_group for c in loaded.values()}

    nulls = [row for row in kept if row["UNIQUE_IDENTIFIER"] == "NULL"]
    assert {row["Data_source"] for row in nulls} == {"NWRS contracted services"}
    assert f"{len(nulls):,} rows with no UNIQUE_IDENTIFIER" in notes

    negative = [row for row in kept if Decimal(row["FTE"]) < 0]
    for row in negative:
        assert f"({row['PCN_CODE']}, {row['DETAILED_STAFF_ROLE']}, {row['FTE']})" in notes

    # 'Pharmacists / Pharmacist' is counted as Clinical Pharmacist in staff in post
    pharmacist = ArrsRole.objects.get(code="clinical_pharmacist")
    snapshots = in_post_snapshots({count.pcn_id for count in loaded.values()})
    in_post = sum(s.value(pharmacist.pk) or 0 for s in snapshots.values())
    stored_sum = sum(
        group["fte"].quantize(STORED)
        for (_, staff_role, detailed), group in expected.items()
        if (staff_role, detailed) == ("Pharmacists", "Pharmacist")
    )
    assert stored_sum > 0 and in_post == stored_sum


def test_the_real_sep_2022_file_keeps_its_negative_fte(real_register):
    path = real_file("nwrs-pcn/PCN_Individual_Level_Sep2022.csv")
    [row] = [r for r in published(path, "cp1252") if Decimal(r["FTE"]) < 0]

    batch = import_file(source="nwrs-pcn", path=path)

    count = NwrsStaffCount.objects.get(
        pcn__code=row["PCN_CODE"], detailed_staff_role=row["DETAILED_STAFF_ROLE"]
    )
    assert count.fte == Decimal(row["FTE"]).quantize(STORED) < 0
    assert count.headcount is None  # contracted services, UNIQUE_IDENTIFIER NULL
    assert any("1 row with a negative WTE" in note for note in batch.notes)


def published_sizes(path: Path) -> tuple[dict[str, int], set[str]]:
    """Each practice's list size (SEX ALL, AGE ALL) and the EXTRACT_DATEs in the file."""
    rows = published(path, "utf-8")
    sizes = {
        row["CODE"]: int(row["NUMBER_OF_PATIENTS"])
        for row in rows
        if (row["TYPE"], row["SEX"], row["AGE"]) == ("GP", "ALL", "ALL")
    }
    return sizes, {row["EXTRACT_DATE"] for row in rows}


@pytest.mark.parametrize(("name", "month"), LIST_SIZE_FILES)
def test_a_real_list_size_file_loads_the_files_own_figures(name, month):
    path = real_file(name)
    sizes, extracts = published_sizes(path)
    assert len(extracts) == 1
    Organisation.objects.bulk_create(
        Organisation(kind=OrgKind.PRACTICE, code=code, name=f"Practice {code}") for code in sizes
    )

    batch = import_file(source="list-sizes", path=path)

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    assert batch.period_start == batch.period_end == month  # from EXTRACT_DATE, not the name
    loaded = dict(
        ListSize.objects.filter(month=month).values_list("practice__code", "all_patients")
    )
    assert loaded == sizes
    assert sum(loaded.values()) == sum(sizes.values())
    if month == dt.date(2021, 1, 1):
        assert sum(loaded.values()) == ENGLAND_JAN_2021


def test_real_list_sizes_for_practices_outside_the_register_are_skipped_and_named(
    real_register,
):
    path = real_file("list-sizes/gp-reg-pat-prac-all-jan-2021.csv")
    sizes, _ = published_sizes(path)
    known = codes(OrgKind.PRACTICE)
    unknown = sorted(set(sizes) - known)
    assert unknown  # practices that closed between 2021 and 2025

    batch = import_file(source="list-sizes", path=path)

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    assert batch.rows_skipped == len(unknown)
    loaded = dict(ListSize.objects.values_list("practice__code", "all_patients"))
    assert loaded == {code: n for code, n in sizes.items() if code in known}
    [note] = [note for note in batch.notes if "not in the register" in note]
    assert f"for {len(unknown):,} practice code(s)" in note and unknown[0] in note
