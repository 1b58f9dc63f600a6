"""A plan round for any year of the scheme: an ICB manager records the plans PCNs made in a
past year, and the workforce page reads that year."""

import datetime as dt

import pytest
from django.urls import reverse

from arrs.models import PlanRound, WorkforcePlan
from arrs.services import (
    workforce_plan_review,
    workforce_plan_submit,
    workforce_plan_template,
    workforce_plan_upload,
)
from arrs.services.records import RecordError, plan_round_create
from arrs.tests.plans import as_upload, filled
from tests.pages import other_icb_manager, page_as, visible_text

pytestmark = pytest.mark.django_db


def test_an_icb_manager_starts_a_round_for_a_past_year(client, tree, icb_manager):
    client.force_login(icb_manager)
    form = client.get(reverse("arrs:rounds"))

    response = client.post(reverse("arrs:rounds"), {"financial_year": "2021", "label": "August"})

    assert '<option value="2019"' in form.content.decode()
    assert response.status_code == 302
    assert tree.icb.arrs_plan_rounds.get().name == "2021/22 August"


def test_a_round_before_the_scheme_began_is_refused(tree, icb_manager):
    with pytest.raises(RecordError, match="from 2019/20"):
        plan_round_create(icb=tree.icb, year=2018, label="August", user=icb_manager)
    assert not PlanRound.objects.exists()


@pytest.mark.parametrize("role", ["pcn_manager", "board_member"])
def test_only_the_icbs_managers_start_rounds(client, request, tree, role):
    client.force_login(request.getfixturevalue(role))

    response = client.post(reverse("arrs:rounds"), {"financial_year": "2021", "label": "August"})

    assert response.status_code == 403
    assert not PlanRound.objects.exists()


def test_another_icbs_manager_cannot_start_a_round_for_this_icb(client, tree):
    client.force_login(other_icb_manager(tree))

    response = client.post(
        reverse("arrs:rounds") + "?icb=QSL", {"financial_year": "2021", "label": "August"}
    )

    assert response.status_code == 403
    assert not PlanRound.objects.filter(icb=tree.icb).exists()


def test_a_plan_for_a_past_year_is_uploaded_accepted_and_shown(
    client, tree, icb_manager, pcn_manager
):
    past = plan_round_create(icb=tree.icb, year=2021, label="August", user=icb_manager)
    upload_page = visible_text(
        page_as(client, pcn_manager, reverse("arrs:upload", args=["U00001"]))
    )
    template = workforce_plan_template(pcn=tree.pcn_a, year=2021, today=dt.date(2021, 7, 31))
    data = filled(template, {"Clinical Pharmacist": (1, 1.5, 2, 2)})

    result = workforce_plan_upload(
        pcn=tree.pcn_a, plan_round=past, upload=as_upload(data), user=pcn_manager
    )
    assert result.plan is not None, [str(p) for p in result.problems.kept]
    plan = workforce_plan_submit(plan=result.plan, user=pcn_manager)
    workforce_plan_review(plan=plan, user=icb_manager, accept=True)
    page = page_as(client, icb_manager, reverse("arrs:icb") + "?year=2025")

    assert "2021/22 template" in upload_page
    assert WorkforcePlan.objects.get(pk=plan.pk).as_at == dt.date(2021, 7, 31)
    assert '<option value="2021"' in page.content.decode()
    text = visible_text(page_as(client, icb_manager, reverse("arrs:icb") + "?year=2021"))
    assert "accepted plans for round 2021/22 August, from 1 of 3 PCNs" in text
    assert "Clinical Pharmacist 1.50 2.00 2.00" in text
