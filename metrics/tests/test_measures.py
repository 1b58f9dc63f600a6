"""Measures from GPAD, worked out by hand from a small crosstab for the ``tree`` practices.

Each practice's month is eight crosstab rows (a ``Mix``), each a different kind of
appointment, so that every measure has its own numerator. Expected values are sums of
the fixture counts divided by hand, level by level, never read back from the engine.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import astuple, dataclass, fields
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction

from demo.gpad_mix import APPT_MODES, APPT_STATUSES, HCP_TYPES, NATIONAL_CATEGORIES, TIME_BANDS
from metrics.models import (
    BatchStatus,
    GpadPracticeMonth,
    MeasureDecile,
    MeasureDefinition,
    MeasureValue,
)
from metrics.models.measures import denominator_out_of_date
from metrics.reference import measure_definitions
from metrics.services import import_file
from metrics.tests.test_gpad_import import (
    Cell,
    crosstab_bytes,
    csv_name,
    load,
    progress_in_memory,  # noqa: F401 - autouse here too: import progress kept per test
    zip_of,
)
from practices.models import ListSize, OrgKind

pytestmark = pytest.mark.django_db

MARCH, APRIL, MAY = dt.date(2025, 3, 1), dt.date(2025, 4, 1), dt.date(2025, 5, 1)
MARCH_2024 = dt.date(2024, 3, 1)
DOMAIN_CODES = {
    "appointments_total", "appointments_per_1000_patients", "same_day_pct",
    "within_14_days_pct", "over_28_days_pct", "dna_pct", "face_to_face_pct", "telephone_pct",
    "video_online_pct", "home_visit_pct", "gp_pct", "unmapped_pct", "acc08_within_14_days_pct",
}  # fmt: skip
CARE_RELATED = "Care Related Encounter but does not fit into any other category"


@dataclass(frozen=True)
class Mix:
    """A practice's month as eight crosstab rows, one count each:

    =================== ======== ===================== ========== ==================== ============
    field               status   staff                 mode       category             booked
    =================== ======== ===================== ========== ==================== ============
    acute_same_day      Attended GP                    Face-to-F. Gen. Cons. Acute     Same Day
    triage_dna          DNA      Other Practice staff  Telephone  Clinical Triage      2 to 7 Days
    planned_video       Attended GP                    Video      Planned Clinics      > 28 Days
    home_visit          Unknown  Unknown               Home Visit Home Visit           8 to 14 Days
    unmapped            Attended Other Practice staff  Face-to-F. Unmapped             15 to 21 Days
    inconsistent        Attended GP                    Telephone  Inconsistent Mapping Unknown
    medication_review   Attended GP                    Face-to-F. Struct. Med. Review  1 Day
    care_related        Attended GP                    Unknown    Care Related ...     22 to 28 Days
    =================== ======== ===================== ========== ==================== ============
    """

    acute_same_day: int
    triage_dna: int
    planned_video: int
    home_visit: int
    unmapped: int
    inconsistent: int
    medication_review: int
    care_related: int

    @property
    def total(self) -> int:
        return sum(astuple(self))

    def __add__(self, other: Mix) -> Mix:
        return Mix(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))

    def cells(self, practice: str, month: dt.date, pcn: str, place: str) -> list[Cell]:
        kinds = {
            "acute_same_day": {"category": "General Consultation Acute"},
            "triage_dna": {"status": "DNA", "hcp_type": "Other Practice staff",
                           "mode": "Telephone", "category": "Clinical Triage",
                           "band": "2 to 7 Days"},
            "planned_video": {"mode": "Video Conference/Online", "category": "Planned Clinics",
                              "band": "More than 28 Days"},
            "home_visit": {"status": "Unknown", "hcp_type": "Unknown", "mode": "Home Visit",
                           "category": "Home Visit", "band": "8 to 14 Days"},
            "unmapped": {"hcp_type": "Other Practice staff", "category": "Unmapped",
                         "band": "15 to 21 Days"},
            "inconsistent": {"mode": "Telephone", "category": "Inconsistent Mapping",
                             "band": "Unknown / Data Quality"},
            "medication_review": {"category": "Structured Medication Review", "band": "1 Day"},
            "care_related": {"mode": "Unknown", "category": CARE_RELATED,
                             "band": "22 to 28 Days"},
        }  # fmt: skip
        return [
            Cell(practice, getattr(self, f.name), month=month, pcn=pcn, place=place,
                 **kinds[f.name])
            for f in fields(self)
        ]  # fmt: skip


def parts(m: Mix) -> dict[str, tuple[int, int | None]]:
    """(numerator, denominator) of every count and percentage measure, from DOMAIN 4."""
    acc08 = m.acute_same_day + m.triage_dna + m.home_visit + m.care_related
    return {
        "appointments_total": (m.total, None),
        "same_day_pct": (m.acute_same_day, m.total),
        "within_14_days_pct": (
            m.acute_same_day + m.medication_review + m.triage_dna + m.home_visit,
            m.total,
        ),
        "over_28_days_pct": (m.planned_video, m.total),
        "dna_pct": (m.triage_dna, m.total),
        "face_to_face_pct": (m.acute_same_day + m.unmapped + m.medication_review, m.total),
        "telephone_pct": (m.triage_dna + m.inconsistent, m.total),
        "video_online_pct": (m.planned_video, m.total),
        "home_visit_pct": (m.home_visit, m.total),
        "gp_pct": (
            m.acute_same_day
            + m.planned_video
            + m.inconsistent
            + m.medication_review
            + m.care_related,
            m.total,
        ),  # fmt: skip
        "unmapped_pct": (m.unmapped + m.inconsistent, m.total),
        "acc08_within_14_days_pct": (m.acute_same_day + m.triage_dna + m.home_visit, acc08),
    }


MIXES = {
    MARCH: {
        "L85001": Mix(400, 100, 50, 20, 30, 40, 300, 60),  # 1,000
        "L85002": Mix(60, 90, 150, 10, 100, 50, 100, 40),  # 600
        "L85003": Mix(200, 100, 100, 50, 50, 50, 200, 50),  # 800
        "L85004": Mix(300, 200, 100, 100, 100, 50, 100, 50),  # 1,000
        "L85005": Mix(250, 150, 100, 50, 50, 50, 100, 50),  # 800
        "L85006": Mix(300, 100, 100, 100, 100, 100, 50, 50),  # 900
        "J99001": Mix(500, 200, 100, 100, 50, 50, 200, 100),  # 1,300
    },
    APRIL: {
        "L85001": Mix(500, 100, 100, 50, 50, 50, 200, 50),  # 1,100
        "L85002": Mix(100, 100, 100, 50, 50, 50, 150, 50),  # 650
        "L85003": Mix(100, 100, 100, 50, 50, 50, 100, 50),  # 600: under 8,010 / 12
        "L85004": Mix(400, 200, 100, 100, 50, 50, 100, 100),  # 1,100
        "L85005": Mix(300, 100, 100, 100, 50, 50, 100, 100),  # 900
        "L85006": Mix(400, 100, 100, 100, 50, 50, 50, 50),  # 900
        "J99001": Mix(600, 200, 100, 100, 100, 100, 200, 100),  # 1,500
    },
}
# The tree's list sizes: 5,000 + 1,000 x i on 1 March 2025 and 10 more on 1 April.
PATIENTS = {
    MARCH: {"L85001": 6000, "L85002": 7000, "L85003": 8000, "L85005": 9000, "L85006": 10000,
            "L85004": 11000, "J99001": 12000},
    APRIL: {"L85001": 6010, "L85002": 7010, "L85003": 8010, "L85005": 9010, "L85006": 10010,
            "L85004": 11010, "J99001": 12010},
}  # fmt: skip
GPAD_PCN = {"L85001": "U00001", "L85002": "U00001", "L85003": "U00002", "L85005": "U00003",
            "L85006": "Unallocated", "J99001": "U99999"}  # fmt: skip


def gpad_pcn(code: str, month: dt.date) -> str:
    if code == "L85004":
        return "U00001" if month < APRIL else "U00002"
    return GPAD_PCN[code]


def month_csv(month: dt.date, mixes: dict[str, Mix]) -> bytes:
    cells = []
    for code, mix in mixes.items():
        place = "92G" if code.startswith("J") else "11X"
        cells += mix.cells(code, month, gpad_pcn(code, month), place)
    return crosstab_bytes(cells)


def gpad_zip(folder: Path, months: dict[dt.date, dict[str, Mix]], name: str) -> Path:
    members = {csv_name(month): month_csv(month, mixes) for month, mixes in months.items()}
    return zip_of(folder, name, members)


@pytest.fixture
def measured(tree, tmp_path):
    batch = load(gpad_zip(tmp_path, MIXES, "Practice_Level_Crosstab_Apr_25.zip"))
    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    return tree


def value(measure: str, code: str, month: dt.date) -> MeasureValue:
    return MeasureValue.objects.get(measure_id=measure, org__code=code, period=month)


def total_of(codes: list[str], month: dt.date) -> Mix:
    mixes = [MIXES[month][code] for code in codes]
    return sum(mixes[1:], mixes[0])


def patients_of(codes: list[str], month: dt.date) -> int:
    return sum(PATIENTS[month][code] for code in codes)


def assert_every_measure(code: str, month: dt.date, members: list[str]) -> None:
    """Every measure of an organisation is the sums of its members' counts, divided."""
    mix = total_of(members, month)
    expected = {
        **parts(mix),
        "appointments_per_1000_patients": (mix.total, patients_of(members, month)),
    }
    for measure, (numerator, denominator) in expected.items():
        found = value(measure, code, month)
        multiplier = {"appointments_total": 1, "appointments_per_1000_patients": 1000}.get(
            measure, 100
        )
        wanted = numerator if denominator is None else numerator * multiplier / denominator
        assert (found.numerator, found.denominator) == (numerator, denominator), measure
        assert found.value == pytest.approx(wanted), measure


# --- Definitions ---------------------------------------------------------------------


def test_the_gpad_measures_are_exactly_the_ones_the_domain_defines(db):
    gpad = MeasureDefinition.objects.filter(source="gpad")
    assert set(gpad.values_list("code", flat=True)) == DOMAIN_CODES
    assert {d["code"] for d in measure_definitions() if d["source"] == "gpad"} == DOMAIN_CODES


def test_every_measure_has_a_value_for_every_organisation_with_appointments(measured):
    codes = set(MeasureValue.objects.filter(period=MARCH).values_list("measure_id", flat=True))
    assert codes == DOMAIN_CODES
    per_org = MeasureValue.objects.filter(period=MARCH, org__code="U00001")
    assert per_org.count() == len(DOMAIN_CODES)


# --- Practices and every level above ---------------------------------------------------


@pytest.mark.parametrize("month", [MARCH, APRIL])
@pytest.mark.parametrize("practice", ["L85001", "L85002", "L85004", "L85006", "J99001"])
def test_a_practices_measures_come_from_its_own_rows(measured, practice, month):
    assert_every_measure(practice, month, [practice])


def test_a_practices_values_are_the_hand_worked_numbers(measured):
    # L85001 in March: 400 same day of 1,000; 6,000 patients.
    assert value("same_day_pct", "L85001", MARCH).value == pytest.approx(400 / 1000 * 100)
    assert value("within_14_days_pct", "L85001", MARCH).numerator == 400 + 300 + 100 + 20
    assert value("acc08_within_14_days_pct", "L85001", MARCH).denominator == 400 + 100 + 20 + 60
    assert value("appointments_per_1000_patients", "L85001", MARCH).value == pytest.approx(
        1000 / 6000 * 1000
    )
    assert value("unmapped_pct", "L85002", MARCH).value == pytest.approx((100 + 50) / 600 * 100)


def test_a_pcn_counts_the_moved_practice_where_it_belonged_each_month(measured):
    assert_every_measure("U00001", MARCH, ["L85001", "L85002", "L85004"])
    assert_every_measure("U00002", MARCH, ["L85003"])
    assert_every_measure("U00001", APRIL, ["L85001", "L85002"])
    assert_every_measure("U00002", APRIL, ["L85003", "L85004"])
    assert value("appointments_total", "U00001", MARCH).numerator == 1000 + 600 + 1000
    assert value("appointments_total", "U00001", APRIL).numerator == 1100 + 650
    assert value("appointments_total", "U00002", APRIL).numerator == 600 + 1100


def test_place_icb_and_region_add_up_their_practices(measured):
    somerset = ["L85001", "L85002", "L85003", "L85004", "L85005", "L85006"]
    for month in (MARCH, APRIL):
        assert_every_measure("11X", month, somerset)
        assert_every_measure("QSL", month, somerset)
        assert_every_measure("Y58", month, [*somerset, "J99001"])
        assert_every_measure("92G", month, ["J99001"])
    assert value("appointments_total", "Y58", MARCH).numerator == (
        1000 + 600 + 800 + 1000 + 800 + 900 + 1300
    )


def test_england_counts_only_practices_that_record_completely(measured):
    everyone = ["L85001", "L85002", "L85003", "L85004", "L85005", "L85006", "J99001"]
    assert_every_measure("ENG", MARCH, everyone)
    assert_every_measure("ENG", APRIL, [c for c in everyone if c != "L85003"])
    assert value("appointments_total", "ENG", APRIL).numerator == (
        1100 + 650 + 1100 + 900 + 900 + 1500
    )


def test_a_rate_is_a_ratio_of_sums_not_an_average_of_practice_rates(measured):
    # U00001 in April: L85001 500 of 1,100 same day, L85002 100 of 650.
    pcn = value("same_day_pct", "U00001", APRIL)
    ratio_of_sums = (500 + 100) / (1100 + 650) * 100
    average = (500 / 1100 * 100 + 100 / 650 * 100) / 2

    assert (pcn.numerator, pcn.denominator) == (500 + 100, 1100 + 650)
    assert pcn.value == pytest.approx(ratio_of_sums)
    assert pcn.value != pytest.approx(average, abs=1)


def test_a_practice_under_one_appointment_per_patient_a_year_is_left_out_of_england_only(
    measured,
):
    # L85003 in April: 600 appointments x 12 = 7,200 a year for 8,010 patients.
    month = GpadPracticeMonth.objects.get(practice__code="L85003", month=APRIL)
    assert month.incomplete and month.patients == 8010
    assert not GpadPracticeMonth.objects.get(practice__code="L85003", month=MARCH).incomplete
    assert value("appointments_total", "U00002", APRIL).numerator == 600 + 1100
    assert value("appointments_total", "QSL", APRIL).numerator == (
        1100 + 650 + 600 + 1100 + 900 + 900
    )
    assert value("appointments_total", "ENG", APRIL).numerator == (
        1100 + 650 + 1100 + 900 + 900 + 1500
    )
    assert value("appointments_total", "L85003", APRIL).percentile_england is None
    assert value("appointments_total", "L85003", APRIL).percentile_icb is not None


# --- List sizes --------------------------------------------------------------------------


def test_per_1000_patients_uses_the_latest_list_size_at_or_before_the_month(measured, tmp_path):
    practice = measured.practices["L85001"]
    ListSize.objects.create(practice=practice, month=dt.date(2025, 6, 1), all_patients=99999)
    may = Mix(300, 100, 100, 50, 50, 50, 100, 50)  # 800

    load(gpad_zip(tmp_path, {MAY: {"L85001": may}}, "Practice_Level_Crosstab_May_25.zip"))

    assert value("appointments_per_1000_patients", "L85001", MARCH).value == pytest.approx(
        1000 / 6000 * 1000
    )
    assert value("appointments_per_1000_patients", "L85001", APRIL).value == pytest.approx(
        1100 / 6010 * 1000
    )
    may_value = value("appointments_per_1000_patients", "L85001", MAY)
    assert (may_value.numerator, may_value.denominator) == (800, 6010)


def test_a_value_per_1000_patients_records_its_list_size_month_and_a_rollup_its_oldest(
    measured, tmp_path
):
    # The tree's list sizes are for March and April 2025; L85002 also has one for July.
    ListSize.objects.create(
        practice=measured.practices["L85002"], month=dt.date(2025, 7, 1), all_patients=7100
    )
    august = dt.date(2025, 8, 1)
    mixes = {"L85001": Mix(300, 100, 100, 50, 50, 50, 100, 50), "L85002": MIXES[APRIL]["L85002"]}

    load(gpad_zip(tmp_path, {august: mixes}, "Practice_Level_Crosstab_Aug_25.zip"))

    per_1000 = "appointments_per_1000_patients"
    assert value(per_1000, "L85001", APRIL).denominator_month == APRIL
    assert not value(per_1000, "L85001", APRIL).denominator_out_of_date
    older = value(per_1000, "L85001", august)
    assert (older.denominator_month, older.denominator_out_of_date) == (APRIL, True)
    newer = value(per_1000, "L85002", august)
    assert (newer.denominator_month, newer.denominator_out_of_date) == (dt.date(2025, 7, 1), False)
    # The PCN and the ICB sum both practices' patients: as old as the older list size.
    for code in ("U00001", "QSL"):
        rolled = value(per_1000, code, august)
        assert rolled.denominator == 6010 + 7100
        assert (rolled.denominator_month, rolled.denominator_out_of_date) == (APRIL, True)
    assert value("dna_pct", "L85001", august).denominator_month is None


def test_a_list_size_three_months_older_than_the_month_is_not_out_of_date():
    assert not denominator_out_of_date(dt.date(2025, 3, 1), dt.date(2024, 12, 1))
    assert denominator_out_of_date(dt.date(2025, 3, 1), dt.date(2024, 11, 1))
    assert not denominator_out_of_date(dt.date(2025, 3, 1), None)


LIST_SIZE_HEADER = (
    "PUBLICATION,EXTRACT_DATE,TYPE,SUB_ICB_LOCATION_CODE,ONS_SUB_ICB_LOCATION_CODE,CODE,"
    "POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS"
)


def list_size_file(folder: Path, name: str, patients: int) -> Path:
    path = folder / name
    line = f"GP_PRAC_PAT_LIST,2025-04-01,GP,11X,E38000150,L85001,TA1 2LB,ALL,ALL,{patients}"
    path.write_text(f"{LIST_SIZE_HEADER}\r\n{line}\r\n")
    return path


def test_reloading_a_list_size_with_a_changed_count_recomputes_per_1000_patients(
    measured, tmp_path
):
    first = import_file(source="list-sizes", path=list_size_file(tmp_path, "a.csv", 6300))
    revised = import_file(source="list-sizes", path=list_size_file(tmp_path, "b.csv", 5500))

    assert first.status == revised.status == BatchStatus.SUCCEEDED, revised.errors
    practice = value("appointments_per_1000_patients", "L85001", APRIL)
    assert (practice.numerator, practice.denominator) == (1100, 5500)
    assert practice.value == pytest.approx(1100 / 5500 * 1000)
    pcn = value("appointments_per_1000_patients", "U00001", APRIL)
    assert pcn.value == pytest.approx((1100 + 650) / (5500 + 7010) * 1000)
    assert value("appointments_per_1000_patients", "L85001", MARCH).value == pytest.approx(
        1000 / 6000 * 1000
    )


# --- Context: working days, last year, percentiles, deciles -----------------------------


def test_per_working_day_leaves_out_weekends_and_england_bank_holidays(measured):
    # April 2025: 22 weekdays less Good Friday (18th) and Easter Monday (21st); March: 21.
    assert value("appointments_total", "L85001", APRIL).per_working_day == pytest.approx(1100 / 20)
    assert value("appointments_total", "QSL", MARCH).per_working_day == pytest.approx(
        (1000 + 600 + 800 + 1000 + 800 + 900) / 21
    )
    assert value("same_day_pct", "QSL", APRIL).per_working_day is None


def test_change_on_the_same_month_last_year_is_filled_when_that_month_is_loaded(measured, tmp_path):
    assert value("appointments_total", "L85001", MARCH).change_year is None
    year_before = {
        "L85001": Mix(300, 100, 100, 50, 50, 50, 100, 50),  # 800
        "L85002": Mix(50, 100, 100, 50, 50, 50, 50, 50),  # 500
    }

    batch = load(
        gpad_zip(tmp_path, {MARCH_2024: year_before}, "Practice_Level_Crosstab_Mar_24.zip")
    )

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    assert value("appointments_total", "L85001", MARCH).change_year == pytest.approx(1000 - 800)
    assert value("same_day_pct", "L85001", MARCH).change_year == pytest.approx(
        400 / 1000 * 100 - 300 / 800 * 100
    )
    # U00001: L85001, L85002 and L85004 this March; only the first two were loaded for 2024.
    assert value("appointments_total", "U00001", MARCH).change_year == pytest.approx(
        (1000 + 600 + 1000) - (800 + 500)
    )
    assert value("appointments_total", "L85001", APRIL).change_year is None


def test_change_on_the_baseline_is_on_the_same_month_of_2019_whichever_loads_first(
    measured, tmp_path
):
    pre_covid = {"L85001": Mix(200, 100, 100, 50, 50, 50, 50, 0)}  # 600, 200 the same day
    march_2019 = dt.date(2019, 3, 1)
    assert value("appointments_total", "L85001", MARCH).change_baseline is None

    # 2019 loaded after 2025: every month comparing with it is set again.
    batch = load(gpad_zip(tmp_path, {march_2019: pre_covid}, "Practice_Level_Crosstab_Mar_19.zip"))

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    assert value("appointments_total", "L85001", MARCH).change_baseline == pytest.approx(1000 - 600)
    assert value("same_day_pct", "L85001", MARCH).change_baseline == pytest.approx(
        400 / 1000 * 100 - 200 / 600 * 100
    )
    assert value("appointments_total", "L85001", march_2019).change_baseline == 0
    assert value("appointments_total", "L85001", APRIL).change_baseline is None
    assert value("appointments_total", "L85002", MARCH).change_baseline is None

    # 2025 loaded again after 2019 (a revised month): found as the values are inserted.
    revised = {MARCH: {**MIXES[MARCH], "L85001": MIXES[MARCH]["L85001"] + pre_covid["L85001"]}}
    batch = load(gpad_zip(tmp_path, revised, "Practice_Level_Crosstab_Mar_25.zip"))

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    assert value("appointments_total", "L85001", MARCH).change_baseline == pytest.approx(1600 - 600)
    assert value("appointments_total", "U00001", march_2019).change_baseline == 0


def test_percentile_ranks_run_from_0_to_100_among_practices(measured):
    # March totals: L85002 600; L85003, L85005 800; L85006 900; L85001, L85004 1,000;
    # J99001 1,300. Rank among 7 in England: (position - 1) / 6 x 100, ties share.
    england = {
        "L85002": 0, "L85003": 1 / 6 * 100, "L85005": 1 / 6 * 100, "L85006": 3 / 6 * 100,
        "L85001": 4 / 6 * 100, "L85004": 4 / 6 * 100, "J99001": 100,
    }  # fmt: skip
    for code, rank in england.items():
        assert value("appointments_total", code, MARCH).percentile_england == pytest.approx(rank)
    # Among the six in NHS Somerset ICB: (position - 1) / 5 x 100.
    icb = {"L85002": 0, "L85003": 20, "L85005": 20, "L85006": 60, "L85001": 80, "L85004": 80}
    for code, rank in icb.items():
        assert value("appointments_total", code, MARCH).percentile_icb == pytest.approx(rank)
    pcn = value("appointments_total", "U00001", MARCH)
    assert pcn.percentile_england is None and pcn.percentile_icb is None


def test_national_deciles_are_stored_as_1_to_9(measured):
    deciles = MeasureDecile.objects.filter(measure_id="appointments_total", period=MARCH)
    found = dict(deciles.values_list("decile", "value"))
    # 600, 800, 800, 900, 1,000, 1,000, 1,300: the p-th percentile sits at p x 6 / 100.
    assert found == pytest.approx(
        {
            1: 600 + 0.6 * (800 - 600),
            2: 800,
            3: 800,
            4: 800 + 0.4 * (900 - 800),
            5: 900,
            6: 900 + 0.6 * (1000 - 900),
            7: 1000,
            8: 1000,
            9: 1000 + 0.4 * (1300 - 1000),
        }  # fmt: skip
    )
    assert set(MeasureDecile.objects.values_list("decile", flat=True)) == set(range(1, 10))


@pytest.mark.parametrize("decile", [0, 10])
def test_the_database_refuses_a_decile_outside_1_to_9(db, decile):
    with pytest.raises(IntegrityError), transaction.atomic():
        MeasureDecile.objects.create(
            measure_id="appointments_total", period=MARCH, decile=decile, value=1.0
        )


def test_incomplete_practices_are_left_out_of_the_national_deciles(measured):
    found = MeasureDecile.objects.get(measure_id="appointments_total", period=APRIL, decile=5)
    # April without L85003: 650, 900, 900, 1,100, 1,100, 1,500; the median is the 3rd and 4th.
    assert found.value == pytest.approx((900 + 1100) / 2)


# --- Planner statistics ------------------------------------------------------------------


def test_postgresql_samples_the_measure_values_of_a_new_month_as_it_loads(tree, tmp_path):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's")
    table = MeasureValue._meta.db_table

    def sampled_rows() -> float:
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
            return cursor.fetchone()[0]

    batch = load(gpad_zip(tmp_path, MIXES, "Practice_Level_Crosstab_Apr_25.zip"))

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    practice_values = MeasureValue.objects.filter(org__kind=OrgKind.PRACTICE).count()
    # sampled once the month's values are in, practices and every other level (ANALYZE
    # in the load's transaction counts its own rows, which autovacuum cannot yet see)
    assert 0 < practice_values < sampled_rows() == MeasureValue.objects.count()


PUBLISHED_LABELS = (APPT_STATUSES, HCP_TYPES, APPT_MODES, NATIONAL_CATEGORIES, TIME_BANDS)


def test_postgresql_finds_a_loaded_month_through_summarised_page_ranges(tree, tmp_path):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("BRIN indexes are PostgreSQL's")
    # 20,000 rows, some 200 pages: past the first range of 128 pages, which was summarised
    # when the index was made on the empty table and is widened by every insert since.
    # every row a different practice, month and set of categories: the file must not repeat one
    practices = ["L85001", "L85002", "L85003", "L85005"]
    labels = list(itertools.islice(itertools.product(*PUBLISHED_LABELS), 5_000))
    cells = [
        Cell(practice, 1 + n % 7, status=s, hcp_type=h, mode=m, category=c, band=b)
        for n, (s, h, m, c, b) in enumerate(labels)
        for practice in practices
    ]
    members = {csv_name(MARCH): crosstab_bytes(cells)}
    path = zip_of(tmp_path, "Practice_Level_Crosstab_Mar_25.zip", members)

    batch = load(path)

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_relation_size('metrics_appointmentcount') / 8192")
        assert cursor.fetchone()[0] > 128
        # the load summarised every page range it appended: none is left to summarise
        cursor.execute("SELECT brin_summarize_new_values('appointment_month_brin'::regclass)")
        assert cursor.fetchone()[0] == 0


def test_postgresql_adds_a_month_up_without_compiling_the_statement_first(tree, tmp_path):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("JIT compilation is PostgreSQL's")
    settings_seen = []

    def note_jit(execute, sql, params, many, context):
        if "CREATE TEMPORARY TABLE measure_sums" in sql:
            with context["connection"].cursor() as cursor:
                cursor.execute("SELECT current_setting('jit')")
                settings_seen.append(cursor.fetchone()[0])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(note_jit):
        batch = load(gpad_zip(tmp_path, MIXES, "Practice_Level_Crosstab_Apr_25.zip"))

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    # each month's GROUP BY ran with JIT off (its cost estimate grows with the table, and
    # compiling it took longer than running it); the setting is back to the default after
    assert settings_seen and set(settings_seen) == {"off"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit')")
        assert cursor.fetchone()[0] == "on"
