"""The home page lands each role where its work is: a PCN manager on their PCN's returned plans
and open rounds, an ICB manager on what waits for them; and every role's navigation holds only
links it may open."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from arrs.models import PlanRound, PlanStatus, WorkforcePlan
from core.models import Role
from metrics.leases import lease
from metrics.models import BatchStatus, ImportBatch
from practices.models import Organisation, OrgKind
from tests.factories import link, org, user_with_role
from tests.pages import page_as, visible_text

TODAY = timezone.localdate()
YEAR = 2026
NOW = timezone.now()


def plan_round(icb, label="August", due_on=None, is_open=True) -> PlanRound:
    return PlanRound.objects.create(
        icb=icb, financial_year=YEAR, label=label, due_on=due_on, is_open=is_open
    )


def plan(pcn, rnd, status, comment="", by=None) -> WorkforcePlan:
    by = by or User.objects.get_or_create(username="plan.uploader")[0]
    submitted = None if status == PlanStatus.DRAFT else NOW
    reviewed = NOW if status in (PlanStatus.ACCEPTED, PlanStatus.RETURNED) else None
    return WorkforcePlan.objects.create(
        pcn=pcn,
        plan_round=rnd,
        status=status,
        as_at=dt.date(YEAR, 6, 30),
        file_name=f"{pcn.code}-plan.xlsx",
        checksum="0" * 64,
        uploaded_by=by,
        submitted_at=submitted,
        submitted_by=by if submitted else None,
        reviewed_at=reviewed,
        review_comment=comment,
    )


def batch(source, status, icb=None, period_end=None, age_seconds=0, **extra) -> ImportBatch:
    made = ImportBatch.objects.create(
        source=source,
        file_name=f"{source}.csv",
        file_path=f"/nowhere/{source}.csv",
        checksum="1" * 64,
        status=status,
        icb=icb,
        period_end=period_end,
        **extra,
    )
    if age_seconds:
        then = timezone.now() - dt.timedelta(seconds=age_seconds)
        ImportBatch.objects.filter(pk=made.pk).update(created_at=then)
        made.refresh_from_db()
    return made


def home_text(client, user) -> str:
    response = page_as(client, user, reverse("home"))
    assert response.status_code == 200
    return visible_text(response)


def home_html(client, user) -> str:
    return page_as(client, user, reverse("home")).content.decode()


# --- a PCN manager --------------------------------------------------------------------------


def test_a_pcn_manager_lands_on_their_pcn_with_a_returned_plan_and_its_comment(
    client, tree, pcn_manager, icb_manager
):
    rnd = plan_round(tree.icb)
    returned = plan(tree.pcn_a, rnd, PlanStatus.RETURNED, "Paramedic WTE looks doubled")

    html = home_html(client, pcn_manager)
    text = visible_text(client.get(reverse("home")))

    assert "<h1>PCN U00001</h1>" in html
    assert f"The ICB returned your plan for {rnd.name}" in text
    assert "Paramedic WTE looks doubled" in text
    assert f'href="{reverse("arrs:plan", args=[returned.pk])}"' in html
    assert f'href="{reverse("arrs:upload", args=["U00001"])}">Upload a corrected plan' in html
    # Before the PCN's work: the ICB at a glance comes after it.
    assert html.index("Plans returned to you") < html.index("NHS Somerset ICB at a glance")


def test_a_returned_plan_with_a_corrected_draft_points_to_submitting_the_draft(
    client, tree, pcn_manager
):
    rnd = plan_round(tree.icb)
    plan(tree.pcn_a, rnd, PlanStatus.RETURNED, "Check the pharmacists")
    draft = plan(tree.pcn_a, rnd, PlanStatus.DRAFT)

    html = home_html(client, pcn_manager)

    assert f'href="{reverse("arrs:plan", args=[draft.pk])}">Check and submit the corrected' in html
    assert "Upload a corrected plan" not in html


def test_a_pcn_manager_sees_open_rounds_with_due_dates_and_whether_their_plan_is_in(
    client, tree, pcn_manager
):
    due = dt.date(2026, 8, 31)
    submitted = plan_round(tree.icb, "August", due_on=due)
    plan(tree.pcn_a, submitted, PlanStatus.SUBMITTED)
    plan(tree.pcn_b, plan_round(tree.icb, "October"), PlanStatus.SUBMITTED)  # another PCN's
    plan_round(tree.icb, "Closed", is_open=False)
    plan_round(tree.other_icb, "Elsewhere")

    text = home_text(client, pcn_manager)

    # Soonest due first; each row read with its headings, as the responsive table shows them.
    assert (
        f"Round {submitted.name} Due 31 August 2026 Your plan Awaiting review What to do See your"
        f" plan for {submitted.name} Round {YEAR}/27 October Due No due date Your plan Not"
        " submitted What to do Upload a plan"
    ) in text
    assert "Closed" not in text and "Elsewhere" not in text
    assert "Nothing is waiting for you: the ICB has not returned any plan" in text


def test_a_round_past_its_due_date_without_the_pcns_plan_says_overdue(client, tree, pcn_manager):
    plan_round(tree.icb, due_on=TODAY - dt.timedelta(days=1))

    text = home_text(client, pcn_manager)

    assert "(overdue) Your plan Not submitted" in text


def test_a_returned_plan_past_the_due_date_is_overdue_until_sent_again(client, tree, pcn_manager):
    rnd = plan_round(tree.icb, due_on=TODAY - dt.timedelta(days=1))
    plan(tree.pcn_a, rnd, PlanStatus.RETURNED, "Check the pharmacists")

    text = home_text(client, pcn_manager)

    assert "(overdue) Your plan Returned" in text


def test_a_pcn_manager_with_no_open_round_is_told_so_and_gets_the_pcns_pages(
    client, tree, pcn_manager
):
    html = home_html(client, pcn_manager)

    assert "No plan rounds are open" in html
    for name, args in (
        ("pcns:detail", ["U00001"]),
        ("dashboard:org", ["pcn", "U00001"]),
        ("arrs:pcn", ["U00001"]),
    ):
        assert f'href="{reverse(name, args=args)}"' in html


def test_a_pcn_manager_does_not_see_the_icbs_to_do_list_nor_another_pcns_return(
    client, tree, pcn_manager
):
    rnd = plan_round(tree.icb, due_on=TODAY - dt.timedelta(days=3))
    plan(tree.pcn_b, rnd, PlanStatus.RETURNED, "Another PCN's comment")
    plan(tree.pcn_c, rnd, PlanStatus.SUBMITTED)

    text = home_text(client, pcn_manager)

    assert "What needs your attention" not in text
    assert "Another PCN's comment" not in text and "Review PCN U00003" not in text


# --- an ICB manager ---------------------------------------------------------------------------


def test_an_icb_manager_with_nothing_waiting_is_told_so_in_plain_words(client, tree, icb_manager):
    html = home_html(client, icb_manager)

    assert '<h1 id="todo">What needs your attention</h1>' in html
    assert "Nothing is waiting for you." in html
    assert "<h2>NHS Somerset ICB at a glance</h2>" in html


def test_an_icb_manager_is_asked_to_review_submitted_plans(client, tree, icb_manager):
    rnd = plan_round(tree.icb)
    waiting = plan(tree.pcn_b, rnd, PlanStatus.SUBMITTED, by=icb_manager)
    plan(tree.pcn_a, rnd, PlanStatus.ACCEPTED)
    plan(tree.other_pcn, plan_round(tree.other_icb), PlanStatus.SUBMITTED)

    html = home_html(client, icb_manager)

    link_to = f'href="{reverse("arrs:plan", args=[waiting.pk])}">Review PCN U00002'
    assert "Plans awaiting your review (1)" in html and link_to in html
    assert "Elsewhere PCN" not in html
    assert "Nothing is waiting for you." not in html


def test_failed_imports_not_since_loaded_again_are_listed_with_a_link(client, tree, icb_manager):
    failed = batch("arrs-claims", BatchStatus.FAILED, icb=tree.icb, age_seconds=60)
    fixed = batch("arrs-in-post", BatchStatus.FAILED, icb=tree.icb, age_seconds=600)
    batch("arrs-in-post", BatchStatus.SUCCEEDED, icb=tree.icb, age_seconds=300)
    batch("arrs-claims", BatchStatus.FAILED, icb=tree.other_icb)

    html = home_html(client, icb_manager)

    assert "Imports that failed (1)" in html
    assert f'href="{reverse("metrics:batch", args=[failed.pk])}"' in html
    assert f'href="{reverse("metrics:batch", args=[fixed.pk])}"' not in html


def test_imports_queued_or_running_past_the_lease_are_listed_as_stuck(client, tree, icb_manager):
    lease_time = settings.IMPORT_LEASE_SECONDS
    queued = batch("arrs-claims", BatchStatus.QUEUED, icb=tree.icb, age_seconds=lease_time + 60)
    dead = batch(
        "arrs-in-post",
        BatchStatus.RUNNING,
        icb=tree.icb,
        started_at=timezone.now() - dt.timedelta(seconds=lease_time + 60),
    )
    alive = batch(
        "arrs-allocations",
        BatchStatus.RUNNING,
        icb=tree.icb,
        started_at=timezone.now() - dt.timedelta(seconds=lease_time * 5),
    )
    batch("arrs-claims", BatchStatus.QUEUED, icb=tree.icb)  # just sent

    with lease(alive.pk):  # a long import whose worker is alive is not stuck
        html = home_html(client, icb_manager)

    assert "Imports that look stuck (2)" in html
    for found in (queued, dead):
        assert f'href="{reverse("metrics:batch", args=[found.pk])}"' in html
    assert f'href="{reverse("metrics:batch", args=[alive.pk])}"' not in html


def test_an_import_that_becomes_stuck_shows_though_no_record_changed(client, tree, icb_manager):
    """Under the page cache: time passing alone makes a running import stuck."""
    running = batch("arrs-claims", BatchStatus.RUNNING, icb=tree.icb, started_at=timezone.now())
    client.force_login(icb_manager)
    assert "look stuck" not in client.get(reverse("home")).content.decode()

    # The worker dies and the lease runs out; no record is saved (an update sends no signal).
    later = timezone.now() - dt.timedelta(seconds=settings.IMPORT_LEASE_SECONDS + 1)
    ImportBatch.objects.filter(pk=running.pk).update(started_at=later)

    assert "Imports that look stuck (1)" in client.get(reverse("home")).content.decode()


def test_open_rounds_past_their_due_date_name_the_pcns_with_no_plan_in(client, tree, icb_manager):
    overdue = plan_round(tree.icb, "August", due_on=TODAY - dt.timedelta(days=1))
    plan(tree.pcn_a, overdue, PlanStatus.ACCEPTED)
    plan(tree.pcn_b, overdue, PlanStatus.RETURNED, "Missing pharmacists")
    plan_round(tree.icb, "October", due_on=TODAY + dt.timedelta(days=1))
    plan_round(tree.icb, "June", due_on=TODAY - dt.timedelta(days=60), is_open=False)

    text = home_text(client, icb_manager)

    assert "Plan rounds past their due date (1)" in text
    assert (
        f"{overdue.name}, due {(TODAY - dt.timedelta(days=1)).day} " in text
        and "no plan from PCN U00003; returned and not sent again by PCN U00002" in text
    )
    assert "October," not in text and "June," not in text


def test_monthly_sources_behind_gpads_latest_month_are_listed_with_the_rule(
    client, tree, icb_manager
):
    october, september = dt.date(2026, 10, 1), dt.date(2026, 9, 1)
    batch("gpad", BatchStatus.SUCCEEDED, period_end=october)
    batch("gpad-coverage", BatchStatus.SUCCEEDED, period_end=october)
    batch("list-sizes", BatchStatus.SUCCEEDED, period_end=september)
    batch("list-sizes", BatchStatus.FAILED, period_end=october)  # a failed load does not count
    batch("arrs-claims", BatchStatus.SUCCEEDED, icb=tree.other_icb, period_end=october)

    html = home_html(client, icb_manager)
    text = visible_text(client.get(reverse("home")))

    assert "Sources not loaded for Oct 2026 (2)" in text
    assert "Patients Registered" in text and "newest month loaded is Sep 2026" in text
    assert f'href="{reverse("metrics:upload")}">Load ' in html and "never loaded" in text
    assert "GPAD coverage" not in text.split("Sources not loaded")[1].split("The latest month")[0]
    assert "The latest month is the newest month of GP appointments (GPAD) loaded" in text


def test_the_to_do_list_is_not_shown_to_a_board_member_or_staff(
    client, tree, board_member, staff_admin
):
    plan(tree.pcn_b, plan_round(tree.icb), PlanStatus.SUBMITTED)

    for user in (board_member, staff_admin):
        text = home_text(client, user)
        assert "What needs your attention" not in text and "Review PCN" not in text


# --- navigation -------------------------------------------------------------------------------


@pytest.fixture
def national_loader(tree):
    england = org(OrgKind.ENGLAND, "ENG", "England")
    return user_with_role(Role.NATIONAL_DATA, england, username="national.loader")


def header_links(html: str) -> list[str]:
    header = re.search(r"<header\b.*?</header>", html, flags=re.S).group(0)
    return sorted(set(re.findall(r'href="([^"#]+)"', header)))


def page_links(html: str) -> list[str]:
    """Every link of the page's own (header, content and footer), static files aside."""
    body = html[html.index("<body") :]
    return sorted(
        {h for h in re.findall(r'href="(/[^"#]*)"', body) if not h.startswith("/static/")}
    )


@pytest.mark.parametrize(
    "role",
    ["staff_admin", "national_loader", "pcn_manager", "icb_manager", "board_member"],
)
def test_every_link_on_a_roles_home_page_opens_for_it(client, request, tree, role):
    user = request.getfixturevalue(role)
    rnd = plan_round(tree.icb, due_on=TODAY - dt.timedelta(days=1))
    plan(tree.pcn_a, rnd, PlanStatus.RETURNED, "Check the pharmacists")
    plan(tree.pcn_b, rnd, PlanStatus.SUBMITTED)
    batch("arrs-claims", BatchStatus.FAILED, icb=tree.icb)
    batch("gpad", BatchStatus.SUCCEEDED, period_end=dt.date(2026, 10, 1))
    html = home_html(client, user)
    links = page_links(html)

    refused = {}
    for href in links:
        response = client.get(href)
        sent_to_sign_in = response.status_code == 302 and "next=" in response.get("Location", "")
        if response.status_code in (401, 403, 404) or sent_to_sign_in:
            refused[href] = response.status_code

    assert len(header_links(html)) >= 4
    assert refused == {}


def test_staff_with_no_icb_have_no_workforce_link(client, tree, staff_admin):
    assert reverse("arrs:icb") not in header_links(home_html(client, staff_admin))


# --- queries ---------------------------------------------------------------------------------


def more_pcns(tree, count: int) -> list[Organisation]:
    pcns = []
    for i in range(count):
        pcn = org(OrgKind.PCN, f"U1{i:04d}", f"PCN extra {i}")
        link(pcn, tree.place)
        pcns.append(pcn)
    return pcns


def busy_icb(tree, icb_manager, extra: int) -> None:
    """Plans to review, an overdue round, failed and stuck imports and sources behind, for the
    tree's PCNs and ``extra`` more."""
    pcns = [tree.pcn_a, tree.pcn_b, tree.pcn_c, *more_pcns(tree, extra)]
    overdue = plan_round(tree.icb, "August", due_on=TODAY - dt.timedelta(days=2))
    for n in range(1 + extra):
        other = plan_round(tree.icb, f"Round {n}")
        plan(pcns[n % len(pcns)], other, PlanStatus.SUBMITTED, by=icb_manager)
        batch("arrs-claims", BatchStatus.FAILED, icb=tree.icb)
        batch("arrs-in-post", BatchStatus.QUEUED, icb=tree.icb, age_seconds=3600)
    for pcn in pcns[: len(pcns) // 2]:
        plan(pcn, overdue, PlanStatus.RETURNED, "Redo it")
    batch("gpad", BatchStatus.SUCCEEDED, period_end=dt.date(2026, 10, 1))


@pytest.mark.parametrize("extra", [0, 12])
def test_an_icb_managers_home_takes_the_same_queries_however_much_waits(
    client, tree, icb_manager, extra, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0
    busy_icb(tree, icb_manager, extra)
    client.force_login(icb_manager)
    client.get(reverse("home"))

    with django_assert_max_num_queries(24):
        text = visible_text(client.get(reverse("home")))

    assert f"Plans awaiting your review ({1 + extra})" in text
    assert "Imports that look stuck" in text and "Imports that failed (1)" in text


@pytest.mark.parametrize("rounds", [1, 12])
def test_a_pcn_managers_home_takes_the_same_queries_however_many_rounds(
    client, tree, rounds, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0
    pcns = [tree.pcn_a, *more_pcns(tree, rounds - 1)]
    manager = user_with_role(Role.PCN_MANAGER, *pcns, username="busy.pcn")
    for n in range(rounds):
        rnd = plan_round(tree.icb, f"Round {n}", due_on=TODAY)
        for pcn in pcns:
            plan(pcn, rnd, PlanStatus.RETURNED, f"Comment {n}")
    client.force_login(manager)
    client.get(reverse("home"))

    with django_assert_max_num_queries(18):
        text = visible_text(client.get(reverse("home")))

    assert text.count(f"Comment {rounds - 1}") == len(pcns)
