"""The demo ICB generator writes realistic files in the published NHS formats (no database)."""

import csv
from collections import Counter, defaultdict
from datetime import date, datetime
from pathlib import Path

import pytest

from demo import generator
from demo.generator import DemoManifest, demo_files_write, demo_structure


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> DemoManifest:
    return demo_files_write(out_dir=tmp_path_factory.mktemp("demo"))


def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def read_records(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def only_path(manifest: DemoManifest, source_code: str) -> Path:
    (path,) = manifest.paths(source_code)
    return path


def ymd(text: str) -> date | None:
    return datetime.strptime(text, "%Y%m%d").date() if text else None


def list_size_path(manifest: DemoManifest, kind: str, month: str) -> Path:
    return manifest.out_dir / f"gp-reg-pat-prac-{kind}-{month}.csv"


def practice_totals(path: Path) -> dict[str, int]:
    return {row["CODE"]: int(row["NUMBER_OF_PATIENTS"]) for row in read_records(path)}


def age_cells(path: Path) -> dict[tuple[str, str, str], int]:
    records = read_records(path)
    return {(r["ORG_CODE"], r["SEX"], r["AGE"]): int(r["NUMBER_OF_PATIENTS"]) for r in records}


def test_the_demo_icb_uses_the_somerset_codes():
    assert (generator.REGION_CODE, generator.ICB_CODE, generator.SUB_ICB_CODE) == (
        "Y58",
        "QSL",
        "11X",
    )


def test_epraccur_lists_62_open_gp_practices(manifest):
    rows = read_rows(only_path(manifest, "ods-practices"))
    open_practices = [r for r in rows if r[12] == "ACTIVE" and "RO76" in r[25].split("|")]
    assert len(open_practices) == 62


def test_epraccur_lists_one_closed_practice_with_a_2024_close_date(manifest):
    rows = read_rows(only_path(manifest, "ods-practices"))
    closed = [r for r in rows if r[12] == "INACTIVE"]
    assert len(closed) == 1
    assert ymd(closed[0][11]).year == 2024
    assert len([r for r in rows if "RO76" in r[25].split("|")]) == 63


def test_epraccur_includes_non_gp_sites_the_importer_must_skip(manifest):
    rows = read_rows(only_path(manifest, "ods-practices"))
    others = [r for r in rows if "RO76" not in r[25].split("|")]
    assert len(others) >= 2
    assert {r[3] for r in others} == {"QSL"}


def test_every_epraccur_row_has_27_quoted_columns_and_crlf(manifest):
    for path in (only_path(manifest, "ods-practices"), manifest.out_dir / "epraccur_legacy.csv"):
        assert {len(row) for row in read_rows(path)} == {27}
        raw = path.read_bytes()
        assert raw.startswith(b'"L85') and raw.count(b"\r\n") == raw.count(b"\n")


def test_legacy_epraccur_uses_letter_statuses_and_number_settings(manifest):
    rows = read_rows(manifest.out_dir / "epraccur_legacy.csv")
    assert Counter(r[12] for r in rows) == {"A": 64, "C": 1}
    assert Counter(r[25] == "4" for r in rows)[True] == 63


def test_epcn_lists_13_pcns_with_12_columns(manifest):
    rows = read_rows(only_path(manifest, "ods-pcns"))
    assert len(rows) == 13
    assert {len(row) for row in rows} == {12}
    assert all(row[0].startswith("U") and len(row[0]) == 6 for row in rows)


def test_pcn_members_file_has_11_columns(manifest):
    rows = read_rows(only_path(manifest, "ods-pcn-members"))
    assert {len(row) for row in rows} == {11}


def test_one_open_practice_belongs_to_no_pcn(manifest):
    records = read_records(only_path(manifest, "gpad-mapping"))
    unallocated = [r for r in records if r["PCN_CODE"] == "U"]
    assert {r["PCN_NAME"] for r in unallocated} == {"UNALLOCATED"}
    assert len(records) == 62
    assert [r["GP_CODE"] for r in unallocated] == [demo_structure().unallocated_practice_code]


def test_every_pcn_has_between_two_and_eight_open_practices():
    structure = demo_structure()
    sizes = Counter(p.pcn_code for p in structure.practices if p.pcn_code)
    assert len(sizes) == 13
    assert all(2 <= size <= 8 for size in sizes.values())


def test_the_moved_practice_has_two_dated_relationships_that_do_not_overlap(manifest):
    move = demo_structure().move
    rows = read_rows(only_path(manifest, "ods-pcn-members"))
    links = sorted((ymd(r[8]), ymd(r[9]), r[4]) for r in rows if r[0] == move.practice_code)
    (old_start, old_end, old_pcn), (new_start, new_end, new_pcn) = links
    assert (old_pcn, old_end) == (move.old_pcn_code, date(2025, 3, 31))
    assert (new_pcn, new_start, new_end) == (move.new_pcn_code, date(2025, 4, 1), None)
    assert old_start < old_end < new_start


def test_only_the_moved_practice_has_more_than_one_relationship(manifest):
    rows = read_rows(only_path(manifest, "ods-pcn-members"))
    counts = Counter(row[0] for row in rows)
    assert [code for code, n in counts.items() if n > 1] == [demo_structure().move.practice_code]


def test_the_closed_practice_relationship_ends_on_its_close_date(manifest):
    closed = demo_structure().closed_practice
    rows = read_rows(only_path(manifest, "ods-pcn-members"))
    (link,) = [r for r in rows if r[0] == closed.code]
    assert ymd(link[9]) == closed.closed_on


def test_mapping_csv_is_crlf_without_a_bom_and_names_places_in_mixed_case(manifest):
    """As the real Mapping.csv of August 2025."""
    raw = only_path(manifest, "gpad-mapping").read_bytes()
    assert raw.startswith(b"GP_CODE,GP_NAME,SUPPLIER,PCN_CODE,PCN_NAME,SUB_ICB_LOCATION_CODE,")
    assert b",NHS Somerset ICB - 11X," in raw
    assert raw.count(b"\r\n") == raw.count(b"\n") == 63


def test_the_manifest_lists_files_in_load_order(manifest):
    codes = [code for code, _ in manifest.files]
    assert codes[:4] == ["ods-practices", "ods-pcns", "ods-pcn-members", "gpad-mapping"]
    names = [path.name for _, path in manifest.files[4:6]]
    assert names == ["gp-reg-pat-prac-all-2024-08.csv", "gp-reg-pat-prac-sing-age-2024-08.csv"]
    assert all(path.exists() for _, path in manifest.files)


def test_there_are_28_monthly_files_and_an_age_file_every_third_month(manifest):
    names = [path.name for path in manifest.paths("list-sizes")]
    assert len([n for n in names if "-all-" in n]) == 28
    ages = [n[-11:-4] for n in names if "sing-age" in n]
    assert ages == ["2024-08", "2024-11", "2025-02", "2025-05", "2025-08", "2025-11",
                    "2026-02", "2026-05", "2026-08", "2026-11"]  # fmt: skip


def test_total_patients_in_the_latest_month_is_about_600000(manifest):
    totals = practice_totals(list_size_path(manifest, "all", "2026-11"))
    assert len(totals) == 62
    assert 580_000 <= sum(totals.values()) <= 620_000


def test_practice_list_sizes_are_skewed_between_2500_and_30000(manifest):
    sizes = sorted(practice_totals(list_size_path(manifest, "all", "2024-08")).values())
    assert sizes[0] >= 2_500 and sizes[-1] <= 30_000
    assert sum(sizes) / len(sizes) > sizes[len(sizes) // 2]


def test_the_icb_list_grows_by_half_to_one_percent_a_year(manifest):
    first = sum(practice_totals(list_size_path(manifest, "all", "2024-11")).values())
    last = sum(practice_totals(list_size_path(manifest, "all", "2026-11")).values())
    assert 1.005**2 <= last / first <= 1.01**2


def test_the_closed_practice_appears_until_its_close_month(manifest):
    code = demo_structure().closed_practice.code
    assert code in practice_totals(list_size_path(manifest, "all", "2024-10"))
    assert code not in practice_totals(list_size_path(manifest, "all", "2024-11"))


def test_list_size_files_look_like_the_published_sub_icb_era_files(manifest):
    """As the real March 2026 file: ISO EXTRACT_DATE, sub-ICB columns, LF, no BOM."""
    stamps = {
        month: read_records(list_size_path(manifest, "all", month))[0]["EXTRACT_DATE"]
        for month in ("2024-08", "2025-08", "2026-06")
    }
    assert stamps == {"2024-08": "2024-08-01", "2025-08": "2025-08-01", "2026-06": "2026-06-01"}
    raw = list_size_path(manifest, "all", "2026-06").read_bytes()
    assert raw.startswith(b"PUBLICATION,EXTRACT_DATE,TYPE,SUB_ICB_LOCATION_CODE,")
    assert b"\r\n" not in raw and b"\nGP_PRAC_PAT_LIST,2026-06-01,GP," in raw


@pytest.mark.parametrize("month", ["2024-08", "2025-05", "2026-11"])
def test_age_file_totals_equal_the_all_patients_totals(manifest, month):
    totals = practice_totals(list_size_path(manifest, "all", month))
    cells = age_cells(list_size_path(manifest, "sing-age", month))
    assert {code: cells[(code, "ALL", "ALL")] for code in totals} == totals


def test_ages_add_up_to_the_all_row_and_sexes_add_up_to_all(manifest):
    sums: defaultdict[tuple[str, str], int] = defaultdict(int)
    cells = age_cells(list_size_path(manifest, "sing-age", "2025-11"))
    for (code, sex, age), count in cells.items():
        if age != "ALL":
            sums[(code, sex)] += count
        if sex == "ALL":
            assert count == cells[(code, "MALE", age)] + cells[(code, "FEMALE", age)]
    assert all(total == cells[(code, sex, "ALL")] for (code, sex), total in sums.items())


def test_the_age_file_covers_ages_0_to_94_then_95_plus(manifest):
    records = read_records(list_size_path(manifest, "sing-age", "2026-11"))
    code = records[0]["ORG_CODE"]
    ages = [r["AGE"] for r in records if r["ORG_CODE"] == code and r["SEX"] == "MALE"]
    assert ages == [*(str(age) for age in range(95)), "95+", "ALL"]


def test_patients_aged_13_and_over_are_86_to_88_percent(manifest):
    cells = age_cells(list_size_path(manifest, "sing-age", "2026-11"))
    persons = {key: n for key, n in cells.items() if key[1] == "ALL" and key[2] != "ALL"}
    under_13 = sum(n for (_, _, age), n in persons.items() if age != "95+" and int(age) < 13)
    assert 0.86 <= 1 - under_13 / sum(persons.values()) <= 0.88


def test_files_are_the_same_bytes_for_the_same_seed(tmp_path):
    first = demo_files_write(out_dir=tmp_path / "first")
    second = demo_files_write(out_dir=tmp_path / "second")
    assert [(c, p.name) for c, p in first.files] == [(c, p.name) for c, p in second.files]
    for (_, a), (_, b) in zip(first.files, second.files, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_a_different_seed_gives_a_different_demo_with_the_same_shape():
    other = demo_structure(seed=7)
    assert other != demo_structure()
    assert (len(other.practices), len(other.pcns)) == (62, 13)
