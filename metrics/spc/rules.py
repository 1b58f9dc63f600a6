"""The four special-cause rules of "Making Data Count", applied to one segment of an XmR
chart (the points that share one mean and one pair of limits).

1. A point outside the process limits.
2. A shift: 7 or more points in a row on the same side of the mean.
3. A trend: 7 or more points in a row each higher than the one before, or each lower.
4. Two of three points in a row in the outer third of the gap between the mean and a limit,
   on the same side (the third point on that side of the mean too).

Each rule returns, per point, the direction it signals: +1 (above the mean, or rising), -1
(below, or falling) or 0 (no signal).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

RUN_LENGTH = 7  # points in a shift or a trend
OUTER_THIRD = 2 / 3  # how far from the mean towards a limit the outer third starts
# Values this close (relative to their size) are equal: a mean of identical values can miss
# them by the last binary digit, which must not put them all "above the mean".
TOLERANCE = 1e-9


class Rule(StrEnum):
    OUTSIDE_LIMITS = "outside_limits"
    SHIFT = "shift"
    TREND = "trend"
    TWO_OF_THREE = "two_of_three"


@dataclass(frozen=True)
class Signal:
    """One rule flagging one point, and which way: +1 high or rising, -1 low or falling."""

    rule: Rule
    direction: int


def _compare(value: float, other: float) -> int:
    """+1, -1 or 0 for value above, below or equal to other (to within TOLERANCE)."""
    gap = value - other
    if abs(gap) <= TOLERANCE * max(1.0, abs(value), abs(other)):
        return 0
    return 1 if gap > 0 else -1


def sides(values: Sequence[float], mean: float) -> list[int]:
    """+1 above the mean, -1 below, 0 on it (which breaks a run)."""
    return [_compare(value, mean) for value in values]


def outside_limits(values: Sequence[float], lower: float, upper: float) -> list[int]:
    return [1 if _compare(v, upper) > 0 else -1 if _compare(v, lower) < 0 else 0 for v in values]


def _runs(marks: Sequence[int]) -> list[tuple[int, int, int]]:
    """(start, stop, mark) for each stretch of equal, non-zero marks."""
    found, start = [], 0
    for index in range(1, len(marks) + 1):
        if index == len(marks) or marks[index] != marks[start]:
            if marks[start] != 0:
                found.append((start, index, marks[start]))
            start = index
    return found


def shifts(values: Sequence[float], mean: float) -> list[int]:
    flags = [0] * len(values)
    for start, stop, side in _runs(sides(values, mean)):
        if stop - start >= RUN_LENGTH:
            flags[start:stop] = [side] * (stop - start)
    return flags


def trends(values: Sequence[float]) -> list[int]:
    """A trend of 7 points is 6 steps the same way; a level step breaks it. A point that ends
    one trend and starts the next keeps the direction of the trend that brought it there."""
    steps = [_compare(b, a) for a, b in zip(values, values[1:], strict=False)]
    flags = [0] * len(values)
    for start, stop, direction in _runs(steps):
        if stop - start >= RUN_LENGTH - 1:
            for index in range(start, stop + 1):
                flags[index] = flags[index] or direction
    return flags


def _in_outer_third(value: float, mean: float, lower: float, upper: float) -> int:
    """+1 or -1 for a point within the limits but in the outer third on that side."""
    if _compare(value, upper) > 0 or _compare(value, lower) < 0:
        return 0  # beyond a limit: rule 1 flags it
    if _compare(value, mean + OUTER_THIRD * (upper - mean)) > 0:
        return 1
    if _compare(value, mean - OUTER_THIRD * (mean - lower)) < 0:
        return -1
    return 0


def two_of_three(values: Sequence[float], mean: float, lower: float, upper: float) -> list[int]:
    """Flags the points in the outer third of any 3 in a row that sit on one side of the mean
    with at least 2 of them in that side's outer third."""
    side = sides(values, mean)
    near = [_in_outer_third(v, mean, lower, upper) for v in values]
    flags = [0] * len(values)
    for start in range(len(values) - 2):
        window = range(start, start + 3)
        if len({side[i] for i in window}) != 1 or side[start] == 0:
            continue
        close = [i for i in window if near[i] == side[start]]
        if len(close) >= 2:
            for index in close:
                flags[index] = side[start]
    return flags


def signals_in(
    values: Sequence[float], mean: float, lower: float, upper: float
) -> list[tuple[Signal, ...]]:
    """Every rule's signals for every point of one segment."""
    by_rule = {
        Rule.OUTSIDE_LIMITS: outside_limits(values, lower, upper),
        Rule.TWO_OF_THREE: two_of_three(values, mean, lower, upper),
        Rule.SHIFT: shifts(values, mean),
        Rule.TREND: trends(values),
    }
    return [
        tuple(Signal(rule, flags[i]) for rule, flags in by_rule.items() if flags[i])
        for i in range(len(values))
    ]


def latest_signals(
    values: Sequence[float], mean: float, lower: float, upper: float
) -> tuple[Signal, ...]:
    """The signals of the last of ``values`` alone, as ``signals_in(...)[-1]`` would give
    them, each rule looking back only as far as it can reach (7 points at most)."""
    tail = list(values[-RUN_LENGTH:])
    flags = [
        (Rule.OUTSIDE_LIMITS, outside_limits(tail[-1:], lower, upper)[-1]),
        (Rule.TWO_OF_THREE, two_of_three(tail[-3:], mean, lower, upper)[-1]),
    ]
    if len(tail) == RUN_LENGTH:
        flags += [(Rule.SHIFT, shifts(tail, mean)[-1]), (Rule.TREND, trends(tail)[-1])]
    return tuple(Signal(rule, direction) for rule, direction in flags if direction)
