"""Who may load what, whatever the door: a manager of one ICB never writes another ICB's
records through an import, and sees only the national files and their own ICB's imports."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from arrs.models import Allocation
from metrics.models import BatchStatus, ImportBatch
from metrics.services import import_batch_run
from tests.api import api_as
from tests.pages import other_icb_manager, page_as

UPLOAD = reverse("metrics:upload")
SOMERSET_ROW = "U00001,2026/27,658128\n"


def allocations(*rows: str) -> SimpleUploadedFile:
    body = "PCN code,Financial year,Allocation\n" + "".join(rows)
    return SimpleUploadedFile("arrs-allocations.csv", body.encode(), content_type="text/csv")


@pytest.fixture
def somerset_allocation(tree, icb_manager, django_capture_on_commit_callbacks, celery_eager):
    """QSL's manager loads PCN U00001's allocation through the upload page."""
    client_batch = _upload_page(
        icb_manager, allocations(SOMERSET_ROW), django_capture_on_commit_callbacks
    )
    assert client_batch.status == BatchStatus.SUCCEEDED, client_batch.errors
    return client_batch


def _upload_page(user, upload, capture) -> ImportBatch:
    from django.test import Client

    client = Client()
    client.force_login(user)
    with capture(execute=True):
        response = client.post(UPLOAD, {"source": "arrs-allocations", "file": upload})
    assert response.status_code == 302, response.content.decode()[:500]
    return ImportBatch.objects.latest("pk")


def test_a_manager_of_another_icb_cannot_overwrite_an_allocation_through_the_upload_page(
    tree, somerset_allocation, django_capture_on_commit_callbacks, celery_eager
):
    intruder = other_icb_manager(tree)

    batch = _upload_page(
        intruder, allocations("U00001,2026/27,1\n"), django_capture_on_commit_callbacks
    )

    assert batch.status == BatchStatus.FAILED and batch.rows_loaded == 0
    assert batch.errors == [
        {
            "row": 2,
            "column": "PCN code",
            "message": "U00001 is not in an ICB you manage; you can load only your own ICB's "
            "records",
        }
    ]
    assert Allocation.objects.get(pcn=tree.pcn_a).amount == Decimal("658128")


def test_a_file_mixing_own_and_other_icbs_rows_loads_nothing_and_names_each_outside_row(
    tree, icb_manager, django_capture_on_commit_callbacks, celery_eager
):
    batch = _upload_page(
        icb_manager,
        allocations("U00002,2026/27,500000\n", "U99999,2026/27,1\n"),
        django_capture_on_commit_callbacks,
    )

    assert batch.status == BatchStatus.FAILED
    assert [(e["row"], e["message"].split(" ")[0]) for e in batch.errors] == [(3, "U99999")]
    assert not Allocation.objects.exists()


def test_the_api_upload_is_held_to_the_same_rule(
    tree, somerset_allocation, django_capture_on_commit_callbacks, celery_eager
):
    client = api_as(other_icb_manager(tree))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/import-batches/",
            {"source": "arrs-allocations", "file": allocations("U00001,2026/27,1\n")},
        )

    assert response.status_code == 202
    batch = ImportBatch.objects.get(pk=response.json()["id"])
    assert batch.status == BatchStatus.FAILED
    assert "not in an ICB you manage" in batch.errors[0]["message"]
    assert Allocation.objects.get(pcn=tree.pcn_a).amount == Decimal("658128")


def test_a_queued_batch_is_checked_again_when_it_runs(tree, icb_manager, somerset_allocation):
    """A role taken away between upload and run: the run refuses the file."""
    queued = ImportBatch.objects.create(
        source="arrs-allocations",
        file_name="later.csv",
        file_path=somerset_allocation.file_path,
        created_by=icb_manager,
        icb=tree.icb,
    )
    icb_manager.role_assignments.all().delete()

    batch = import_batch_run(batch_id=queued.pk)

    assert batch.status == BatchStatus.FAILED
    assert "loaded only by ICB managers" in batch.outcome


def test_each_icb_sees_national_imports_and_only_its_own_icbs(
    client, tree, somerset_allocation, data_loader
):
    national = ImportBatch.objects.create(
        source="gpad-mapping", file_name="Mapping.csv", created_by=data_loader
    )
    intruder = other_icb_manager(tree)
    own = reverse("metrics:batch", args=[somerset_allocation.pk])

    listed = page_as(client, intruder, reverse("metrics:imports")).content.decode()
    assert "arrs-allocations.csv" not in listed and "Mapping.csv" in listed
    assert client.get(own).status_code == 404
    assert (
        client.get(reverse("metrics:batch_status", args=[somerset_allocation.pk])).status_code
        == 404
    )
    api = api_as(intruder).get("/api/v1/import-batches/").json()
    assert [b["id"] for b in api["results"]] == [national.pk]
    assert (
        api_as(intruder).get(f"/api/v1/import-batches/{somerset_allocation.pk}/").status_code == 404
    )

    assert somerset_allocation.icb == tree.icb
    assert page_as(client, somerset_allocation.created_by, own).status_code == 200


def test_the_shared_staff_role_mapping_is_changed_only_by_reference_editors(
    client, tree, icb_manager, data_loader
):
    url = reverse("arrs:staff_roles")
    page = page_as(client, icb_manager, url)
    assert page.status_code == 200 and "Save the mapping" not in page.content.decode()
    refused = client.post(url, {"name-0": "Pharmacists / Pharmacist", "role-0": "none"})
    assert refused.status_code == 403

    client.force_login(data_loader)
    assert (
        client.post(url, {"name-0": "Pharmacists / Pharmacist", "role-0": "none"}).status_code
        == 302
    )
