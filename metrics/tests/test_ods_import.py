import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

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


def pcn(code: str) -> Organisation:
    return Organisation.objects.get(kind=OrgKind.PCN, code=code)


def practice_codes(orgs) -> set[str]:
    return set(orgs.values_list("code", flat=True))


# ods-practices (epraccur)


def test_epraccur_loads_gp_practices_with_their_place_in_the_hierarchy():
    batch = load_ok("ods-practices", EPRACCUR_CURRENT)

    practice = Organisation.objects.get(kind=OrgKind.PRACTICE, code="L85001")
    assert practice.name == "Brookfield Surgery"
    assert practice.address == "Brookfield House, 12 Station Road, Taunton, Somerset"
    assert practice.postcode == "TA1 1AB" and practice.phone == "01823 000101"
    assert practice.open_date == dt.date(1974, 4, 1) and practice.status == OrgStatus.ACTIVE
    assert practice.source_batch == batch and practice.source_row == 1
    place = Membership.objects.get(child=practice, relation=Relation.PRACTICE_SUB_ICB).parent
    assert place.code == "11X" and place.name == "Sub-ICB location 11X"
    assert Membership.objects.get(relation=Relation.SUB_ICB_ICB).parent.code == "QSL"
    assert Membership.objects.get(relation=Relation.ICB_REGION).parent.code == "Y58"
    assert batch.period_start is None and batch.period_end is None


def test_both_epraccur_layouts_load_the_same_practices():
    load_ok("ods-practices", EPRACCUR_LEGACY)
    from_legacy = practices_as_loaded()
    Organisation.objects.all().delete()

    load_ok("ods-practices", EPRACCUR_CURRENT)

    assert practices_as_loaded() == from_legacy
    assert [code for code, *_ in from_legacy] == ["L85001", "L85002", "L85009"]


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


# ePCN.xlsx


def write_epcn_workbook(path: Path, *, partner_pcn: str = "U60002") -> Path:
    """The older layout: "PCNDetails" with a title above the header, CCG-era names."""
    book = Workbook()
    notes = book.active
    notes.title = "Notes"
    notes.append(["Primary Care Networks, published by NHS Digital"])
    details = book.create_sheet("PCNDetails")
    details.append(["PCN details as at 1 April 2021"])
    details.append(
        ["PCN Code", "PCN Name", "Current CCG Code", "Current CCG Name", "Open Date", "Close Date"]
    )
    details.append(["U60001", "LEVELMOOR PCN", "11X", "NHS SOMERSET CCG", dt.datetime(2019, 7, 1)])
    details.append(["U60002", "QUANTOCK VALE PCN", "11X", "NHS SOMERSET CCG", "20200401", None])
    partners = book.create_sheet("PCN Core Partner Details")
    partners.append(
        [
            "Partner Organisation Code",
            "Partner Name",
            "Practice Parent CCG Code",
            "Practice Parent CCG Name",
            "PCN Code",
            "PCN Name",
            "Practice Join Date",
            "Practice Exit Date",
        ]
    )
    ccg = ["11X", "NHS SOMERSET CCG"]
    partners.append(["L85001", "BROOKFIELD SURGERY", *ccg, "U60001", "LEVELMOOR PCN",
                     dt.datetime(2019, 7, 1), None])  # fmt: skip
    partners.append(["L85002", "THE OLD MILL MEDICAL PRACTICE", *ccg, partner_pcn,
                     "QUANTOCK VALE PCN", dt.datetime(2020, 4, 1), None])  # fmt: skip
    book.save(path)
    return path


def test_the_older_epcn_workbook_loads_pcns_and_dated_memberships(tmp_path):
    workbook = write_epcn_workbook(tmp_path / "ePCN.xlsx")

    batch = load_ok("ods-pcn-members", workbook)

    assert batch.rows_read == 4 and batch.rows_loaded == 4
    quantock = pcn("U60002")
    assert quantock.name == "Quantock Vale PCN" and quantock.open_date == dt.date(2020, 4, 1)
    pcn_place = Membership.objects.get(child=quantock, relation=Relation.PCN_SUB_ICB).parent
    assert pcn_place.code == "11X" and pcn_place.name == "NHS Somerset CCG"
    link = Membership.objects.get(child__code="L85002", relation=Relation.PRACTICE_PCN)
    assert (link.parent, link.start_date, link.end_date) == (quantock, dt.date(2020, 4, 1), None)
    assert link.source_row == 3
    assert Organisation.objects.get(code="L85002").name == "The Old Mill Medical Practice"
    assert load("ods-pcn-members", workbook).status == BatchStatus.UNCHANGED


def test_a_bad_workbook_row_is_reported_by_sheet_row_and_column(tmp_path):
    workbook = write_epcn_workbook(tmp_path / "ePCN.xlsx", partner_pcn="60002")

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
