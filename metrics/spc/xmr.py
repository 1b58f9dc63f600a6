"""XmR (individuals and moving range) charts: mean, moving ranges, process limits.

The mean is of the values; the moving range of a point is how far it moved from the point
before; the process limits sit at the mean +/- 2.66 x the mean moving range. Re-baselining
at a point starts a new segment there with its own mean and limits, and the rules look only
within a segment, so a run never crosses a re-baseline.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from metrics.spc.rules import RUN_LENGTH, Rule, Signal, latest_signals, signals_in

LIMIT_FACTOR = 2.66
# Fewer points than this in a segment and its limits are a rough guide only.
RECOMMENDED_POINTS = 12


@dataclass(frozen=True)
class Segment:
    """Points ``start`` to ``stop - 1``, which share one mean and one pair of limits."""

    start: int
    stop: int
    mean: float
    mean_moving_range: float | None  # None for a segment of one point

    @property
    def lower_limit(self) -> float | None:
        if self.mean_moving_range is None:
            return None
        return self.mean - LIMIT_FACTOR * self.mean_moving_range

    @property
    def upper_limit(self) -> float | None:
        if self.mean_moving_range is None:
            return None
        return self.mean + LIMIT_FACTOR * self.mean_moving_range

    @property
    def size(self) -> int:
        return self.stop - self.start

    @property
    def few_points(self) -> bool:
        return self.size < RECOMMENDED_POINTS


@dataclass(frozen=True)
class XmrPoint:
    index: int
    value: float
    moving_range: float | None  # None for the first point of a segment
    segment: Segment
    signals: tuple[Signal, ...]

    @property
    def mean(self) -> float:
        return self.segment.mean

    @property
    def lower_limit(self) -> float | None:
        return self.segment.lower_limit

    @property
    def upper_limit(self) -> float | None:
        return self.segment.upper_limit

    @property
    def special_cause(self) -> bool:
        return bool(self.signals)

    @property
    def rules(self) -> tuple[Rule, ...]:
        return tuple(signal.rule for signal in self.signals)

    @property
    def direction(self) -> int:
        """+1 high, -1 low, 0 common cause. Where the process is (outside the limits, a
        shift, two of three) outranks where it is heading (a trend) if they disagree."""
        placed = [s.direction for s in self.signals if s.rule != Rule.TREND]
        heading = [s.direction for s in self.signals if s.rule == Rule.TREND]
        return (placed or heading or [0])[0]


@dataclass(frozen=True)
class XmrChart:
    points: tuple[XmrPoint, ...]
    segments: tuple[Segment, ...]

    @property
    def latest(self) -> XmrPoint | None:
        return self.points[-1] if self.points else None

    @property
    def current(self) -> Segment | None:
        """The segment the latest point belongs to: its limits are today's."""
        return self.segments[-1] if self.segments else None


def _checked(values: Iterable[float]) -> list[float]:
    found = [float(value) for value in values]
    if any(not math.isfinite(value) for value in found):
        raise ValueError("An XmR chart needs a number for every point (no blanks or NaN).")
    return found


def _boundaries(count: int, rebase_at: Iterable[int]) -> list[int]:
    if count == 0:
        return []
    starts = sorted({index for index in rebase_at if 0 < index < count})
    return [0, *starts, count]


def segment_of(values: Sequence[float], start: int, stop: int) -> Segment:
    part = values[start:stop]
    ranges = [abs(b - a) for a, b in zip(part, part[1:], strict=False)]
    mean_range = sum(ranges) / len(ranges) if ranges else None
    return Segment(start, stop, sum(part) / len(part), mean_range)


def _points(values: list[float], segment: Segment) -> list[XmrPoint]:
    part = values[segment.start : segment.stop]
    if segment.mean_moving_range is None:
        signals: list[tuple[Signal, ...]] = [()] * len(part)
    else:
        signals = signals_in(part, segment.mean, segment.lower_limit, segment.upper_limit)
    return [
        XmrPoint(
            index=segment.start + offset,
            value=value,
            moving_range=abs(value - part[offset - 1]) if offset else None,
            segment=segment,
            signals=signals[offset],
        )
        for offset, value in enumerate(part)
    ]


def xmr_chart(values: Iterable[float], *, rebase_at: Iterable[int] = ()) -> XmrChart:
    """The XmR chart of ``values`` (in time order), re-baselined at each index in
    ``rebase_at`` (the first point of each new segment)."""
    checked = _checked(values)
    edges = _boundaries(len(checked), rebase_at)
    segments = [segment_of(checked, a, b) for a, b in zip(edges, edges[1:], strict=False)]
    points = [point for segment in segments for point in _points(checked, segment)]
    return XmrChart(points=tuple(points), segments=tuple(segments))


def xmr_latest(values: Iterable[float], *, rebase_at: Iterable[int] = ()) -> XmrPoint | None:
    """The latest point of ``xmr_chart(values, rebase_at=...)``, worked out without the rest.

    Every rule that can flag the latest point looks back at most RUN_LENGTH points, so only
    those are tested, against the whole segment's mean and limits. For lists of hundreds of
    practices where only "what does this month say?" matters.
    """
    checked = _checked(values)
    if not checked:
        return None
    start = _boundaries(len(checked), rebase_at)[-2]
    segment = segment_of(checked, start, len(checked))
    return xmr_latest_of(checked[max(start, len(checked) - RUN_LENGTH) :], segment)


def xmr_latest_of(tail: Sequence[float], segment: Segment) -> XmrPoint:
    """The latest point given its segment (mean and mean moving range, worked out elsewhere:
    a database, say) and the segment's last values, at least the last RUN_LENGTH of them."""
    tail = _checked(tail)[-RUN_LENGTH:]
    signals: tuple[Signal, ...] = ()
    if segment.mean_moving_range is not None:
        lower, upper = segment.lower_limit, segment.upper_limit
        signals = latest_signals(tail, segment.mean, lower, upper)
    moving_range = abs(tail[-1] - tail[-2]) if len(tail) > 1 else None
    return XmrPoint(segment.stop - 1, tail[-1], moving_range, segment, signals)
