"""Sign-in, home, the layout and the pages every user meets, through the test client."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from core.pages import render_page
from imports.registry import all_sources
from tests import pages
from tests.pages import page_as, visible_text

PASSWORD = "a-long-test-password"


@pytest.fixture
def no_role_user(db):
    return pages.no_role_user()


@pytest.fixture
def other_icb_manager(tree):
    return pages.other_icb_manager(tree)


def test_an_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/"


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
def test_who_may_open_the_home_page(client, request, tree, role, status):
    response = page_as(client, pages.user_for(request, role), reverse("home"))

    assert response.status_code == status


def test_signing_in_with_the_right_password_goes_home(client, icb_manager):
    response = client.post(reverse("login"), {"username": "icb.manager", "password": PASSWORD})

    assert response.status_code == 302 and response["Location"] == "/"


def test_a_wrong_password_shows_an_error_summary_and_says_error_in_the_title(client, icb_manager):
    response = client.post(reverse("login"), {"username": "icb.manager", "password": "wrong"})

    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text and "nhsuk-error-summary" in text
    assert "<title>Error: Sign in – Access Portal – NHS</title>" in text


def test_signing_out_needs_a_post_and_ends_the_session(client, icb_manager):
    client.force_login(icb_manager)

    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))

    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302


# Board members get the dashboard as their home page instead (board/dashboard/tests). ICB and
# PCN managers see their own work first (core/tests/test_home.py), then their ICB.
@pytest.mark.parametrize("role", ["icb_manager", "pcn_manager"])
def test_everyone_with_a_role_sees_their_icb_at_a_glance(client, request, role):
    user = request.getfixturevalue(role)

    response = page_as(client, user, reverse("home"))

    text = response.content.decode()
    assert response.status_code == 200
    assert "<h2>NHS Somerset ICB at a glance</h2>" in text
    assert "NHS Somerset ICB - 11X: PCNs, practices and registered patients" in text
    assert "NHS Bath and North East Somerset ICB" not in text


def test_the_home_page_counts_practices_patients_pcns_and_places(client, icb_manager):
    text = visible_text(page_as(client, icb_manager, reverse("home")))

    # Six open practices in QSL; April 2025 list sizes 6,010 + 7,010 + ... + 11,010.
    assert "Practices 6 Registered patients 51,060 PCNs 3 Places (sub-ICB locations) 1" in text


def test_the_home_page_lists_each_pcn_and_the_practices_in_no_pcn(client, icb_manager):
    text = visible_text(page_as(client, icb_manager, reverse("home")))

    assert "PCN U00001 (U00001) 2 13,020" in text
    # L85004 moved into U00002 on 1 April 2025, so today it counts there.
    assert "PCN U00002 (U00002) 2 19,020" in text
    assert "PCN U00003 (U00003) 1 9,010" in text
    assert "Practices in no PCN 1 10,010" in text
    assert "All practices in NHS Somerset ICB - 11X 6 51,060" in text


def test_home_page_figures_say_their_source_and_as_at_date(client, icb_manager):
    text = page_as(client, icb_manager, reverse("home")).content.decode()

    assert "List sizes: Patients Registered at a GP Practice, 1 Apr 2025" in text


def test_the_home_page_takes_a_bounded_number_of_queries(
    client, icb_manager, django_assert_max_num_queries
):
    client.force_login(icb_manager)

    # Three of them save the session (a savepoint around one UPDATE): every request does, so
    # activity keeps it alive. Four read the ICB manager's to-do list (core/tests/test_home.py).
    with django_assert_max_num_queries(19):
        assert client.get(reverse("home")).status_code == 200


def test_a_signed_in_user_with_no_role_is_told_whom_to_ask(client, no_role_user):
    response = page_as(client, no_role_user, reverse("home"))

    text = response.content.decode()
    assert response.status_code == 403
    assert "You do not have access yet" in text and "ICB primary care team" in text
    assert reverse("practices:browse") not in text


def test_staff_with_no_icb_are_pointed_to_imports_and_the_admin(client, staff_admin):
    text = page_as(client, staff_admin, reverse("home")).content.decode()

    assert "not linked to an ICB" in text
    assert reverse("metrics:imports") in text and reverse("admin:index") in text


def test_page_titles_follow_the_pattern_page_service_nhs(client, icb_manager):
    text = page_as(client, icb_manager, reverse("home")).content.decode()

    assert "<title>Home – Access Portal – NHS</title>" in text


def test_the_layout_has_a_skip_link_the_service_name_and_a_post_sign_out(client, icb_manager):
    text = page_as(client, icb_manager, reverse("home")).content.decode()

    assert 'href="#maincontent"' in text and 'id="maincontent"' in text
    assert "Access Portal" in text
    assert f'method="post" action="{reverse("logout")}"' in text
    assert "csrfmiddlewaretoken" in text
    # Served as production serves them: under the hashed names of the static manifest.
    for kind in ("css", "js"):
        assert re.search(
            rf"/static/nhsuk/nhsuk-frontend-10\.6\.1\.min\.[0-9a-f]{{12}}\.{kind}", text
        )


def test_the_imports_link_shows_only_for_those_who_see_imports(
    client, icb_manager, pcn_manager, board_member
):
    imports = f'href="{reverse("metrics:imports")}"'
    assert imports in page_as(client, icb_manager, "/").content.decode()
    assert imports not in page_as(client, pcn_manager, "/").content.decode()
    assert imports not in page_as(client, board_member, "/").content.decode()


def test_the_admin_link_shows_only_for_staff(client, icb_manager, staff_admin):
    admin = f'href="{reverse("admin:index")}"'
    assert admin not in page_as(client, icb_manager, "/").content.decode()
    assert admin in page_as(client, staff_admin, "/").content.decode()


def test_django_messages_appear_in_a_notification_banner(rf, icb_manager):
    request = rf.get("/")
    request.user = icb_manager
    request._messages = [SimpleNamespace(message="Your file was loaded", level_tag="success")]

    text = render_page(request, "accessibility.jinja").content.decode()

    assert "nhsuk-notification-banner--success" in text and "Your file was loaded" in text


def test_the_data_sources_page_lists_every_source_with_publisher_and_cadence(client, board_member):
    text = page_as(client, board_member, reverse("data_sources")).content.decode()

    for source in all_sources():
        assert source.title in text
        assert source.publisher.replace("'", "&#39;") in text
        assert source.cadence.replace("'", "&#39;") in text


def test_the_data_sources_page_links_the_api_documentation_in_its_content(client, board_member):
    html = page_as(client, board_member, reverse("data_sources")).content.decode()
    content = html[html.index('id="maincontent"') : html.index("</main>")]

    assert f'href="{reverse("api:docs")}"' in content


def test_the_accessibility_statement_is_open_to_anyone(client, db):
    response = client.get(reverse("accessibility"))

    assert response.status_code == 200
    assert "Accessibility statement for Access Portal" in response.content.decode()


def test_an_unknown_address_shows_the_nhs_page_not_found(client, icb_manager):
    response = page_as(client, icb_manager, "/no-such-page/")

    assert response.status_code == 404
    assert "<title>Page not found – Access Portal – NHS</title>" in response.content.decode()


def test_the_home_page_of_a_manager_of_the_other_icb_shows_only_theirs(client, other_icb_manager):
    text = page_as(client, other_icb_manager, reverse("home")).content.decode()

    assert "NHS Bath and North East Somerset ICB at a glance" in text
    assert "NHS Somerset ICB - 11X" not in text


def test_patients_with_no_list_sizes_loaded_show_as_not_loaded_not_zero(client, icb_manager):
    from practices.models import ListSize

    ListSize.objects.all().delete()

    text = visible_text(page_as(client, icb_manager, reverse("home")))

    assert "Registered patients Not loaded" in text
    assert "PCN U00001 (U00001) 2 Not loaded" in text
    assert "List sizes: Patients Registered at a GP Practice, no figures loaded yet" in text


def test_a_failure_is_the_portals_own_500_page_needing_no_database():
    """With DEBUG off, an unexpected error shows the portal's page, not Django's, drawn
    without the database (which may be what failed): this test has no database to give."""
    from django.test import RequestFactory

    from core.views import server_error

    response = server_error(RequestFactory().get("/"))

    text = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in text and "Traceback" not in text
    assert re.search(r"/static/css/portal\.[0-9a-f]{12}\.css", text)
