"""Finding and sending: each alert once per person, the weekly digest and the immediate
message through Django's email backend, and the unsubscribe link in them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client

from alerts.links import unsubscribe_token
from alerts.models import Alert, Frequency
from alerts.services import alerts_find, alerts_immediate_send, alerts_weekly_digest_send
from alerts.tests.data import STEADY, monthly, subscribe
from arrs.models import PlanRound, PlanStatus, WorkforcePlan

NOW = dt.datetime(2026, 9, 7, 6, 0, tzinfo=dt.UTC)  # Monday 07:00 in London


@pytest.fixture
def waiting_plan(tree, pcn_manager):
    plan_round = PlanRound.objects.create(icb=tree.icb, financial_year=2026, label="August")
    return WorkforcePlan.objects.create(
        pcn=tree.pcn_a, plan_round=plan_round, status=PlanStatus.SUBMITTED,
        as_at=dt.date(2026, 7, 31), file_name="plan.xlsx", checksum="0" * 64,
        submitted_at=NOW - dt.timedelta(days=2),
    )  # fmt: skip


def test_finding_twice_stores_each_alert_once_even_from_two_subscriptions(
    tree, icb_manager, waiting_plan
):
    subscribe(icb_manager, tree.icb)
    subscribe(icb_manager, tree.pcn_a)

    assert alerts_find() == 1
    assert alerts_find() == 0
    assert Alert.objects.filter(user=icb_manager).count() == 1


def test_an_alert_found_for_a_stopped_subscription_is_sent_under_one_still_active(
    tree, icb_manager, waiting_plan
):
    icb = subscribe(icb_manager, tree.icb)
    subscribe(icb_manager, tree.pcn_a)
    alerts_find(subscriptions=[icb])
    icb.active = False
    icb.save()

    assert alerts_weekly_digest_send(now=NOW) == 1
    assert "\nPCN U00001\n" in mail.outbox[0].body
    assert Alert.objects.get().organisation == tree.pcn_a


def test_running_the_digest_twice_sends_it_once(tree, icb_manager, waiting_plan):
    subscribe(icb_manager, tree.icb)

    assert alerts_weekly_digest_send(now=NOW) == 1
    assert alerts_weekly_digest_send(now=NOW) == 0
    assert len(mail.outbox) == 1


def test_the_weekly_digest_lists_each_organisations_alerts_with_links(
    tree, icb_manager, waiting_plan, settings
):
    settings.PORTAL_URL = "https://portal.example.nhs.uk"
    monthly(tree.pcn_a, "same_day_pct", STEADY[:11] + [30])
    subscribe(icb_manager, tree.icb)
    subscribe(icb_manager, tree.pcn_a)

    alerts_weekly_digest_send(now=NOW)

    (email,) = mail.outbox
    assert email.to == ["icb.manager@example.nhs.uk"]
    assert email.subject == "Access Portal: your weekly summary, 2 alerts"
    text = email.body
    assert "to 7 September 2026" in text
    icb_part, pcn_part = text.split("\nNHS Somerset ICB\n")[1].split("\nPCN U00001\n")
    assert "* Workforce plan awaiting your review: PCN U00001, 2026/27 August" in icb_part
    assert f"https://portal.example.nhs.uk/workforce/plans/{waiting_plan.pk}/" in icb_part
    assert "* PCN U00001: " in pcn_part and "special cause: concerning in Dec 2025" in pcn_part
    assert "https://portal.example.nhs.uk/dashboard/pcn/U00001/" in pcn_part
    assert (
        len(
            re.findall(
                r"Stop alerts about .*: https://portal\.example\.nhs\.uk/alerts/unsubscribe/", text
            )
        )
        == 2
    )  # noqa: E501
    html, kind = email.alternatives[0]
    assert kind == "text/html"
    assert f'href="https://portal.example.nhs.uk/workforce/plans/{waiting_plan.pk}/"' in html
    assert "List-Unsubscribe" not in email.extra_headers  # it is about two subscriptions
    sent = Alert.objects.filter(user=icb_manager)
    assert sent.count() == 2 and not sent.filter(digest_sent_at__isnull=True).exists()


def test_immediate_subscribers_hear_straight_away_and_again_in_the_digest(
    tree, icb_manager, waiting_plan
):
    subscription = subscribe(icb_manager, tree.icb, Frequency.IMMEDIATE)

    assert alerts_immediate_send(now=NOW) == 1
    assert alerts_immediate_send(now=NOW) == 0
    (email,) = mail.outbox
    assert email.subject == (
        "Access Portal: Workforce plan awaiting your review: PCN U00001, 2026/27 August"
    )
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/alerts/unsubscribe/" in email.extra_headers["List-Unsubscribe"]

    assert alerts_weekly_digest_send(now=NOW) == 1
    alert = Alert.objects.get(subscription=subscription)
    assert alert.sent_at == NOW and alert.digest_sent_at == NOW


def test_weekly_subscribers_get_no_immediate_message(tree, icb_manager, waiting_plan):
    subscribe(icb_manager, tree.icb, Frequency.WEEKLY)

    assert alerts_immediate_send(now=NOW) == 0
    assert mail.outbox == []


def test_nothing_is_sent_without_an_email_address_until_there_is_one(
    tree, icb_manager, waiting_plan
):
    icb_manager.email = ""
    icb_manager.save()
    subscribe(icb_manager, tree.icb)

    assert alerts_weekly_digest_send(now=NOW) == 0
    icb_manager.email = "icb.manager@example.nhs.uk"
    icb_manager.save()
    assert alerts_weekly_digest_send(now=NOW) == 1


def test_a_stopped_subscription_sends_nothing(tree, icb_manager, waiting_plan):
    subscription = subscribe(icb_manager, tree.icb)
    subscription.active = False
    subscription.save()

    assert alerts_weekly_digest_send(now=NOW) == 0
    assert not Alert.objects.exists()


def test_the_unsubscribe_link_in_the_email_works_without_signing_in(
    tree, icb_manager, waiting_plan
):
    subscription = subscribe(icb_manager, tree.icb)
    alerts_weekly_digest_send(now=NOW)
    link = re.search(r"Stop alerts about NHS Somerset ICB: http://[^/]+(/\S+)", mail.outbox[0].body)
    client = Client(enforce_csrf_checks=True)

    page = client.get(link[1])
    subscription.refresh_from_db()
    assert page.status_code == 200 and subscription.active  # looking changes nothing
    assert "Stop alerts about NHS Somerset ICB?" in page.content.decode()

    done = client.post(link[1], {"List-Unsubscribe": "One-Click"})
    subscription.refresh_from_db()
    assert done.status_code == 200 and not subscription.active
    assert "You have stopped alerts about NHS Somerset ICB" in done.content.decode()


def test_an_altered_unsubscribe_link_is_not_found(tree, icb_manager):
    subscription = subscribe(icb_manager, tree.icb)
    token = unsubscribe_token(subscription)
    response = Client().post(f"/alerts/unsubscribe/{token[:-2]}xx/")

    subscription.refresh_from_db()
    assert response.status_code == 404 and subscription.active


def test_someone_who_lost_their_role_is_sent_nothing_more(tree, icb_manager, waiting_plan):
    subscribe(icb_manager, tree.icb)
    alerts_find()
    icb_manager.role_assignments.all().delete()

    assert alerts_weekly_digest_send(now=NOW) == 0
