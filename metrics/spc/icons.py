"""The two summary icons of "Making Data Count".

Variation reads the latest point: common cause, or special cause that is improving or
concerning given whether higher is better (or high / low when neither is better).

Assurance compares the current process limits with a target: if the target lies beyond
them the process will consistently pass or consistently fail it; if it lies between them
(limits included) it will hit and miss.
"""

from __future__ import annotations

from enum import StrEnum

from metrics.spc.xmr import XmrChart, XmrPoint


class Variation(StrEnum):
    COMMON_CAUSE = "common_cause"
    IMPROVING = "improving"
    CONCERNING = "concerning"
    NEITHER_HIGH = "neither_high"  # special cause, high, where neither way is better
    NEITHER_LOW = "neither_low"


class Assurance(StrEnum):
    PASSING = "passing"  # will consistently meet the target
    FAILING = "failing"  # will consistently miss it
    HIT_AND_MISS = "hit_and_miss"


# What each variation icon says, in words (the board's icons and every table use these).
VARIATION_LABELS = {
    Variation.COMMON_CAUSE: "Common cause variation",
    Variation.IMPROVING: "Special cause: improving",
    Variation.CONCERNING: "Special cause: concerning",
    Variation.NEITHER_HIGH: "Special cause: higher",
    Variation.NEITHER_LOW: "Special cause: lower",
}
NOT_ENOUGH = "Not enough data"


def variation_label(variation: Variation | None) -> str:
    return VARIATION_LABELS.get(variation, NOT_ENOUGH) if variation else NOT_ENOUGH


def point_variation(point: XmrPoint, *, higher_is_better: bool | None) -> Variation:
    """What one point says: common cause, or which kind of special cause."""
    direction = point.direction
    if direction == 0:
        return Variation.COMMON_CAUSE
    if higher_is_better is None:
        return Variation.NEITHER_HIGH if direction > 0 else Variation.NEITHER_LOW
    return Variation.IMPROVING if (direction > 0) == higher_is_better else Variation.CONCERNING


def variation_of(chart: XmrChart, *, higher_is_better: bool | None) -> Variation | None:
    """The variation icon for the chart, read from its latest point; None with no points."""
    if chart.latest is None:
        return None
    return point_variation(chart.latest, higher_is_better=higher_is_better)


def assurance_of(
    chart: XmrChart, *, target: float | None, higher_is_better: bool | None
) -> Assurance | None:
    """None when there is no target, no better direction, or no limits yet."""
    segment = chart.current
    if target is None or higher_is_better is None or segment is None:
        return None
    lower, upper = segment.lower_limit, segment.upper_limit
    if lower is None or upper is None:
        return None
    if target > upper:
        return Assurance.FAILING if higher_is_better else Assurance.PASSING
    if target < lower:
        return Assurance.PASSING if higher_is_better else Assurance.FAILING
    return Assurance.HIT_AND_MISS
