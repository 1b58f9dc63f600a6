"""The PCN list size trend follows membership month by month."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from pcns.selectors import pcn_list_size_trend, pcn_members
from tests.factories import list_size

MARCH, APRIL = dt.date(2025, 3, 1), dt.date(2025, 4, 1)


def by_month(pcn):
    return {point.month: point for point in pcn_list_size_trend(pcn)}


def test_a_moved_practice_counts_in_its_old_pcn_before_the_move(tree):
    old = by_month(tree.pcn_a)

    # March: L85001 6,000 + L85002 7,000 + L85004 11,000; April: L85004 has gone.
    assert old[MARCH].patients == 24_000 and old[MARCH].members == 3
    assert old[APRIL].patients == 13_020 and old[APRIL].members == 2


def test_a_moved_practice_counts_in_its_new_pcn_from_the_move(tree):
    new = by_month(tree.pcn_b)

    assert new[MARCH].patients == 8_000 and new[MARCH].members == 1
    assert new[APRIL].patients == 8_010 + 11_010 and new[APRIL].members == 2


def test_a_month_where_a_member_has_no_list_size_is_marked_incomplete(tree):
    list_size(tree.practices["L85001"], dt.date(2025, 5, 1), 6020, 5120)

    may = by_month(tree.pcn_a)[dt.date(2025, 5, 1)]

    assert (may.members, may.reporting, may.complete) == (2, 1, False)
    assert may.patients == 6_020


def test_the_trend_takes_three_queries_however_many_months(tree, django_assert_num_queries):
    for month in range(1, 13):
        list_size(tree.practices["L85001"], dt.date(2024, month, 1), 6000, 5000)

    with django_assert_num_queries(3):
        points = pcn_list_size_trend(tree.pcn_a)

    assert len(points) == 14


def test_members_today_come_with_their_latest_list_size(tree):
    members = pcn_members(tree.pcn_b, dt.date(2026, 1, 1))

    assert [(m.practice.code, m.list_size.all_patients) for m in members] == [
        ("L85004", 11_010),
        ("L85003", 8_010),
    ]


def test_members_today_take_a_fixed_number_of_queries(tree):
    with CaptureQueriesContext(connection) as few:
        pcn_members(tree.pcn_c, dt.date(2026, 1, 1))
    for month in range(1, 13):
        list_size(tree.practices["L85005"], dt.date(2024, month, 1), 9000, 8000)

    with CaptureQueriesContext(connection) as more:
        pcn_members(tree.pcn_c, dt.date(2026, 1, 1))

    assert len(more.captured_queries) == len(few.captured_queries)
