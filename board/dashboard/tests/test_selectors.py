"""The dashboard read: trends, variation, what needs attention and drill-down, from values
rolled up by the real roll-up code (see data.py for the figures)."""

from __future__ import annotations

import datetime as dt

import pytest

from board.dashboard.selectors import dashboard_read, months_with_figures
from board.dashboard.tests.data import LAST, MONTHS, measure_months_load
from metrics.spc import Rule, Variation
from practices.models import OrgKind


@pytest.fixture
def loaded(tree):
    measure_months_load(tree)
    return tree


def test_an_icb_reads_every_key_measure_up_to_its_latest_month(loaded):
    dashboard = dashboard_read(loaded.icb)

    assert dashboard.month == LAST and dashboard.months == MONTHS
    assert [t.definition.code for t in dashboard.trends] == [
        "appointments_per_1000_patients",
        "same_day_pct",
        "within_14_days_pct",
        "acc08_within_14_days_pct",
        "over_28_days_pct",
        "dna_pct",
    ]
    assert all(len(t.values) == len(MONTHS) for t in dashboard.trends)


def test_an_icb_figure_is_the_ratio_of_its_practices_sums(loaded):
    same_day = dashboard_read(loaded.icb).trend("same_day_pct").latest

    # Five practices of 1,000 appointments and L85006 with 100; in October (an odd month,
    # so 41%) L85003 fell to 15%: 4 x 410 + 150 + 41 = 1,831 of 5,100.
    assert (same_day.numerator, same_day.denominator) == (1831, 5100)
    assert same_day.value == pytest.approx(1831 * 100 / 5100)


def test_england_counts_only_practices_that_recorded_completely(loaded):
    trend = dashboard_read(loaded.icb).trend("same_day_pct")

    # L85006 (100 appointments for 10,010 patients) and J99001 are left out of England.
    assert trend.england == pytest.approx((4 * 410 + 150) * 100 / 5000)


def test_the_source_is_the_import_the_latest_figures_came_from(loaded):
    source = dashboard_read(loaded.icb).source

    assert source.file_name == "Practice_Level_Crosstab_Oct_25.zip"


def test_pcns_are_ranked_best_first_with_the_icb_and_england_marked(loaded):
    spread = dashboard_read(loaded.icb).spread("same_day_pct")

    assert spread.level == OrgKind.PCN
    # U00002 holds L85003 (15% in October) and L85004, so it is last.
    assert [row.org.code for row in spread.rows] == ["U00001", "U00003", "U00002"]
    assert spread.own == pytest.approx(1831 * 100 / 5100)
    assert spread.england is not None


def test_where_lower_is_better_the_lowest_ranks_first(loaded):
    spread = dashboard_read(loaded.icb).spread("dna_pct")

    values = [row.value for row in spread.rows]
    assert values == sorted(values)


def test_a_practice_whose_latest_month_is_special_cause_concerning_needs_attention(loaded):
    attention = dashboard_read(loaded.icb).attention

    concern = next(c for c in attention.deteriorating if c.org.code == "L85003")
    assert concern.definition.code == "same_day_pct" and concern.value == 15
    assert Rule.OUTSIDE_LIMITS in concern.rules
    assert {c.org.code for c in attention.deteriorating} >= {"L85003", "U00002"}


def test_the_lowest_access_and_the_weakest_recording_are_listed(loaded):
    attention = dashboard_read(loaded.icb).attention

    lowest_same_day = next(a for a in attention.lowest if a.definition.code == "same_day_pct")
    assert lowest_same_day.rows[0].org.code == "L85003"
    flagged = [(f.org.code, f.incomplete) for f in attention.data_quality]
    assert flagged[0] == ("L85006", True)  # too few appointments, listed first
    assert ("L85005", False) in flagged  # 15% unmapped


def test_the_icb_drills_down_to_its_places_and_pcns(loaded):
    children = dashboard_read(loaded.icb).children

    assert [o.code for o in children[OrgKind.SUB_ICB]] == ["11X"]
    assert [o.code for o in children[OrgKind.PCN]] == ["U00001", "U00002", "U00003"]


def test_a_place_lists_its_practices_in_no_pcn_to_drill_down_to(loaded):
    children = dashboard_read(loaded.place).children

    assert [o.code for o in children[OrgKind.PRACTICE]] == ["L85006"]


def test_a_pcn_ranks_its_practices_by_the_membership_of_the_month(loaded):
    dashboard = dashboard_read(loaded.pcn_b)

    # L85004 moved to U00002 in April 2025, so in October it is one of its two practices.
    assert {row.org.code for row in dashboard.spread("same_day_pct").rows} == {"L85003", "L85004"}
    assert dashboard.places == []


def test_a_practice_is_ranked_among_its_pcns_practices_and_picked_out(loaded):
    practice = loaded.practices["L85003"]
    dashboard = dashboard_read(practice)

    spread = dashboard.spread("same_day_pct")
    assert spread.highlight == practice.pk
    assert [row.org.code for row in spread.rows] == ["L85004", "L85003"]
    assert dashboard.attention is None and dashboard.children == {}
    assert dashboard.trend("same_day_pct").variation == Variation.CONCERNING


def test_an_earlier_month_shows_the_figures_up_to_that_month(loaded):
    dashboard = dashboard_read(loaded.icb, month=dt.date(2025, 3, 1))

    assert dashboard.month == dt.date(2025, 3, 1)
    assert dashboard.trend("same_day_pct").months[-1] == dt.date(2025, 3, 1)
    assert not dashboard.attention.deteriorating  # the fall came in October


def test_re_baselining_starts_new_limits_at_the_chosen_month(loaded):
    dashboard = dashboard_read(loaded.icb, rebase=dt.date(2025, 4, 1))

    segments = dashboard.trend("same_day_pct").chart.segments
    assert [s.start for s in segments] == [0, MONTHS.index(dt.date(2025, 4, 1))]


def test_with_no_figures_the_dashboard_still_drills_down_by_the_register(tree):
    dashboard = dashboard_read(tree.icb)

    assert not dashboard.has_figures and dashboard.trends == []
    assert [o.code for o in dashboard.children[OrgKind.PCN]] == ["U00001", "U00002", "U00003"]


def test_the_months_with_figures_are_listed_oldest_first(loaded):
    assert months_with_figures(loaded.icb) == MONTHS


@pytest.mark.parametrize("rebase", [None, dt.date(2025, 4, 1), dt.date(2026, 1, 1)])
def test_the_databases_segment_summaries_judge_every_latest_month_as_the_whole_chart_does(
    loaded, rebase
):
    """The needs-attention read leaves the arithmetic to the database; it must agree with
    the SPC engine run on every month in Python."""
    from board.dashboard.measures import dashboard_measures
    from board.dashboard.selectors import _latest_segments
    from board.dashboard.trends import rebase_index
    from metrics.models import MeasureValue
    from metrics.spc import xmr_latest

    codes = dashboard_measures(loaded.icb).key_codes
    ids = {o.pk for o in loaded.practices.values()} | {loaded.pcn_a.pk, loaded.pcn_b.pk}
    summaries = _latest_segments(ids, codes, LAST, rebase)
    for (org_id, code), summary in summaries.items():
        rows = MeasureValue.objects.filter(org_id=org_id, measure_id=code).order_by("period")
        months, values = zip(*rows.values_list("period", "value"), strict=True)
        whole = xmr_latest(values, rebase_at=rebase_index(list(months), rebase))
        latest = summary.latest()
        assert (latest.value, latest.rules, latest.direction) == (
            whole.value,
            whole.rules,
            whole.direction,
        )
        assert latest.mean == pytest.approx(whole.mean)
    assert len(summaries) == len(ids) * len(codes)
