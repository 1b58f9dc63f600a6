import datetime as dt

import pytest
from django.urls import reverse

from metrics.models import BaselineSetting, MeasureValue
from tests.gpad_files import Row, gpad_month_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_months(tree, tmp_path):
    for month, count in ((dt.date(2025, 3, 1), 400), (dt.date(2025, 4, 1), 650)):
        gpad_month_load(tmp_path, [Row("L85001", count), Row("L85002", count // 2)], month)


def test_an_icb_manager_chooses_a_baseline_month_and_changes_are_recomputed(
    client, icb_manager, tree, two_months
):
    client.force_login(icb_manager)

    response = client.post(reverse("metrics:baseline"), {"month": "2025-03-01"})

    assert response.status_code == 302
    assert BaselineSetting.objects.get(icb=tree.icb).month == dt.date(2025, 3, 1)
    april, march = (
        MeasureValue.objects.get(org=tree.icb, measure_id="appointments_total", period=month)
        for month in (dt.date(2025, 4, 1), dt.date(2025, 3, 1))
    )
    assert april.change_baseline == april.value - march.value
    assert march.change_baseline == 0


def test_going_back_to_2019_leaves_the_change_blank_when_2019_is_not_loaded(
    client, icb_manager, tree, two_months
):
    client.force_login(icb_manager)
    client.post(reverse("metrics:baseline"), {"month": "2025-03-01"})

    client.post(reverse("metrics:baseline"), {"month": ""})

    assert BaselineSetting.objects.get(icb=tree.icb).month is None
    values = MeasureValue.objects.filter(org=tree.icb)
    assert values.exists() and not values.exclude(change_baseline=None).exists()


@pytest.mark.parametrize("user", ["pcn_manager", "board_member"])
def test_others_read_the_baseline_but_cannot_change_it(client, request, tree, user):
    client.force_login(request.getfixturevalue(user))

    page = client.get(reverse("metrics:baseline"))
    refused = client.post(reverse("metrics:baseline"), {"month": ""})

    assert page.status_code == 200 and b"Save baseline" not in page.content
    assert refused.status_code == 403
    assert not BaselineSetting.objects.exists()
