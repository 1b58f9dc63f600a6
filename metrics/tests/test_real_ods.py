"""The real ODS files (../shared/real-data/ods/) loaded through the ODS sources.

Each expected figure is worked out here from the file itself, read plainly with the csv
module or openpyxl, beside the few named ones: 6,207 active English GP practices in the
March 2026 epraccur, and F82001 in U11211 today. The demo generator's ODS files are
compared with the real ones too.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from openpyxl import load_workbook

from demo import formats
from demo.structure import demo_structure
from metrics.models import BatchStatus, ImportBatch
from metrics.services import import_file
from practices.models import Membership, Organisation, OrgKind, OrgStatus, Relation
from practices.selectors import members_as_at
from tests.real_data import real_file

pytestmark = pytest.mark.django_db

DSE = "ods/epraccur-dse-2026-03.csv"
LEGACY = "ods/epraccur-legacy-2021-11.csv"
PARTNERS = "ods/epcncorepartnerdetails-dse-2026-03.csv"
WORKBOOKS = ("ods/ePCN-2019-12.xlsx", "ods/ePCN-2022-06.xlsx", "ods/ePCN-2023-01.xlsx")

ENGLISH_REGION = re.compile(r"Y\d{2}")
# Columns of epraccur, from 0.
CODE, NAME, REGION, ICB, STATUS, SUB_ICB, SETTING = 0, 1, 2, 3, 12, 14, 25
OPENED, CLOSED, LEFT_PARENT, COLUMN_22, COLUMN_24 = 10, 11, 16, 21, 23
STATUSES = {
    "ACTIVE": OrgStatus.ACTIVE,
    "INACTIVE": OrgStatus.INACTIVE,
    "DORMANT": OrgStatus.DORMANT,
    "A": OrgStatus.ACTIVE,
    "C": OrgStatus.CLOSED,
    "D": OrgStatus.DORMANT,
}
EPRACCUR_HEADER = (
    '"Organisation Code","Name","National Grouping","High Level Health Geography",'
    '"Address Line 1","Address Line 2","Address Line 3","Address Line 4","Address Line 5",'
    '"Postcode","Open Date","Close Date","Status Code","Organisation Sub-Type Code",'
    '"Commissioner","Join Provider/Purchaser Date","Left Provider/Purchaser Date",'
    '"Contact Telephone Number","Null","Null","Null","Amended Record Indicator","Null",'
    '"Provider/Purchaser","Null","Prescribing Setting","Null"\r\n'
)
PARTNERS_HEADER = (
    '"Partner Organisation Code","Partner Name","Practice Parent Sub ICB Loc Code",'
    '"Practice Parent Sub ICB Loc Name","PCN Code","PCN Name","PCN Parent Sub ICB Loc Code",'
    '"PCN Parent Sub ICB Loc Name","Practice to PCN Relationship Start Date",'
    '"Practice to PCN Relationship End Date","Practice Sub ICB Loc and PCN Sub ICB Loc Match"\r\n'
)


def load(source: str, path: Path) -> ImportBatch:
    batch = import_file(source=source, path=path)
    assert batch.status == BatchStatus.SUCCEEDED, (batch.outcome, batch.errors[:5])
    return batch


def rows_of(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def is_gp(setting: str) -> bool:
    """Prescribing setting 4 (legacy) or role RO76 among the roles (current)."""
    return setting == "4" or "RO76" in setting.split("|")


def english_gp_rows(rows: list[list[str]]) -> list[list[str]]:
    return [r for r in rows if is_gp(r[SETTING]) and ENGLISH_REGION.fullmatch(r[REGION])]


def practices() -> dict[str, Organisation]:
    return {o.code: o for o in Organisation.objects.of_kind(OrgKind.PRACTICE)}


def parents(relation: str) -> dict[str, str]:
    """Child code -> parent code, for the links in force now."""
    links = Membership.objects.filter(relation=relation, end_date__isnull=True)
    return dict(links.values_list("child__code", "parent__code"))


def member_codes(pcn_code: str, day: dt.date) -> set[str]:
    pcn = Organisation.objects.get(kind=OrgKind.PCN, code=pcn_code)
    return set(members_as_at(pcn, day, "practice").values_list("code", flat=True))


def assert_one_pcn_at_a_time() -> None:
    spells = defaultdict(list)
    links = Membership.objects.filter(relation=Relation.PRACTICE_PCN)
    for child, start, end in links.values_list("child__code", "start_date", "end_date"):
        spells[child].append((start, end or dt.date.max))
    overlapping = [
        code
        for code, dates in spells.items()
        for (_, end), (start, _) in zip(sorted(dates), sorted(dates)[1:], strict=False)
        if start <= end
    ]
    assert overlapping == []


# epraccur, current layout (the ODS Data Search and Export report)


def test_the_current_epraccur_loads_every_english_gp_practice_and_skips_the_rest():
    path = real_file(DSE)
    rows = rows_of(path)
    gp = [r for r in rows if is_gp(r[SETTING])]
    english = english_gp_rows(rows)
    welsh = [r for r in gp if not r[REGION] and not r[ICB]]
    assert len(english) + len(welsh) == len(gp)  # every GP row is one or the other
    assert sum(r[STATUS] == "ACTIVE" for r in english) == 6207

    batch = load("ods-practices", path)

    assert (batch.rows_read, batch.rows_loaded) == (len(rows), len(english))
    assert batch.rows_skipped == len(rows) - len(english)
    assert batch.notes == [
        f"Skipped {len(rows) - len(gp)} rows that are not GP practices "
        "(prescribing setting not 4 / role not RO76).",
        f"Skipped {len(welsh)} GP practices in Wales (region W00, or no region and no ICB).",
    ]
    loaded = practices()
    assert len(loaded) == len(english)
    assert sum(p.status == OrgStatus.ACTIVE for p in loaded.values()) == 6207
    assert Counter(p.status for p in loaded.values()) == Counter(
        STATUSES[r[STATUS]] for r in english
    )
    assert not set(loaded) & {r[CODE] for r in welsh}


def test_the_current_epraccur_places_each_practice_where_the_file_does():
    """Five-character sub-ICB codes (W2U3Z) and closed practices naming the CCG they were
    in (a code no open practice has any more) included."""
    path = real_file(DSE)
    english = english_gp_rows(rows_of(path))
    open_places = {r[SUB_ICB] for r in english if not r[CLOSED]}
    old_ccgs = {r[CODE]: r[SUB_ICB] for r in english if r[SUB_ICB] not in open_places}
    assert old_ccgs and {len(r[SUB_ICB]) for r in english} == {3, 5}

    load("ods-practices", path)

    places = parents(Relation.PRACTICE_SUB_ICB)
    assert places == {r[CODE]: r[SUB_ICB] for r in english}
    assert Counter(len(code) for code in places.values())[5] == sum(
        len(r[SUB_ICB]) == 5 for r in english
    )
    closed = practices()
    assert all(closed[code].status == OrgStatus.INACTIVE for code in old_ccgs)
    assert set(parents(Relation.SUB_ICB_ICB).values()) == {r[ICB] for r in english}
    assert set(parents(Relation.ICB_REGION).values()) == {r[REGION] for r in english}


def test_the_current_epraccur_downloaded_with_a_header_row_loads_the_same(tmp_path):
    path = real_file(DSE)
    rows = rows_of(path)
    headed = tmp_path / "epraccur.csv"
    headed.write_bytes(EPRACCUR_HEADER.encode() + path.read_bytes())

    batch = load("ods-practices", headed)

    assert (batch.rows_read, batch.rows_loaded) == (len(rows), len(english_gp_rows(rows)))
    assert batch.notes[0].startswith("Row 1 is a header row (Organisation Code, Name,")
    first = english_gp_rows(rows)[0][CODE]
    assert practices()[first].source_row == 1 + next(
        n for n, r in enumerate(rows, start=1) if r[CODE] == first
    )


# epraccur, legacy layout


def test_the_legacy_epraccur_loads_every_english_gp_practice_and_skips_the_welsh():
    path = real_file(LEGACY)
    rows = rows_of(path)
    gp = [r for r in rows if is_gp(r[SETTING])]
    english = english_gp_rows(rows)
    welsh = [r for r in gp if r[REGION] == "W00"]
    assert len(english) + len(welsh) == len(gp)

    batch = load("ods-practices", path)

    assert (batch.rows_read, batch.rows_loaded) == (len(rows), len(english))
    assert f"Skipped {len(welsh)} GP practices in Wales" in batch.notes[1]
    loaded = practices()
    assert Counter(p.status for p in loaded.values()) == Counter(
        STATUSES[r[STATUS]] for r in english
    )
    assert parents(Relation.PRACTICE_SUB_ICB) == {r[CODE]: r[SUB_ICB] for r in english}


def test_the_legacy_epraccur_zip_with_its_pdf_loads(tmp_path):
    path = real_file(LEGACY)
    bundle = tmp_path / "epraccur.zip"
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(path, "epraccur.csv")
        archive.writestr("epraccur.pdf", b"%PDF-1.4\n% the column descriptions\n")

    batch = load("ods-practices", bundle)

    assert batch.rows_loaded == len(english_gp_rows(rows_of(path)))
    assert "Read epraccur.csv from the zip; epraccur.pdf was left aside." in batch.notes


# epcncorepartnerdetails and the ePCN workbooks


def handovers(spells: dict[str, list[tuple]]) -> tuple[int, int]:
    """(spells ending on the day the next begins or the day after, those of them the later
    spell covers entirely), worked out plainly from (start, end or None, pcn) per practice."""
    touching = swallowed = 0
    for practice_spells in spells.values():
        ordered = sorted(practice_spells, key=lambda s: (s[0], s[1] or dt.date.max))
        for (start, end, _), (next_start, next_end, _) in zip(ordered, ordered[1:], strict=False):
            if end is None or not 0 <= (end - next_start).days <= 1:
                continue
            if next_end is None or next_end > end:
                touching += 1
                swallowed += start >= next_start
    return touching, swallowed


def ymd(value: object) -> dt.date | None:
    text = str(value or "").strip()
    return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8])) if text else None


def partner_spells(rows: list[list[str]]) -> dict[str, list[tuple]]:
    spells = defaultdict(list)
    for r in rows:
        spells[r[0]].append((ymd(r[8]), ymd(r[9]), r[4]))
    return spells


def test_the_partner_report_loads_every_spell_with_handovers_to_the_later_pcn():
    path = real_file(PARTNERS)
    rows = rows_of(path)
    touching, swallowed = handovers(partner_spells(rows))
    assert (touching, swallowed) == (8, 7)

    batch = load("ods-pcn-members", path)

    assert (batch.rows_read, batch.rows_skipped) == (len(rows), swallowed)
    assert batch.rows_loaded == len(rows) - swallowed
    assert batch.notes[0].startswith(f"{touching} PCN spells ended on the day")
    assert len([n for n in batch.notes if n.startswith("Handover: ")]) == touching
    today = dt.date.today()
    assert "F82001" in member_codes("U11211", today)
    assert "F82001" not in member_codes("U86966", today)
    assert "F82001" in member_codes("U86966", dt.date(2022, 6, 30))
    assert "F82001" not in member_codes("U11211", dt.date(2022, 6, 30))
    open_spells = {(r[0], r[4]) for r in rows if not r[9]}
    assert set(parents(Relation.PRACTICE_PCN).items()) == open_spells
    assert_one_pcn_at_a_time()


def test_the_partner_report_downloaded_with_a_header_row_loads(tmp_path):
    path = real_file(PARTNERS)
    headed = tmp_path / "epcncorepartnerdetails.csv"
    headed.write_bytes(PARTNERS_HEADER.encode() + path.read_bytes())

    batch = load("ods-pcn-members", headed)

    assert batch.rows_read == len(rows_of(path))
    assert batch.notes[0].startswith("Row 1 is a header row (Partner Organisation Code,")
    assert "F82001" in member_codes("U11211", dt.date.today())


def sheet_rows(path: Path, sheet_index: int) -> tuple[list[object], list[tuple]]:
    """(header, data rows) of a sheet, the header being the first row naming a PCN code."""
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = list(book.worksheets[sheet_index].iter_rows(values_only=True))
    finally:
        book.close()
    at = next(i for i, r in enumerate(rows) if "PCN Code" in [str(v) for v in r])
    data = [r for r in rows[at + 1 :] if any(v not in (None, "") for v in r)]
    return list(rows[at]), data


@pytest.mark.parametrize("relative", WORKBOOKS)
def test_each_epcn_workbook_loads_its_pcns_and_their_members(relative):
    path = real_file(relative)
    _, pcn_rows = sheet_rows(path, 0)
    header, partner_rows = sheet_rows(path, 1)
    spells = defaultdict(list)
    for r in partner_rows:
        spells[r[0]].append((ymd(r[8]), ymd(r[9]), r[4]))
    _, swallowed = handovers(spells)

    batch = load("ods-pcn-members", path)

    assert batch.rows_read == len(pcn_rows) + len(partner_rows)
    assert batch.rows_loaded == batch.rows_read - swallowed
    pcn_codes = {r[0] for r in pcn_rows} | {r[4] for r in partner_rows}
    assert Organisation.objects.of_kind(OrgKind.PCN).count() == len(pcn_codes)
    links = Membership.objects.filter(relation=Relation.PRACTICE_PCN)
    assert links.count() == len(partner_rows) - swallowed
    assert set(parents(Relation.PRACTICE_PCN).items()) == {
        (r[0], r[4]) for r in partner_rows if r[9] in (None, "")
    }
    places = parents(Relation.PCN_SUB_ICB)
    assert places == {r[0]: r[2] for r in pcn_rows}
    assert_one_pcn_at_a_time()


def test_the_editions_loaded_in_turn_leave_each_practice_in_one_pcn_at_a_time():
    """Later editions correct earlier ones (a start date moved, a spell withdrawn); what the
    latest file says of a practice replaces what the earlier ones said."""
    for relative in (*WORKBOOKS, PARTNERS):
        load("ods-pcn-members", real_file(relative))

    assert_one_pcn_at_a_time()
    rows = rows_of(real_file(PARTNERS))
    _, swallowed = handovers(partner_spells(rows))
    in_latest = Membership.objects.filter(
        relation=Relation.PRACTICE_PCN, child__code__in={r[0] for r in rows}
    )
    assert in_latest.count() == len(rows) - swallowed
    assert "F82001" in member_codes("U11211", dt.date.today())


# The demo generator's ODS files, beside the real ones


def shape(path: Path) -> dict[str, object]:
    """What a reader of the raw file sees: BOM, line ends, quoting, width."""
    raw = path.read_bytes()
    lines = raw.split(b"\r\n")[:-1]
    return {
        "bom": raw.startswith(b"\xef\xbb\xbf"),
        "crlf": raw.count(b"\r\n") == raw.count(b"\n"),
        "quoted": all(line.startswith(b'"') and line.endswith(b'"') for line in lines),
        "widths": {len(r) for r in rows_of(path)},
    }


def no_lowercase_columns(rows: list[list[str]]) -> set[int]:
    return {i for i in range(len(rows[0])) if not any(re.search("[a-z]", r[i]) for r in rows)}


@pytest.mark.parametrize(("relative", "legacy"), [(DSE, False), (LEGACY, True)])
def test_the_demo_epraccur_is_written_as_the_real_one_is(tmp_path, relative, legacy):
    real_path = real_file(relative)
    demo_path = formats.epraccur_write(tmp_path / "epraccur.csv", demo_structure(), legacy=legacy)
    real, demo = rows_of(real_path), rows_of(demo_path)

    assert shape(demo_path) == shape(real_path)
    for column in (STATUS, SETTING, COLUMN_22, 13):
        assert {r[column] for r in demo} <= {r[column] for r in real}, column
    assert no_lowercase_columns(real) <= no_lowercase_columns(demo)
    # As nearly every real GP practice row: the sub-ICB again in column 24, a closed
    # practice leaving its parent when it closed, the town in address line 4 (current) or
    # line 3 (legacy), and nothing in line 5.
    town = 6 if legacy else 7
    real_gp, demo_gp = english_gp_rows(real), english_gp_rows(demo)
    for test in (
        lambda r: r[COLUMN_24] == r[SUB_ICB],
        lambda r: r[LEFT_PARENT] == r[CLOSED],
        lambda r: bool(r[town]) and not r[8],
    ):
        assert sum(map(test, real_gp)) > 0.95 * len(real_gp)
        assert all(map(test, demo_gp))


def test_the_demo_partner_report_is_written_as_the_real_one_is(tmp_path):
    real_path = real_file(PARTNERS)
    demo_path = formats.pcn_members_write(tmp_path / "partners.csv", demo_structure())
    real, demo = rows_of(real_path), rows_of(demo_path)

    assert shape(demo_path) == shape(real_path)
    assert {r[10] for r in demo} <= {r[10] for r in real}
    assert no_lowercase_columns(real) <= no_lowercase_columns(demo)
    dates = re.compile(r"\d{8}|")
    assert all(dates.fullmatch(r[8]) and dates.fullmatch(r[9]) for r in demo)
