"""The summary for escalation: a few plain sentences written from the figures, most
pressing first, for the top of the dashboard and the board pack. No database."""

from __future__ import annotations

from collections import Counter

from board.dashboard.attention import Attention
from board.dashboard.presenters import measure_value, rules_text
from board.dashboard.selectors import Dashboard
from board.dashboard.trends import MeasureTrend
from core.presenters import count_of, month
from metrics.spc import Assurance, Variation


def escalation_summary(dashboard: Dashboard) -> list[str]:
    if not dashboard.has_figures:
        return [f"No appointment figures have been loaded for {dashboard.org.name} yet."]
    sentences = [_overview(dashboard)]
    sentences += [_special(trend) for trend in dashboard.trends if _is(trend, Variation.CONCERNING)]
    sentences += [_special(trend) for trend in dashboard.trends if _is(trend, Variation.IMPROVING)]
    sentences += [s for s in (_assurance(trend) for trend in dashboard.trends) if s]
    sentences.append(_against_england(dashboard))
    if dashboard.attention is not None:
        sentences += _attention(dashboard.attention, dashboard)
    return [sentence for sentence in sentences if sentence]


def _is(trend: MeasureTrend, variation: Variation) -> bool:
    return trend.variation == variation


def _overview(dashboard: Dashboard) -> str:
    kinds = Counter(trend.variation for trend in dashboard.trends)
    concern, better = kinds[Variation.CONCERNING], kinds[Variation.IMPROVING]
    other = kinds[Variation.NEITHER_HIGH] + kinds[Variation.NEITHER_LOW]
    total = len(dashboard.trends)
    when = f"In {month(dashboard.month)}"
    if concern + better + other == 0:
        return (
            f"{when}, all {total} key measures for {dashboard.org.name} show common-cause "
            "variation only: no sign of a real change."
        )
    parts = [
        f"{_number(concern)} of the {total} key measures for {dashboard.org.name} "
        f"{'shows' if concern == 1 else 'show'} special-cause concern",
        f"{_number(better)} special-cause improvement",
    ]
    if other:
        parts.append(f"{_number(other)} a special-cause change where neither way is better")
    listed = f"{', '.join(parts[:-1])} and {parts[-1]}"
    return f"{when}, {listed}; the rest show common-cause variation."


def _number(count: int) -> str:
    return "none" if count == 0 else str(count)


def _special(trend: MeasureTrend) -> str:
    point = trend.latest_point
    unit = trend.definition.unit
    word = "is a concern" if trend.variation == Variation.CONCERNING else "is improving"
    return (
        f"{trend.definition.title} {word}: {measure_value(point.value, unit)} in "
        f"{month(trend.latest.month)}, with {rules_text(point.rules)} "
        f"(mean {measure_value(point.mean, unit)})."
    )


def _assurance(trend: MeasureTrend) -> str | None:
    assurance = trend.assurance
    if assurance is None:
        return None
    unit = trend.definition.unit
    target = measure_value(trend.key.target, unit)
    segment = trend.chart.current
    limits = (
        f"the process limits are {measure_value(segment.lower_limit, unit)} to "
        f"{measure_value(segment.upper_limit, unit)}"
    )
    title = trend.definition.title
    if assurance == Assurance.PASSING:
        return f"{title} will consistently meet its target of {target}: {limits}."
    if assurance == Assurance.FAILING:
        return f"{title} will consistently miss its target of {target}: {limits}."
    return f"{title} may hit or miss its target of {target}: {limits}."


def _against_england(dashboard: Dashboard) -> str:
    parts = [
        f"{trend.definition.title.lower()} {_value(trend.latest.value, trend)} "
        f"(England {_value(trend.england, trend)})"
        for trend in dashboard.trends
        if trend.england is not None and trend.latest is not None
    ][:3]
    return f"Against England: {'; '.join(parts)}." if parts else ""


def _value(value: float | None, trend: MeasureTrend) -> str:
    return measure_value(value, trend.definition.unit)


def _attention(attention: Attention, dashboard: Dashboard) -> list[str]:
    sentences = [_deteriorating(attention, dashboard)]
    for lowest in attention.lowest:
        if lowest.rows:
            row, unit = lowest.rows[0], lowest.definition.unit
            trend = dashboard.trend(lowest.definition.code)
            own = measure_value(trend.latest.value, unit) if trend and trend.latest else "–"
            sentences.append(
                f"Lowest {lowest.definition.title.lower()}: {row.org.name} at "
                f"{measure_value(row.value, unit)} ({dashboard.org.name} {own})."
            )
    sentences.append(_data_quality(attention))
    return sentences


def _deteriorating(attention: Attention, dashboard: Dashboard) -> str:
    orgs = attention.deteriorating_orgs
    if not orgs:
        return f"No PCN or practice shows special-cause deterioration in {month(dashboard.month)}."
    pcns = sum(1 for org in orgs if org.kind == "pcn")
    practices = sum(1 for org in orgs if org.kind == "practice")
    common = Counter(c.definition.title.lower() for c in attention.deteriorating).most_common(1)
    parts = [count_of(pcns, "PCN")] if pcns else []
    parts += [count_of(practices, "practice")] if practices else []
    verb = "shows" if len(orgs) == 1 else "show"
    return (
        f"{' and '.join(parts)} {verb} special-cause deterioration in at least one key "
        f"measure, most often in {common[0][0]}."
    )


def _data_quality(attention: Attention) -> str:
    incomplete = [flag.org.name for flag in attention.data_quality if flag.incomplete]
    if incomplete:
        names = ", ".join(incomplete[:3]) + (" and others" if len(incomplete) > 3 else "")
        return (
            f"{count_of(len(incomplete), 'practice')} recorded too few appointments to count "
            f"in national figures: {names}."
        )
    worst = next((f for f in attention.data_quality if f.unmapped), None)
    if worst is None:
        return ""
    return (
        f"Highest share of appointments in no care category: {worst.org.name} at "
        f"{measure_value(worst.unmapped, '%')}."
    )
