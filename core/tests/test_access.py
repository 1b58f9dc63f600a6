"""Who may see and change what: the Scope rules every page relies on."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from core.access import ICB_OWNED, NATIONAL, Scope
from core.models import Role
from tests.factories import UserFactory, user_with_role


def test_an_icb_manager_reads_and_edits_their_icb_and_loads_data(tree, icb_manager):
    scope = Scope(icb_manager)

    assert scope.icb_ids == {tree.icb.pk}
    assert scope.can_view(tree.practices["L85001"]) and scope.can_edit(tree.pcn_b)
    assert scope.can_load_data and scope.can_see_imports


def test_an_icb_manager_sees_the_region_above_but_not_the_icb_next_door(tree, icb_manager):
    scope = Scope(icb_manager)

    assert scope.can_view(tree.region)
    assert not scope.can_view(tree.other_icb)
    assert not scope.can_view(tree.practices["J99001"])


def test_a_pcn_manager_reads_their_whole_icb_but_edits_only_their_pcn(tree, pcn_manager):
    scope = Scope(pcn_manager)

    assert scope.icb_ids == {tree.icb.pk}
    assert scope.can_view(tree.pcn_c) and scope.can_view(tree.practices["L85006"])
    assert scope.can_edit(tree.pcn_a) and not scope.can_edit(tree.pcn_b)
    assert not scope.can_load_data and not scope.can_see_imports


def test_a_board_member_reads_the_icb_and_never_edits_or_loads(tree, board_member):
    scope = Scope(board_member)

    assert scope.can_view(tree.pcn_a)
    assert not scope.can_edit(tree.pcn_a) and not scope.can_edit(tree.icb)
    assert not scope.can_load_data and not scope.can_see_imports


def test_a_user_with_no_role_sees_nothing(tree):
    scope = Scope(UserFactory(username="nobody"))

    assert not scope.has_any_role
    assert scope.visible_org_ids == frozenset()
    assert not scope.can_view(tree.icb)


def test_staff_load_national_files_but_hold_no_data_scope_by_being_staff(tree, staff_admin):
    scope = Scope(staff_admin)

    assert scope.can_see_imports and scope.may_load(NATIONAL) and not scope.may_load(ICB_OWNED)
    assert not scope.can_view(tree.icb) and not scope.writable_org_ids


def test_who_may_load_what(tree, icb_manager, data_loader, pcn_manager, board_member):
    assert Scope(icb_manager).may_load(ICB_OWNED) and not Scope(icb_manager).may_load(NATIONAL)
    assert Scope(data_loader).may_load(ICB_OWNED) and Scope(data_loader).may_load(NATIONAL)
    for reader in (pcn_manager, board_member):
        assert not Scope(reader).can_load_data and not Scope(reader).can_see_imports
    assert tree.pcn_a.pk in Scope(icb_manager).writable_org_ids
    assert tree.other_pcn.pk not in Scope(icb_manager).writable_org_ids


def test_an_anonymous_visitor_has_no_scope(tree):
    scope = Scope(AnonymousUser())

    assert not scope.has_any_role and not scope.can_view(tree.icb)


def test_a_manager_of_the_other_icb_does_not_see_ours(tree):
    scope = Scope(user_with_role(Role.ICB_MANAGER, tree.other_icb, username="qox.manager"))

    assert scope.can_view(tree.practices["J99001"])
    assert not scope.can_view(tree.practices["L85001"]) and not scope.can_edit(tree.pcn_a)
