"""Alerts in a real browser: a PCN manager follows their PCN, a returned plan reaches them by
email, and the email's unsubscribe link stops it without signing in."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.test.utils import override_settings

from alerts.services import alerts_immediate_send
from arrs.models import PlanRound, PlanStatus, WorkforcePlan
from tests.browser.accessibility import axe_violations
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_pcn_manager_follows_their_pcn_hears_of_a_returned_plan_and_unsubscribes(
    page, browser, portal_server, tree, pcn_manager
):
    sign_in(page, "pcn.manager")
    page.get_by_role("link", name="Alerts").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Alerts"
    page.get_by_label("Organisation").select_option(label="PCN U00001 (PCN U00001)")
    page.get_by_label("Straight away, and in the weekly digest").check()
    page.get_by_role("button", name="Save alert").click()

    assert page.get_by_text("You will get alerts about PCN U00001.").count() == 1
    row = page.get_by_role("row").filter(has_text="PCN U00001")
    assert "Straight away" in row.inner_text()
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page) == [], width
        assert page.evaluate("document.documentElement.scrollWidth") <= width

    plan_round = PlanRound.objects.create(icb=tree.icb, financial_year=2026, label="August")
    WorkforcePlan.objects.create(
        pcn=tree.pcn_a, plan_round=plan_round, status=PlanStatus.RETURNED,
        as_at=dt.date(2026, 7, 31), file_name="plan.xlsx", checksum="0" * 64,
        submitted_at=dt.datetime(2026, 8, 1, tzinfo=dt.UTC), review_comment="Add the paramedics",
    )  # fmt: skip
    with override_settings(PORTAL_URL=portal_server):
        assert alerts_immediate_send() == 1
    body = mail.outbox[0].body
    assert "Workforce plan returned to you: PCN U00001, 2026/27 August" in body
    unsubscribe = re.search(r"Stop alerts about PCN U00001: (\S+)", body)[1]

    stranger = browser.new_context(base_url=portal_server).new_page()
    stranger.goto(unsubscribe)
    stranger.get_by_role("button", name="Stop these alerts").click()
    heading = stranger.get_by_role("heading", level=1).inner_text()
    assert heading == "You have stopped alerts about PCN U00001"
    assert axe_violations(stranger) == []
    stranger.context.close()

    page.reload()
    assert page.get_by_text("You do not get any alerts yet.").count() == 1
    assert page.get_by_role("link", name=re.compile("Workforce plan returned to you")).count() == 1
