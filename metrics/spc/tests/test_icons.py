"""Variation and assurance icons on the worked examples of test_xmr."""

import pytest

from metrics.spc import Assurance, Variation, assurance_of, variation_of, xmr_chart

STABLE = [10, 12, 11, 13, 12, 11, 12, 13, 11, 12]  # limits 8.1533 and 15.2467
HIGH_LAST = [10, 12, 11, 13, 12, 11, 12, 13, 11, 25]  # 25 above the upper limit
RISING = [10, 20, 10, 20, 12, 13, 14, 15, 16, 17, 18]  # ends in a trend of seven up


def test_no_special_cause_in_the_latest_point_is_common_cause():
    assert variation_of(xmr_chart(STABLE), higher_is_better=True) == Variation.COMMON_CAUSE


@pytest.mark.parametrize(
    ("higher_is_better", "expected"),
    [(True, Variation.IMPROVING), (False, Variation.CONCERNING), (None, Variation.NEITHER_HIGH)],
)
def test_a_high_special_cause_improves_or_concerns_by_which_way_is_better(
    higher_is_better, expected
):
    assert variation_of(xmr_chart(HIGH_LAST), higher_is_better=higher_is_better) == expected


def test_a_trend_up_concerns_when_lower_is_better():
    assert variation_of(xmr_chart(RISING), higher_is_better=False) == Variation.CONCERNING


def test_a_low_special_cause_where_neither_way_is_better_is_neither_low():
    falling = [-v for v in RISING]
    assert variation_of(xmr_chart(falling), higher_is_better=None) == Variation.NEITHER_LOW


def test_variation_reads_only_the_latest_point():
    # The 25 is special cause; a common-cause month after it puts the icon back.
    assert variation_of(xmr_chart(HIGH_LAST + [12]), higher_is_better=True) == (
        Variation.COMMON_CAUSE
    )


def test_no_points_have_no_variation_icon():
    assert variation_of(xmr_chart([]), higher_is_better=True) is None


@pytest.mark.parametrize(
    ("target", "higher_is_better", "expected"),
    [
        (16, True, Assurance.FAILING),  # the target is above the upper limit 15.25
        (8, True, Assurance.PASSING),  # below the lower limit 8.15
        (12, True, Assurance.HIT_AND_MISS),  # between the limits
        (16, False, Assurance.PASSING),  # lower is better and even the upper limit is under
        (8, False, Assurance.FAILING),
        (12, False, Assurance.HIT_AND_MISS),
    ],
)
def test_assurance_compares_the_target_with_the_process_limits(target, higher_is_better, expected):
    chart = xmr_chart(STABLE)
    assert assurance_of(chart, target=target, higher_is_better=higher_is_better) == expected


def test_a_target_on_a_limit_is_hit_and_miss():
    chart = xmr_chart(STABLE)
    upper = chart.current.upper_limit
    assert assurance_of(chart, target=upper, higher_is_better=True) == Assurance.HIT_AND_MISS


def test_assurance_uses_the_limits_of_the_latest_segment():
    before, after = [10, 12, 11, 13, 12], [20, 22, 21, 23, 22]
    chart = xmr_chart(before + after, rebase_at=[5])  # limits 17.61 to 25.59 after re-basing
    assert assurance_of(chart, target=16, higher_is_better=True) == Assurance.PASSING


@pytest.mark.parametrize(
    ("values", "target", "higher_is_better"),
    [(STABLE, None, True), (STABLE, 12, None), ([12.0], 12, True), ([], 12, True)],
)
def test_no_assurance_without_a_target_a_better_direction_or_limits(
    values, target, higher_is_better
):
    chart = xmr_chart(values)
    assert assurance_of(chart, target=target, higher_is_better=higher_is_better) is None
