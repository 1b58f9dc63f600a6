"""The data quality page: coverage, unmapped appointments, incomplete recording and practices
with no Clinical Triage, for a small GPAD month loaded through the importer."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from django.urls import reverse

from metrics.models import MeasureValue
from metrics.services import import_file
from tests import pages
from tests.factories import link, list_size, org
from tests.gpad_files import MARCH_2025, Row, gpad_month_load
from tests.pages import page_as, visible_text
from tests.real_data import real_file

TRIAGE = "Clinical Triage"
# Registered patients in March 2025 (conftest): L85001 6,000, L85002 7,000, L85004 11,000,
# L85005 9,000, L85006 10,000. L85003 records nothing this month.
ROWS = [
    Row("L85001", 900, national_category=TRIAGE),
    Row("L85001", 100, national_category="Unmapped"),
    Row("L85002", 700),
    Row("L85002", 0, national_category=TRIAGE),  # a Clinical Triage row, but of none
    Row("L85002", 200, national_category="Inconsistent Mapping"),
    Row("L85004", 1000, national_category=TRIAGE),
    Row("L85005", 300, national_category=TRIAGE),  # 300 x 12 = 3,600 < 9,000 patients
    Row("L85006", 900, national_category=TRIAGE),
    Row("J99001", 50, national_category="Unmapped", sub_icb_location_code="92G"),
]
QUALITY = reverse("metrics:data_quality")


@pytest.fixture
def march(tree, tmp_path):
    return gpad_month_load(tmp_path, ROWS)


def section(text: str, heading: str, end: str | None = None) -> str:
    part = text.split(heading, 1)[1]
    return part.split(end, 1)[0] if end else part


EXPECTED = {
    "anonymous": 302,
    "icb_manager": 200,
    "pcn_manager": 200,
    "board_member": 200,
    "no_role": 403,
    "other_icb": 403,
}


@pytest.mark.parametrize("role", pages.ROLES)
def test_who_may_open_the_data_quality_page(client, request, march, role):
    response = page_as(client, pages.user_for(request, role), f"{QUALITY}?icb=QSL")

    assert response.status_code == EXPECTED[role]


def test_a_manager_of_another_icb_sees_only_their_own_practices(client, tree, march):
    text = visible_text(page_as(client, pages.other_icb_manager(tree), QUALITY))

    assert "NHS Bath and North East Somerset ICB" in text and "Far Away Surgery" in text
    assert "L85001" not in text


@pytest.mark.parametrize("query", ["month=2025-02", "month=03-2025", "icb=QXX"])
def test_unknown_months_and_icbs_are_not_found(client, icb_manager, march, query):
    assert page_as(client, icb_manager, f"{QUALITY}?{query}").status_code == 404


def test_coverage_counts_open_practices_that_recorded(client, board_member, march):
    text = visible_text(page_as(client, board_member, QUALITY))

    assert "Data quality: GP appointments, Mar 2025" in text
    assert "Open practices on 1 March 2025 6" in text
    assert "Open practices that recorded appointments 5 (83.3%)" in text
    missing = section(text, "Open practices with no appointments in Mar 2025", "Unmapped")
    assert "Surgery L85003 (L85003)" in missing and "L85001" not in missing


def test_a_practice_closed_before_the_month_is_not_expected_to_record(
    client, board_member, tree, march
):
    closed = tree.practices["L85003"]
    closed.close_date = dt.date(2025, 1, 31)
    closed.save()

    text = visible_text(page_as(client, board_member, QUALITY))

    assert "Open practices on 1 March 2025 5" in text
    assert "Open practices that recorded appointments 5 (100.0%)" in text


def test_unmapped_shares_are_listed_worst_first(client, board_member, march):
    response = page_as(client, board_member, QUALITY)
    table = section(visible_text(response), "Unmapped share by practice", "Under 1 appointment")

    # L85002: 200 of 900 (22.2%); L85001: 100 of 1,000 (10.0%); the rest none.
    assert table.index("Surgery L85002") < table.index("Surgery L85001") < table.index("L85006")
    assert "Surgery L85002 (L85002) Appointments 900 Unmapped or inconsistently mapped 200" in table
    held = MeasureValue.objects.get(org__code="L85002", measure_id="unmapped_pct")
    assert f"Share unmapped {held.value:.1f}%" in table and "22.2%" in table
    assert "Far Away" not in table


def test_practices_under_one_appointment_per_patient_a_year_are_listed(client, board_member, march):
    text = visible_text(page_as(client, board_member, QUALITY))
    table = section(text, "Practices under 1 appointment per registered patient a year, Mar 2025")

    assert (
        "Surgery L85005 (L85005) Appointments 300 Registered patients 9,000 "
        "Appointments per patient a year 0.40"
    ) in table
    assert "Surgery L85001" not in table.split("No Clinical Triage")[0]


def test_practices_with_no_clinical_triage_are_listed(client, board_member, march):
    text = visible_text(page_as(client, board_member, QUALITY))
    table = section(text, "Practices with no Clinical Triage appointments, Mar 2025")

    assert "Surgery L85002 (L85002) 900" in table
    for code in ("L85001", "L85004", "L85005", "L85006"):
        assert code not in table


def test_each_flag_links_to_the_practice_page(client, board_member, march):
    html = page_as(client, board_member, QUALITY).content.decode()

    for code in ("L85002", "L85003", "L85005"):
        assert f'href="{reverse("practices:practice", args=[code])}"' in html


def test_the_page_links_to_the_access_figures_for_the_same_month(client, board_member, march):
    html = page_as(client, board_member, QUALITY).content.decode()

    assert f'href="{reverse("metrics:access")}?icb=QSL&amp;month=2025-03"' in html


def test_with_nothing_loaded_the_page_says_so(client, board_member):
    text = visible_text(page_as(client, board_member, QUALITY))

    assert "no GP appointments data has been loaded yet" in text


def test_the_page_takes_a_bounded_number_of_queries_however_many_practices(
    client, tree, board_member, tmp_path, django_assert_max_num_queries
):
    extra = []
    for number in range(20):
        practice = org("practice", f"L86{number:03d}", f"Extra Surgery {number}")
        link(practice, tree.place)
        link(practice, tree.pcn_b)
        list_size(practice, MARCH_2025, 4000)
        extra.append(Row(practice.code, 100))
    gpad_month_load(tmp_path, ROWS + extra)
    client.force_login(board_member)

    with django_assert_max_num_queries(20):
        response = client.get(QUALITY)

    assert "Extra Surgery 19 (L86019)" in visible_text(response)


# NHS England's coverage file, with the header it is published with (ICB and region as ONS
# codes, the place as its ODS code).
COVERAGE_HEADER = (
    "SUB_ICB_LOCATION_CODE,ICB_ONS_CODE,REGION_CODE,Appointment_Month,Included Practices,"
    "Open Practices,Patients registered at included practices,"
    "Patients registered at open practices"
)


def coverage_load(folder, *lines: str):
    path = folder / "APPOINTMENTS_GP_COVERAGE_test.csv"
    path.write_text("\r\n".join([COVERAGE_HEADER, *lines]) + "\r\n", encoding="utf-8")
    batch = import_file(source="gpad-coverage", path=path)
    assert batch.status == "succeeded", batch.errors
    return batch


def test_nhs_englands_coverage_is_shown_beside_the_portals_count(
    client, board_member, march, tmp_path
):
    coverage_load(
        tmp_path,
        "11X,E54000038,E40000006,01MAR2025,5,7,45000,52000",
        "92G,E54000040,E40000006,01MAR2025,1,1,12000,12000",
        "11X,E54000038,E40000006,01FEB2025,4,4,1,1",
    )

    text = visible_text(page_as(client, board_member, QUALITY))
    table = section(text, "NHS England's coverage by place", "Unmapped")

    # 5 of 7 is 71.4%; 45,000 of 52,000 patients is 86.5%. The portal holds appointments for
    # 5 of the 6 practices open in 11X in its register.
    assert (
        "NHS Somerset ICB - 11X (11X) Included practices (NHS England) 5 "
        "Open practices (NHS England) 7 Practices included 71.4% "
        "Patients at included practices 45,000 Patients at open practices 52,000 "
        "Patients included 86.5% Practices with appointments in the portal 5 "
        "Open practices in the portal's register 6"
    ) in table
    assert "92G" not in table and "not loaded" not in table


def test_the_page_says_when_the_months_coverage_file_is_not_loaded(
    client, board_member, march, tmp_path
):
    coverage_load(tmp_path, "11X,E54000038,E40000006,01FEB2025,5,6,40000,48000")

    text = visible_text(page_as(client, board_member, QUALITY))
    table = section(text, "NHS England's coverage by place", "Unmapped")

    assert "NHS England's coverage file for Mar 2025 is not loaded" in table
    assert "Included practices (NHS England) – Open practices (NHS England) –" in table
    assert "Practices with appointments in the portal 5" in table


def test_a_place_the_coverage_file_leaves_out_is_shown_with_a_dash(
    client, board_member, tree, march, tmp_path
):
    link(org("sub_icb", "W2U3Z", "NHS Somerset ICB - W2U3Z"), tree.icb)
    coverage_load(tmp_path, "11X,E54000038,E40000006,01MAR2025,5,6,40000,48000")

    text = visible_text(page_as(client, board_member, QUALITY))
    table = section(text, "NHS England's coverage by place", "Unmapped")

    assert "NHS Somerset ICB - W2U3Z (W2U3Z) Included practices (NHS England) –" in table
    assert "has no row for the place" in table and "not loaded" not in table


def test_the_real_coverage_file_gives_a_five_character_place_its_published_figures(
    client, board_member, tree, march
):
    path = real_file("gpad/APPOINTMENTS_GP_COVERAGE_feb2023-jul2025.csv")
    with open(path, encoding="utf-8", newline="") as handle:
        (source,) = [
            r
            for r in csv.DictReader(handle)
            if r["SUB_ICB_LOCATION_CODE"] == "W2U3Z" and r["Appointment_Month"] == "01MAR2025"
        ]
    included, open_ = int(source["Included Practices"]), int(source["Open Practices"])
    patients = int(source["Patients registered at included practices"])
    link(org("sub_icb", "W2U3Z", "NHS North West London ICB - W2U3Z"), tree.icb)
    assert import_file(source="gpad-coverage", path=path).status == "succeeded"

    text = visible_text(page_as(client, board_member, QUALITY))
    table = section(text, "NHS England's coverage by place", "Unmapped")

    assert (
        f"NHS North West London ICB - W2U3Z (W2U3Z) Included practices (NHS England) "
        f"{included:,} Open practices (NHS England) {open_:,} "
        f"Practices included {100 * included / open_:.1f}% "
        f"Patients at included practices {patients:,}"
    ) in table
