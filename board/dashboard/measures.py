"""Which measures the board reads first, and the ICB's targets for them: the key measures of
the organisation's ICB, as its managers keep them in the portal (metrics.selectors)."""

from __future__ import annotations

from metrics.selectors import KeyMeasureItem as KeyMeasure
from metrics.selectors import KeyMeasures as DashboardMeasures
from metrics.selectors import key_measures_of as dashboard_measures

__all__ = ["DashboardMeasures", "KeyMeasure", "dashboard_measures"]
