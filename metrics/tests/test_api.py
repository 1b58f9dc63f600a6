"""Measures and imports through the API: values checked against figures worked out by hand
from a tiny GPAD load, filters, who sees what, and uploads polled until done."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from metrics.models import BatchStatus, ImportBatch
from tests.api import READ_STATUS, ROLES, api_as, csv_rows, user_for
from tests.gpad_files import Row, crosstab_write, gpad_month_load

VALUES = "/api/v1/measure-values/"
MARCH, APRIL = dt.date(2025, 3, 1), dt.date(2025, 4, 1)
MAPPING = Path(__file__).parent / "fixtures" / "Mapping.csv"


# Counts in hundreds, so every practice records at least one appointment per patient a
# year and counts towards England.
def march_rows() -> list[Row]:
    """U00001 in March 2025: L85001, L85002 and L85004 (which moves to U00002 in April)."""
    return [
        Row("L85001", 10000, pcn_code="U00001"),
        Row("L85001", 5000, pcn_code="U00001", time_between_book_and_appt="2 to 7 Days",
            appt_status="DNA", appt_mode="Telephone"),
        Row("L85002", 3000, pcn_code="U00001"),
        Row("L85002", 7000, pcn_code="U00001", time_between_book_and_appt="More than 28 Days",
            hcp_type="Other Practice staff"),
        Row("L85004", 2000, pcn_code="U00001"),
        Row("L85004", 2000, pcn_code="U00001", time_between_book_and_appt="8  to 14 Days"),
        Row("L85003", 4000, pcn_code="U00002"),
        Row("J99001", 1000, pcn_code="U99999", sub_icb_location_code="92G"),
    ]  # fmt: skip


def april_rows() -> list[Row]:
    return [
        Row("L85001", 6000, pcn_code="U00001"),
        Row("L85004", 4000, pcn_code="U00002"),
        Row("L85004", 1000, pcn_code="U00002", time_between_book_and_appt="1 Day"),
        Row("L85003", 5000, pcn_code="U00002"),
    ]


@pytest.fixture
def loaded(tree, tmp_path):
    """Two months of appointments for the tree's practices, loaded through the importer."""
    gpad_month_load(tmp_path, march_rows(), MARCH)
    return gpad_month_load(tmp_path, april_rows(), APRIL)


def values(client, **query) -> list[dict]:
    response = client.get(VALUES, {"page_size": 1000, **query})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def one(client, **query) -> dict:
    (found,) = values(client, **query)
    return found


def test_a_pcns_values_are_the_ratio_of_its_practices_sums(loaded, icb_manager):
    client = api_as(icb_manager)
    query = {"org_type": "pcn", "org_code": "U00001", "period": "2025-03"}

    total = one(client, measure="appointments_total", **query)
    same_day = one(client, measure="same_day_pct", **query)
    within_14 = one(client, measure="within_14_days_pct", **query)
    over_28 = one(client, measure="over_28_days_pct", **query)
    dna = one(client, measure="dna_pct", **query)
    gp = one(client, measure="gp_pct", **query)
    per_1000 = one(client, measure="appointments_per_1000_patients", **query)

    # L85001 15,000 + L85002 10,000 + L85004 4,000 (it moved out of U00001 only in April).
    assert (total["numerator"], total["value"]) == (29000, 29000.0)
    assert (same_day["numerator"], same_day["denominator"]) == (15000, 29000)
    assert same_day["value"] == pytest.approx(15000 / 29000 * 100, rel=1e-12)
    assert within_14["value"] == pytest.approx(22000 / 29000 * 100)
    assert over_28["value"] == pytest.approx(7000 / 29000 * 100)
    assert dna["value"] == pytest.approx(5000 / 29000 * 100)
    assert gp["value"] == pytest.approx(22000 / 29000 * 100)
    # March list sizes: L85001 6,000, L85002 7,000, L85004 11,000.
    assert per_1000["denominator"] == 24000
    assert per_1000["value"] == pytest.approx(29000 / 24000 * 1000)


def test_englands_value_counts_every_practice_in_every_icb(loaded, icb_manager):
    england = one(api_as(icb_manager), measure="same_day_pct", org_type="england", period="2025-03")

    assert england["org_code"] == "ENG"
    assert (england["numerator"], england["denominator"]) == (20000, 34000)


def test_a_value_names_its_measure_organisation_month_and_batch(loaded, icb_manager):
    value = one(
        api_as(icb_manager),
        measure="same_day_pct",
        org_type="pcn",
        org_code="U00001",
        period="2025-04",
    )

    assert value["measure"] == "same_day_pct"
    assert (value["org_type"], value["org_code"], value["org_name"]) == (
        "pcn",
        "U00001",
        "PCN U00001",
    )
    assert value["period"] == "2025-04"
    assert value["import_batch"] == loaded.pk
    assert set(value) >= {"change_year", "change_baseline", "percentile_england", "percentile_icb"}


def test_a_moved_practice_counts_towards_its_new_pcn_from_the_month_it_moved(loaded, icb_manager):
    client = api_as(icb_manager)

    april_u1 = one(client, measure="appointments_total", org_code="U00001", period="2025-04")
    april_u2 = one(client, measure="same_day_pct", org_code="U00002", period="2025-04")

    assert april_u1["numerator"] == 6000
    assert (april_u2["numerator"], april_u2["denominator"]) == (9000, 10000)
    assert april_u2["value"] == pytest.approx(90.0)


def test_practice_values_are_unrounded_and_ranked(loaded, icb_manager):
    value = one(
        api_as(icb_manager),
        measure="same_day_pct",
        org_type="practice",
        org_code="L85002",
        period="2025-03",
    )

    assert value["value"] == 30.0
    assert 0 <= value["percentile_icb"] <= 100


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"org_type": "practice", "period": "2025-03"}, 4),
        ({"org_type": "practice", "period_from": "2025-03", "period_to": "2025-04"}, 7),
        ({"org_type": "practice", "period_from": "2025-04"}, 3),
        ({"org_type": "pcn", "period": "2025-03"}, 2),
        ({"org_type": "sub_icb"}, 2),
        ({"org_type": "icb"}, 2),
        ({"org_code": "l85001"}, 2),
        ({"org_type": "england", "period": "2025-03"}, 1),
    ],
)
def test_values_filter_by_level_code_and_months(loaded, icb_manager, query, expected):
    found = values(api_as(icb_manager), measure="same_day_pct", **query)

    assert len(found) == expected


def test_readers_of_another_icb_see_their_own_values_and_englands(request, loaded):
    client = api_as(user_for(request, "other_icb"))

    found = values(client, measure="appointments_total", period="2025-03")

    assert {(v["org_type"], v["org_code"]) for v in found} == {
        ("practice", "J99001"),
        ("pcn", "U99999"),
        ("sub_icb", "92G"),
        ("icb", "QOX"),
        ("region", "Y58"),
        ("england", "ENG"),
    }
    assert values(client, org_code="U00001") == []


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", [VALUES, "/api/v1/measure-definitions/", "/api/v1/sources/"])
def test_who_may_read_measures_and_sources(request, tree, role, url):
    response = api_as(user_for(request, role)).get(url)

    assert response.status_code == READ_STATUS[role]


def test_measure_values_as_csv_match_the_json(loaded, icb_manager):
    client = api_as(icb_manager)
    query = {"measure": "same_day_pct", "org_type": "practice", "period": "2025-03"}

    rows = csv_rows(client.get(VALUES, {**query, "format": "csv"}))
    pages = values(client, **query)

    assert [r["org_code"] for r in rows] == [v["org_code"] for v in pages]
    assert [float(r["value"]) for r in rows] == [v["value"] for v in pages]
    assert rows[0]["period"] == "2025-03"


def test_measure_definitions_say_what_is_counted(tree, icb_manager):
    client = api_as(icb_manager)

    listed = client.get("/api/v1/measure-definitions/").json()["results"]
    same_day = client.get("/api/v1/measure-definitions/same_day_pct/").json()

    assert "same_day_pct" in {d["code"] for d in listed}
    assert (same_day["unit"], same_day["multiplier"], same_day["higher_is_better"]) == (
        "%",
        100,
        True,
    )


def test_sources_list_every_ingest_source(tree, icb_manager):
    found = api_as(icb_manager).get("/api/v1/sources/").json()

    assert {"gpad", "gpad-mapping", "list-sizes"} <= {s["code"] for s in found}


# --- import batches ------------------------------------------------------------------------


SEE_IMPORTS = {
    "anonymous": 401,
    "icb_manager": 200,
    "pcn_manager": 403,
    "board_member": 403,
    "no_role": 403,
    "other_icb": 200,
}
# A national file (Mapping.csv) is loaded only by national data loaders and staff.
UPLOAD_STATUS = {**SEE_IMPORTS, "icb_manager": 403, "other_icb": 403}


@pytest.fixture
def batch(icb_manager):
    return ImportBatch.objects.create(
        source="gpad-mapping", file_name="Mapping.csv", created_by=icb_manager
    )


@pytest.mark.parametrize("role", ROLES)
def test_who_may_read_the_import_log(request, tree, batch, role):
    client = api_as(user_for(request, role))

    listed = client.get("/api/v1/import-batches/")
    one_batch = client.get(f"/api/v1/import-batches/{batch.pk}/")

    assert listed.status_code == one_batch.status_code == SEE_IMPORTS[role]


def test_staff_read_the_import_log(tree, batch, staff_admin):
    assert api_as(staff_admin).get("/api/v1/import-batches/").status_code == 200


def mapping_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("Mapping.csv", MAPPING.read_bytes(), content_type="text/csv")


@pytest.mark.parametrize("role", ROLES)
def test_no_role_of_one_icb_uploads_a_national_file(request, tree, role):
    response = api_as(user_for(request, role)).post(
        "/api/v1/import-batches/", {"source": "gpad-mapping", "file": mapping_upload()}
    )

    assert response.status_code == UPLOAD_STATUS[role]
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("who", ["data_loader", "staff_admin"])
def test_national_data_loaders_and_staff_upload_national_files(request, tree, who):
    response = api_as(request.getfixturevalue(who)).post(
        "/api/v1/import-batches/", {"source": "gpad-mapping", "file": mapping_upload()}
    )

    assert response.status_code == 202
    assert ImportBatch.objects.get().icb is None


def test_an_upload_is_accepted_then_polled_until_it_has_loaded(
    tree, data_loader, celery_eager, django_capture_on_commit_callbacks
):
    client = api_as(data_loader)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/import-batches/", {"source": "gpad-mapping", "file": mapping_upload()}
        )
    polled = client.get(response["Location"])

    assert response.status_code == 202
    assert response.json()["status"] == BatchStatus.QUEUED
    assert response["Location"].endswith(f"/api/v1/import-batches/{response.json()['id']}/")
    assert polled.json()["finished"] is True
    assert polled.json()["status"] == BatchStatus.SUCCEEDED, polled.json()["outcome"]
    assert polled.json()["created_by"] == "data.loader"


def test_a_gpad_crosstab_upload_loads_and_its_values_appear(
    tree, data_loader, celery_eager, django_capture_on_commit_callbacks, tmp_path
):
    client = api_as(data_loader)
    path = crosstab_write(tmp_path, march_rows(), MARCH)

    with django_capture_on_commit_callbacks(execute=True):
        upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/csv")
        batch_id = client.post(
            "/api/v1/import-batches/", {"source": "gpad", "file": upload}
        ).json()["id"]

    assert client.get(f"/api/v1/import-batches/{batch_id}/").json()["status"] == "succeeded"
    assert one(client, measure="appointments_total", org_code="U00001")["numerator"] == 29000


def test_a_failed_upload_reports_its_problems_by_row(
    tree, data_loader, celery_eager, django_capture_on_commit_callbacks
):
    client = api_as(data_loader)
    bad = SimpleUploadedFile("Mapping.csv", b"GP_CODE,ICB_CODE\nL85001,QSL\n")

    with django_capture_on_commit_callbacks(execute=True):
        batch_id = client.post(
            "/api/v1/import-batches/", {"source": "gpad-mapping", "file": bad}
        ).json()["id"]
    polled = client.get(f"/api/v1/import-batches/{batch_id}/").json()

    assert polled["status"] == "failed"
    assert polled["errors"] and set(polled["errors"][0]) == {"row", "column", "message"}


@pytest.mark.parametrize(
    ("body", "field"),
    [({"source": "no-such-source"}, "source"), ({"source": "gpad"}, "file")],
)
def test_an_upload_without_a_known_source_or_a_file_is_400(tree, data_loader, body, field):
    data = {"file": mapping_upload(), **body} if field == "source" else body

    response = api_as(data_loader).post("/api/v1/import-batches/", data)

    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_import_batches_filter_by_source_and_status(tree, batch, icb_manager):
    client = api_as(icb_manager)

    mapping = client.get("/api/v1/import-batches/", {"source": "gpad-mapping"}).json()
    failed = client.get("/api/v1/import-batches/", {"status": "failed"}).json()

    assert [b["id"] for b in mapping["results"]] == [batch.pk]
    assert failed["results"] == []


def test_a_list_size_correction_recomputes_patients_per_1000_from_its_month(
    loaded, icb_manager, celery_eager, django_capture_on_commit_callbacks
):
    client = api_as(icb_manager)
    query = {"measure": "appointments_per_1000_patients", "org_code": "U00001"}
    etag = client.get(VALUES, query)["ETag"]

    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            "/api/v1/list-sizes/",
            {"practice": "L85001", "month": "2025-03-01", "all_patients": 7000},
            format="json",
        )

    assert answer.status_code == 200
    march = one(client, period="2025-03", **query)
    assert march["denominator"] == 7000 + 7000 + 11000
    assert march["value"] == pytest.approx(29000 / 25000 * 1000)
    assert client.get(VALUES, query, HTTP_IF_NONE_MATCH=etag).status_code == 200
