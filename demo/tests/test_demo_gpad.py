"""The demo GPAD zips and the national benchmark month are in the published format (no database)."""

import csv
import io
import statistics
import zipfile
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest

from demo import gpad
from demo.generator import demo_files_write, demo_structure, list_size
from demo.gpad import CROSSTAB_HEADER, DEMO_QUIRKS
from demo.gpad_mix import APPT_MODES, APPT_STATUSES, HCP_TYPES, NATIONAL_CATEGORIES, TIME_BANDS
from demo.structure import DemoStructure

WITHIN_14_DAYS = {"same day", "1 day", "2 to 7 days", "8 to 14 days"}


@pytest.fixture(scope="module")
def structure() -> DemoStructure:
    return demo_structure()


@pytest.fixture(scope="module")
def zips(tmp_path_factory: pytest.TempPathFactory, structure) -> list[Path]:
    return gpad.demo_gpad_write(out_dir=tmp_path_factory.mktemp("gpad"), structure=structure)


@pytest.fixture(scope="module")
def month_files(zips) -> dict[str, bytes]:
    """Every monthly CSV by name, as raw bytes, from the first zip that holds it."""
    files: dict[str, bytes] = {}
    for path in zips:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name != "Mapping.csv":
                    files.setdefault(name, archive.read(name))
    return files


def records(raw: bytes) -> list[dict[str, str]]:
    text = raw.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def label(text: str) -> str:
    """Category labels compared as an importer would: spaces collapsed, case ignored."""
    return " ".join(text.split()).lower()


@pytest.fixture(scope="module")
def parsed(month_files) -> dict[str, list[dict[str, str]]]:
    return {name: records(raw) for name, raw in month_files.items()}


@pytest.fixture(scope="module")
def all_rows(parsed) -> list[dict[str, str]]:
    return [row for rows in parsed.values() for row in rows]


@pytest.fixture(scope="module")
def icb_totals(all_rows) -> Counter:
    """Appointments by (column, label as an importer compares it) over all months."""
    totals: Counter = Counter()
    for row in all_rows:
        count = int(row["COUNT_OF_APPOINTMENTS"])
        for column in ("HCP_TYPE", "APPT_MODE", "TIME_BETWEEN_BOOK_AND_APPT", "APPT_STATUS"):
            totals[(column, label(row[column]))] += count
    return totals


def counts_by(rows, key) -> Counter:
    totals: Counter = Counter()
    for row in rows:
        totals[key(row)] += int(row["COUNT_OF_APPOINTMENTS"])
    return totals


def share(rows, column: str, wanted: set[str]) -> float:
    totals = counts_by(rows, lambda row: label(row[column]) in wanted)
    return 100 * totals[True] / sum(totals.values())


def month_rows(parsed, month: date) -> list[dict[str, str]]:
    return parsed[gpad.crosstab_csv_name(month)]


def zip_months(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return [name for name in archive.namelist() if name != "Mapping.csv"]


def test_the_appointment_month_is_written_as_published():
    assert gpad.month_stamp(date(2025, 12, 1)) == "01DEC2025"


def test_the_value_sets_are_the_published_ones():
    assert (HCP_TYPES, APPT_STATUSES) == (
        ("GP", "Other Practice staff", "Unknown"),
        ("Attended", "DNA", "Unknown"),
    )
    assert len(APPT_MODES) == 5 and "Video Conference/Online" in APPT_MODES
    assert TIME_BANDS[3] == "8  to 14 Days" and TIME_BANDS[-1] == "Unknown / Data Quality"
    assert len(NATIONAL_CATEGORIES) == 19
    assert {"Clinical Triage", "Walk-in", "Unmapped", "Inconsistent Mapping"} <= set(
        NATIONAL_CATEGORIES
    )


def test_27_appointment_months_are_present_across_the_zips(parsed):
    assert len(parsed) == 27
    stamps = {row["APPOINTMENT_MONTH_START_DATE"] for rows in parsed.values() for row in rows}
    assert min(gpad.gpad_months()) == date(2024, 8, 1)
    assert {"01AUG2024", "01OCT2026"} <= stamps and len(stamps) == 27


def test_each_zip_holds_three_monthly_csvs_and_a_mapping(zips):
    for path in zips:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
        assert len(names) == 4 and names[-1] == "Mapping.csv", path.name
        assert all(n.startswith("Practice_Level_Crosstab_") for n in names[:3])
        assert all(n.endswith(".csv") for n in names)


def test_a_zip_is_named_after_its_latest_month(zips):
    assert zips[-1].name == "Practice_Level_Crosstab_Oct_26.zip"
    assert zip_months(zips[-1]) == [
        "Practice_Level_Crosstab_Aug_26.csv",
        "Practice_Level_Crosstab_Sep_26.csv",
        "Practice_Level_Crosstab_Oct_26.csv",
    ]


def test_the_last_two_zips_overlap_by_two_months(zips):
    before, last = zip_months(zips[-2]), zip_months(zips[-1])
    assert len(set(before) & set(last)) == 2
    assert [path.name for path in zips[:2]] == [
        "Practice_Level_Crosstab_Oct_24.zip",
        "Practice_Level_Crosstab_Jan_25.zip",
    ]


def test_a_month_is_the_same_bytes_in_every_zip_that_holds_it(zips):
    seen: dict[str, bytes] = {}
    for path in zips:
        with zipfile.ZipFile(path) as archive:
            for name in zip_months(path):
                assert seen.setdefault(name, archive.read(name)) == archive.read(name), name


def test_every_month_has_the_fourteen_published_columns(month_files):
    for name, raw in month_files.items():
        header = next(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        assert sorted(header) == sorted(CROSSTAB_HEADER), name


def test_only_combinations_with_appointments_are_written(all_rows):
    assert min(int(row["COUNT_OF_APPOINTMENTS"]) for row in all_rows) >= 1
    keys = Counter(
        tuple(row[c] for c in CROSSTAB_HEADER if c != "COUNT_OF_APPOINTMENTS") for row in all_rows
    )
    assert max(keys.values()) == 1


def test_a_practice_month_has_about_160_to_250_rows(all_rows):
    rows = Counter((row["APPOINTMENT_MONTH_START_DATE"], row["GP_CODE"]) for row in all_rows)
    assert 160 <= statistics.median(rows.values()) <= 250


def icb_share(icb_totals: Counter, column: str, wanted: set[str]) -> float:
    column_total = sum(n for (name, _), n in icb_totals.items() if name == column)
    return 100 * sum(icb_totals[(column, value)] for value in wanted) / column_total


def test_icb_shares_are_realistic(icb_totals):
    time_column, mode = "TIME_BETWEEN_BOOK_AND_APPT", "APPT_MODE"
    assert 35 <= icb_share(icb_totals, time_column, {"same day"}) <= 55
    assert 80 <= icb_share(icb_totals, time_column, WITHIN_14_DAYS) <= 90
    assert 2 <= icb_share(icb_totals, "APPT_STATUS", {"dna", "did not attend"}) <= 6
    assert 60 <= icb_share(icb_totals, mode, {"face-to-face"}) <= 80
    assert 15 <= icb_share(icb_totals, mode, {"telephone"}) <= 35
    assert 0.5 <= icb_share(icb_totals, mode, {"video conference/online", "video/online"}) <= 3
    assert icb_share(icb_totals, mode, {"home visit"}) < 1
    assert 35 <= icb_share(icb_totals, "HCP_TYPE", {"gp"}) <= 55


def test_the_icb_books_4_to_6_appointments_per_patient_a_year(parsed, structure):
    booked = patient_months = 0
    for month in gpad.gpad_months():
        rows = month_rows(parsed, month)
        booked += sum(int(row["COUNT_OF_APPOINTMENTS"]) for row in rows)
        patient_months += sum(list_size(p, month) for p in practices_in(rows, structure))
    assert 4 <= booked * 12 / patient_months <= 6


def practices_in(rows, structure: DemoStructure):
    codes = {row["GP_CODE"] for row in rows}
    return [p for p in structure.all_practices if p.code in codes]


def test_october_is_busier_than_august_and_december(parsed):
    totals = {
        month: sum(int(r["COUNT_OF_APPOINTMENTS"]) for r in month_rows(parsed, month))
        for month in (date(2025, 8, 1), date(2025, 10, 1), date(2025, 12, 1))
    }
    assert totals[date(2025, 10, 1)] > max(totals[date(2025, 8, 1)], totals[date(2025, 12, 1)])


def test_the_shares_move_with_the_season_and_the_programme_not_only_the_volume(parsed):
    """Same-day booking is higher in winter and rises year on year, Clinical Triage and face
    to face grow over the two years, and more appointments are missed in August."""
    time, mode, category = "TIME_BETWEEN_BOOK_AND_APPT", "APPT_MODE", "NATIONAL_CATEGORY"
    dna = {"dna", "did not attend"}

    def of(month: date, column: str, wanted: set[str]) -> float:
        return share(month_rows(parsed, month), column, wanted)

    first, last = date(2024, 10, 1), date(2026, 10, 1)
    assert of(date(2026, 1, 1), time, {"same day"}) > of(date(2025, 7, 1), time, {"same day"}) + 1
    assert of(last, time, {"same day"}) > of(first, time, {"same day"}) + 1
    assert of(last, category, {"clinical triage"}) > of(first, category, {"clinical triage"}) + 1
    assert of(last, mode, {"face-to-face"}) > of(first, mode, {"face-to-face"}) + 1
    assert (
        of(date(2025, 8, 1), "APPT_STATUS", dna) > of(date(2025, 10, 1), "APPT_STATUS", dna) * 1.1
    )


def pcn_codes_of(rows, practice_code: str) -> set[str]:
    return {row["PCN_CODE"] for row in rows if row["GP_CODE"] == practice_code}


def test_the_moved_practice_changes_pcn_between_march_and_april_2025(parsed, structure):
    move = structure.move
    march = month_rows(parsed, date(2025, 3, 1))
    april = month_rows(parsed, date(2025, 4, 1))
    assert pcn_codes_of(march, move.practice_code) == {move.old_pcn_code}
    assert pcn_codes_of(april, move.practice_code) == {move.new_pcn_code}


def test_the_practice_in_no_pcn_is_published_as_unallocated(parsed, structure):
    rows = month_rows(parsed, date(2026, 10, 1))
    assert pcn_codes_of(rows, structure.unallocated_practice_code) == {"U"}
    unallocated = [row for row in rows if row["PCN_CODE"] == "U"]
    assert {row["PCN_NAME"] for row in unallocated} == {"UNALLOCATED"}


def test_the_closed_practice_appears_until_october_2024(parsed, structure):
    code = structure.closed_practice.code
    appears = [m for m in gpad.gpad_months() if pcn_codes_of(month_rows(parsed, m), code)]
    assert appears == [date(2024, 8, 1), date(2024, 9, 1), date(2024, 10, 1)]


def test_the_data_quality_practice_has_no_clinical_triage_and_records_little(
    parsed, all_rows, structure
):
    code = gpad.data_quality_practice_code(structure)
    practice = next(p for p in structure.practices if p.code == code)
    rows = [row for row in all_rows if row["GP_CODE"] == code]
    assert not [row for row in rows if label(row["NATIONAL_CATEGORY"]) == "clinical triage"]
    assert 35 <= share(rows, "NATIONAL_CATEGORY", {"unmapped"}) <= 45
    for month in gpad.gpad_months():
        booked = sum(
            int(r["COUNT_OF_APPOINTMENTS"])
            for r in month_rows(parsed, month)
            if r["GP_CODE"] == code
        )
        assert 0 < booked * 12 < list_size(practice, month), month


def test_other_practices_book_clinical_triage(all_rows, structure):
    dq = gpad.data_quality_practice_code(structure)
    triage = counts_by(all_rows, lambda row: (row["GP_CODE"], row["NATIONAL_CATEGORY"]))
    others = {code for code, category in triage if category == "Clinical Triage"}
    assert others == {p.code for p in structure.all_practices} - {dq}


def quirk_rows(zips, key: str) -> tuple[bytes, list[dict[str, str]]]:
    """The CSV the quirk names, read from the zip it names."""
    quirk = DEMO_QUIRKS[key]
    (path,) = [p for p in zips if p.name == quirk.zip_name]
    with zipfile.ZipFile(path) as archive:
        raw = archive.read(quirk.csv_name)
    return raw, records(raw)


def labels_in(rows, column: str) -> set[str]:
    return {row[column] for row in rows}


def test_each_quirk_month_is_a_different_month_in_the_zip_named():
    months = [quirk.month for quirk in DEMO_QUIRKS.values()]
    assert len(set(months)) == len(months) == 7
    for quirk in DEMO_QUIRKS.values():
        holding = [name for name, held in gpad.gpad_zip_plan() if quirk.month in held]
        assert holding == [quirk.zip_name]


def test_the_older_labels_quirk_is_present(zips):
    _, rows = quirk_rows(zips, "older_labels")
    assert labels_in(rows, "APPT_STATUS") == {
        "Attended",
        "Did not attend",
        "Appt Status Not Provided",
    }
    assert "HCP Type Not Provided" in labels_in(rows, "HCP_TYPE")
    assert "Unknown" not in labels_in(rows, "HCP_TYPE")


def test_the_video_online_quirk_is_present(zips):
    _, rows = quirk_rows(zips, "video_online")
    modes = labels_in(rows, "APPT_MODE")
    assert "Video/Online" in modes and "Video Conference/Online" not in modes


def test_the_bom_quirk_is_present(zips):
    raw, _ = quirk_rows(zips, "bom")
    assert raw.startswith(b"\xef\xbb\xbfAPPOINTMENT_MONTH_START_DATE,")


def test_the_unknown_data_issue_quirk_is_present(zips):
    _, rows = quirk_rows(zips, "unknown_data_issue")
    bands = labels_in(rows, "TIME_BETWEEN_BOOK_AND_APPT")
    assert "Unknown / Data Issue" in bands and "Unknown / Data Quality" not in bands


def test_the_lf_quirk_is_present(zips):
    raw, _ = quirk_rows(zips, "lf")
    assert raw.count(b"\n") > 1000 and b"\r" not in raw


def test_the_column_order_quirk_is_present(zips):
    raw, rows = quirk_rows(zips, "column_order")
    header = tuple(next(csv.reader(io.StringIO(raw.decode()))))
    assert header != CROSSTAB_HEADER and sorted(header) == sorted(CROSSTAB_HEADER)
    assert labels_in(rows, "APPT_STATUS") == set(APPT_STATUSES)


def test_the_label_case_quirk_is_present(zips):
    _, rows = quirk_rows(zips, "label_case")
    assert "face-to-face" in labels_in(rows, "APPT_MODE")
    assert "Face-to-Face" not in labels_in(rows, "APPT_MODE")
    assert "Other Practice Staff" in labels_in(rows, "HCP_TYPE")
    assert "GENERAL CONSULTATION ROUTINE" in labels_in(rows, "NATIONAL_CATEGORY")


def test_months_without_a_quirk_use_the_published_layout_and_labels(month_files, parsed):
    quirky = {quirk.csv_name for quirk in DEMO_QUIRKS.values()}
    published = {
        "HCP_TYPE": set(HCP_TYPES),
        "APPT_MODE": set(APPT_MODES),
        "NATIONAL_CATEGORY": set(NATIONAL_CATEGORIES),
        "TIME_BETWEEN_BOOK_AND_APPT": set(TIME_BANDS),
        "APPT_STATUS": set(APPT_STATUSES),
    }
    for name in set(month_files) - quirky:
        raw = month_files[name]
        assert raw.startswith(b"APPOINTMENT_MONTH_START_DATE,GP_CODE,GP_NAME,SUPPLIER,")
        assert raw.count(b"\r\n") == raw.count(b"\n"), name
        for column, values in published.items():
            assert labels_in(parsed[name], column) <= values, (name, column)


def test_two_digit_lead_time_bands_keep_their_double_space(parsed):
    bands = labels_in(month_rows(parsed, date(2026, 10, 1)), "TIME_BETWEEN_BOOK_AND_APPT")
    assert {"8  to 14 Days", "15  to 21 Days", "22  to 28 Days", "2 to 7 Days"} <= bands


def zip_mapping(zips, name: str) -> dict[str, str]:
    (path,) = [p for p in zips if p.name == name]
    with zipfile.ZipFile(path) as archive:
        return {row["GP_CODE"]: row["PCN_CODE"] for row in records(archive.read("Mapping.csv"))}


def test_each_zip_mapping_is_as_at_its_latest_month(zips, structure):
    move, closed = structure.move, structure.closed_practice.code
    october_2024 = zip_mapping(zips, "Practice_Level_Crosstab_Oct_24.zip")
    january_2025 = zip_mapping(zips, "Practice_Level_Crosstab_Jan_25.zip")
    april_2025 = zip_mapping(zips, "Practice_Level_Crosstab_Apr_25.zip")
    assert (len(october_2024), len(january_2025)) == (63, 62)
    assert closed in october_2024 and closed not in january_2025
    assert january_2025[move.practice_code] == move.old_pcn_code
    assert april_2025[move.practice_code] == move.new_pcn_code


def test_the_mapping_in_a_zip_has_the_published_columns(zips):
    with zipfile.ZipFile(zips[0]) as archive:
        raw = archive.read("Mapping.csv")
    assert raw.startswith(b"GP_CODE,GP_NAME,SUPPLIER,PCN_CODE,PCN_NAME,")
    assert b"ICB_CODE,ICB_NAME,REGION_CODE,REGION_NAME\r\n" in raw


def test_the_same_seed_gives_the_same_zip_bytes(tmp_path, zips, structure):
    again = gpad.demo_gpad_write(out_dir=tmp_path, structure=structure)
    assert [p.name for p in again] == [p.name for p in zips]
    for first, second in zip(zips, again, strict=True):
        assert first.read_bytes() == second.read_bytes(), first.name


def test_a_different_seed_gives_different_appointments(structure):
    month = date(2025, 6, 1)
    other = demo_structure(seed=7)
    assert gpad.demo_gpad_month_csv(other, month) != gpad.demo_gpad_month_csv(structure, month)


def test_the_manifest_lists_the_gpad_zips_last_oldest_first(tmp_path):
    manifest = demo_files_write(out_dir=tmp_path)
    codes = [code for code, _ in manifest.files]
    first_gpad = codes.index("gpad")
    assert codes[first_gpad:] == ["gpad"] * 10
    assert codes[first_gpad - 1] == "list-sizes"
    assert [p.name for p in manifest.paths("gpad")] == [name for name, _ in gpad.gpad_zip_plan()]


def test_the_manifest_can_leave_the_gpad_zips_out(tmp_path):
    manifest = demo_files_write(out_dir=tmp_path, include_gpad=False)
    assert manifest.paths("gpad") == ()
    assert not list(tmp_path.glob("*.zip"))


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("national")
    month = gpad.national_month_write(
        path=folder / "month.csv", month=date(2025, 10, 1), practices=50
    )
    mapping = gpad.national_mapping_write(folder / "Mapping.csv", practices=50)
    return month, mapping


def test_a_small_national_month_has_160_to_250_rows_per_practice(national):
    month, _ = national
    rows = records(month.path.read_bytes())
    per_practice = Counter(row["GP_CODE"] for row in rows)
    assert (month.practices, len(per_practice), month.rows) == (50, 50, len(rows))
    assert 160 <= month.rows / month.practices <= 250
    assert month.bytes == month.path.stat().st_size


def test_a_national_month_has_the_published_header_and_valid_codes(national):
    month, _ = national
    with month.path.open(newline="") as handle:
        reader = csv.reader(handle)
        assert tuple(next(reader)) == CROSSTAB_HEADER
        first = next(reader)
    assert first[0] == "01OCT2025"
    assert first[1][0].isalpha() and first[1][1:].isdigit() and len(first[1]) == 6
    assert first[4] == "U" or (first[4][0] == "U" and len(first[4]) == 6)


def test_the_national_mapping_covers_the_same_practices_with_icbs_and_regions(national):
    month, mapping = national
    rows = records(mapping.path.read_bytes())
    assert mapping.rows == mapping.practices == len(rows) == 50
    assert {row["GP_CODE"] for row in rows} == {
        r["GP_CODE"] for r in records(month.path.read_bytes())
    }
    regions = defaultdict(set)
    for row in rows:
        assert row["ICB_CODE"].startswith("Q") and len(row["ICB_CODE"]) == 3
        regions[row["REGION_CODE"]].add(row["ICB_CODE"])
    assert set(regions) == {"Y56", "Y58", "Y59", "Y60", "Y61", "Y62", "Y63"}


def test_the_national_register_has_englands_shape():
    register = gpad.national_practices()
    pcns = {p.crosstab.pcn_code for p in register} - {"U"}
    places = {p.crosstab.sub_icb_code for p in register}
    assert any(len(code) == 5 for code in places) and any(len(code) == 3 for code in places)
    suppliers = {p.crosstab.supplier for p in register}
    assert {"EMIS", "TPP", "EMIS/EVERGREENLIFE"} <= suppliers
    assert len(register) == 6300
    assert 1200 <= len(pcns) <= 1250
    assert len({p.crosstab.sub_icb_code for p in register}) == 106
    assert (len({p.icb_code for p in register}), len({p.region_code for p in register})) == (42, 7)
