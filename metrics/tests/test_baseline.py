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


MARCH, APRIL = dt.date(2025, 3, 1), dt.date(2025, 4, 1)


def appointments_change(code: str, month: dt.date) -> float | None:
    return MeasureValue.objects.get(
        org__code=code, measure_id="appointments_total", period=month
    ).change_baseline


def test_a_baseline_month_chosen_before_later_months_load_applies_to_them(
    client, icb_manager, tree, tmp_path
):
    march = [Row("L85001", 400), Row("L85002", 200), Row("J99001", 90, sub_icb_location_code="92G")]
    gpad_month_load(tmp_path, march, MARCH)
    client.force_login(icb_manager)
    assert client.post(reverse("metrics:baseline"), {"month": "2025-03-01"}).status_code == 302

    april = [
        Row("L85001", 650),
        Row("L85002", 325),
        Row("J99001", 120, sub_icb_location_code="92G"),
    ]
    gpad_month_load(tmp_path, april, APRIL)

    assert appointments_change("L85001", APRIL) == 650 - 400
    assert appointments_change("L85002", APRIL) == 325 - 200
    assert appointments_change("U00001", APRIL) == (650 + 325) - (400 + 200)
    assert appointments_change("QSL", APRIL) == (650 + 325) - (400 + 200)
    # Outside QSL the default (the same month of 2019, not loaded) still holds.
    assert appointments_change("J99001", APRIL) is None
    assert appointments_change("ENG", APRIL) is None


def test_reloading_the_baseline_month_with_changed_counts_moves_the_later_changes(
    client, icb_manager, tree, tmp_path
):
    gpad_month_load(tmp_path, [Row("L85001", 400), Row("L85002", 200)], MARCH)
    gpad_month_load(tmp_path, [Row("L85001", 650), Row("L85002", 325)], APRIL)
    client.force_login(icb_manager)
    client.post(reverse("metrics:baseline"), {"month": "2025-03-01"})
    assert appointments_change("QSL", APRIL) == 975 - 600

    gpad_month_load(tmp_path, [Row("L85001", 500), Row("L85002", 260)], MARCH)

    assert appointments_change("L85001", APRIL) == 650 - 500
    assert appointments_change("L85002", APRIL) == 325 - 260
    assert appointments_change("QSL", APRIL) == (650 + 325) - (500 + 260)
    assert appointments_change("QSL", MARCH) == 0
