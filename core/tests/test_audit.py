"""The audit log: changes to data, roles and API tokens are recorded with who and when, and an
ICB's managers read (and download) their own ICB's and the national ones."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from arrs.models import PlanRound
from core.audit.models import AuditEvent, EventKind
from core.models import Role, RoleAssignment
from core.tokens.services import api_token_create, api_token_revoke
from metrics.models import BatchStatus, ImportBatch
from tests.factories import UserFactory
from tests.gpad_files import Row, gpad_month_load
from tests.pages import no_role_user, other_icb_manager, page_as, visible_text

LOG = "/audit-log/"
CSV = "/audit-log/audit-log.csv"


def events(kind: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(kind=kind).order_by("at", "id"))


def icb_codes(event: AuditEvent) -> set[str]:
    return {org.code for org in event.icbs.all()}


def a_round(icb, user, label: str = "August") -> PlanRound:
    return PlanRound.objects.create(icb=icb, financial_year=2025, label=label, created_by=user)


def csv_of(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


# --- What is recorded ----------------------------------------------------------------------


def test_giving_and_removing_a_role_is_recorded_for_its_icb(tree, icb_manager):
    person = UserFactory(username="new.person")
    assignment = RoleAssignment.objects.create(
        user=person, role=Role.PCN_MANAGER, organisation=tree.pcn_a
    )
    assignment.delete()

    given, removed = events(EventKind.ROLE)[-2:]
    assert given.action == "created" and removed.action == "deleted"
    assert "Role given: new.person as PCN manager" in given.summary
    assert "Role removed" in removed.summary
    assert icb_codes(given) == {"QSL"} and not given.national


def test_a_change_made_on_a_page_names_who_made_it_and_what_changed(client, tree, icb_manager):
    plan_round = a_round(tree.icb, icb_manager)
    client.force_login(icb_manager)

    client.post(reverse("arrs:round_open", args=[plan_round.pk]), {"open": "0"})

    event = events(EventKind.DATA)[-1]
    assert event.user == icb_manager and event.username == "icb.manager"
    assert event.action == "changed" and "is_open: True → False" in event.summary
    assert event.object_type == "arrs.planround" and event.object_id == str(plan_round.pk)
    assert icb_codes(event) == {"QSL"}


def test_shared_reference_data_is_recorded_as_national(db):
    from arrs.models import ArrsRole

    role = ArrsRole.objects.create(code="test_role", name="Test role")

    event = events(EventKind.DATA)[-1]
    assert event.object_id == str(role.pk) and event.national


def test_making_and_revoking_a_token_is_recorded(tree, icb_manager, pcn_manager):
    token, key = api_token_create(user=pcn_manager, name="Dashboard", by=pcn_manager)
    api_token_revoke(token=token, by=icb_manager)

    made, revoked = events(EventKind.TOKEN)
    assert made.user == pcn_manager and made.action == "created"
    assert revoked.user == icb_manager and revoked.action == "revoked"
    assert "'Dashboard'" in made.summary and key not in made.summary
    assert icb_codes(made) == {"QSL"}


def test_a_batch_that_loads_is_recorded_once(tree, icb_manager):
    batch = ImportBatch.objects.create(
        source="arrs-allocations",
        file_name="allocations.csv",
        icb=tree.icb,
        created_by=icb_manager,
    )
    batch.status, batch.rows_read, batch.rows_loaded = BatchStatus.SUCCEEDED, 12, 12
    batch.save()
    batch.save()

    (event,) = events(EventKind.IMPORT)
    assert event.action == "loaded" and event.user == icb_manager
    assert "allocations.csv" in event.summary and "12 of 12 rows" in event.summary
    assert icb_codes(event) == {"QSL"}


def test_a_national_batch_is_national_and_a_failed_one_is_not_recorded(db):
    national = ImportBatch.objects.create(source="gpad", file_name="gpad.zip")
    national.status = BatchStatus.SUCCEEDED
    national.save()
    ImportBatch.objects.create(source="gpad", file_name="bad.zip", status=BatchStatus.FAILED)

    (event,) = events(EventKind.IMPORT)
    assert event.national and "gpad.zip" in event.summary


# --- Who reads it --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["pcn_manager", "board_member"])
def test_pcn_managers_and_board_members_are_refused(client, request, tree, role):
    user = request.getfixturevalue(role)

    assert page_as(client, user, LOG).status_code == 403
    assert client.get(CSV).status_code == 403


def test_a_user_with_no_role_is_refused(client, db):
    assert page_as(client, no_role_user(), LOG).status_code == 403


def test_an_icb_manager_sees_their_icbs_events_and_national_ones_only(client, tree, icb_manager):
    a_round(tree.icb, icb_manager, label="Ours")
    a_round(tree.other_icb, other_icb_manager(tree), label="Theirs")
    national = ImportBatch.objects.create(source="gpad", file_name="gpad-national.zip")
    national.status = BatchStatus.SUCCEEDED
    national.save()

    text = visible_text(page_as(client, icb_manager, LOG))

    assert "Ours" in text and "gpad-national.zip" in text
    assert "Theirs" not in text and "qox.manager" not in text


def test_the_other_icbs_manager_sees_their_own_instead(client, tree, icb_manager):
    a_round(tree.icb, icb_manager, label="Ours")
    outsider = other_icb_manager(tree)
    a_round(tree.other_icb, outsider, label="Theirs")

    text = visible_text(page_as(client, outsider, LOG))

    assert "Theirs" in text and "Ours" not in text


def test_staff_see_every_icbs_events(client, tree, icb_manager, staff_admin):
    a_round(tree.icb, icb_manager, label="Ours")
    a_round(tree.other_icb, other_icb_manager(tree), label="Theirs")

    text = visible_text(page_as(client, staff_admin, LOG))

    assert "Ours" in text and "Theirs" in text


# --- Filters, pages and the download -------------------------------------------------------


def test_the_log_filters_by_kind(client, tree, icb_manager):
    a_round(tree.icb, icb_manager, label="Ours")
    api_token_create(user=icb_manager, name="Warehouse", by=icb_manager)

    text = visible_text(page_as(client, icb_manager, LOG + "?kind=token"))

    assert "Warehouse" in text and "Ours" not in text


def test_the_log_filters_by_day(client, tree, icb_manager):
    a_round(tree.icb, icb_manager, label="Ours")
    AuditEvent.objects.update(at="2025-01-15T12:00:00Z")
    a_round(tree.icb, icb_manager, label="Later")

    text = visible_text(page_as(client, icb_manager, LOG + "?since=2025-01-01&until=2025-01-31"))

    assert "Ours" in text and "Later" not in text


def test_a_wrong_day_is_said_in_an_error_summary(client, icb_manager):
    response = page_as(client, icb_manager, LOG + "?since=yesterday")

    assert response.status_code == 400
    assert "Enter the first day as a real date" in visible_text(response)


def test_the_log_is_paged_fifty_at_a_time(client, tree, icb_manager):
    for number in range(51):
        a_round(tree.icb, icb_manager, label=f"Round {number}")

    first = visible_text(page_as(client, icb_manager, LOG))
    second = visible_text(client.get(LOG + "?page=2"))

    assert "page 1 of 2" in first and "Round 50" in first and "Round 0 " not in first
    assert "page 2 of 2" in second and "Round 0 " in second


def test_the_download_is_a_csv_of_the_filtered_events_in_scope(client, tree, icb_manager):
    a_round(tree.icb, icb_manager, label="Ours")
    a_round(tree.other_icb, other_icb_manager(tree), label="Theirs")
    api_token_create(user=icb_manager, name="Warehouse", by=icb_manager)
    client.force_login(icb_manager)

    response = client.get(CSV, {"kind": "data"})

    rows = csv_of(response)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert {row["Kind"] for row in rows} == {"Data"}
    (ours,) = [row for row in rows if "Ours" in row["Summary"]]
    assert ours["ICBs"] == "QSL" and ours["Who"] == "The system"
    assert ours["Record type"] == "arrs.planround"
    assert not any("Theirs" in row["Summary"] for row in rows)


def test_choosing_a_baseline_month_is_recorded_with_who_chose_it(
    client, tree, icb_manager, tmp_path
):
    gpad_month_load(tmp_path, [Row("L85001", 400)], dt.date(2025, 3, 1))
    client.force_login(icb_manager)

    client.post(reverse("metrics:baseline"), {"month": "2025-03-01"})

    event = events(EventKind.DATA)[-1]
    assert event.summary == f"Baseline month for {tree.icb.name} set to March 2025"
    assert event.user == icb_manager and icb_codes(event) == {"QSL"}
