"""The alerts page: subscribing to an organisation one may read, changing how often,
stopping, and the list of what was sent."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alerts.models import Alert, AlertKind, Subscription
from alerts.tests.data import subscribe
from tests.factories import UserFactory
from tests.pages import other_icb_manager


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_form_offers_the_pcn_managers_pcn_first_then_the_icb_and_its_places(tree, pcn_manager):
    page = signed_in(pcn_manager).get("/alerts/").content.decode()

    options = [
        page.index(f'value="{org.pk}"') for org in (tree.pcn_a, tree.icb, tree.place, tree.pcn_b)
    ]
    assert options == sorted(options)
    for outside in (tree.other_icb, tree.other_place, tree.other_pcn, tree.region):
        assert f'value="{outside.pk}"' not in page


def test_subscribing_then_choosing_again_changes_how_often(tree, pcn_manager):
    client = signed_in(pcn_manager)

    response = client.post("/alerts/", {"organisation": tree.pcn_a.pk, "frequency": "weekly"})
    assert response.status_code == 302
    client.post("/alerts/", {"organisation": tree.pcn_a.pk, "frequency": "immediate"})

    subscription = Subscription.objects.get(user=pcn_manager)
    assert (subscription.organisation, subscription.frequency) == (tree.pcn_a, "immediate")
    page = client.get("/alerts/").content.decode()
    assert f'action="/alerts/{subscription.pk}/stop/"' in page
    assert Subscription.objects.count() == 1


def test_a_pcn_manager_cannot_subscribe_to_another_icbs_organisation(tree, pcn_manager):
    client = signed_in(pcn_manager)

    for outside in (tree.other_icb, tree.other_place, tree.other_pcn):
        response = client.post("/alerts/", {"organisation": outside.pk, "frequency": "weekly"})
        assert response.status_code == 400
        assert "Select an organisation from the list" in response.content.decode()
    assert not Subscription.objects.exists()


def test_another_icbs_manager_cannot_subscribe_to_this_icb(tree):
    client = signed_in(other_icb_manager(tree))

    response = client.post("/alerts/", {"organisation": tree.icb.pk, "frequency": "weekly"})

    assert response.status_code == 400 and not Subscription.objects.exists()


def test_stopping_a_subscription_and_not_someone_elses(tree, pcn_manager, icb_manager):
    own = subscribe(pcn_manager, tree.pcn_a)
    theirs = subscribe(icb_manager, tree.icb)
    client = signed_in(pcn_manager)

    assert client.post(f"/alerts/{theirs.pk}/stop/").status_code == 404
    assert client.post(f"/alerts/{own.pk}/stop/").status_code == 302

    own.refresh_from_db()
    theirs.refresh_from_db()
    assert (own.active, theirs.active) == (False, True)


def test_the_page_lists_what_was_sent_and_not_what_is_still_to_send(tree, icb_manager):
    subscription = subscribe(icb_manager, tree.icb)
    sent_at = timezone.make_aware(dt.datetime(2026, 9, 7, 7, 0))
    for key, sent in (("sent", sent_at), ("waiting", None)):
        Alert.objects.create(
            subscription=subscription, user=icb_manager, organisation=tree.icb,
            kind=AlertKind.PLAN_WAITING, key=key, title=f"Plan {key}", detail="Submitted.",
            link="/workforce/plans/1/", digest_sent_at=sent,
        )  # fmt: skip

    page = signed_in(icb_manager).get("/alerts/").content.decode()

    assert '<a class="nhsuk-link" href="/workforce/plans/1/">Plan sent</a>' in page
    assert "Weekly summary, 7 September 2026 at 07:00" in page
    assert "Plan waiting" not in page


def test_someone_with_no_role_is_told_they_have_no_access(db):
    response = signed_in(UserFactory(username="nobody")).get("/alerts/")

    assert response.status_code == 403


def test_the_page_reads_the_same_number_of_queries_however_much_was_sent(tree, icb_manager):
    client = signed_in(icb_manager)

    def queries_with(count: int) -> int:
        for org in (tree.icb, tree.place, tree.pcn_a)[: min(count, 3)]:
            subscription, _ = Subscription.objects.get_or_create(user=icb_manager, organisation=org)
        for i in range(count):
            Alert.objects.create(
                subscription=subscription, user=icb_manager, organisation=subscription.organisation,
                kind=AlertKind.PLAN_WAITING, key=f"{count}:{i}", title="Plan", link="/workforce/",
                sent_at=timezone.now(),
            )  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/alerts/").status_code == 200
        return len(queries)

    assert queries_with(1) == queries_with(10)
