"""Each special-cause rule on its own, with the mean and limits given."""

from hypothesis import given
from hypothesis import strategies as st

from metrics.spc.rules import (
    Rule,
    Signal,
    latest_signals,
    shifts,
    signals_in,
    trends,
    two_of_three,
)


def test_seven_in_a_row_on_one_side_is_a_shift_and_every_point_in_it_is_flagged():
    assert shifts([1, 1, 1, 1, 1, 1, 1], mean=0) == [1] * 7
    assert shifts([-1] * 8, mean=0) == [-1] * 8


def test_six_in_a_row_is_not_a_shift():
    assert shifts([1, 1, 1, 1, 1, 1, -1], mean=0) == [0] * 7


def test_a_point_on_the_mean_breaks_a_run():
    assert shifts([1, 1, 1, 0, 1, 1, 1, 1], mean=0) == [0] * 8


def test_six_steps_the_same_way_are_a_trend_of_seven_points():
    assert trends([1, 2, 3, 4, 5, 6, 7]) == [1] * 7
    assert trends([7, 6, 5, 4, 3, 2, 1, 9]) == [-1] * 7 + [0]


def test_six_points_rising_are_not_yet_a_trend():
    assert trends([1, 2, 3, 4, 5, 6]) == [0] * 6


def test_a_level_step_breaks_a_trend():
    assert trends([1, 2, 3, 4, 4, 5, 6, 7]) == [0] * 8


def test_the_peak_between_a_rise_and_a_fall_keeps_the_rise():
    flags = trends([1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1])
    assert flags == [1] * 7 + [-1] * 6


def test_two_of_three_in_the_outer_third_flags_those_two():
    # Mean 10, limits 4 and 16: the outer thirds start at 14 and 6.
    assert two_of_three([14.5, 11, 15], mean=10, lower=4, upper=16) == [1, 0, 1]
    assert two_of_three([5, 5.5, 9], mean=10, lower=4, upper=16) == [-1, -1, 0]


def test_two_of_three_needs_the_third_point_on_the_same_side():
    assert two_of_three([14.5, 9, 15], mean=10, lower=4, upper=16) == [0, 0, 0]


def test_one_of_three_in_the_outer_third_is_not_enough():
    assert two_of_three([14.5, 11, 12], mean=10, lower=4, upper=16) == [0, 0, 0]


def test_a_point_beyond_a_limit_counts_under_the_limits_rule_not_two_of_three():
    assert two_of_three([17, 11, 14.5], mean=10, lower=4, upper=16) == [0, 0, 0]


def test_signals_name_each_rule_that_fired_for_a_point():
    found = signals_in([17, 11, 12], mean=10, lower=4, upper=16)
    assert found == [(Signal(Rule.OUTSIDE_LIMITS, 1),), (), ()]


@given(st.lists(st.integers(min_value=0, max_value=6), min_size=1, max_size=12))
def test_the_last_points_signals_alone_are_its_signals_among_all(values):
    # Mean 3, limits 0.5 and 5.5: small integers land on the mean, in the outer thirds
    # (above 4.67, below 1.33) and beyond the limits.
    assert latest_signals(values, 3, 0.5, 5.5) == signals_in(values, 3, 0.5, 5.5)[-1]
