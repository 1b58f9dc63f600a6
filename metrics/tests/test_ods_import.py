import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from metrics.models import BatchStatus, ImportBatch
from metrics.services import import_file
from practices.models import Membership, MembershipBasis, Organisation, OrgKind, OrgStatus, Relation
from practices.selectors import members_as_at

FIXTURES = Path(__file__).parent / "fixtures"
EPRACCUR_CURRENT = FIXTURES / "epraccur_current.csv"
EPRACCUR_LEGACY = FIXTURES / "epraccur_legacy.csv"
EPCN = FIXTURES / "epcn.csv"
PARTNERS = FIXTURES / "epcncorepartnerdetails.csv"

pytestmark = pytest.mark.django_db


def load(source: str, path: Path) -> ImportBatch:
    return import_file(source=source, path=path)


def load_ok(source: str, path: Path) -> ImportBatch:
    batch = load(source, path)
    assert batch.status == BatchStatus.SUCCEEDED, (batch.outcome, batch.errors)
    return batch


def practices_as_loaded() -> list[tuple]:
    fields = ("code", "name", "open_date", "close_date", "postcode", "address", "phone")
    practices = Organisation.objects.of_kind(OrgKind.PRACTICE).order_by("code")
    return list(practices.values_list(*fields))


def edited_copy(tmp_path: Path, fixture: Path, *replacements: tuple[str, str]) -> Path:
    text = fixture.read_bytes().decode()
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new, 1)
    copy = tmp_path / fixture.name
    copy.write_bytes(text.encode())
    return copy


def fixture_rows(fixture: Path) -> list[list[str]]:
    with fixture.open(newline="") as handle:
        return list(csv.reader(handle))


def ods_csv(rows: list[list[str]]) -> bytes:
    """Rows as the ODS reports write them: every field quoted, CRLF, no BOM."""
    text = io.StringIO()
    csv.writer(text, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    return text.getvalue().encode()


def with_rows(tmp_path: Path, fixture: Path, *rows: list[str], name: str = "") -> Path:
    """A copy of the fixture with rows added at the end."""
    copy = tmp_path / (name or fixture.name)
    copy.write_bytes(fixture.read_bytes() + ods_csv(list(rows)))
    return copy


def row_like(fixture: Path, code: str, **changes: str) -> list[str]:
    """The fixture's row for ``code``, with columns (by number from 1: c1, c13 ...) changed."""
    row = next(r for r in fixture_rows(fixture) if r[0] == code)
    for column, value in changes.items():
        row[int(column[1:]) - 1] = value
    return row


def pcn(code: str) -> Organisation:
    return Organisation.objects.get(kind=OrgKind.PCN, code=code)


def practice_codes(orgs) -> set[str]:
    return set(orgs.values_list("code", flat=True))


# ods-practices (epraccur)


def test_epraccur_loads_gp_practices_with_their_place_in_the_hierarchy():
    batch = load_ok("ods-practices", EPRACCUR_CURRENT)

    practice = Organisation.objects.get(kind=OrgKind.PRACTICE, code="L85001")
    assert practice.name == "Brookfield Surgery"
    assert practice.address == "Brookfield House, 12 Station Road, Taunton"
    assert practice.postcode == "TA1 1AB" and practice.phone == "01823 000101"
    assert practice.open_date == dt.date(1974, 4, 1) and practice.status == OrgStatus.ACTIVE
    assert practice.source_batch == batch and practice.source_row == 1
    place = Membership.objects.get(child=practice, relation=Relation.PRACTICE_SUB_ICB).parent
    assert place.code == "11X" and place.name == "Sub-ICB location 11X"
    assert Membership.objects.get(relation=Relation.SUB_ICB_ICB).parent.code == "QSL"
    assert Membership.objects.get(relation=Relation.ICB_REGION).parent.code == "Y58"
    assert batch.period_start is None and batch.period_end is None


def test_both_epraccur_layouts_load_the_same_practices():
    """The same practices, but for the address: the legacy layout adds the county."""
    load_ok("ods-practices", EPRACCUR_LEGACY)
    from_legacy = practices_as_loaded()
    Organisation.objects.all().delete()

    load_ok("ods-practices", EPRACCUR_CURRENT)

    from_current = practices_as_loaded()
    without_address = [(*row[:5], row[6]) for row in from_current]
    assert without_address == [(*row[:5], row[6]) for row in from_legacy]
    assert [code for code, *_ in from_legacy] == ["L85001", "L85002", "L85009"]
    assert [row[5] + ", Somerset" for row in from_current] == [row[5] for row in from_legacy]


def test_rows_that_are_not_gp_practices_are_skipped_not_rejected():
    for fixture in (EPRACCUR_LEGACY, EPRACCUR_CURRENT):
        batch = load_ok("ods-practices", fixture)

        assert (batch.rows_read, batch.rows_loaded, batch.rows_skipped) == (5, 3, 2)
        assert batch.rows_rejected == 0
        assert any("Skipped 2 rows that are not GP practices" in note for note in batch.notes)
    assert not Organisation.objects.filter(code__in=["Y02811", "Y03455"]).exists()


@pytest.mark.parametrize(
    ("fixture", "status"),
    [(EPRACCUR_LEGACY, OrgStatus.CLOSED), (EPRACCUR_CURRENT, OrgStatus.INACTIVE)],
)
def test_a_closed_practice_keeps_its_close_date_status_and_place(fixture, status):
    load_ok("ods-practices", fixture)

    practice = Organisation.objects.get(code="L85009")
    assert practice.name == "Castle Street Surgery"
    assert practice.close_date == dt.date(2024, 3, 31) and practice.status == status
    link = Membership.objects.get(child=practice, relation=Relation.PRACTICE_SUB_ICB)
    assert link.parent.code == "11X"


def test_stub_places_do_not_overwrite_names_already_held():
    load_ok("ods-pcns", EPCN)
    load_ok("ods-practices", EPRACCUR_CURRENT)

    place = Organisation.objects.get(kind=OrgKind.SUB_ICB, code="11X")
    assert place.name == "NHS Somerset ICB - 11X"
    assert Organisation.objects.get(kind=OrgKind.ICB).name == "ICB QSL"


@pytest.mark.parametrize(
    ("fixture", "dormant"), [(EPRACCUR_CURRENT, "DORMANT"), (EPRACCUR_LEGACY, "D")]
)
def test_a_dormant_practice_loads_as_dormant(tmp_path, fixture, dormant):
    copy = with_rows(tmp_path, fixture, row_like(fixture, "L85001", c1="L85077", c13=dormant))

    load_ok("ods-practices", copy)

    assert Organisation.objects.get(code="L85077").status == OrgStatus.DORMANT


@pytest.mark.parametrize(
    ("fixture", "welsh"),
    [
        # The legacy file puts Welsh practices in region W00 (and "ICB" Q99) ...
        (EPRACCUR_LEGACY, {"c3": "W00", "c4": "Q99", "c15": "7A3"}),
        # ... the current one leaves their region and ICB blank.
        (EPRACCUR_CURRENT, {"c3": "", "c4": "", "c15": "7A3"}),
    ],
)
def test_welsh_gp_practices_are_skipped_and_counted(tmp_path, fixture, welsh):
    rows = [row_like(fixture, "L85001", c1=f"W0000{n}", **welsh) for n in (1, 2)]
    copy = with_rows(tmp_path, fixture, *rows)

    batch = load_ok("ods-practices", copy)

    assert (batch.rows_read, batch.rows_loaded, batch.rows_skipped) == (7, 3, 4)
    assert "Skipped 2 GP practices in Wales (region W00, or no region and no ICB)." in batch.notes
    assert "Skipped 2 rows that are not GP practices" in batch.notes[0]
    assert not Organisation.objects.filter(code__startswith="W").exists()
    assert not Organisation.objects.filter(code__in=["W00", "Q99", "7A3"]).exists()


def test_an_english_row_missing_only_its_icb_is_still_a_problem(tmp_path):
    copy = with_rows(
        tmp_path, EPRACCUR_CURRENT, row_like(EPRACCUR_CURRENT, "L85001", c1="L85077", c4="")
    )

    batch = load("ods-practices", copy)

    assert batch.status == BatchStatus.FAILED
    assert [(e["row"], e["column"]) for e in batch.errors] == [(6, "4 (ICB code)")]


def test_five_character_sub_icb_and_merged_icb_codes_load(tmp_path):
    """Sub-ICB locations formed since 2022 (W2U3Z) and the ICBs merged in April 2026
    (S9B9J) have five-character codes."""
    copy = edited_copy(
        tmp_path,
        EPRACCUR_CURRENT,
        ('"Y58","QSL","BROOKFIELD HOUSE"', '"Y58","S9B9J","BROOKFIELD HOUSE"'),
        ('"B","11X","20220701","","01823 000101"', '"B","W2U3Z","20220701","","01823 000101"'),
    )

    load_ok("ods-practices", copy)

    practice = Organisation.objects.get(code="L85001")
    place = Membership.objects.get(child=practice, relation=Relation.PRACTICE_SUB_ICB).parent
    assert (place.kind, place.code) == (OrgKind.SUB_ICB, "W2U3Z")
    icb = Membership.objects.get(child=place, relation=Relation.SUB_ICB_ICB).parent
    assert (icb.kind, icb.code) == (OrgKind.ICB, "S9B9J")


def test_a_closed_practice_naming_its_old_ccg_is_placed_there(tmp_path):
    """A practice that closed before the CCGs merged keeps its old CCG's code; the open
    practices still decide the ICB of the sub-ICB location they share."""
    copy = edited_copy(
        tmp_path,
        EPRACCUR_CURRENT,
        ('"INACTIVE","B","11X"', '"INACTIVE","B","5QL"'),
    )

    load_ok("ods-practices", copy)

    closed = Organisation.objects.get(code="L85009")
    assert closed.status == OrgStatus.INACTIVE
    old = Membership.objects.get(child=closed, relation=Relation.PRACTICE_SUB_ICB).parent
    assert old.code == "5QL"
    assert Membership.objects.get(child=old, relation=Relation.SUB_ICB_ICB).parent.code == "QSL"


EPRACCUR_HEADER = [
    "Organisation Code", "Name", "National Grouping", "High Level Health Geography",
    "Address Line 1", "Address Line 2", "Address Line 3", "Address Line 4", "Address Line 5",
    "Postcode", "Open Date", "Close Date", "Status Code", "Organisation Sub-Type Code",
    "Commissioner", "Join Provider/Purchaser Date", "Left Provider/Purchaser Date",
    "Contact Telephone Number", "Null", "Null", "Null", "Amended Record Indicator", "Null",
    "Provider/Purchaser", "Null", "Prescribing Setting", "Null",
]  # fmt: skip


def test_a_report_downloaded_with_a_header_row_loads_the_same(tmp_path):
    headed = tmp_path / "epraccur.csv"
    headed.write_bytes(ods_csv([EPRACCUR_HEADER]) + EPRACCUR_CURRENT.read_bytes())

    batch = load_ok("ods-practices", headed)

    assert (batch.rows_read, batch.rows_loaded, batch.rows_skipped) == (5, 3, 2)
    assert batch.notes[0].startswith(
        "Row 1 is a header row (Organisation Code, Name, National Grouping, High Level Health "
        "Geography, ...), as in a report downloaded with headers"
    )
    assert Organisation.objects.get(code="L85001").source_row == 2


def test_a_header_row_alone_is_refused(tmp_path):
    headed = tmp_path / "epraccur.csv"
    headed.write_bytes(ods_csv([EPRACCUR_HEADER]))

    batch = load("ods-practices", headed)

    assert batch.status == BatchStatus.FAILED
    assert "The file has a header row and no other rows." in batch.outcome


def epraccur_zip(path: Path, csv_path: Path, *others: str) -> Path:
    """The legacy download: the CSV and a PDF describing its columns."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(csv_path, "epraccur.csv")
        for name in others:
            archive.writestr(name, b"%PDF-1.4\n% dummy\n")
    return path


def test_the_legacy_zip_loads_its_csv_and_leaves_the_pdf_aside(tmp_path):
    bundle = epraccur_zip(tmp_path / "epraccur.zip", EPRACCUR_LEGACY, "epraccur.pdf")

    batch = load_ok("ods-practices", bundle)

    assert (batch.rows_read, batch.rows_loaded, batch.rows_skipped) == (5, 3, 2)
    assert "Read epraccur.csv from the zip; epraccur.pdf was left aside." in batch.notes
    assert Organisation.objects.get(code="L85009").status == OrgStatus.CLOSED


def test_a_zip_without_a_csv_is_refused(tmp_path):
    bundle = tmp_path / "epraccur.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr("epraccur.pdf", b"%PDF-1.4\n")

    batch = load("ods-practices", bundle)

    assert batch.status == BatchStatus.FAILED
    assert "This zip holds no CSV file (it holds epraccur.pdf)" in batch.outcome


def test_a_workbook_given_as_epraccur_is_refused(tmp_path):
    workbook = write_epcn_workbook(tmp_path / "epraccur.xlsx", EDITIONS["2023"])

    batch = load("ods-practices", workbook)

    assert batch.status == BatchStatus.FAILED
    assert "This is an Excel workbook; epraccur is a CSV file." in batch.outcome


def test_bad_epraccur_rows_are_reported_by_row_and_column_and_nothing_is_written(tmp_path):
    bad = edited_copy(
        tmp_path,
        EPRACCUR_CURRENT,
        ('"L85001"', '"L8501"'),
        ('"TA21 8QT","19740401","","ACTIVE"', '"TA21 8QT","19740401","","OPEN"'),
        ('"19900101","20240331"', '"20250101","20240331"'),
        ('"QSL","MILL LANE"', '"XSL","MILL LANE"'),
    )

    batch = load("ods-practices", bad)

    assert batch.status == BatchStatus.FAILED
    found = {(e["row"], e["column"]) for e in batch.errors}
    assert found == {
        (1, "1 (practice code)"),
        (2, "4 (ICB code)"),
        (2, "13 (status)"),
        (3, "12 (close date)"),
    }
    assert batch.rows_rejected == 3
    closing = next(e["message"] for e in batch.errors if e["row"] == 3)
    assert "2024-03-31 is earlier than 2025-01-01" in closing
    assert not Organisation.objects.exists()


def test_a_row_of_the_wrong_width_is_a_problem_in_that_row(tmp_path):
    bad = edited_copy(tmp_path, EPRACCUR_CURRENT, ('"01823 000202",', ""))

    batch = load("ods-practices", bad)

    assert batch.status == BatchStatus.FAILED
    assert batch.errors == [
        {"row": 2, "column": None, "message": "has 26 columns; epraccur rows have 27"}
    ]


@pytest.mark.parametrize(
    ("source", "fixture", "reason"),
    [
        ("ods-practices", EPCN, "This file has 12 columns; epraccur has 27."),
        ("ods-practices", FIXTURES / "Mapping.csv", "starts with a header row (GP_CODE"),
        ("ods-pcns", EPRACCUR_CURRENT, "This file has 27 columns; epcn has 12."),
        ("ods-pcns", PARTNERS, "This file has 11 columns; epcn has 12."),
        ("ods-pcn-members", EPCN, "This file has 12 columns; epcncorepartnerdetails has 11."),
        # Mapping.csv has 11 columns too, but a header naming no dates.
        ("ods-pcn-members", FIXTURES / "Mapping.csv", "starts with a header row (GP_CODE"),
    ],
)
def test_a_file_of_another_kind_is_refused_saying_what_it_looks_like(source, fixture, reason):
    batch = load(source, fixture)

    assert batch.status == BatchStatus.FAILED
    assert reason in batch.outcome
    assert not Organisation.objects.exists()


def test_a_file_whose_rows_do_not_start_with_a_practice_code_is_refused(tmp_path):
    wrong = tmp_path / "epraccur.csv"
    wrong.write_text(",".join(["11X"] * 27) + "\r\n")

    batch = load("ods-practices", wrong)

    assert batch.status == BatchStatus.FAILED
    assert "holds '11X', not a practice code" in batch.outcome


# ods-pcns (epcn)


def test_epcn_loads_pcns_with_their_named_place():
    batch = load_ok("ods-pcns", EPCN)

    assert batch.rows_loaded == 2
    levelmoor = pcn("U60001")
    assert levelmoor.name == "Levelmoor PCN" and levelmoor.open_date == dt.date(2019, 7, 1)
    assert levelmoor.address == "Brookfield House, 12 Station Road, Taunton, Somerset"
    link = Membership.objects.get(child=levelmoor, relation=Relation.PCN_SUB_ICB)
    assert link.parent.name == "NHS Somerset ICB - 11X"
    assert link.basis == MembershipBasis.OBSERVED


# ods-pcn-members (epcncorepartnerdetails)


def test_a_practice_that_moved_pcn_is_in_the_right_pcn_before_and_after_the_move():
    load_ok("ods-pcns", EPCN)

    load_ok("ods-pcn-members", PARTNERS)

    links = Membership.objects.filter(child__code="L85002", relation=Relation.PRACTICE_PCN)
    assert sorted((m.parent.code, m.start_date, m.end_date) for m in links) == [
        ("U60001", dt.date(2019, 7, 1), dt.date(2023, 3, 31)),
        ("U60002", dt.date(2023, 4, 1), None),
    ]
    before, after = dt.date(2023, 3, 31), dt.date(2023, 4, 1)
    assert practice_codes(members_as_at(pcn("U60001"), before, "practice")) == {"L85001", "L85002"}
    assert practice_codes(members_as_at(pcn("U60002"), before, "practice")) == {"L85009"}
    assert practice_codes(members_as_at(pcn("U60001"), after, "practice")) == {"L85001"}
    assert practice_codes(members_as_at(pcn("U60002"), after, "practice")) == {"L85002", "L85009"}


def test_practices_and_pcns_missing_from_the_register_are_added_with_the_files_names():
    load_ok("ods-practices", EPRACCUR_CURRENT)
    Organisation.objects.filter(code="L85001").update(name="Brookfield Surgery (Taunton)")

    load_ok("ods-pcn-members", PARTNERS)

    assert pcn("U60002").name == "Quantock Vale PCN"
    assert Organisation.objects.get(code="L85001").name == "Brookfield Surgery (Taunton)"
    place = Organisation.objects.get(kind=OrgKind.SUB_ICB, code="11X")
    assert place.name == "NHS Somerset ICB - 11X"


def test_a_snapshot_link_is_replaced_by_the_published_dated_history():
    load_ok("gpad-mapping", FIXTURES / "Mapping.csv")
    observed = Membership.objects.get(child__code="L85002", relation=Relation.PRACTICE_PCN)
    assert observed.basis == MembershipBasis.OBSERVED

    load_ok("ods-pcn-members", PARTNERS)

    links = Membership.objects.filter(child__code="L85002", relation=Relation.PRACTICE_PCN)
    assert {m.basis for m in links} == {MembershipBasis.PUBLISHED}
    assert links.count() == 2
    assert not Membership.objects.filter(pk=observed.pk).exists()


def test_loading_the_ods_files_again_changes_nothing():
    files = [("ods-practices", EPRACCUR_CURRENT), ("ods-pcns", EPCN), ("ods-pcn-members", PARTNERS)]
    for source, path in files:
        load_ok(source, path)
    memberships = Membership.objects.count()

    for source, path in files:
        again = load(source, path)
        assert again.status == BatchStatus.UNCHANGED, (source, again.outcome)

    assert Membership.objects.count() == memberships


def test_a_practice_in_two_pcns_at_once_is_reported_naming_both_rows(tmp_path):
    bad = edited_copy(tmp_path, PARTNERS, ('"20190701","20230331"', '"20190701","20230630"'))

    batch = load("ods-pcn-members", bad)

    assert batch.status == BatchStatus.FAILED
    assert len(batch.errors) == 1
    error = batch.errors[0]
    assert (error["row"], error["column"]) == (3, "9 (relationship start date)")
    assert (
        "joins U60002 on 2023-04-01, but row 2 has it in U60001 until 2023-06-30"
        in (error["message"])
    )
    assert not Organisation.objects.exists() and not Membership.objects.exists()


def test_a_row_repeated_word_for_word_is_skipped_not_a_clash(tmp_path):
    text = PARTNERS.read_bytes().decode()
    repeated = tmp_path / PARTNERS.name
    repeated.write_bytes((text + text.splitlines(keepends=True)[0]).encode())

    batch = load_ok("ods-pcn-members", repeated)

    assert batch.rows_skipped == 1 and batch.rows_loaded == 4


def test_a_handover_on_the_day_the_next_spell_begins_goes_to_the_later_pcn(tmp_path):
    """The old spell ends on the day the new one begins (F82001 in the real file): the later
    spell wins from its start date, and the notes say so."""
    touching = edited_copy(tmp_path, PARTNERS, ('"20190701","20230331"', '"20190701","20230401"'))

    batch = load_ok("ods-pcn-members", touching)

    links = Membership.objects.filter(child__code="L85002", relation=Relation.PRACTICE_PCN)
    assert sorted((m.parent.code, m.start_date, m.end_date) for m in links) == [
        ("U60001", dt.date(2019, 7, 1), dt.date(2023, 3, 31)),
        ("U60002", dt.date(2023, 4, 1), None),
    ]
    assert batch.rows_loaded == 4 and batch.rows_skipped == 0
    assert batch.notes == [
        "1 PCN spell ended on the day the practice's next spell began, or the day after; the "
        "later spell wins from its start date and the earlier is taken to end the day before.",
        "Handover: row 2 has L85002 in U60001 until 2023-04-01, row 3 in U60002 from "
        "2023-04-01: U60001 taken to end on 2023-03-31.",
    ]


def test_a_spell_running_one_day_into_the_next_is_a_handover_but_two_days_is_a_clash(tmp_path):
    one_day = edited_copy(tmp_path, PARTNERS, ('"20190701","20230331"', '"20190701","20230402"'))
    assert "U60001 taken to end on 2023-03-31" in load_ok("ods-pcn-members", one_day).notes[1]

    two_days = edited_copy(tmp_path, PARTNERS, ('"20190701","20230331"', '"20190701","20230403"'))
    batch = load("ods-pcn-members", two_days)

    assert batch.status == BatchStatus.FAILED
    assert [(e["row"], e["column"]) for e in batch.errors] == [(3, "9 (relationship start date)")]


def test_a_spell_the_later_one_swallows_whole_is_not_loaded(tmp_path):
    """P85004 in the real file: two days in U04503 from the day its spell in U17156 began."""
    blip = row_like(PARTNERS, "L85001", c5="U60002", c6="QUANTOCK VALE PCN", c9="20230401",
                    c10="20230402")  # fmt: skip
    moved = row_like(PARTNERS, "L85001", c9="20230401")
    ended = row_like(PARTNERS, "L85001", c10="20230331")
    partners = tmp_path / PARTNERS.name
    rows = [r for r in fixture_rows(PARTNERS) if r[0] != "L85001"]
    partners.write_bytes(ods_csv([ended, blip, moved, *rows]))

    batch = load_ok("ods-pcn-members", partners)

    links = Membership.objects.filter(child__code="L85001", relation=Relation.PRACTICE_PCN)
    assert sorted((m.parent.code, m.start_date, m.end_date) for m in links) == [
        ("U60001", dt.date(2019, 7, 1), dt.date(2023, 3, 31)),
        ("U60001", dt.date(2023, 4, 1), None),
    ]
    assert batch.rows_skipped == 1 and batch.rows_loaded == 5
    assert "(1 left with no days at all and not loaded)" in batch.notes[0]
    assert "that spell (2023-04-01 to 2023-04-02) not loaded" in batch.notes[1]


def test_a_later_file_replaces_the_spells_an_earlier_one_published(tmp_path):
    """An edition that corrects a start date leaves one spell, not the old one beside it."""
    load_ok("ods-pcn-members", PARTNERS)
    corrected = edited_copy(
        tmp_path,
        PARTNERS,
        ('"20190701","20230331"', '"20190701","20230430"'),
        ('"20230401","","TRUE"', '"20230501","","TRUE"'),
    )

    load_ok("ods-pcn-members", corrected)

    links = Membership.objects.filter(child__code="L85002", relation=Relation.PRACTICE_PCN)
    assert sorted((m.parent.code, m.start_date, m.end_date) for m in links) == [
        ("U60001", dt.date(2019, 7, 1), dt.date(2023, 4, 30)),
        ("U60002", dt.date(2023, 5, 1), None),
    ]
    assert Membership.objects.filter(child__code="L85001").count() == 1


def test_a_partner_report_downloaded_with_a_header_row_loads(tmp_path):
    header = [
        "Partner Organisation Code", "Partner Name", "Practice Parent Sub ICB Loc Code",
        "Practice Parent Sub ICB Loc Name", "PCN Code", "PCN Name", "PCN Parent Sub ICB Loc Code",
        "PCN Parent Sub ICB Loc Name", "Practice to PCN Relationship Start Date",
        "Practice to PCN Relationship End Date", "Practice Sub ICB Loc and PCN Sub ICB Loc Match",
    ]  # fmt: skip
    headed = tmp_path / PARTNERS.name
    headed.write_bytes(ods_csv([header]) + PARTNERS.read_bytes())

    batch = load_ok("ods-pcn-members", headed)

    assert batch.rows_read == 4 and batch.rows_loaded == 4
    assert batch.notes[0].startswith("Row 1 is a header row (Partner Organisation Code,")


# ePCN.xlsx, as each edition words its headers


EDITIONS = {
    # 2019: CCG spelt out, "(YYYYMMDD)" in the open date's header, dates as numbers, and on the
    # partner sheet the PCN name looked up by a formula and the match worked out by another.
    "2019": {
        "pcn_sheet": "PCN Details",
        "pcn_header": ["PCN Code", "PCN Name", "Current Clinical Commissioning Group Code",
                       "Clinical Commissioning Group Name", "Open Date (YYYYMMDD)",
                       "Close Date"],
        "partner_header": ["Partner Organisation Code", "Partner Name",
                           "Practice Parent CCG Code", "Practice Parent CCG Name", "PCN Code",
                           "PCN Name", "PCN Parent CCG Code", "PCN Parent CCG Name",
                           "Practice to PCN Relationship Start Date",
                           "Practice to PCN Relationship End Date",
                           "Practice CCG and PCN CCG match?"],
        "date": lambda day: int(day.strftime("%Y%m%d")),
        "formulas": True,
        "title": False,
    },
    # 2022: the same words broken over lines in the cell, dates as text, a title row above.
    "2022": {
        "pcn_sheet": "PCNDetails",
        "pcn_header": ["PCN Code", "PCN Name", "Current Clinical \nCommissioning \nGroup Code",
                       "Clinical\nCommissioning\nGroup Name", "Open Date", "Close Date"],
        "partner_header": ["Partner\nOrganisation\nCode", "Partner\nName",
                           "Practice\nParent\nCCG Code", "Practice\nParent\nCCG Name",
                           "PCN Code", "PCN Name", "PCN Parent\nCCG Code", "PCN Parent\nCCG Name",
                           "Practice to PCN\nRelationship\nStart Date",
                           "Practice to PCN\nRelationship\nEnd Date",
                           "Practice CCG and PCN\nCCG Match "],
        "date": lambda day: day.strftime("%Y%m%d"),
        "formulas": False,
        "title": True,
    },
    # 2023: sub-ICB locations, abbreviated "Sub ICB Loc"; dates as text.
    "2023": {
        "pcn_sheet": "PCNDetails",
        "pcn_header": ["PCN Code", "PCN Name", "Current Sub ICB Loc Code", "Sub ICB Location",
                       "Open Date", "Close Date"],
        "partner_header": ["Partner\nOrganisation\nCode", "Partner\nName",
                           "Practice\nParent\nSub ICB Loc Code",
                           "Practice\nParent\nSub ICB Loc Name", "PCN Code", "PCN Name",
                           "PCN Parent\nSub ICB Loc Code", "PCN Parent\nSub ICB Loc Name",
                           "Practice to PCN\nRelationship\nStart Date",
                           "Practice to PCN\nRelationship\nEnd Date",
                           "Practice Sub ICB Loc and PCN Sub ICB Loc Match "],
        "date": lambda day: day.strftime("%Y%m%d"),
        "formulas": False,
        "title": False,
    },
}  # fmt: skip


def write_epcn_workbook(path: Path, edition: dict, *, partner_pcn: str = "U60002") -> Path:
    """An ePCN.xlsx laid out as the edition was: a notes sheet, "PCN Details" (with a title
    above the header in some editions) and "PCN Core Partner Details"."""
    date = edition["date"]
    book = Workbook()
    notes = book.active
    notes.title = "Notes"
    notes.append(["Primary Care Networks, published by NHS Digital"])
    details = book.create_sheet(edition["pcn_sheet"])
    if edition["title"]:
        details.append(["PCN details as at 1 April 2021"])
    details.append(edition["pcn_header"])
    place = ["W2U3Z", "NHS SOMERSET CCG"]
    details.append(["U60001", "LEVELMOOR PCN", *place, date(dt.date(2019, 7, 1)), None])
    details.append(["U60002", "QUANTOCK VALE PCN", *place, date(dt.date(2020, 4, 1)), ""])
    partners = book.create_sheet("PCN Core Partner Details")
    partners.append(edition["partner_header"])
    members = [
        ("L85001", "BROOKFIELD SURGERY", "U60001", "LEVELMOOR PCN", dt.date(2019, 7, 1)),
        ("L85002", "THE OLD MILL MEDICAL PRACTICE", partner_pcn, "QUANTOCK VALE PCN",
         dt.date(2020, 4, 1)),
    ]  # fmt: skip
    for number, (code, name, pcn_code, pcn_name, start) in enumerate(members, start=2):
        if edition["formulas"]:
            sheet = edition["pcn_sheet"]
            pcn_name = f"=VLOOKUP(E{number},'{sheet}'!A:B,2,FALSE)"
        match = f"=G{number}=C{number}" if edition["formulas"] else True
        partners.append([code, name, *place, pcn_code, pcn_name, *place, date(start), None, match])
    book.save(path)
    return path


@pytest.mark.parametrize("edition", sorted(EDITIONS))
def test_each_epcn_workbook_edition_loads_pcns_and_dated_memberships(tmp_path, edition):
    workbook = write_epcn_workbook(tmp_path / f"ePCN-{edition}.xlsx", EDITIONS[edition])

    batch = load_ok("ods-pcn-members", workbook)

    assert batch.rows_read == 4 and batch.rows_loaded == 4
    quantock = pcn("U60002")
    assert quantock.name == "Quantock Vale PCN" and quantock.open_date == dt.date(2020, 4, 1)
    pcn_place = Membership.objects.get(child=quantock, relation=Relation.PCN_SUB_ICB).parent
    assert pcn_place.code == "W2U3Z" and pcn_place.name == "NHS Somerset CCG"
    link = Membership.objects.get(child__code="L85002", relation=Relation.PRACTICE_PCN)
    assert (link.parent, link.start_date, link.end_date) == (quantock, dt.date(2020, 4, 1), None)
    assert link.source_row == 3
    assert Organisation.objects.get(code="L85002").name == "The Old Mill Medical Practice"
    assert load("ods-pcn-members", workbook).status == BatchStatus.UNCHANGED


def test_a_formula_cell_excel_could_not_work_out_reads_as_blank(tmp_path):
    """The 2019 partner sheet looks PCN names up by formula; where the lookup failed the
    saved value is an error (#N/A), which is no name."""
    workbook = write_epcn_workbook(tmp_path / "ePCN.xlsx", EDITIONS["2023"])
    book = load_workbook(workbook)
    book["PCN Core Partner Details"]["E2"] = "U60003"
    book["PCN Core Partner Details"]["F2"] = "#N/A"
    book.save(workbook)

    load_ok("ods-pcn-members", workbook)

    assert pcn("U60003").name == "PCN U60003"


def test_a_bad_workbook_row_is_reported_by_sheet_row_and_column(tmp_path):
    workbook = write_epcn_workbook(tmp_path / "ePCN.xlsx", EDITIONS["2022"], partner_pcn="60002")

    batch = load("ods-pcn-members", workbook)

    assert batch.status == BatchStatus.FAILED
    assert [(e["row"], e["column"]) for e in batch.errors] == [(3, "PCN Core Partner Details!E")]
    assert not Organisation.objects.exists()


def test_a_workbook_without_the_epcn_sheets_is_refused(tmp_path):
    book = Workbook()
    book.active.title = "Practices"
    book.save(tmp_path / "ePCN.xlsx")

    batch = load("ods-pcn-members", tmp_path / "ePCN.xlsx")

    assert batch.status == BatchStatus.FAILED
    assert "no 'PCN Details' sheet (it has 'Practices')" in batch.outcome
