"""XmR charts on worked examples whose answers were worked out by hand (shown beside each)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from metrics.spc import Rule, xmr_chart, xmr_latest, xmr_latest_of

# Ten months that only wobble.
STABLE = [10, 12, 11, 13, 12, 11, 12, 13, 11, 12]
# By hand: sum 117, mean 11.7. Moving ranges 2,1,2,1,1,1,1,2,1: sum 12, mean 12/9 = 1.3333.
# Limits 11.7 +/- 2.66 x 1.3333 = 11.7 +/- 3.5467: 8.1533 and 15.2467.


def test_the_mean_is_the_mean_of_the_values():
    assert xmr_chart(STABLE).current.mean == pytest.approx(11.7)


def test_each_moving_range_is_the_distance_from_the_point_before():
    chart = xmr_chart(STABLE)
    assert [p.moving_range for p in chart.points] == [None, 2, 1, 2, 1, 1, 1, 1, 2, 1]
    assert chart.current.mean_moving_range == pytest.approx(12 / 9)


def test_process_limits_sit_2_66_mean_moving_ranges_either_side_of_the_mean():
    segment = xmr_chart(STABLE).current
    assert segment.lower_limit == pytest.approx(8.153333, abs=1e-6)
    assert segment.upper_limit == pytest.approx(15.246667, abs=1e-6)


def test_a_process_that_only_wobbles_has_no_special_cause():
    assert not any(point.special_cause for point in xmr_chart(STABLE).points)


def test_a_point_beyond_a_limit_is_special_cause_on_that_side():
    # By hand: sum 130, mean 13. Moving ranges 2,1,2,1,1,1,1,2,14: mean 25/9 = 2.7778.
    # Upper limit 13 + 2.66 x 2.7778 = 20.3889, so 25 is above it.
    chart = xmr_chart([10, 12, 11, 13, 12, 11, 12, 13, 11, 25])
    assert chart.current.upper_limit == pytest.approx(20.388889, abs=1e-6)
    flagged = [p.index for p in chart.points if p.special_cause]
    assert flagged == [9]
    assert chart.latest.rules == (Rule.OUTSIDE_LIMITS,) and chart.latest.direction == 1


def test_seven_points_in_a_row_above_the_mean_are_a_shift():
    # By hand: sum 171, mean 12.2143; the last seven (13 to 14) are all above it. Moving
    # ranges sum to 30, mean 2.3077, limits 6.0758 and 18.3527; the outer thirds begin at
    # 8.1220 and 16.3066, which no point reaches; no six steps go the same way.
    values = [10, 14, 9, 13, 10, 11, 9, 13, 15, 13, 14, 13, 13, 14]
    chart = xmr_chart(values)
    assert chart.current.mean == pytest.approx(171 / 14)
    assert chart.current.upper_limit == pytest.approx(18.352747, abs=1e-6)
    assert [p.index for p in chart.points if p.special_cause] == list(range(7, 14))
    assert all(p.rules == (Rule.SHIFT,) and p.direction == 1 for p in chart.points[7:])


def test_seven_points_each_higher_than_the_last_are_a_trend():
    # By hand: mean 165/11 = 15; moving ranges 10,10,10,8,1,1,1,1,1,1, mean 4.4; limits
    # 3.296 and 26.704. From 12 to 18 is six steps up: seven points.
    values = [10, 20, 10, 20, 12, 13, 14, 15, 16, 17, 18]
    chart = xmr_chart(values)
    assert chart.current.mean_moving_range == pytest.approx(4.4)
    assert [p.index for p in chart.points if p.special_cause] == list(range(4, 11))
    # 12 is below the mean but on its way up: the trend says which way.
    assert chart.points[4].rules == (Rule.TREND,) and chart.points[4].direction == 1


def test_two_of_three_points_in_the_outer_third_on_one_side_are_special_cause():
    # By hand: sum 129, mean 10.75; moving ranges nine 2s, 3.5 and 0: mean 21.5/11 = 1.9545;
    # upper limit 10.75 + 5.1991 = 15.9491; the outer third starts at 10.75 + 2/3 x 5.1991
    # = 14.2161. Both 14.5s are inside the limit and in the outer third, and 11 before them
    # is above the mean too.
    values = [9, 11, 9, 11, 9, 11, 9, 11, 9, 11, 14.5, 14.5]
    chart = xmr_chart(values)
    assert chart.current.upper_limit == pytest.approx(15.949091, abs=1e-6)
    assert [p.index for p in chart.points if p.special_cause] == [10, 11]
    assert chart.latest.rules == (Rule.TWO_OF_THREE,)


def test_re_baselining_gives_each_segment_its_own_mean_and_limits():
    before, after = [10, 12, 11, 13, 12], [20, 22, 21, 23, 22]
    chart = xmr_chart(before + after, rebase_at=[5])
    first, second = chart.segments
    assert (first.start, first.stop, second.start, second.stop) == (0, 5, 5, 10)
    assert first.mean == pytest.approx(11.6) and second.mean == pytest.approx(21.6)
    # Moving ranges 2,1,2,1 in each: the jump between segments is not one of them.
    assert first.mean_moving_range == pytest.approx(1.5)
    assert second.mean_moving_range == pytest.approx(1.5)
    assert chart.points[5].moving_range is None
    assert second.lower_limit == pytest.approx(21.6 - 3.99)
    assert not any(point.special_cause for point in chart.points)


def test_without_re_baselining_the_same_step_change_is_special_cause():
    # By hand: mean 16.6; moving ranges sum 20, mean 2.2222; lower limit 10.6889, so 10 is
    # below it.
    chart = xmr_chart([10, 12, 11, 13, 12, 20, 22, 21, 23, 22])
    assert chart.points[0].rules == (Rule.OUTSIDE_LIMITS,)


def test_a_run_does_not_cross_a_re_baseline():
    values = [10, 14, 9, 13, 10, 11, 9, 13, 15, 13, 14, 13, 13, 14]
    chart = xmr_chart(values, rebase_at=[10])
    assert not any(point.special_cause for point in chart.points)
    assert chart.current.few_points


def test_re_baselining_at_the_start_or_beyond_the_end_changes_nothing():
    assert xmr_chart(STABLE, rebase_at=[0, 10, 99]) == xmr_chart(STABLE)


def test_one_point_has_a_mean_but_no_limits_or_signals():
    chart = xmr_chart([42.0])
    assert chart.current.mean == 42.0
    assert chart.current.lower_limit is None and chart.current.upper_limit is None
    assert not chart.latest.special_cause


def test_no_points_give_an_empty_chart():
    chart = xmr_chart([])
    assert chart.points == () and chart.latest is None and chart.current is None


def test_identical_values_have_limits_on_the_mean_and_no_special_cause():
    chart = xmr_chart([5.0] * 10)
    assert chart.current.lower_limit == chart.current.upper_limit == 5.0
    assert not any(point.special_cause for point in chart.points)


@pytest.mark.parametrize("blank", [None, float("nan"), float("inf")])
def test_a_blank_value_is_refused(blank):
    with pytest.raises((ValueError, TypeError)):
        xmr_chart([1.0, blank, 2.0])


def test_fewer_than_twelve_points_are_flagged_as_few():
    assert xmr_chart(STABLE).current.few_points
    assert not xmr_chart(STABLE + [11, 12]).current.few_points


WORKED = [
    STABLE,
    [10, 12, 11, 13, 12, 11, 12, 13, 11, 25],
    [10, 14, 9, 13, 10, 11, 9, 13, 15, 13, 14, 13, 13, 14],
    [10, 20, 10, 20, 12, 13, 14, 15, 16, 17, 18],
    [9, 11, 9, 11, 9, 11, 9, 11, 9, 11, 14.5, 14.5],
    [42.0],
]


@pytest.mark.parametrize("values", WORKED)
def test_the_latest_point_alone_is_the_latest_point_of_the_whole_chart(values):
    assert xmr_latest(values) == xmr_chart(values).latest


@given(
    st.lists(st.integers(min_value=0, max_value=6), min_size=1, max_size=40),
    st.lists(st.integers(min_value=0, max_value=40), max_size=2),
)
def test_the_latest_point_alone_agrees_with_the_whole_chart_on_any_series(values, rebase_at):
    # Small integers so that runs, trends, ties and points on the mean all turn up.
    assert xmr_latest(values, rebase_at=rebase_at) == xmr_chart(values, rebase_at=rebase_at).latest


def test_no_values_have_no_latest_point():
    assert xmr_latest([]) is None


def test_identical_values_whose_mean_misses_them_by_rounding_have_no_special_cause():
    value = 1000 * 1000 / 6000  # 166.666...: fourteen of them do not average back exactly
    chart = xmr_chart([value] * 14)
    assert not any(point.special_cause for point in chart.points)
    assert xmr_latest([value] * 14).signals == ()


@pytest.mark.parametrize("values", WORKED[:-1])
def test_the_latest_point_from_a_segment_summary_and_the_last_values_agrees(values):
    chart = xmr_chart(values)
    assert xmr_latest_of(values[-7:], chart.current) == chart.latest
    assert xmr_latest_of(values, chart.current) == chart.latest  # more than needed is fine
