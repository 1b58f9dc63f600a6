"""The organisation browser and practice pages, through the test client."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from metrics.models import ImportBatch
from tests import pages
from tests.pages import page_as, visible_text

PRACTICE = reverse("practices:practice", args=["L85004"])
PAGES = {
    "browse": reverse("practices:browse") + "?q=surgery",
    "region": reverse("practices:org_detail", args=["region", "Y58"]),
    "icb": reverse("practices:org_detail", args=["icb", "QSL"]),
    "place": reverse("practices:org_detail", args=["sub_icb", "11X"]),
    "practice": PRACTICE,
    "practice via kind": reverse("practices:org_detail", args=["practice", "L85004"]),
    "csv": reverse("practices:list_sizes_csv", args=["L85004"]),
}
# What each role gets on every page above that is about QSL (the browse page is everyone's).
EXPECTED = {
    "anonymous": 302,
    "icb_manager": 200,
    "pcn_manager": 200,
    "board_member": 200,
    "no_role": 403,
    "other_icb": 403,
}


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("role", pages.ROLES)
def test_who_may_open_each_organisation_page(client, request, tree, role, page):
    response = page_as(client, pages.user_for(request, role), PAGES[page])

    expected = EXPECTED[role]
    if role == "other_icb" and page in {"browse", "region"}:
        expected = 200  # their own search, and the region both ICBs are in
    assert response.status_code == expected
    if role == "anonymous":
        assert response["Location"].startswith("/sign-in/?next=")


def test_a_manager_of_the_other_icb_gets_403_on_every_qsl_practice(client, tree):
    client.force_login(pages.other_icb_manager(tree))

    for code in ("L85001", "L85002", "L85003", "L85004", "L85005", "L85006"):
        response = client.get(reverse("practices:practice", args=[code]))
        assert response.status_code == 403
        assert "You cannot see this page" in response.content.decode()


def test_an_unknown_ods_code_is_not_found(client, icb_manager):
    response = page_as(client, icb_manager, reverse("practices:practice", args=["Z99999"]))

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_an_unknown_kind_of_organisation_is_not_found(client, icb_manager):
    url = reverse("practices:org_detail", args=["planet", "QSL"])

    assert page_as(client, icb_manager, url).status_code == 404


def test_codes_are_matched_whatever_their_case(client, icb_manager):
    url = reverse("practices:practice", args=["l85004"])

    assert page_as(client, icb_manager, url).status_code == 200


def test_a_pcn_address_in_the_browser_leads_to_the_pcn_page(client, icb_manager):
    response = page_as(client, icb_manager, reverse("practices:org_detail", args=["pcn", "U00001"]))

    assert response.status_code == 302
    assert response["Location"] == reverse("pcns:detail", args=["U00001"])


def test_search_finds_by_ods_code_and_by_name(client, board_member):
    by_code = visible_text(page_as(client, board_member, "/organisations/?q=L85003"))
    by_name = visible_text(client.get("/organisations/?q=moving"))

    assert "1 result for ‘L85003’" in by_code and "Surgery L85003" in by_code
    assert "Moving Surgery" in by_name


def test_search_never_shows_organisations_outside_the_readers_icb(client, board_member):
    text = visible_text(page_as(client, board_member, "/organisations/?q=Far Away"))

    assert "0 results" in text and "Far Away Surgery" not in text


def test_the_browser_without_a_search_lists_the_readers_icb(client, pcn_manager):
    response = page_as(client, pcn_manager, reverse("practices:browse"))

    assert reverse("practices:org_detail", args=["icb", "QSL"]) in response.content.decode()


def test_the_icb_page_lists_its_places_with_pcn_counts(client, icb_manager):
    text = visible_text(page_as(client, icb_manager, PAGES["icb"]))

    assert "PCN U00001 (U00001) 2 13,020" in text
    assert "Practices in no PCN 1 10,010" in text
    assert "List sizes: Patients Registered at a GP Practice, 1 Apr 2025" in text


def test_the_place_page_lists_pcns_and_names_the_practices_in_no_pcn(client, icb_manager):
    text = visible_text(page_as(client, icb_manager, PAGES["place"]))

    assert "PCN U00003 (U00003) 1 9,010" in text
    assert "Practices in NHS Somerset ICB - 11X that are in no PCN" in text
    assert "Surgery L85006 (L85006) 1 10,010" in text


def test_the_region_page_lists_only_the_icbs_the_reader_may_see(client, icb_manager):
    text = visible_text(page_as(client, icb_manager, PAGES["region"]))

    assert "NHS Somerset ICB (QSL)" in text
    assert "NHS Bath and North East Somerset ICB" not in text


def test_practice_breadcrumbs_run_from_the_icb_through_the_place_to_the_pcn(client, board_member):
    html = page_as(client, board_member, PRACTICE).content.decode()

    crumbs = html[
        html.index('aria-label="Breadcrumb"') : html.index("</nav>", html.index("Breadcrumb"))
    ]
    positions = [crumbs.index(name) for name in ("NHS Somerset ICB", "- 11X", "PCN U00002")]
    assert positions == sorted(positions)


def test_the_practice_page_shows_its_details_and_where_the_record_came_from(
    client, icb_manager, tree
):
    practice = tree.practices["L85004"]
    batch = ImportBatch.objects.create(source="ods-practices", file_name="epraccur.csv")
    practice.postcode, practice.phone = "TA1 1AA", "01823 000000"
    practice.source_batch, practice.source_row = batch, 17
    practice.save()

    response = page_as(client, icb_manager, PRACTICE)

    text = visible_text(response)
    assert "ODS code L85004" in text and "Postcode TA1 1AA" in text
    assert f"Where this record came from Import {batch.pk} , row 17" in text
    assert reverse("metrics:batch", args=[batch.pk]) in response.content.decode()


def test_readers_who_cannot_see_imports_get_the_batch_named_not_linked(client, board_member, tree):
    practice = tree.practices["L85004"]
    practice.source_batch = ImportBatch.objects.create(source="ods", file_name="epraccur.csv")
    practice.save()

    response = page_as(client, board_member, PRACTICE)

    assert "epraccur.csv" in visible_text(response)
    assert "/imports/" not in response.content.decode()


def test_the_membership_history_shows_both_pcns_of_the_moved_practice_with_dates(
    client, board_member
):
    text = visible_text(page_as(client, board_member, PRACTICE))

    # Responsive tables repeat each column's heading before its value for small screens.
    assert "PCN U00001 (U00001) Dates 1 July 2019 to 31 March 2025" in text
    assert "PCN U00002 (U00002) Dates Since 1 April 2025" in text


def test_the_list_size_chart_has_a_caption_a_table_and_a_csv_link(client, board_member):
    response = page_as(client, board_member, PRACTICE)

    html, text = response.content.decode(), visible_text(response)
    assert 'data-app-chart="list-sizes-figure"' in html
    assert re.search(r"/static/plotly/plotly-basic\.min\.[0-9a-f]{12}\.js", html)
    assert "Source: Patients Registered at a GP Practice. Period: Mar 2025 to Apr 2025." in text
    assert "Apr 2025 11,010 9,110" in text and "Mar 2025 11,000 9,100" in text
    assert reverse("practices:list_sizes_csv", args=["L85004"]) in html


def test_a_practice_with_no_list_sizes_says_so_and_draws_no_chart(client, board_member, tree):
    tree.practices["L85004"].list_sizes.all().delete()

    response = page_as(client, board_member, PRACTICE)

    assert "No list sizes have been loaded for this practice yet." in visible_text(response)
    assert "plotly-basic.min.js" not in response.content.decode()


def test_the_list_size_csv_holds_the_same_figures_as_the_table(client, board_member):
    response = page_as(client, board_member, PAGES["csv"])

    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="list-sizes-L85004.csv"' in response["Content-Disposition"]
    assert response.content.decode().splitlines() == [
        "practice_code,month,registered_patients,patients_13_plus",
        "L85004,2025-03-01,11000,9100",
        "L85004,2025-04-01,11010,9110",
    ]


def test_the_practice_page_takes_a_bounded_number_of_queries(
    client, board_member, django_assert_max_num_queries
):
    client.force_login(board_member)

    # Three of them save the session (a savepoint around one UPDATE): every request does, so
    # activity keeps it alive.
    with django_assert_max_num_queries(21):
        assert client.get(PRACTICE).status_code == 200
