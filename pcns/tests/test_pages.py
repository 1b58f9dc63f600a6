"""The PCN page and its CSV, through the test client."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests import pages
from tests.factories import link, list_size, org
from tests.pages import page_as, visible_text

PCN_A = reverse("pcns:detail", args=["U00001"])
PCN_B = reverse("pcns:detail", args=["U00002"])
PAGES = {"page": PCN_B, "csv": reverse("pcns:list_sizes_csv", args=["U00002"])}
EXPECTED = {
    "anonymous": 302,
    "icb_manager": 200,
    "pcn_manager": 200,  # manages U00001, reads every PCN in the ICB to compare
    "board_member": 200,
    "no_role": 403,
    "other_icb": 403,
}


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("role", pages.ROLES)
def test_who_may_open_the_pcn_pages(client, request, tree, role, page):
    response = page_as(client, pages.user_for(request, role), PAGES[page])

    assert response.status_code == EXPECTED[role]


def test_the_manager_of_the_pcn_next_door_gets_403_on_ours(client, tree):
    client.force_login(pages.other_icb_manager(tree))

    assert client.get(PCN_A).status_code == 403
    assert client.get(reverse("pcns:detail", args=["U99999"])).status_code == 200


def test_an_unknown_pcn_code_is_not_found(client, icb_manager):
    assert page_as(client, icb_manager, reverse("pcns:detail", args=["U00404"])).status_code == 404


def test_a_practice_code_is_not_a_pcn(client, icb_manager):
    assert page_as(client, icb_manager, reverse("pcns:detail", args=["L85001"])).status_code == 404


def test_the_pcn_page_lists_todays_members_with_their_list_sizes(client, board_member):
    text = visible_text(page_as(client, board_member, PCN_B))

    assert "Moving Surgery (L85004) 11,010 Apr 2025" in text
    assert "Surgery L85003 (L85003) 8,010 Apr 2025" in text
    assert "All member practices 19,020" in text
    assert "List sizes: Patients Registered at a GP Practice, 1 Apr 2025" in text


def test_a_practice_that_moved_shows_in_both_pcns_histories_with_dates(client, board_member):
    old = visible_text(page_as(client, board_member, PCN_A))
    new = visible_text(client.get(PCN_B))

    assert "Moving Surgery (L85004) Dates 1 July 2019 to 31 March 2025 Now Left" in old
    assert "Moving Surgery (L85004) Dates Since 1 April 2025 Now Current member" in new
    assert "Moving Surgery" not in old.split("Member practices today")[1].split("over time")[0]


def test_the_trend_counts_each_practice_only_while_it_was_a_member(client, board_member):
    old = visible_text(page_as(client, board_member, PCN_A))
    new = visible_text(client.get(PCN_B))

    assert "Apr 2025 13,020 11,020 2 of 2" in old and "Mar 2025 24,000 20,100 3 of 3" in old
    assert "Apr 2025 19,020 15,820 2 of 2" in new and "Mar 2025 8,000 6,700 1 of 1" in new


def test_the_pcn_chart_has_its_caption_table_and_csv_beside_it(client, board_member):
    response = page_as(client, board_member, PCN_B)

    html, text = response.content.decode(), visible_text(response)
    assert 'data-app-chart="pcn-list-sizes-figure"' in html
    assert re.search(r"/static/js/charts\.[0-9a-f]{12}\.js", html)
    assert "Source: Patients Registered at a GP Practice. Period: Mar 2025 to Apr 2025." in text
    assert "the latest is as at 1 April 2025" in text
    assert reverse("pcns:list_sizes_csv", args=["U00002"]) in html


def test_the_pcn_csv_holds_the_trend_with_member_counts(client, board_member):
    response = page_as(client, board_member, PAGES["csv"])

    assert response.content.decode().splitlines() == [
        "pcn_code,month,registered_patients,patients_13_plus,member_practices,practices_reporting",
        "U00002,2025-03-01,8000,6700,1,1",
        "U00002,2025-04-01,19020,15820,2,2",
    ]


def test_the_pcn_manager_is_told_they_can_change_their_own_pcn_only(client, pcn_manager):
    own = visible_text(page_as(client, pcn_manager, PCN_A))
    other = visible_text(client.get(PCN_B))

    assert "You can change this PCN's records" in own
    assert "You can read this PCN's published figures" in other


def test_breadcrumbs_run_from_the_icb_to_the_place(client, board_member):
    html = page_as(client, board_member, PCN_B).content.decode()

    start = html.index('aria-label="Breadcrumb"')
    crumbs = html[start : html.index("</nav>", start)]
    assert crumbs.index("NHS Somerset ICB") < crumbs.index("NHS Somerset ICB - 11X")


def test_the_pcn_page_takes_a_bounded_number_of_queries_however_many_practices(
    client, tree, icb_manager, django_assert_max_num_queries
):
    for number in range(20):
        practice = org("practice", f"L86{number:03d}", f"Extra Surgery {number}")
        link(practice, tree.place)
        link(practice, tree.pcn_b)
        list_size(practice, dt.date(2025, 4, 1), 4000)
    client.force_login(icb_manager)

    # Three of them save the session (a savepoint around one UPDATE): every request does, so
    # activity keeps it alive.
    with django_assert_max_num_queries(29):
        response = client.get(PCN_B)

    assert "22 of 22" in visible_text(response)


def test_a_member_without_a_list_size_is_counted_but_its_patients_are_not_guessed(
    client, board_member, tree
):
    tree.practices["L85003"].list_sizes.all().delete()

    text = visible_text(page_as(client, board_member, PCN_B))

    assert "Surgery L85003 (L85003) Not loaded" in text
    assert "All member practices 11,010 (1 of 2 practices)" in text
