"""ARRS pages through the test client: who may open what, and what each role sees."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from arrs.models import PlanStatus, WorkforcePlan
from arrs.tests.plans import plan_file, plan_round
from tests import pages
from tests.pages import page_as, visible_text

pytestmark = pytest.mark.django_db
YEAR = "?year=2026"


def icb_page(client, user, extra=""):
    return page_as(client, user, reverse("arrs:icb") + YEAR + extra)


@pytest.mark.parametrize(
    "role, status",
    [
        ("anonymous", 302),
        ("icb_manager", 200),
        ("pcn_manager", 200),
        ("board_member", 200),
        ("no_role", 403),
        ("other_icb", 200),
    ],
)
def test_who_may_open_the_icb_workforce_page(client, request, plans, role, status):
    assert icb_page(client, pages.user_for(request, role)).status_code == status


def test_another_icbs_manager_cannot_ask_for_this_icb(client, tree, plans):
    user = pages.other_icb_manager(tree)

    assert icb_page(client, user, "&icb=QSL").status_code == 403
    text = visible_text(icb_page(client, user))
    assert "Elsewhere PCN" in text and "PCN U00001" not in text


@pytest.mark.parametrize("role", ["icb_manager", "pcn_manager", "board_member"])
def test_every_role_sees_only_accepted_plans_in_the_icb_table(client, request, plans, role):
    text = visible_text(icb_page(client, request.getfixturevalue(role)))

    assert "WTE of each ARRS role - current and future plans" in text
    assert "accepted plans for round 2026/27 August, from 1 of 3 PCNs" in text
    # U00001's accepted plan: 3 pharmacists at 31 March; U00002's and U00003's do not count
    # planned columns only for the dates the plan gives; 31 December is blank in it
    assert "Clinical Pharmacist 2.50 – Not planned 3.00" in text
    assert "Paramedic" in text and "Dietitian" in text
    assert "7.00" not in text and "Seven dietitians" not in text


def test_a_blank_is_shown_blank_not_as_zero(client, plans, board_member):
    text = visible_text(icb_page(client, board_member))

    assert "Paramedic – Not planned – Not planned – Not planned" in text


def test_the_spend_table_adds_up_and_says_its_year(client, plans, board_member):
    text = visible_text(icb_page(client, board_member))

    # U00001 alone has an accepted plan: U00002's £300,000 is not set against no plan
    assert "1 of 3 PCNs has an accepted plan; not included: PCN U00002, PCN U00003." in text
    assert "Allocation 2026/27 £250,000" in text
    assert "NHS Somerset ICB (1 of 3 PCNs) Allocation 2026/27 £250,000" in text
    assert "Projected spend 2026/27" in text


@pytest.mark.parametrize("role", ["board_member", "pcn_manager"])
def test_board_members_and_pcn_managers_do_not_see_others_plans(client, request, plans, role):
    user = request.getfixturevalue(role)
    for plan in (plans.awaiting, plans.returned, plans.draft):
        assert page_as(client, user, reverse("arrs:plan", args=[plan.pk])).status_code == 403


def test_a_board_member_has_no_plan_list(client, plans, board_member):
    assert page_as(client, board_member, reverse("arrs:plans")).status_code == 403


def test_a_pcn_manager_lists_only_their_own_pcns_plans(client, plans, pcn_manager):
    text = visible_text(page_as(client, pcn_manager, reverse("arrs:plans")))

    assert "PCN U00001" in text
    assert "PCN U00002" not in text and "PCN U00003" not in text


def test_an_icb_manager_lists_every_plan_in_the_icb_with_drafts(client, plans, icb_manager):
    text = visible_text(page_as(client, icb_manager, reverse("arrs:plans")))

    for code in ("U00001", "U00002", "U00003"):
        assert f"PCN {code}" in text
    assert "Not submitted" in text and "Returned" in text and "Awaiting review" in text


def test_another_pcns_page_shows_a_pcn_manager_only_its_accepted_plan(client, plans, pcn_manager):
    text = visible_text(page_as(client, pcn_manager, reverse("arrs:pcn", args=["U00003"]) + YEAR))

    assert "No accepted plan for 2026/27 August yet" in text
    assert "Seven dietitians" not in text and "Plan returned" not in text
    assert "Upload a plan" not in text


def test_the_pcn_manager_sees_their_returned_plan_and_the_icb_comment(
    client, tree, plans, icb_manager
):
    from core.models import Role
    from tests.factories import user_with_role

    manager_c = user_with_role(Role.PCN_MANAGER, tree.pcn_c, username="pcn.c")
    text = visible_text(page_as(client, manager_c, reverse("arrs:pcn", args=["U00003"]) + YEAR))

    assert "Plan returned" in text and "Seven dietitians is surely a typing slip" in text
    assert "Upload a plan" in text


def test_the_own_pcn_page_shows_plan_against_in_post_and_spend(client, plans, pcn_manager):
    text = visible_text(page_as(client, pcn_manager, reverse("arrs:pcn", args=["U00001"]) + YEAR))

    assert "Plan against staff in post" in text
    assert "In post (plan) 31 Jul 2026 Planned 30 Sep 2026" in text
    assert "Clinical Pharmacist 2.00 2.50 – Not planned 3.00" in text
    assert "Allocation 2026/27 £250,000" in text


def test_the_board_table_downloads_as_csv_and_xlsx(client, plans, board_member):
    client.force_login(board_member)
    csv_text = client.get(reverse("arrs:fte_csv") + YEAR).content.decode()
    xlsx = client.get(reverse("arrs:fte_xlsx") + YEAR)

    lines = csv_text.splitlines()
    assert lines[0].startswith("Role,AfC band,")
    assert "Clinical Pharmacist,7-8a,2.5,,3" in csv_text
    assert "Paramedic,7-8a,,," in csv_text
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["A1"].value == "WTE of each ARRS role - current and future plans"
    values = [row for row in sheet.iter_rows(values_only=True) if row[0] == "Clinical Pharmacist"]
    assert values[0][2:] == (2.5, None, 3.0)


@pytest.mark.parametrize(
    "role, status",
    [("pcn_manager", 200), ("icb_manager", 200), ("board_member", 403), ("no_role", 403)],
)
def test_who_may_download_the_template_and_upload(client, request, plans, role, status):
    user = pages.user_for(request, role)
    assert page_as(client, user, reverse("arrs:template", args=["U00001"])).status_code == status
    assert page_as(client, user, reverse("arrs:upload", args=["U00001"])).status_code == status


def test_a_pcn_manager_cannot_upload_for_another_pcn(client, plans, pcn_manager):
    assert page_as(client, pcn_manager, reverse("arrs:upload", args=["U00002"])).status_code == 403


def test_uploading_a_plan_with_problems_lists_them_by_row_and_keeps_nothing(
    client, tree, plans, pcn_manager
):
    client.force_login(pcn_manager)
    before = WorkforcePlan.objects.count()
    file = plan_file(tree.pcn_a, {"Paramedic": (-1,), "Physio": (1,)})

    response = client.post(
        reverse("arrs:upload", args=["U00001"]), {"plan_round": plans.round.pk, "file": file}
    )

    text = visible_text(response)
    assert response.status_code == 400
    assert "The plan was not uploaded" in text
    assert "Row 13, column C: -1 is negative; WTE is zero or more" in text
    assert "Row 29, column A: 'Physio' is not an ARRS role" in text
    assert WorkforcePlan.objects.count() == before


def test_a_clean_upload_is_previewed_then_confirmed_then_accepted(
    client, tree, plans, pcn_manager, icb_manager
):
    client.force_login(pcn_manager)
    file = plan_file(tree.pcn_a, {"Clinical Pharmacist": (2, 3, 4, 5)})

    response = client.post(
        reverse("arrs:upload", args=["U00001"]), {"plan_round": plans.round.pk, "file": file}
    )
    plan = WorkforcePlan.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == reverse(
        "arrs:plan", args=[plan.pk]
    )
    preview = visible_text(client.get(response["Location"]))
    assert "Check your plan before you submit it" in preview
    assert "Submitting this plan replaces the plan submitted for 2026/27 August" in preview

    client.post(reverse("arrs:submit", args=[plan.pk]))
    plan.refresh_from_db()
    plans.accepted.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    assert plans.accepted.status == PlanStatus.SUPERSEDED

    assert (
        client.post(reverse("arrs:review", args=[plan.pk]), {"decision": "accept"}).status_code
        == 403
    )
    client.force_login(icb_manager)
    client.post(reverse("arrs:review", args=[plan.pk]), {"decision": "accept"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACCEPTED


def test_returning_a_plan_needs_a_comment(client, plans, icb_manager):
    client.force_login(icb_manager)

    response = client.post(reverse("arrs:review", args=[plans.awaiting.pk]), {"decision": "return"})

    assert response.status_code == 400
    assert "Say why the plan is being returned" in visible_text(response)
    plans.awaiting.refresh_from_db()
    assert plans.awaiting.status == PlanStatus.SUBMITTED


@pytest.mark.parametrize(
    "name", ["arrs:rounds", "arrs:allocations", "arrs:staff_roles", "arrs:amounts_add"]
)
@pytest.mark.parametrize(
    "role, status", [("icb_manager", 200), ("pcn_manager", 403), ("board_member", 403)]
)
def test_only_icb_managers_keep_workforce_records(client, request, plans, name, role, status):
    user = request.getfixturevalue(role)
    assert page_as(client, user, reverse(name)).status_code == status


@pytest.mark.parametrize("role", ["icb_manager", "pcn_manager", "board_member"])
def test_everyone_reads_the_maximum_reimbursable_amounts(client, request, tree, role):
    response = page_as(
        client, request.getfixturevalue(role), reverse("arrs:amounts") + "?on=01/11/2024"
    )

    text = visible_text(response)
    assert response.status_code == 200
    assert (
        "Clinical Pharmacist Agenda for Change band 7-8a In the scheme from 2019/20 "
        "Outside London £65,838 Outer London £73,189 Inner London £76,313"
    ) in text
    assert "First Contact Physiotherapist Agenda for Change band 7-8a" in text
    assert "Outside London £65,838 (estimate)" in text


def test_an_icb_manager_types_in_allocations(client, tree, icb_manager):
    client.force_login(icb_manager)
    url = reverse("arrs:allocations") + YEAR

    bad = client.post(url, {"year": "2026", "amount-U00001": "lots"})
    good = client.post(
        url, {"year": "2026", "amount-U00001": "£812,345", "area-U00001": "outer_london"}
    )

    assert bad.status_code == 400 and "'lots' is not an amount in pounds" in visible_text(bad)
    assert good.status_code == 302
    allocation = tree.pcn_a.arrs_allocations.get(financial_year=2026)
    assert str(allocation.amount) == "812345.00" and allocation.rate_area == "outer_london"
    assert allocation.updated_by == icb_manager


def test_an_icb_manager_adds_a_year_of_amounts(client, tree, icb_manager):
    from arrs.models import ArrsRole, ReimbursementRate

    client.force_login(icb_manager)
    pharmacist = ArrsRole.objects.get(code="clinical_pharmacist")
    form = client.get(reverse("arrs:amounts_add") + "?from=2025-01-01&uplift=10")
    assert 'value="72422"' in form.content.decode()  # 65,838 uplifted by 10%

    response = client.post(
        reverse("arrs:amounts_add"),
        {
            "effective_from": "01/04/2027",
            "source": "Network Contract DES 2027/28",
            "amount-clinical_pharmacist-national": "70000",
        },
    )

    assert response.status_code == 302
    rate = ReimbursementRate.objects.get(role=pharmacist, effective_from="2027-04-01")
    assert rate.amount == 70000 and rate.created_by == icb_manager and not rate.is_estimate


def test_an_icb_manager_starts_a_round(client, tree, icb_manager):
    client.force_login(icb_manager)

    response = client.post(reverse("arrs:rounds"), {"financial_year": "2026", "label": "October"})

    assert response.status_code == 302
    assert tree.icb.arrs_plan_rounds.get().name == "2026/27 October"


def test_a_closed_round_is_not_offered_for_upload(client, tree, icb_manager, pcn_manager):
    plan_round(tree.icb, "Closed one", is_open=False)
    text = visible_text(page_as(client, pcn_manager, reverse("arrs:upload", args=["U00001"])))

    assert "No round is open for plans at the moment" in text


def test_a_pcn_page_opens_on_the_newest_round_with_a_plan_the_reader_may_see(
    client, tree, plans, icb_manager, board_member
):
    from arrs.tests.conftest import accepted

    october = plan_round(tree.icb, "October")
    accepted(tree.pcn_c, october, icb_manager, icb_manager, {"Dietitian": (1, 1, 1, 1)})
    url = reverse("arrs:pcn", args=["U00003"]) + YEAR

    assert "Plan: 2026/27 October" in visible_text(page_as(client, board_member, url))
    august = visible_text(page_as(client, board_member, url + f"&round={plans.round.pk}"))
    assert "No accepted plan for 2026/27 August yet" in august


def test_a_plan_whose_uploader_left_still_opens_and_says_so(
    client, plans, pcn_manager, icb_manager
):
    from arrs.models import WorkforcePlan

    plan_id = plans.accepted.pk
    pcn_manager.delete()  # uploaded and submitted the accepted plan

    response = page_as(client, icb_manager, reverse("arrs:plan", args=[plan_id]))

    assert response.status_code == 200
    assert WorkforcePlan.objects.get(pk=plan_id).submitted_by is None
    assert "by an account since removed" in visible_text(response)
