import datetime as dt
from pathlib import Path

import pytest

from imports.registry import get_source
from imports.sources.base import Problem, ProblemLog
from metrics.models import BatchStatus, ImportBatch
from metrics.services import import_file
from practices.models import ListSize, Organisation, OrgKind
from practices.sources import list_sizes

FIXTURES = Path(__file__).parent / "fixtures"
ALL_PATIENTS_JUNE_2024 = FIXTURES / "gp-reg-pat-prac-all-2024-06.csv"
JUNE_2024 = dt.date(2024, 6, 1)

AGE_HEADER = "PUBLICATION,EXTRACT_DATE,ORG_TYPE,ORG_CODE,POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS"
AGE_LABELS = [*(str(age) for age in range(95)), "95+"]
# The practices in the June 2024 all-patients fixture, with the same list sizes.
PRACTICES = {
    "L85001": (10234, "TA1 2LB"),
    "L85002": (7311, "TA6 4RN"),
    "L85003": (15902, "BA20 1QB"),
}

pytestmark = pytest.mark.django_db


def load(path: Path) -> ImportBatch:
    return import_file(source="list-sizes", path=path)


@pytest.fixture(autouse=True)
def register_practices() -> None:
    """The register holds L85001, L85002 and L85003: list sizes load for practices it holds."""
    load_mapping = import_file(source="gpad-mapping", path=FIXTURES / "Mapping.csv")
    assert load_mapping.status == BatchStatus.SUCCEEDED


def size(code: str, month: dt.date = JUNE_2024) -> ListSize:
    return ListSize.objects.get(practice__code=code, month=month)


def spread_over_ages(total: int) -> list[int]:
    """A list size spread over ages 0..94 and 95+, the youngest ages taking the remainder."""
    each, remainder = divmod(total, len(AGE_LABELS))
    return [each + (1 if i < remainder else 0) for i in range(len(AGE_LABELS))]


def age_file_lines() -> list[str]:
    """A June 2024 single-year-of-age file as published: MALE, FEMALE and ALL for each
    practice, each with ages 0..94, 95+ and an ALL row that adds them up, then a sub-ICB
    total row."""
    lines, extract = [AGE_HEADER], "2024-06-01"
    for code, (total, postcode) in PRACTICES.items():
        persons = spread_over_ages(total)
        male = [count // 2 for count in persons]
        female = [p - m for p, m in zip(persons, male, strict=True)]
        for sex, counts in (("MALE", male), ("FEMALE", female), ("ALL", persons)):
            prefix = f"GP_PRAC_PAT_LIST,{extract},GP,{code},{postcode},{sex}"
            lines += [f"{prefix},{a},{n}" for a, n in zip(AGE_LABELS, counts, strict=True)]
            lines.append(f"{prefix},ALL,{sum(counts)}")
    everyone = sum(total for total, _ in PRACTICES.values())
    lines.append(f"GP_PRAC_PAT_LIST,{extract},SUB_ICB_LOCATION,11X,,ALL,ALL,{everyone}")
    return lines


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\r\n".join(lines) + "\r\n")
    return path


def row_of(lines: list[str], *parts: str) -> int:
    """The spreadsheet row number of the first line holding every part."""
    return next(i for i, line in enumerate(lines, start=1) if all(p in line for p in parts))


def problems_of(batch: ImportBatch) -> list[str]:
    return [str(Problem(**error)) for error in batch.errors]


def test_the_all_patients_file_loads_each_practice_for_the_month_it_is_as_at():

    batch = load(ALL_PATIENTS_JUNE_2024)

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    assert batch.rows_read == 3 and batch.rows_loaded == 3
    assert batch.period_start == batch.period_end == JUNE_2024
    first = size("L85001")
    assert first.all_patients == 10234 and first.patients_13_plus is None
    assert first.source_batch == batch and first.source_row == 2
    assert size("L85003").all_patients == 15902 and size("L85003").source_row == 4


@pytest.mark.parametrize(
    ("name", "month", "patients"),
    [
        ("gp-reg-pat-prac-all-2024-06.csv", dt.date(2024, 6, 1), 10234),  # 2024-06-01
        ("gp-reg-pat-prac-all-2021-04.csv", dt.date(2021, 4, 1), 9950),  # 01APR2021, ORG_CODE
        ("gp-reg-pat-prac-all-2020-04.csv", dt.date(2020, 4, 1), 9876),  # 01-Apr-20, CCG_CODE
    ],
)
def test_every_published_date_format_and_column_naming_loads(name, month, patients):
    batch = load(FIXTURES / name)

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    assert batch.period_start == batch.period_end == month
    assert size("L85001", month).all_patients == patients
    assert ListSize.objects.filter(month=month).count() == 3


def test_the_age_file_sets_patients_aged_13_and_over_and_the_list_size(tmp_path):
    lines = age_file_lines()

    batch = load(write_lines(tmp_path / "gp-reg-pat-prac-sing-age-regions.csv", lines))

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    first = size("L85001")
    # 10,234 over 96 ages is 106 each, with ages 0 to 57 taking one more: 13 x 107 are under 13.
    assert first.patients_13_plus == 10234 - 13 * 107 == 8843
    assert first.all_patients == 10234
    assert first.age_source_batch == batch
    assert first.source_row == row_of(lines, "L85001,TA1 2LB,ALL,ALL")
    assert size("L85002").patients_13_plus == 7311 - 13 * 77
    assert batch.rows_read == len(lines) - 1 and batch.rows_skipped == 1
    skipped = "Skipped 1 row(s) that are not GP practices (ORG_TYPE: SUB_ICB_LOCATION 1)."
    assert skipped in batch.notes


def test_an_age_file_without_all_sex_rows_adds_male_and_female(tmp_path):
    lines = [line for line in age_file_lines() if not _is_all_sex_single_age(line)]

    batch = load(write_lines(tmp_path / "ages.csv", lines))

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    assert size("L85001").patients_13_plus == 8843


def _is_all_sex_single_age(line: str) -> bool:
    fields = line.split(",")
    return fields[2] == "GP" and fields[5] == "ALL" and fields[6] != "ALL"


def test_an_age_file_with_a_practice_that_has_no_single_ages_is_refused(tmp_path):
    lines = [line for line in age_file_lines() if "L85003" not in line or ",ALL,ALL," in line]

    batch = load(write_lines(tmp_path / "ages.csv", lines))

    assert batch.status == BatchStatus.FAILED
    [problem] = batch.errors
    assert problem["row"] == row_of(lines, "L85003") and problem["column"] == "AGE"
    assert "Practice L85003 (Jun 2024) has no single ages" in problem["message"]


def test_both_files_fill_the_same_row(tmp_path):
    everyone = load(ALL_PATIENTS_JUNE_2024)
    ages = load(write_lines(tmp_path / "ages.csv", age_file_lines()))

    assert ages.status == BatchStatus.SUCCEEDED, ages.errors
    assert ListSize.objects.count() == 3
    first = size("L85001")
    assert (first.all_patients, first.patients_13_plus) == (10234, 8843)
    assert first.source_batch == everyone and first.age_source_batch == ages


def test_a_practice_missing_from_the_register_is_skipped_counted_and_named(tmp_path):
    lines = ALL_PATIENTS_JUNE_2024.read_text().splitlines()
    lines.append("GP_PRAC_PAT_LIST,2024-06-01,GP,11X,E38000150,L85009,TA20 1AQ,ALL,ALL,4120")
    lines.append("GP_PRAC_PAT_LIST,2024-06-01,GP,11X,E38000150,L85008,TA20 1AQ,ALL,ALL,lots")

    batch = load(write_lines(tmp_path / "gp-reg-pat-prac-all.csv", lines))

    # Not refused, even with a count that is not a number: those rows are outside the portal
    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    assert not Organisation.objects.filter(code__in=["L85008", "L85009"]).exists()
    assert ListSize.objects.count() == 3
    assert batch.rows_skipped == 2
    [note] = [note for note in batch.notes if "not in the register" in note]
    assert "2 row(s) for 2 practice code(s)" in note and "L85008, L85009" in note


def test_a_count_that_is_not_a_number_is_reported_and_nothing_is_written(tmp_path):
    text = ALL_PATIENTS_JUNE_2024.read_text().replace(",7311", ",73l1")
    bad = tmp_path / "gp-reg-pat-prac-all.csv"
    bad.write_text(text)

    batch = load(bad)

    assert batch.status == BatchStatus.FAILED
    assert problems_of(batch) == [
        "Row 3, column NUMBER_OF_PATIENTS: '73l1' is not a whole number of zero or more"
    ]
    assert batch.rows_rejected == 1 and batch.rows_loaded == 0
    assert not ListSize.objects.exists()


def test_an_age_file_whose_ages_do_not_add_up_is_refused(tmp_path):
    load(ALL_PATIENTS_JUNE_2024)
    lines = age_file_lines()
    damaged = row_of(lines, "L85002,TA6 4RN,FEMALE,40,")
    lines[damaged - 1] = lines[damaged - 1][:-2] + "99"

    batch = load(write_lines(tmp_path / "ages.csv", lines))

    assert batch.status == BatchStatus.FAILED
    [problem] = batch.errors
    assert problem["row"] == row_of(lines, "L85002,TA6 4RN,FEMALE,ALL,")
    assert "L85002" in problem["message"] and "add up to" in problem["message"]
    assert not ListSize.objects.filter(patients_13_plus__isnull=False).exists()


def test_loading_the_same_file_again_changes_nothing(tmp_path):
    first = load(ALL_PATIENTS_JUNE_2024)
    again = load(ALL_PATIENTS_JUNE_2024)
    ages_path = write_lines(tmp_path / "ages.csv", age_file_lines())
    ages_first, ages_again = load(ages_path), load(ages_path)

    assert again.status == BatchStatus.UNCHANGED and again.duplicate_of == first
    assert ages_first.status == BatchStatus.SUCCEEDED
    assert ages_again.status == BatchStatus.UNCHANGED and ages_again.duplicate_of == ages_first
    assert ListSize.objects.count() == 3
    assert Organisation.objects.filter(kind=OrgKind.PRACTICE).count() == 3


@pytest.mark.parametrize(
    "content",
    [
        (FIXTURES / "Mapping.csv").read_text(encoding="utf-8-sig"),
        '"L85001","BROOKFIELD SURGERY","Y58","QSL","1 HIGH ST","","TAUNTON","SOMERSET","",'
        '"TA1 2LB","19740401","","ACTIVE","B","11X","","","01823 000000"\r\n',
    ],
    ids=["gpad-mapping", "epraccur"],
)
def test_a_file_of_another_kind_is_refused_saying_what_was_expected(tmp_path, content):
    wrong = tmp_path / "upload.csv"
    wrong.write_text(content)

    batch = load(wrong)

    assert batch.status == BatchStatus.FAILED
    assert "gp-reg-pat-prac-all.csv" in batch.outcome
    assert "single-year-of-age" in batch.outcome
    assert not ListSize.objects.exists()


def test_an_age_file_for_one_sex_only_is_refused(tmp_path):
    lines = [AGE_HEADER, *(line for line in age_file_lines() if ",MALE," in line)]

    batch = load(write_lines(tmp_path / "gp-reg-pat-prac-sing-age-male.csv", lines))

    assert batch.status == BatchStatus.FAILED
    assert "SEX MALE only" in batch.outcome
    assert not ListSize.objects.exists()


def test_a_practice_listed_twice_is_refused_naming_both_rows(tmp_path):
    lines = ALL_PATIENTS_JUNE_2024.read_text().splitlines()
    lines.append(lines[1].replace("10234", "10240"))
    lines.append(lines[2])  # the same total twice is still a second row for the practice

    batch = load(write_lines(tmp_path / "gp-reg-pat-prac-all.csv", lines))

    assert batch.status == BatchStatus.FAILED
    different, same = batch.errors
    assert (different["row"], different["column"]) == (5, "CODE")
    assert different["message"].startswith("repeats row 2: practice ")
    assert "in June 2024, SEX ALL, AGE ALL" in different["message"]
    assert "(10,234 there, 10,240 here)" in different["message"]
    assert same["row"] == 6
    assert same["message"].startswith("repeats row 3:")
    assert same["message"].endswith("with the same total")
    assert not ListSize.objects.exists()


def test_bad_codes_dates_sexes_and_ages_are_each_reported_by_row_and_column(tmp_path):
    row = "GP_PRAC_PAT_LIST,{date},GP,11X,E38000150,{code},TA1 2LB,{sex},{age},100"
    good = {"date": "2024-06-01", "code": "L85001", "sex": "ALL", "age": "ALL"}
    changes = [
        {"sex": "PERSONS"},
        {"age": "96"},
        {"date": "June 2024"},
        {"code": "Unknown"},
        {"code": "L8500"},
        {"code": ""},
    ]
    lines = ALL_PATIENTS_JUNE_2024.read_text().splitlines()[:1]
    lines += [row.format(**{**good, **change}) for change in changes]

    batch = load(write_lines(tmp_path / "gp-reg-pat-prac-all.csv", lines))

    assert batch.status == BatchStatus.FAILED
    found = {(e["row"], e["column"]) for e in batch.errors}
    assert found == {
        (2, "SEX"),
        (3, "AGE"),
        (4, "EXTRACT_DATE"),
        (5, "CODE"),
        (6, "CODE"),
        (7, "CODE"),
    }
    assert not ListSize.objects.exists()


def test_a_file_spanning_two_months_covers_both(tmp_path):
    lines = ALL_PATIENTS_JUNE_2024.read_text().splitlines()
    lines += [line.replace("2024-06-01", "2024-07-01") for line in lines[1:]]

    batch = load(write_lines(tmp_path / "gp-reg-pat-prac-all.csv", lines))

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    assert (batch.period_start, batch.period_end) == (JUNE_2024, dt.date(2024, 7, 1))
    assert ListSize.objects.count() == 6


def test_reading_a_large_file_reports_progress_up_to_95(tmp_path, monkeypatch):
    monkeypatch.setattr(list_sizes, "PROGRESS_EVERY", 100)
    path = write_lines(tmp_path / "ages.csv", age_file_lines())
    seen: list[int] = []

    get_source("list-sizes").parse(path, ProblemLog(), seen.append)

    assert len(seen) == (len(age_file_lines()) - 1) // 100
    assert seen == sorted(seen) and seen[0] > 0 and seen[-1] <= 95
    assert seen[-1] >= 80
