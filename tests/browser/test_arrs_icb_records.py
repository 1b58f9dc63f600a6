"""What an ICB manager keeps for the workforce figures, in a real browser: a name their PCNs
write for a role, and in-post totals for the whole ICB where they hold no split by PCN, which
the ICB's table then shows as such. Each page axe-clean at 390 and 1366 px."""

from __future__ import annotations

import pytest

from arrs.models import IcbInPostCount, RoleAlias
from tests.browser.accessibility import fits_and_passes_axe
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_icb_manager_adds_a_role_name_and_records_icb_totals(page, tree, icb_manager):
    sign_in(page, "icb.manager")
    page.get_by_role("link", name="Workforce").first.click()
    page.get_by_role("link", name="Role names PCNs write").click()
    page.get_by_label("Name as PCNs write it").fill("Home visiting medic")
    page.get_by_label("The ARRS role it means").select_option(label="Paramedic")
    page.get_by_role("button", name="Add the name").click()

    page.get_by_text("'Home visiting medic' is now read as Paramedic").wait_for()
    assert RoleAlias.objects.get().role.code == "paramedic"
    changes = page.get_by_role("row").filter(has_text="Added 'Home visiting medic' for Paramedic")
    assert "icb.manager" in changes.inner_text()
    fits_and_passes_axe(page)

    page.get_by_role("link", name="Workforce").first.click()
    page.get_by_role("link", name="ICB in-post totals (no PCN split)").click()
    page.get_by_label("In post on").fill("31/03/2026")
    page.get_by_label("Clinical Pharmacist").fill("4.5")
    page.get_by_role("button", name="Save the figures").click()

    page.get_by_text("1 figures changed for 31/03/2026").wait_for()
    assert IcbInPostCount.objects.get().wte == 4.5
    assert (
        "Used for the ICB's total" in page.get_by_role("row").filter(has_text="4.50").inner_text()
    )
    fits_and_passes_axe(page)

    page.get_by_role("link", name="Workforce").first.click()
    row = page.get_by_role("row").filter(has_text="PCNs with figures")
    assert "ICB total (no PCN split)" in row.inner_text()
    assert (
        "4.50" in page.get_by_role("row").filter(has_text="Clinical Pharmacist").first.inner_text()
    )
