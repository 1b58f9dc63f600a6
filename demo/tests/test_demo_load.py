"""The demo ICB, loaded through the real importers, is the ICB the issues describe."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from core.models import Role, RoleAssignment
from demo.generator import ICB_CODE, demo_structure
from demo.gpad import data_quality_practice_code
from demo.services import DEMO_PASSWORD, demo_icb_load, demo_users_create
from metrics.models import BatchStatus, GpadPracticeMonth, ImportBatch, MeasureValue
from practices.models import Organisation, OrgKind
from practices.selectors import latest_list_sizes, members_as_at, parent_as_at

pytestmark = pytest.mark.django_db
LAST_MONTH = dt.date(2026, 10, 1)


def test_the_demo_register_has_62_open_practices_in_13_pcns_one_in_none_and_a_mover(tmp_path):
    demo = demo_structure()
    batches = demo_icb_load(out_dir=tmp_path, appointments=False)
    assert {b.status for b in batches} == {BatchStatus.SUCCEEDED}
    icb = Organisation.objects.get(kind=OrgKind.ICB, code=ICB_CODE)
    today = dt.date(2026, 11, 1)

    practices = members_as_at(icb, today, OrgKind.PRACTICE).open_on(today)
    pcns = members_as_at(icb, today, OrgKind.PCN)
    in_pcns = {p.pk for pcn in pcns for p in members_as_at(pcn, today, OrgKind.PRACTICE)}
    assert practices.count() == 62 and pcns.count() == 13
    assert [p.code for p in practices if p.pk not in in_pcns] == [demo.unallocated_practice_code]
    sizes = latest_list_sizes(practices.values_list("pk", flat=True), today)
    assert 580_000 <= sum(size.all_patients for size in sizes.values()) <= 620_000

    move = demo.move
    practice = Organisation.objects.get(kind=OrgKind.PRACTICE, code=move.practice_code)
    before = parent_as_at(practice, OrgKind.PCN, move.moved_on - dt.timedelta(days=1))
    after = parent_as_at(practice, OrgKind.PCN, move.moved_on)
    assert (before.code, after.code) == (move.old_pcn_code, move.new_pcn_code)


def test_the_whole_demo_loads_with_27_months_of_appointments_and_reloads_unchanged(tmp_path):
    call_command("demo_load", out=tmp_path, demo_on_production_settings=True)
    assert set(ImportBatch.objects.values_list("status", flat=True)) == {BatchStatus.SUCCEEDED}
    months = set(GpadPracticeMonth.objects.values_list("month", flat=True))
    assert len(months) == 27 and max(months) == LAST_MONTH
    icb = Organisation.objects.get(code=ICB_CODE)
    same_day = MeasureValue.objects.get(org=icb, period=LAST_MONTH, measure_id="same_day_pct")
    assert 35 < same_day.value < 55 and same_day.change_year is not None
    # The demo ICB compares against October 2024 (its data starts after 2019).
    october = MeasureValue.objects.get(
        org=icb, period=dt.date(2024, 10, 1), measure_id="same_day_pct"
    )
    assert same_day.change_baseline == pytest.approx(same_day.value - october.value)
    flagged = GpadPracticeMonth.objects.filter(incomplete=True, month=LAST_MONTH)
    assert [row.practice.code for row in flagged] == [data_quality_practice_code(demo_structure())]

    batches = ImportBatch.objects.count()
    call_command("demo_load", out=tmp_path, demo_on_production_settings=True)
    assert ImportBatch.objects.count() == batches  # already loaded: nothing is loaded again
    call_command("demo_load", out=tmp_path, reload=True, demo_on_production_settings=True)
    reloaded = ImportBatch.objects.order_by("pk")[batches:]
    assert len(reloaded) == batches
    assert {batch.status for batch in reloaded} == {BatchStatus.UNCHANGED}


def test_there_is_one_demo_user_per_role(tmp_path):
    demo_icb_load(out_dir=tmp_path, appointments=False)
    demo_users_create(known_admin_password=False)
    roles = set(RoleAssignment.objects.values_list("user__username", "role"))
    assert roles == {
        ("icb.manager", Role.ICB_MANAGER),
        ("pcn.manager", Role.PCN_MANAGER),
        ("board.member", Role.BOARD_MEMBER),
        ("icb.manager", Role.NATIONAL_DATA),
    }


def test_demo_load_refuses_production_settings_unless_told(tmp_path, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--demo-on-production-settings"):
        call_command("demo_load", out=tmp_path)
    assert not User.objects.exists()


def test_on_production_settings_the_superuser_never_gets_the_published_password(tmp_path):
    demo_icb_load(out_dir=tmp_path, appointments=False)
    logins = {login.username: login for login in demo_users_create(known_admin_password=False)}
    admin = User.objects.get(username="staff.admin")
    assert admin.is_superuser and not admin.check_password(DEMO_PASSWORD)
    assert admin.check_password(logins["staff.admin"].password)
    # An existing superuser keeps its own password when the demo users are made again.
    admin.set_password("a-password-only-its-owner-knows")
    admin.save()
    demo_users_create(known_admin_password=False)
    admin.refresh_from_db()
    assert admin.check_password("a-password-only-its-owner-knows")
    assert User.objects.get(username="icb.manager").check_password(DEMO_PASSWORD)
