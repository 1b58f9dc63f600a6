"""The demo ICB, loaded through the real importers, is the ICB the issue describes."""

import datetime as dt

import pytest
from django.core.management import call_command

from core.demo.generator import ICB_CODE, demo_structure
from core.models import Role, RoleAssignment
from metrics.models import BatchStatus, ImportBatch
from practices.models import Organisation, OrgKind
from practices.selectors import latest_list_sizes, members_as_at, parent_as_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(tmp_path):
    call_command("demo_load", out=tmp_path / "demo")
    return demo_structure()


def test_every_demo_file_loads_through_its_importer(demo):
    statuses = set(ImportBatch.objects.values_list("status", flat=True))
    sources = set(ImportBatch.objects.values_list("source", flat=True))

    assert statuses == {BatchStatus.SUCCEEDED}
    assert sources == {"ods-practices", "ods-pcns", "ods-pcn-members", "gpad-mapping", "list-sizes"}


def test_the_demo_icb_has_62_open_practices_in_13_pcns_and_one_in_none(demo):
    icb = Organisation.objects.get(kind=OrgKind.ICB, code=ICB_CODE)
    today = dt.date(2026, 11, 1)

    practices = members_as_at(icb, today, OrgKind.PRACTICE).open_on(today)
    pcns = members_as_at(icb, today, OrgKind.PCN)
    in_pcns = {p.pk for pcn in pcns for p in members_as_at(pcn, today, OrgKind.PRACTICE)}

    assert practices.count() == 62 and pcns.count() == 13
    assert [p.code for p in practices if p.pk not in in_pcns] == [demo.unallocated_practice_code]
    sizes = latest_list_sizes(practices.values_list("pk", flat=True), today)
    patients = sum(size.all_patients for size in sizes.values())
    assert 580_000 <= patients <= 620_000


def test_the_practice_that_moved_is_in_its_old_pcn_before_the_move_and_its_new_one_after(demo):
    move = demo.move
    practice = Organisation.objects.get(kind=OrgKind.PRACTICE, code=move.practice_code)

    before = parent_as_at(practice, OrgKind.PCN, move.moved_on - dt.timedelta(days=1))
    after = parent_as_at(practice, OrgKind.PCN, move.moved_on)

    assert (before.code, after.code) == (move.old_pcn_code, move.new_pcn_code)


def test_loading_the_demo_again_is_refused_unless_asked_and_then_changes_nothing(demo, tmp_path):
    batches = ImportBatch.objects.count()
    call_command("demo_load", out=tmp_path / "demo")
    assert ImportBatch.objects.count() == batches

    call_command("demo_load", out=tmp_path / "demo", reload=True)
    reloaded = ImportBatch.objects.order_by("pk")[batches:]
    assert len(reloaded) == batches
    assert {batch.status for batch in reloaded} == {BatchStatus.UNCHANGED}


def test_there_is_one_demo_user_per_role(demo):
    roles = set(RoleAssignment.objects.values_list("user__username", "role"))
    assert roles == {
        ("icb.manager", Role.ICB_MANAGER),
        ("pcn.manager", Role.PCN_MANAGER),
        ("board.member", Role.BOARD_MEMBER),
    }
