"""The dashboard as a page shows it: cards, charts with their tables and downloads, and
links to drill down. Built from a ``Dashboard`` read; formatting only, no queries."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

from django.urls import reverse
from markupsafe import Markup

from board.dashboard import charts
from board.dashboard.presenters import (
    Icon,
    as_at,
    assurance_icon,
    change_on_last_year,
    measure_value,
    target_text,
    variation_icon,
)
from board.dashboard.selectors import Dashboard, Spread
from board.dashboard.summary import escalation_summary
from board.dashboard.tables import (
    LEVEL_NAMES,
    AttentionTables,
    Table,
    dashboard_url,
    data_quality_table,
    deteriorating_table,
    lowest_table,
    month_from_param,
    month_param,
    spc_table,
    spread_table,
)
from board.dashboard.trends import MeasureTrend
from core.presenters import month, period
from metrics.measures.providers import caption_for
from practices.models import OrgKind

__all__ = ["DashboardPage", "dashboard_url", "month_from_param", "month_param"]


@dataclass(frozen=True)
class Card:
    code: str
    title: str
    value: str
    period: str
    change: str
    england: str
    target: str
    variation: Icon
    assurance: Icon
    few_points: bool
    why: str


@dataclass(frozen=True)
class ChartSection:
    id: str
    title: str
    source_line: str
    chart: Markup
    figure: dict
    legend: str
    table: Table
    csv_url: str


class DashboardPage:
    """Everything the dashboard template (and the board pack) prints."""

    def __init__(self, dashboard: Dashboard) -> None:
        self.dashboard = dashboard
        self.org = dashboard.org
        self.query = {
            "month": month_param(dashboard.month),
            "rebase": month_param(dashboard.rebase),
        }

    @property
    def level(self) -> str:
        return LEVEL_NAMES.get(self.org.kind, ("organisation",))[0]

    @cached_property
    def summary(self) -> list[str]:
        return escalation_summary(self.dashboard)

    @property
    def as_at(self) -> str:
        source = self.dashboard.source
        return as_at(source.loaded_at, source.file_name) if source else as_at(None)

    @property
    def source_line(self) -> str:
        return (
            f"Source: {caption_for('gpad')}. Period: {month(self.dashboard.month)}. {self.as_at}."
        )

    @cached_property
    def cards(self) -> list[Card]:
        return [self._card(trend) for trend in self.dashboard.trends]

    def _card(self, trend: MeasureTrend) -> Card:
        unit, latest = trend.definition.unit, trend.latest
        return Card(
            code=trend.definition.code,
            title=trend.definition.title,
            value=measure_value(latest.value if latest else None, unit),
            period=month(latest.month) if latest else "No figures",
            change=change_on_last_year(latest.change_year, unit, latest.month) if latest else "",
            england=f"England {measure_value(trend.england, unit)}",
            target=target_text(trend.key.target, unit) if trend.key.target is not None else "",
            variation=variation_icon(trend.variation),
            assurance=assurance_icon(trend.assurance),
            few_points=bool(trend.chart.current and trend.chart.current.few_points),
            why=trend.definition.why_it_matters,
        )

    def _csv(self, name: str, code: str) -> str:
        url = reverse(f"dashboard:{name}", args=[self.org.kind, self.org.code, code])
        chosen = {key: value for key, value in self.query.items() if value}
        return f"{url}?{urlencode(chosen)}" if chosen else url

    @cached_property
    def spc_sections(self) -> list[ChartSection]:
        return [self._spc(trend) for trend in self.dashboard.trends if trend.values]

    def _spc(self, trend: MeasureTrend) -> ChartSection:
        figure = charts.spc_figure(trend)
        chart_id = f"spc-{trend.definition.code}"
        months = trend.months
        return ChartSection(
            id=chart_id,
            title=f"{trend.definition.title}, {self.org.name}: SPC chart",
            source_line=(
                f"Source: {caption_for(trend.definition.source)}. "
                f"Period: {period(months[0], months[-1])}. {self.as_at}."
            ),
            chart=charts.figure_markup(figure, chart_id),
            figure=figure,
            legend=charts.legend_words(trend),
            table=spc_table(trend, self.org),
            csv_url=self._csv("spc_csv", trend.definition.code),
        )

    @cached_property
    def spread_sections(self) -> list[ChartSection]:
        return [self._spread(spread) for spread in self.dashboard.spreads if spread.rows]

    def spread_title(self, spread: Spread) -> str:
        title, when = spread.definition.title, month(self.dashboard.month)
        if self.org.kind == OrgKind.PRACTICE:
            return f"{title}: practices in the same PCN, {when}"
        single, plural = LEVEL_NAMES[spread.level]
        return f"{title} by {single}: {plural} in {self.org.name}, {when}"

    def _spread(self, spread: Spread) -> ChartSection:
        figure = charts.spread_figure(spread, self.org.name)
        chart_id = f"variation-{spread.definition.code}"
        return ChartSection(
            id=chart_id,
            title=self.spread_title(spread),
            source_line=self.source_line,
            chart=charts.figure_markup(figure, chart_id),
            figure=figure,
            legend="Key: each dot is one organisation, ranked best first; a solid dark line "
            f"marks {self.org.name} and a dashed purple line marks England.",
            table=spread_table(spread, self.org, self.dashboard.month),
            csv_url=self._csv("spread_csv", spread.definition.code),
        )

    def places_table(self) -> Table | None:
        if not self.dashboard.places:
            return None
        trends = self.dashboard.trends
        rows = [
            [{"text": place.org.name, "href": dashboard_url(place.org, **self.query)}]
            + [
                measure_value(place.values[t.definition.code].value, t.definition.unit)
                for t in trends
            ]
            for place in self.dashboard.places
        ]
        rows.append(
            [self.org.name]
            + [
                measure_value(t.latest.value if t.latest else None, t.definition.unit)
                for t in trends
            ]
        )
        rows.append(["England"] + [measure_value(t.england, t.definition.unit) for t in trends])
        return Table(
            caption=f"Key measures by place, {month(self.dashboard.month)}",
            head=["Place"] + [t.definition.title for t in trends],
            rows=rows,
            numeric=set(range(1, len(trends) + 1)),
        )

    def children(self) -> list[tuple[str, list[dict]]]:
        """(heading, links) for each level to drill down to."""
        found = []
        for kind, orgs in self.dashboard.children.items():
            if not orgs:
                continue
            plural = LEVEL_NAMES[kind][1]
            heading = plural if plural.isupper() or plural[:3] == "PCN" else plural.capitalize()
            if kind == OrgKind.PRACTICE and self.org.kind == OrgKind.SUB_ICB:
                heading = "Practices in no PCN"
            found.append(
                (heading, [{"text": o.name, "href": dashboard_url(o, **self.query)} for o in orgs])
            )
        return found

    @cached_property
    def attention(self) -> AttentionTables | None:
        attention = self.dashboard.attention
        if attention is None:
            return None
        return AttentionTables(
            deteriorating=deteriorating_table(attention, self.query),
            lowest=[lowest_table(low, self.query) for low in attention.lowest],
            data_quality=data_quality_table(attention, self.query),
        )

    def caveats(self) -> list[str]:
        notes = list(CAVEATS)
        if self.dashboard.rebase:
            notes.append(f"SPC limits are recalculated from {month(self.dashboard.rebase)}.")
        notes += [
            f"{t.definition.title}: {t.key.target_basis}."
            for t in self.dashboard.trends
            if t.key.target is not None and t.key.target_basis
        ]
        return notes

    def month_options(self) -> list[dict]:
        return [
            {"value": month_param(m), "text": month(m), "selected": m == self.dashboard.month}
            for m in reversed(self.dashboard.months)
        ]

    def rebase_options(self) -> list[dict]:
        first = [
            {
                "value": "",
                "text": "No re-baseline (one set of limits)",
                "selected": not self.dashboard.rebase,
            }
        ]
        return first + [
            {"value": month_param(m), "text": month(m), "selected": m == self.dashboard.rebase}
            for m in self.dashboard.months[1:]
        ]


CAVEATS = (
    "GP appointments data are management information: practices record appointments in "
    "different ways, so compare practices with care.",
    "Figures for a place, PCN, ICB or England are ratios of sums over their practices, using "
    "the memberships in force on the first of each month.",
    "England's figures (national scope) leave out practices that recorded fewer than 1 "
    "appointment per registered patient a year in the month.",
    "Appointments per 1,000 patients use each practice's latest list size on or before the "
    "month (Patients Registered at a GP Practice, NHS England).",
    "Blank is not zero: a month with no figure is left out of the charts and shown as a dash.",
)
