"""Reads of the register: membership on a day, and the counts pages show."""

from __future__ import annotations

import datetime as dt

from conftest import MOVE_DATE
from practices.models import (
    Membership,
    MembershipBasis,
    Organisation,
    OrgKind,
    Relation,
    relation_for,
)
from practices.selectors import (
    icb_overview,
    links_of_children,
    member_summaries,
    members_as_at,
    organisation_search,
    parent_as_at,
    place_detail,
    resolve_on,
    trail,
)
from tests.factories import org

BEFORE_MOVE = MOVE_DATE - dt.timedelta(days=1)


def codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


def test_the_moved_practice_is_in_its_old_pcn_the_day_before_the_move(tree):
    assert "L85004" in codes(members_as_at(tree.pcn_a, BEFORE_MOVE, OrgKind.PRACTICE))
    assert "L85004" not in codes(members_as_at(tree.pcn_b, BEFORE_MOVE, OrgKind.PRACTICE))


def test_the_moved_practice_is_in_its_new_pcn_from_the_day_of_the_move(tree):
    assert "L85004" not in codes(members_as_at(tree.pcn_a, MOVE_DATE, OrgKind.PRACTICE))
    assert codes(members_as_at(tree.pcn_b, MOVE_DATE, OrgKind.PRACTICE)) == {"L85003", "L85004"}


def test_the_practice_in_no_pcn_is_still_a_member_of_its_place_and_icb(tree):
    day = dt.date(2026, 1, 1)
    pcn_members = set()
    for pcn in (tree.pcn_a, tree.pcn_b, tree.pcn_c):
        pcn_members |= codes(members_as_at(pcn, day, OrgKind.PRACTICE))

    assert "L85006" not in pcn_members
    assert "L85006" in codes(members_as_at(tree.place, day, OrgKind.PRACTICE))
    assert "L85006" in codes(members_as_at(tree.icb, day, OrgKind.PRACTICE))


def test_members_of_an_icb_never_include_the_icb_next_door(tree):
    practices = codes(members_as_at(tree.icb, dt.date(2026, 1, 1), OrgKind.PRACTICE))

    assert practices == {"L85001", "L85002", "L85003", "L85004", "L85005", "L85006"}


def test_member_summaries_count_practices_and_patients_per_pcn(tree):
    summaries = member_summaries(tree.place, OrgKind.PCN, dt.date(2026, 1, 1))

    counts = {s.org.code: (s.practices, s.patients) for s in summaries}
    # April 2025 list sizes: L85001 6,010, L85002 7,010, L85003 8,010, L85005 9,010,
    # L85006 10,010, L85004 11,010.
    assert counts == {
        "U00001": (2, 13_020),
        "U00002": (2, 19_020),
        "U00003": (1, 9_010),
    }


def test_member_summaries_before_the_move_count_the_moved_practice_in_its_old_pcn(tree):
    summaries = member_summaries(tree.place, OrgKind.PCN, BEFORE_MOVE)

    counts = {s.org.code: s.practices for s in summaries}
    assert counts == {"U00001": 3, "U00002": 1, "U00003": 1}


def test_the_icb_overview_agrees_with_member_summaries(tree):
    day = dt.date(2026, 1, 1)
    overview = icb_overview(tree.icb, day)

    place = overview.places[0]
    expected = member_summaries(tree.place, OrgKind.PCN, day)
    assert [(s.org.code, s.practices, s.patients) for s in place.pcns] == [
        (s.org.code, s.practices, s.patients) for s in expected
    ]
    assert (place.no_pcn.practices, place.no_pcn.patients) == (1, 10_010)
    assert (overview.totals.practices, overview.pcn_count) == (6, 3)
    assert overview.list_sizes_month == dt.date(2025, 4, 1)


def test_a_closed_practice_is_not_counted(tree):
    closed = tree.practices["L85005"]
    closed.close_date = dt.date(2025, 12, 31)
    closed.save()

    place, _ = place_detail(tree.place, dt.date(2026, 1, 1))

    assert {s.org.code: s.practices for s in place.pcns}["U00003"] == 0
    assert place.totals.practices == 5


def test_the_place_names_its_practices_in_no_pcn(tree):
    place, _ = place_detail(tree.place, dt.date(2026, 1, 1))

    assert [s.org.code for s in place.no_pcn_practices] == ["L85006"]


def test_the_trail_of_a_practice_runs_icb_place_pcn_as_at_the_day(tree):
    moved = tree.practices["L85004"]

    assert [o.code for o in trail(moved, BEFORE_MOVE)] == ["QSL", "11X", "U00001"]
    assert [o.code for o in trail(moved, MOVE_DATE)] == ["QSL", "11X", "U00002"]
    assert [o.code for o in trail(tree.practices["L85006"], MOVE_DATE)] == ["QSL", "11X"]


def test_search_finds_by_code_or_name_and_only_within_what_is_visible(tree):
    visible = Organisation.objects.exclude(pk=tree.practices["J99001"].pk)

    assert [o.code for o in organisation_search(visible, "l85003")] == ["L85003"]
    assert [o.code for o in organisation_search(visible, "moving")] == ["L85004"]
    assert organisation_search(visible, "Far Away") == []


def test_search_lists_higher_levels_before_practices(tree):
    org(OrgKind.PRACTICE, "L85099", "Somerset Surgery")

    found = [o.kind for o in organisation_search(Organisation.objects.all(), "Somerset")]

    assert found.index(OrgKind.ICB) < found.index(OrgKind.PRACTICE)


def _linked(child, parent, basis, start=None, end=None):
    return Membership.objects.create(
        relation=relation_for(child.kind, parent.kind),
        child=child,
        parent=parent,
        start_date=start,
        end_date=end,
        basis=basis,
    )


def test_published_dates_beat_monthly_reports_which_beat_snapshots(tree):
    practice = tree.practices["L85006"]  # in no PCN in the fixture
    day = dt.date(2024, 9, 1)
    _linked(practice, tree.pcn_c, MembershipBasis.OBSERVED)
    _linked(
        practice, tree.pcn_b, MembershipBasis.REPORTED, dt.date(2024, 8, 1), dt.date(2024, 12, 31)
    )

    assert parent_as_at(practice, OrgKind.PCN, day) == tree.pcn_b
    assert parent_as_at(practice, OrgKind.PCN, dt.date(2025, 1, 1)) == tree.pcn_c
    assert practice not in members_as_at(tree.pcn_c, day, OrgKind.PRACTICE)

    _linked(
        practice, tree.pcn_a, MembershipBasis.PUBLISHED, dt.date(2024, 1, 1), dt.date(2024, 10, 31)
    )

    assert parent_as_at(practice, OrgKind.PCN, day) == tree.pcn_a
    assert practice in members_as_at(tree.pcn_a, day, OrgKind.PRACTICE)
    assert practice not in members_as_at(tree.pcn_b, day, OrgKind.PRACTICE)
    links = links_of_children([practice.pk], [Relation.PRACTICE_PCN])
    assert [link.parent_id for link in resolve_on(links, day)] == [tree.pcn_a.pk]
