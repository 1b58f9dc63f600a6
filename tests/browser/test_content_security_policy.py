"""Pages under the portal's Content-Security-Policy, in a real browser: nothing a page needs
is refused by the policy, nothing is asked of any origin but the portal's, and the charts
are still drawn."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from board.dashboard.tests.data import measure_months_load
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


class PageLog:
    """What a tab asked for and what its console said."""

    def __init__(self, page, portal: str):
        self.portal = urlsplit(portal).netloc
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.console: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} {r.failure}"))
        page.on("response", lambda r: self.failed.append(r.url) if r.status >= 400 else None)
        page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))

    def elsewhere(self) -> list[str]:
        """Requests to any origin but the portal's (data: URLs are not requests)."""
        return [
            url
            for url in self.requests
            if not url.startswith("data:") and urlsplit(url).netloc != self.portal
        ]

    def policy_refusals(self) -> list[str]:
        return [line for line in self.console if "Content Security Policy" in line]


@pytest.fixture
def log(page, portal_server):
    return PageLog(page, portal_server)


def _charts_drawn(page) -> int:
    page.locator(".app-chart__plot .main-svg").first.wait_for()
    return page.locator(".app-chart__plot svg.main-svg").count()


def test_the_sign_in_page_loads_everything_from_the_portal_under_its_policy(page, log):
    response = page.goto("/sign-in/")

    policy = response.headers["content-security-policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'" and "unsafe" not in policy
    assert page.locator("body.js-enabled.nhsuk-frontend-supported").count() == 1
    page.wait_for_load_state("networkidle")
    assert log.policy_refusals() == []
    assert log.elsewhere() == []
    assert log.failed == []


def test_the_dashboard_and_a_practice_draw_their_charts_under_the_policy(
    page, log, tree, board_member
):
    measure_months_load(tree)
    sign_in(page, board_member.username)

    page.goto("/dashboard/")
    assert _charts_drawn(page) > 0
    page.goto("/organisations/practice/L85001/")
    assert _charts_drawn(page) > 0
    page.wait_for_load_state("networkidle")

    assert log.policy_refusals() == []
    assert log.elsewhere() == []
    assert log.failed == []


def test_every_file_the_nhs_stylesheet_names_is_served_by_the_portal(page):
    page.goto("/sign-in/")
    href = page.locator("link[rel=stylesheet][href*=nhsuk-frontend]").get_attribute("href")
    css = page.request.get(href).text()

    named = re.findall(r"url\(([^)]+)\)", css)
    assert named  # the sortable table's arrows, the close cross, ...
    for url in named:
        assert url.startswith("/assets/"), url  # no font from assets.nhs.uk
        assert page.request.get(url).ok, url


def test_the_api_docs_draw_under_their_policy(page, log):
    page.goto("/api/v1/docs/")
    page.locator(".swagger-ui .info").wait_for()
    page.wait_for_load_state("networkidle")

    assert log.policy_refusals() == []
    assert log.elsewhere() == []
    assert log.failed == []
