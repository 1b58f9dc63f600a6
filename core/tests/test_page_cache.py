"""Figure pages kept under the data's version: drawn once per change, never shown to anyone
but the person they were drawn for, never after the data has changed."""

from __future__ import annotations

import pytest
from django.contrib.messages import add_message, constants
from django.db import transaction
from django.test import Client
from django.urls import reverse

from core import page_cache
from practices.models import ListSize

PRACTICE = "/organisations/practice/L85001/"


@pytest.fixture
def drawn(monkeypatch):
    """How many times the practice page was drawn by its view (not answered from the cache)."""
    from practices import views

    calls = []
    real = views._practice_page

    def counting(request, org):
        calls.append(request.user.username)
        return real(request, org)

    monkeypatch.setattr(views, "_practice_page", counting)
    return calls


def test_a_figure_page_asked_again_is_answered_without_drawing_it_again(client, icb_manager, drawn):
    client.force_login(icb_manager)

    first = client.get(PRACTICE)
    second = client.get(PRACTICE)

    assert first.status_code == second.status_code == 200
    assert len(drawn) == 1
    assert _without_tokens(second.content) == _without_tokens(first.content)


def test_a_saved_change_is_shown_at_once(client, icb_manager, tree, drawn):
    client.force_login(icb_manager)
    client.get(PRACTICE)
    practice = tree.practices["L85001"]

    practice.name = "Renamed Surgery"
    practice.save()
    answer = client.get(PRACTICE)

    assert len(drawn) == 2
    assert "Renamed Surgery" in answer.content.decode()


def test_readers_with_other_roles_get_pages_drawn_for_them(
    client, icb_manager, board_member, drawn
):
    client.force_login(icb_manager)
    manager_page = client.get(PRACTICE).content.decode()
    client.force_login(board_member)

    board_page = client.get(PRACTICE).content.decode()

    assert len(drawn) == 2
    # the ICB manager's header links to the audit log; the board member's does not
    assert reverse("audit:log") in manager_page
    assert reverse("audit:log") not in board_page


def test_a_kept_page_carries_the_readers_own_form_token(icb_manager):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(icb_manager)
    first.get(PRACTICE)
    second.force_login(icb_manager)
    second.get("/accessibility/")  # a page that sets the form token's cookie for this browser

    page = second.get(PRACTICE).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    signed_out = second.post(reverse("logout"), {"csrfmiddlewaretoken": token})

    assert "\x00" not in page
    assert signed_out.status_code == 302  # a stale or missing token would be refused with 403


def test_a_page_with_a_message_for_the_reader_is_drawn_and_not_kept(rf, icb_manager, drawn):
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore

    from practices.views import practice

    def request():
        made = rf.get(PRACTICE)
        made.user, made.session = icb_manager, SessionStore()
        made._messages = FallbackStorage(made)
        return made

    with_message = request()
    add_message(with_message, constants.SUCCESS, "Plan saved")
    assert "Plan saved" in practice(with_message, "L85001").content.decode()
    practice(request(), "L85001")

    assert len(drawn) == 2


def test_many_records_written_in_one_transaction_move_the_version_once_it_commits(
    tree, django_capture_on_commit_callbacks
):
    before = page_cache.generation()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for practice in tree.practices.values():
            practice.save()
        assert page_cache.generation() == before

    assert page_cache.generation() == before + 1


def test_a_transaction_rolled_back_leaves_the_version_as_it_was(
    tree, django_capture_on_commit_callbacks
):
    before = page_cache.generation()

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        tree.practices["L85001"].save()
        raise RuntimeError("refused")

    assert page_cache.generation() == before


def test_records_that_are_not_figures_leave_the_version_as_it_was(icb_manager):
    from core.audit.models import AuditEvent

    before = page_cache.generation()
    AuditEvent.objects.create(
        user=icb_manager,
        kind="data",
        action="changed",
        object_type="x.y",
        object_id="1",
        summary="",
    )

    assert page_cache.generation() == before


def test_signing_in_leaves_the_version_as_it_was(
    client, icb_manager, tree, django_capture_on_commit_callbacks
):
    before = page_cache.generation()

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        client.force_login(icb_manager)  # notes the time of signing in on the user

    assert page_cache.generation() == before


def test_a_change_made_in_bulk_moves_the_version_when_it_says_so(client, icb_manager, tree, drawn):
    client.force_login(icb_manager)
    client.get(PRACTICE)
    # bulk writes save no record: the code that makes them moves the version itself
    ListSize.objects.filter(practice=tree.practices["L85001"]).update(patients_13_plus=1)
    client.get(PRACTICE)
    assert len(drawn) == 1

    page_cache.data_changed()
    client.get(PRACTICE)

    assert len(drawn) == 2


def test_the_cache_is_off_at_zero_seconds(client, icb_manager, drawn, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.force_login(icb_manager)

    client.get(PRACTICE)
    client.get(PRACTICE)

    assert len(drawn) == 2


def _without_tokens(content: bytes) -> bytes:
    import re

    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", content)


@pytest.mark.parametrize("model", sorted(page_cache.BULK_TABLES))
def test_tables_deleted_in_bulk_are_still_deleted_in_one_statement(model):
    from django.apps import apps
    from django.db.models.deletion import Collector

    rows = apps.get_model(model).objects.all()

    assert Collector(using="default").can_fast_delete(rows)


def test_an_api_list_asked_again_is_answered_from_the_kept_records(
    client, icb_manager, tree, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(icb_manager)
    with CaptureQueriesContext(connection) as drawing:
        first = client.get("/api/v1/practices/")
    with CaptureQueriesContext(connection) as kept:
        second = client.get("/api/v1/practices/")

    assert second.json() == first.json()
    # the list's own queries (count and page of practices with their PCN) are not run again
    assert len(kept) <= len(drawing) - 2


def test_an_api_list_shows_a_saved_change_at_once(client, icb_manager, tree):
    client.force_login(icb_manager)
    client.get("/api/v1/pcns/")
    tree.pcn_a.name = "Renamed PCN"
    tree.pcn_a.save()

    names = [pcn["name"] for pcn in client.get("/api/v1/pcns/").json()["results"]]

    assert "Renamed PCN" in names


def test_an_api_list_for_another_reader_is_their_own(client, icb_manager, tree):
    from core.models import Role
    from tests.factories import user_with_role

    client.force_login(icb_manager)
    ours = {p["code"] for p in client.get("/api/v1/practices/").json()["results"]}
    client.force_login(user_with_role(Role.ICB_MANAGER, tree.other_icb))

    theirs = {p["code"] for p in client.get("/api/v1/practices/").json()["results"]}

    assert ours and theirs and not ours & theirs
