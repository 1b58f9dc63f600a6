"""Statistical process control for monthly measures: XmR charts as NHS England's
"Making Data Count" reads them.

Pure Python, no Django: give it numbers in time order, get back the mean, moving ranges,
process limits and the special-cause signals of every point, then the variation and
assurance icons a board reads.

    chart = xmr_chart([45.1, 45.0, ...], rebase_at=[12])
    variation_of(chart, higher_is_better=True)    # Variation.IMPROVING
    assurance_of(chart, target=90, higher_is_better=True)   # Assurance.FAILING
    xmr_latest(values)    # only the latest point, for ranking hundreds of practices fast

The rules, and the choices where the guidance leaves room, are written down in
docs/decisions/0008-spc-rules.md.
"""

from metrics.spc.icons import Assurance, Variation, assurance_of, point_variation, variation_of
from metrics.spc.rules import Rule, Signal
from metrics.spc.xmr import (
    LIMIT_FACTOR,
    RECOMMENDED_POINTS,
    Segment,
    XmrChart,
    XmrPoint,
    xmr_chart,
    xmr_latest,
    xmr_latest_of,
)

__all__ = [
    "LIMIT_FACTOR",
    "RECOMMENDED_POINTS",
    "Assurance",
    "Rule",
    "Segment",
    "Signal",
    "Variation",
    "XmrChart",
    "XmrPoint",
    "assurance_of",
    "point_variation",
    "variation_of",
    "xmr_chart",
    "xmr_latest",
    "xmr_latest_of",
]
