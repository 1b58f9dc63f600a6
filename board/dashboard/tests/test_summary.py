"""The summary for escalation, written from figures built in memory (no database)."""

import datetime as dt
from types import SimpleNamespace

from board.dashboard.attention import Attention, Concern, DataQualityFlag, LowestAccess, Ranked
from board.dashboard.measures import KeyMeasure
from board.dashboard.selectors import Dashboard
from board.dashboard.summary import escalation_summary
from board.dashboard.trends import MonthValue, measure_trend
from metrics.calendar import add_months
from metrics.models import MeasureDefinition
from metrics.spc import Rule

MONTHS = [add_months(dt.date(2025, 1, 1), i) for i in range(14)]
ICB = SimpleNamespace(name="NHS Somerset ICB", kind="icb", pk=1)
SAME_DAY = MeasureDefinition(code="same_day_pct", title="Same-day appointments", unit="%",
                             higher_is_better=True)  # fmt: skip
ACC08 = MeasureDefinition(code="acc08_within_14_days_pct", title="ACC-08", unit="%",
                          higher_is_better=True)  # fmt: skip


def _trend(definition, values, target=None, england=None):
    rows = [MonthValue(m, v, 0, 100) for m, v in zip(MONTHS, values, strict=True)]
    key = KeyMeasure(definition.code, target, "")
    return measure_trend(definition, key, rows, until=MONTHS[-1], england=england)


def _practice(name, pk):
    return SimpleNamespace(name=name, kind="practice", pk=pk)


def _dashboard(attention=None):
    trends = [
        _trend(SAME_DAY, [38, 42] * 6 + [40, 20], england=44.0),  # falls out of its limits
        _trend(ACC08, [89, 91] * 7, target=95),  # limits about 84.7% to 95.3%
    ]
    return Dashboard(ICB, MONTHS[-1], MONTHS, None, trends=trends, attention=attention)


def test_it_opens_with_how_many_key_measures_show_special_cause():
    first = escalation_summary(_dashboard())[0]
    assert first == (
        "In Feb 2026, 1 of the 2 key measures for NHS Somerset ICB shows special-cause concern "
        "and none special-cause improvement; the rest show common-cause variation."
    )


def test_a_concerning_measure_is_named_with_its_value_and_the_rule_that_fired():
    summary = escalation_summary(_dashboard())
    assert (
        "Same-day appointments is a concern: 20.0% in Feb 2026, with a month outside the "
        "process limits (mean 38.6%)." in summary
    )


def test_a_target_inside_the_limits_may_be_hit_or_missed():
    summary = escalation_summary(_dashboard())
    assert any(s.startswith("ACC-08 may hit or miss its target of 95.0%") for s in summary)


def test_the_figures_are_set_against_england():
    summary = escalation_summary(_dashboard())
    assert "Against England: same-day appointments 20.0% (England 44.0%)." in summary


def test_deterioration_lowest_access_and_recording_are_summed_up():
    weak, poor = _practice("Oak Surgery", 2), _practice("Ash Surgery", 3)
    attention = Attention(
        deteriorating=[Concern(weak, SAME_DAY, 15.0, MONTHS[-1], (Rule.OUTSIDE_LIMITS,))],
        lowest=[LowestAccess(SAME_DAY, [Ranked(weak, 15.0, 15, 100)])],
        data_quality=[DataQualityFlag(poor, 2.0, True, 9000, 100)],
    )
    summary = escalation_summary(_dashboard(attention))
    assert (
        "1 practice shows special-cause deterioration in at least one key measure, most often "
        "in same-day appointments." in summary
    )
    assert "Lowest same-day appointments: Oak Surgery at 15.0% (NHS Somerset ICB 20.0%)." in summary
    assert (
        "1 practice recorded too few appointments to count in national figures: Ash Surgery."
        in summary
    )


def test_with_no_figures_it_says_so():
    empty = Dashboard(ICB, None, [], None)
    assert escalation_summary(empty) == [
        "No appointment figures have been loaded for NHS Somerset ICB yet."
    ]
