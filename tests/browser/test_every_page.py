"""Every page a role can reach, opened in the browser on production settings (DEBUG off,
static files from the manifest through WhiteNoise): none answers with a server error, and
every script and stylesheet a page names is served."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import sign_in
from tests.gpad_files import MARCH_2025, Row, gpad_month_load
from tests.pages import other_icb_manager

PAGES_PER_ROLE = 20
SKIPPED = ("/static/", "/media/", "/admin/", "/api/v1/", "/sign-out")
DOWNLOADS = (".csv", ".xlsx", ".pdf", ".pptx")


@pytest.fixture
def appointments(tree, tmp_path):
    gpad_month_load(
        tmp_path,
        [
            Row("L85001", 900, pcn_code="U00001"),
            Row("L85002", 700, pcn_code="U00001", appt_status="DNA"),
            Row("L85003", 400, pcn_code="U00002", time_between_book_and_appt="2 to 7 Days"),
        ],
        MARCH_2025,
    )


def _links(page) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    found = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.hostname not in {"127.0.0.1", None} or not parts.path.startswith("/"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if parts.path.startswith(SKIPPED) or parts.path.endswith(DOWNLOADS) or "csv" in path:
            continue
        found.append(path)
    return found


def crawl(page) -> dict[str, int]:
    """Open pages breadth first from the home page, following the portal's own links."""
    failed_assets: list[str] = []
    page.on(
        "response",
        lambda r: failed_assets.append(r.url) if "/static/" in r.url and r.status >= 400 else None,
    )
    statuses, queue = {}, ["/"]
    while queue and len(statuses) < PAGES_PER_ROLE:
        path = queue.pop(0)
        if path in statuses:
            continue
        response = page.goto(path)
        statuses[path] = response.status if response else 0
        if statuses[path] < 400:
            queue.extend(p for p in _links(page) if p not in statuses)
    assert not failed_assets, failed_assets
    return statuses


@pytest.mark.parametrize(
    "who",
    ["icb_manager", "pcn_manager", "board_member", "data_loader", "staff_admin", "other_icb"],
)
def test_no_page_a_role_reaches_answers_with_a_server_error(page, request, tree, appointments, who):
    user = other_icb_manager(tree) if who == "other_icb" else request.getfixturevalue(who)
    sign_in(page, user.username)

    statuses = crawl(page)

    errors = {path: status for path, status in statuses.items() if status >= 500}
    assert not errors, errors
    assert len(statuses) > 3, statuses  # the crawl found the role's pages


def test_a_missing_page_is_the_portals_own_404_not_a_list_of_urls(page, tree, icb_manager):
    sign_in(page, "icb.manager")

    response = page.goto("/no-such-page/")

    assert response.status == 404
    text = page.content()
    assert "Page not found" in text and "URLconf" not in text and "access_portal.urls" not in text
