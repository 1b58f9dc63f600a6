"""Chart ticks follow the span of the dates, not how many there are."""

import datetime as dt

from core.charts import month_span


def test_the_span_counts_months_from_first_to_last():
    assert month_span([dt.date(2024, 9, 30), dt.date(2026, 9, 30)]) == 25
    assert month_span([dt.date(2026, 4, 1), dt.date(2026, 4, 30)]) == 1
    assert month_span([]) == 0
