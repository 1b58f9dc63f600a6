"""A newcomer's first minute, in a real browser: each manager signs in and reaches their first
piece of work in one click from where they land. The home page each lands on is axe-clean and
fits at 390 and 1366 px."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from arrs.models import PlanRound, WorkforcePlan
from arrs.services import workforce_plan_review, workforce_plan_submit, workforce_plan_upload
from arrs.tests.plans import plan_file
from tests.browser.accessibility import fits_and_passes_axe
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def submitted(pcn, plan_round, user) -> WorkforcePlan:
    """A plan uploaded and submitted as the pages do it."""
    upload = plan_file(pcn, {"Paramedic": (1, 2)})
    plan = workforce_plan_upload(pcn=pcn, plan_round=plan_round, upload=upload, user=user).plan
    return workforce_plan_submit(plan=plan, user=user)


@pytest.fixture
def august(tree):
    due = timezone.localdate() + dt.timedelta(days=14)
    return PlanRound.objects.create(icb=tree.icb, financial_year=2026, label="August", due_on=due)


def test_a_pcn_manager_reaches_their_returned_plan_in_one_click(
    page, tree, pcn_manager, icb_manager, august
):
    plan = submitted(tree.pcn_a, august, pcn_manager)
    workforce_plan_review(
        plan=plan, user=icb_manager, accept=False, comment="Paramedic WTE looks doubled"
    )

    sign_in(page, "pcn.manager")

    assert page.get_by_role("heading", level=1).inner_text() == "PCN U00001"
    fits_and_passes_axe(page)
    page.get_by_role("link", name="See the returned plan for 2026/27 August").click()
    assert "Paramedic WTE looks doubled" in page.locator("main").inner_text()
    assert re.search(r"/workforce/plans/\d+/$", page.url)


def test_an_icb_manager_reaches_a_plan_to_review_in_one_click(page, tree, icb_manager, august):
    submitted(tree.pcn_b, august, icb_manager)

    sign_in(page, "icb.manager")

    assert page.get_by_role("heading", level=1).inner_text() == "What needs your attention"
    fits_and_passes_axe(page)
    page.get_by_role("link", name="Review PCN U00002's plan for 2026/27 August").click()
    assert page.get_by_label("Accept the plan").is_visible()
