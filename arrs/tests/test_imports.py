"""The ARRS import sources: allocations, staff in post, claims and the NWRS PCN file."""

import datetime as dt
from decimal import Decimal

import pytest
from openpyxl import Workbook

from arrs.models import Allocation, ArrsRole, Claim, InPostCount, NwrsStaffCount
from arrs.selectors import in_post_snapshots
from arrs.services import nwrs_role_mapping_set
from metrics.models import BatchStatus
from metrics.services import import_file

pytestmark = pytest.mark.django_db
SEP_30 = dt.date(2026, 9, 30)


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_bytes(("\ufeff" + text.replace("\n", "\r\n")).encode())
    return path


def problems(batch) -> list[str]:
    from core.presenters import problem

    return [problem(error) for error in batch.errors]


def test_allocations_load_from_csv_with_london_weighting_and_reload_unchanged(tmp_path, tree):
    path = write(
        tmp_path,
        "arrs-allocations.csv",
        "PCN code,Financial year,Allocation,London weighting\n"
        'U00001,2026/27,"£1,234,567.50",\n'
        "u00002,2026-27,987654,Inner London\n",
    )

    batch = import_file(source="arrs-allocations", path=path)

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    first = Allocation.objects.get(pcn=tree.pcn_a, financial_year=2026)
    assert first.amount == Decimal("1234567.50") and first.rate_area == "national"
    assert first.source_batch == batch and first.source_row == 2
    assert Allocation.objects.get(pcn=tree.pcn_b).rate_area == "inner_london"
    assert import_file(source="arrs-allocations", path=path).status == BatchStatus.UNCHANGED


def test_allocations_load_from_a_spreadsheet_with_a_title_above_the_header(tmp_path, tree):
    book = Workbook()
    sheet = book.active
    sheet.append(["ARRS allocations 2026/27"])
    sheet.append(["PCN code", "Financial year", "ARRS allocation"])
    sheet.append(["U00003", "2026/27", 812345.0])
    path = tmp_path / "allocations.xlsx"
    book.save(path)

    batch = import_file(source="arrs-allocations", path=path)

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    assert Allocation.objects.get(pcn=tree.pcn_c).amount == Decimal("812345")


def test_allocation_problems_are_listed_by_row_and_nothing_is_loaded(tmp_path, tree):
    path = write(
        tmp_path,
        "allocations.csv",
        "PCN code,Financial year,Allocation\n"
        "U00001,2026/27,100\n"
        "U12345,2026/27,100\n"
        "U00002,26/27,100\n"
        "U00003,2026/27,-5\n"
        "U00001,2026/27,200\n",
    )

    batch = import_file(source="arrs-allocations", path=path)

    assert batch.status == BatchStatus.FAILED
    assert problems(batch) == [
        "Row 3, column PCN code: PCN U12345 is not in the organisation register",
        "Row 4, column Financial year: '26/27' is not a financial year; write it like 2026/27",
        "Row 5, column Allocation: '-5' is not an amount of zero or more",
        "Row 6: repeats row 2 (same PCN and year)",
    ]
    assert not Allocation.objects.exists()


def test_staff_in_post_keeps_blank_apart_from_zero_and_a_date_reloaded_replaces_it(tmp_path, tree):
    header = "PCN code,Role,Date,FTE\n"
    first = write(
        tmp_path,
        "in-post.csv",
        header + "U00001,Clinical Pharmacist,30/09/2026,2.5\n"
        "U00001,Paramedic,30/09/2026,0\n"
        "U00001,Care Co-ordinator,30/09/2026,\n",
    )
    assert import_file(source="arrs-in-post", path=first).status == BatchStatus.SUCCEEDED

    counts = dict(InPostCount.objects.values_list("role__code", "fte"))
    assert counts == {
        "clinical_pharmacist": Decimal("2.5"),
        "paramedic": Decimal("0"),
        "care_coordinator": None,
    }
    again = write(tmp_path, "in-post-2.csv", header + "U00001,Clinical Pharmacist,2026-09-30,3\n")
    batch = import_file(source="arrs-in-post", path=again)

    assert batch.status == BatchStatus.SUCCEEDED
    assert dict(InPostCount.objects.values_list("role__code", "fte")) == {
        "clinical_pharmacist": Decimal("3")
    }


def test_staff_in_post_names_unknown_roles_by_row(tmp_path, tree):
    path = write(tmp_path, "in-post.csv", "PCN,Role,As at,WTE\nU00001,Receptionist,30/09/2026,1\n")

    batch = import_file(source="arrs-in-post", path=path)

    assert problems(batch) == [
        "Row 2, column Role: 'Receptionist' is not an ARRS role (the ICB's managers can add "
        "it as another name for a role on the role names page)"
    ]


def test_claims_are_kept_by_month(tmp_path, tree):
    path = write(
        tmp_path,
        "arrs-claims.csv",
        "PCN code,Role,Month,Amount\n"
        "U00001,Clinical Pharmacist,2026-04,5195.00\n"
        "U00001,Clinical Pharmacist,15/05/2026,5195.00\n",
    )

    batch = import_file(source="arrs-claims", path=path)

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    months = list(Claim.objects.order_by("month").values_list("month", flat=True))
    assert months == [dt.date(2026, 4, 1), dt.date(2026, 5, 1)]


NWRS_HEADER = (  # as published: UNIQUE_IDENTIFIER last
    "Data_source,CENSUS_YEAR,CENSUS_MONTH,PCN_CODE,PCN_NAME,SUB_ICB_CODE,SUB_ICB_NAME,ICB_CODE,"
    "ICB_NAME,COMM_REGION_CODE,COMM_REGION_NAME,STAFF_GROUP,STAFF_ROLE,DETAILED_STAFF_ROLE,FTE,"
    "UNIQUE_IDENTIFIER\n"
)


def nwrs_row(pcn: str, person: str, staff_role: str, detailed: str, fte: str, month="9") -> str:
    place = '11X,"NHS Somerset ICB - 11X",QSL,NHS Somerset ICB,Y58,South West'
    group = (
        "Other Admin/Non-clinical staff"
        if staff_role in ("Admin/Non-Clinical", "Managers")
        else "Other Direct Patient Care staff"
    )
    source = "NWRS contracted services" if person == "NULL" else "NWRS Staff"
    roles = f"{group},{staff_role},{detailed}"
    return f"{source},2026,{month},{pcn},PCN {pcn},{place},{roles},{fte},{person}\n"


def test_the_nwrs_file_sums_fte_counts_people_and_skips_pcns_elsewhere(tmp_path, tree):
    path = write(
        tmp_path,
        "PCN_Individual_Level_Sep26.csv",
        NWRS_HEADER
        + nwrs_row("U00001", "A1", "Pharmacists", "Clinical  Pharmacist", "1")
        + nwrs_row("U00001", "A2", "Pharmacists", "Clinical Pharmacist", "0.6")
        + nwrs_row("U00001", "A2", "Pharmacists", "Clinical Pharmacist", "0.2")
        + nwrs_row("U00001", "A3", "Admin/Non-Clinical", "Clinical Director", "0.4")
        + nwrs_row("U00001", "A4", "Therapists", "Art Therapist", "1")
        + nwrs_row("U77777", "B1", "Pharmacists", "Clinical Pharmacist", "1"),
    )

    batch = import_file(source="nwrs-pcn", path=path)

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    assert batch.rows_read == 6 and batch.rows_skipped == 1
    pharmacists = NwrsStaffCount.objects.get(detailed_staff_role="Clinical Pharmacist")
    assert pharmacists.fte == Decimal("1.8") and pharmacists.headcount == 2
    assert pharmacists.census_date == SEP_30
    assert any("1 PCN(s) not in the register" in note for note in batch.notes)
    assert any("Art Therapist" in note for note in batch.notes)
    snapshot = in_post_snapshots([tree.pcn_a.pk])[(tree.pcn_a.pk, SEP_30)]
    pharmacist = ArrsRole.objects.get(code="clinical_pharmacist")
    paramedic = ArrsRole.objects.get(code="paramedic")
    assert snapshot.value(pharmacist.pk) == Decimal("1.8")
    assert snapshot.value(paramedic.pk) == Decimal("0")  # in the census, nobody in the role


def test_a_published_windows_1252_file_loads_with_contracted_services_and_adjustments(
    tmp_path, tree
):
    """As NWRS publishes it: Windows-1252 (an en dash), 'Pharmacists / Pharmacist' for clinical
    pharmacists, contracted services with UNIQUE_IDENTIFIER NULL and a negative FTE."""
    path = tmp_path / "PCN_Individual_Level_Sep2026.csv"
    path.write_bytes(
        (
            NWRS_HEADER
            + nwrs_row("U00001", "101", "Pharmacists", "Pharmacist", "1")
            + nwrs_row("U00001", "102", "Pharmacists", "Pharmacist", "0.5")
            + nwrs_row("U00001", "NULL", "Pharmacists", "Pharmacist", "0.4")
            + nwrs_row("U00001", "NULL", "Pharmacists", "Pharmacist", "0.3")
            + nwrs_row("U00001", "NULL", "Paramedics", "Paramedic", "-0.026666667")
            + nwrs_row("U00001", "103", "Managers", "Clinical Director \u2013 Medical", "0.2")
            + nwrs_row("U77777", "201", "Pharmacists", "Pharmacist", "1")
            + nwrs_row("U77777", "202", "Pharmacists", "Pharmacist", "1")
        )
        .replace("\n", "\r\n")
        .encode("cp1252")
    )

    batch = import_file(source="nwrs-pcn", path=path)

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    assert (batch.rows_read, batch.rows_skipped) == (8, 2)
    counts = {c.detailed_staff_role: c for c in NwrsStaffCount.objects.all()}
    assert counts["Pharmacist"].fte == Decimal("2.2")
    assert counts["Pharmacist"].headcount is None  # two people and contracted services
    assert counts["Clinical Director \u2013 Medical"].headcount == 1
    assert counts["Paramedic"].fte == Decimal("-0.0267")  # an adjustment, kept
    notes = " ".join(batch.notes)
    assert "Windows-1252" in notes
    assert "Skipped 2 rows for 1 PCN(s) not in the register" in notes and "U77777" in notes
    assert "3 rows with no UNIQUE_IDENTIFIER" in notes
    assert "headcount of the staff roles they are in is unknown" in notes
    assert "1 row with a negative WTE" in notes and "row 6 (U00001, Paramedic" in notes
    snapshot = in_post_snapshots([tree.pcn_a.pk])[(tree.pcn_a.pk, SEP_30)]
    pharmacist = ArrsRole.objects.get(code="clinical_pharmacist")
    assert snapshot.value(pharmacist.pk) == Decimal("2.2")


def test_changing_the_staff_role_mapping_changes_staff_in_post_without_a_reload(
    tmp_path, tree, icb_manager
):
    path = write(
        tmp_path,
        "PCN_Individual_Level.csv",
        NWRS_HEADER + nwrs_row("U00001", "A4", "Therapists", "Art Therapist", "1"),
    )
    import_file(source="nwrs-pcn", path=path)
    therapist = ArrsRole.objects.get(code="occupational_therapist")
    assert in_post_snapshots([tree.pcn_a.pk])[(tree.pcn_a.pk, SEP_30)].value(therapist.pk) == 0

    nwrs_role_mapping_set(staff_role="Art Therapist", arrs_role=therapist, user=icb_manager)

    assert in_post_snapshots([tree.pcn_a.pk])[(tree.pcn_a.pk, SEP_30)].value(therapist.pk) == 1


def test_the_icb_count_for_a_pcn_and_date_wins_over_the_census(tmp_path, tree):
    import_file(
        source="nwrs-pcn",
        path=write(
            tmp_path,
            "nwrs.csv",
            NWRS_HEADER + nwrs_row("U00001", "A1", "Pharmacists", "Clinical Pharmacist", "1"),
        ),
    )
    import_file(
        source="arrs-in-post",
        path=write(
            tmp_path, "in-post.csv", "PCN code,Role,Date,FTE\nU00001,Paramedic,30/09/2026,2\n"
        ),
    )

    snapshot = in_post_snapshots([tree.pcn_a.pk])[(tree.pcn_a.pk, SEP_30)]
    pharmacist = ArrsRole.objects.get(code="clinical_pharmacist")
    assert snapshot.source == "icb" and snapshot.value(pharmacist.pk) is None


def test_a_bad_census_month_and_fte_are_problems_by_row(tmp_path, tree):
    path = write(
        tmp_path,
        "nwrs.csv",
        NWRS_HEADER
        + nwrs_row("U00001", "A1", "Pharmacists", "Clinical Pharmacist", "1", month="Smarch")
        + nwrs_row("U00001", "A2", "Pharmacists", "Clinical Pharmacist", "lots"),
    )

    batch = import_file(source="nwrs-pcn", path=path)

    assert batch.status == BatchStatus.FAILED
    assert problems(batch) == [
        "Row 2, column CENSUS_MONTH: 'Smarch' is not a month",
        "Row 3, column FTE: 'lots' is not a number of WTE",
    ]
