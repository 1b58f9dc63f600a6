"""The ICB's own in-post totals (no PCN split): recorded by the ICB's managers, used for the
ICB's total on a date no PCN has figures for, said so, and never added to PCN figures."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from arrs.models import ArrsRole, IcbInPostCount
from arrs.services import icb_in_post_set
from arrs.services.records import RecordError
from tests.pages import other_icb_manager, page_as, visible_text

pytestmark = pytest.mark.django_db
PAGE = reverse("arrs:icb_in_post")
MARCH_31, JUNE_30 = dt.date(2026, 3, 31), dt.date(2026, 6, 30)
WORKFORCE = reverse("arrs:icb") + "?year=2026"


def role(code: str) -> ArrsRole:
    return ArrsRole.objects.get(code=code)


def totals(tree, user, day, **by_code):
    values = {role(code).pk: Decimal(str(wte)) for code, wte in by_code.items()}
    icb_in_post_set(icb=tree.icb, as_at=day, values=values, user=user)


def test_an_icb_manager_records_totals_for_the_whole_icb(client, tree, icb_manager):
    client.force_login(icb_manager)

    response = client.post(
        PAGE,
        {"as_at": "31/03/2026", "wte-clinical_pharmacist": "4.5", "wte-paramedic": "0"},
    )

    assert response.status_code == 302
    held = IcbInPostCount.objects.filter(icb=tree.icb, as_at=MARCH_31)
    assert dict(held.values_list("role__code", "wte")) == {
        "clinical_pharmacist": Decimal("4.5"),
        "paramedic": Decimal("0"),
    }
    assert held.first().updated_by == icb_manager
    text = visible_text(client.get(PAGE))
    assert "31 March 2026 4.50 Used for the ICB's total" in text


def test_the_icb_total_uses_its_own_figure_only_where_no_pcn_has_one(
    client, in_post, icb_manager, board_member
):
    # PCN figures on 30 June (pharmacists 2.5 in U00001 + 1.2 in U00002); none on 31 March
    totals(in_post, icb_manager, MARCH_31, clinical_pharmacist=4.5)
    totals(in_post, icb_manager, JUNE_30, clinical_pharmacist=10)

    text = visible_text(page_as(client, board_member, WORKFORCE))

    assert "Clinical Pharmacist 4.50 3.70" in text  # never 13.70: the two are not added
    assert "PCNs with figures ICB total (no PCN split) 2" in text
    assert (
        "In post on 31 Mar 2026: the ICB's own total for the whole ICB, as no PCN has "
        "figures for that date."
    ) in text
    assert "The ICB's own totals for 30 Jun 2026 are not used: PCN figures are held" in text
    assert "In post, ICB total (no PCN split)" in text  # a line of its own on the chart


def test_a_place_or_pcn_never_shows_the_icbs_total(client, in_post, icb_manager, board_member):
    totals(in_post, icb_manager, MARCH_31, clinical_pharmacist=4.5)

    text = visible_text(page_as(client, board_member, WORKFORCE + "&place=11X"))

    assert "In post 31 Mar 2026" not in text and "4.50" not in text
    assert "The ICB's own totals (no PCN split) show only when all the ICB's PCNs" in text


def test_the_downloads_say_which_column_is_the_icbs_total(client, in_post, icb_manager):
    totals(in_post, icb_manager, MARCH_31, clinical_pharmacist=4.5)
    client.force_login(icb_manager)

    csv = client.get(reverse("arrs:fte_csv") + "?year=2026").content.decode()

    assert "Clinical Pharmacist,7-8a,4.5,3.7\r\n" in csv
    assert "PCNs with figures,,ICB total (no PCN split),2" in csv


def test_a_cleared_figure_is_removed_and_every_change_kept(client, tree, icb_manager):
    client.force_login(icb_manager)
    client.post(PAGE, {"as_at": "31/03/2026", "wte-clinical_pharmacist": "4.5"})
    client.post(PAGE, {"as_at": "31/03/2026", "wte-clinical_pharmacist": "5"})

    client.post(PAGE, {"as_at": "31/03/2026", "wte-clinical_pharmacist": ""})

    assert not IcbInPostCount.objects.exists()
    history = IcbInPostCount.history.order_by("history_date")
    assert [(h.history_type, h.wte) for h in history] == [
        ("+", Decimal("4.5")),
        ("~", Decimal("5")),
        ("-", Decimal("5")),
    ]
    assert {h.history_user for h in history} == {icb_manager}


@pytest.mark.parametrize(
    "form, message",
    [
        ({"as_at": "31/03/2026", "wte-paramedic": "-1"}, "Paramedic: '-1' is not a number"),
        ({"as_at": "31/03/2026", "wte-paramedic": "lots"}, "Paramedic: 'lots' is not a number"),
        ({"as_at": "", "wte-paramedic": "1"}, "Enter the date the staff were counted on"),
        ({"as_at": "31/03/2099", "wte-paramedic": "1"}, "the date is ahead"),
    ],
)
def test_a_wrong_figure_or_date_is_refused_with_nothing_saved(
    client, tree, icb_manager, form, message
):
    client.force_login(icb_manager)

    response = client.post(PAGE, form)

    assert response.status_code == 400
    assert message in visible_text(response)
    assert not IcbInPostCount.objects.exists()


@pytest.mark.parametrize("role_name", ["pcn_manager", "board_member"])
def test_only_icb_managers_record_icb_totals(client, request, tree, role_name):
    client.force_login(request.getfixturevalue(role_name))

    read = client.get(PAGE)
    write = client.post(PAGE, {"as_at": "31/03/2026", "wte-paramedic": "1"})

    assert read.status_code == 403 and write.status_code == 403
    assert not IcbInPostCount.objects.exists()


def test_another_icbs_manager_cannot_record_this_icbs_totals(client, tree):
    client.force_login(other_icb_manager(tree))

    response = client.post(PAGE + "?icb=QSL", {"as_at": "31/03/2026", "wte-paramedic": "1"})

    assert response.status_code == 403
    assert not IcbInPostCount.objects.exists()


def test_totals_are_for_an_icb_only(tree, pcn_manager):
    with pytest.raises(RecordError):
        icb_in_post_set(icb=tree.pcn_a, as_at=MARCH_31, values={}, user=pcn_manager)


def test_an_icb_holds_one_figure_per_role_and_date_and_none_below_zero(tree):
    from django.db import IntegrityError, transaction

    pharmacist = role("clinical_pharmacist")
    IcbInPostCount.objects.create(icb=tree.icb, role=pharmacist, as_at=MARCH_31, wte=1)
    for day, wte in ((MARCH_31, 2), (JUNE_30, -1)):
        with pytest.raises(IntegrityError), transaction.atomic():
            IcbInPostCount.objects.create(icb=tree.icb, role=pharmacist, as_at=day, wte=wte)
