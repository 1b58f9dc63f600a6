"""How the access pages show GP appointment measures: figures as people read them, the
sortable column headings and the trend charts. No database: built from what the selectors
(metrics.selectors_access) return, so they are tested on plain objects."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from markupsafe import Markup

from core import presenters
from core.charts import Band, Series, band_chart
from metrics.selectors_access import PER_WORKING_DAY

DIRECTIONS = {
    True: "Higher is better.",
    False: "Lower is better.",
    None: "Neither higher nor lower is better in itself.",
}


@dataclass(frozen=True)
class MeasureFigures:
    """One measure's figures for one organisation in one month."""

    definition: object  # MeasureDefinition
    value: object | None  # MeasureValue, or None when nothing was recorded

    @property
    def title(self) -> str:
        return self.definition.title

    @property
    def unit(self) -> str:
        return self.definition.unit

    def _field(self, name: str) -> float | None:
        return getattr(self.value, name) if self.value is not None else None

    @property
    def value_text(self) -> str:
        return presenters.measure_value(self._field("value"), self.unit)

    @property
    def value_cell(self) -> dict:
        """The value as a table cell, noting a list size older than it should be."""
        return figure_cell(self.value_text, self.value)

    @property
    def change_year_text(self) -> str:
        return presenters.measure_change(self._field("change_year"), self.unit)

    @property
    def change_baseline_text(self) -> str:
        return presenters.measure_change(self._field("change_baseline"), self.unit)

    @property
    def percentile_england_text(self) -> str:
        return presenters.percentile(self._field("percentile_england"))

    @property
    def percentile_icb_text(self) -> str:
        return presenters.percentile(self._field("percentile_icb"))

    @property
    def direction(self) -> str:
        return DIRECTIONS[self.definition.higher_is_better]

    @property
    def counted(self) -> str:
        """What is counted, and out of what: the definition in words."""
        if self.definition.denominator_text:
            return f"{self.definition.numerator_text}, out of {self.definition.denominator_text}."
        return f"{self.definition.numerator_text}."


def latest_figures(definitions: list, latest: dict) -> list[MeasureFigures]:
    """Every measure in the definitions' order, blank where the month has no value."""
    return [MeasureFigures(d, latest.get(d.code)) for d in definitions]


# --- Sortable tables ------------------------------------------------------------------------

ASCENDING, DESCENDING = "asc", "desc"


@dataclass(frozen=True)
class SortLinks:
    """Column headings that sort the table on the server: each links to the page sorted by
    its column (the current column links to the other direction) and says how it is sorted
    through aria-sort. ``params`` are the page's other query parameters, kept in each link."""

    params: dict[str, str]
    sort: str
    descending: bool

    def head(self, key: str, text: str, *, numeric: bool = True) -> dict:
        current = key == self.sort
        flip = DESCENDING if current and not self.descending else ASCENDING
        query = urlencode({**self.params, "sort": key, "dir": flip})
        heading = {"text": text, "href": f"?{query}", "sort": self._state(current)}
        return {**heading, "format": "numeric"} if numeric else heading

    def _state(self, current: bool) -> str:
        if not current:
            return "none"
        return "descending" if self.descending else "ascending"


BOLD = "nhsuk-u-font-weight-bold"
PER_DAY_PLACES = 1


def per_day(value: float | None) -> str:
    """Appointments per working day: 47.6 (a dash when there is no figure)."""
    return presenters.number(value, PER_DAY_PLACES)


def denominator_note(value) -> str:
    """ "list size from Nov 2024" for a value per registered patients whose list size is more
    than three months older than its month (a MeasureValue, or None); else blank."""
    if value is None or not value.denominator_out_of_date:
        return ""
    return f"list size from {presenters.month(value.denominator_month)}"


def figure_cell(text: str, value, classes: str = "") -> dict:
    """A numeric table cell for a figure, with ``denominator_note`` under it where due."""
    cell = {"format": "numeric", "classes": classes}
    note = denominator_note(value)
    if not note:
        return {**cell, "text": text}
    html = Markup('{}<br><span class="nhsuk-u-font-size-14">{}</span>').format(text, note)
    return {**cell, "html": html}


@dataclass(frozen=True)
class MeasureColumns:
    """The figure columns of the access tables: appointments, (with ``per_working_day``)
    appointments per working day, registered patients, then the other measures
    (``definitions`` starts with appointments)."""

    definitions: list
    sort: SortLinks
    per_working_day: bool = False

    def head(self) -> list[dict]:
        first, *rest = self.definitions
        per_day_head = [self.sort.head(PER_WORKING_DAY, "Appointments per working day")]
        return [
            self.sort.head(first.code, "Appointments"),
            *(per_day_head if self.per_working_day else []),
            self.sort.head("patients", "Registered patients"),
            *(self.sort.head(d.code, d.title) for d in rest),
        ]

    def cells(self, row, classes: str = "") -> list[dict]:
        first, *rest = self.definitions
        texts = [
            presenters.measure_value(row.value(first.code), first.unit),
            *([per_day(row.per_working_day)] if self.per_working_day else []),
            presenters.number(row.patients),
        ]
        plain = [{"text": text, "format": "numeric", "classes": classes} for text in texts]
        figures = (
            figure_cell(
                presenters.measure_value(row.value(d.code), d.unit), row.values.get(d.code), classes
            )
            for d in rest
        )
        return [*plain, *figures]

    def reference(self, row, blanks: int = 0) -> list[dict]:
        """A place, ICB or England row under a table, in bold."""
        label = {"text": reference_label(row.org), "classes": BOLD}
        return [label, *([""] * blanks), *self.cells(row, BOLD)]


def reference_label(org) -> str:
    if org.kind == "england":
        return "England (national)"
    return f"{org.name} ({org.code})"


# --- Trend charts ----------------------------------------------------------------------------

BAND_NAME = "Practices in England, 10th to 90th percentile"
MEDIAN_NAME = "Median practice in England"


def axis_title(definition) -> str:
    unit = definition.unit
    return f"{definition.title} (%)" if unit == presenters.PERCENT else f"{definition.title}"


def hover_format(unit: str) -> str:
    return ",.0f" if unit in presenters.COUNT_UNITS else ",.1f"


def trend_chart(trend, org_name: str, icb_name: str | None, chart_id: str) -> Markup:
    """One measure for the organisation and its ICB over the national band of practices."""
    series = [Series(org_name, trend.months, trend.org)]
    if icb_name and any(value is not None for value in trend.icb):
        series.append(Series(icb_name, trend.months, trend.icb))
    band = Band(BAND_NAME, MEDIAN_NAME, trend.months, trend.lowest, trend.median, trend.highest)
    unit = trend.definition.unit
    return band_chart(
        series,
        band,
        y_title=axis_title(trend.definition),
        chart_id=chart_id,
        number=hover_format(unit),
    )


def chart_id(code: str) -> str:
    return f"access-{code.replace('_', '-')}"


def trend_caption(title: str, org_name: str) -> str:
    return f"{title}: {org_name}, its ICB and practices in England, by month"


def band_text(low: float | None, high: float | None, unit: str) -> str:
    """The 10th to 90th percentile range as a table shows it."""
    if low is None or high is None:
        return "–"
    return f"{presenters.measure_value(low, unit)} to {presenters.measure_value(high, unit)}"


@dataclass(frozen=True)
class TrendView:
    """A trend chart with what the page writes around it."""

    id: str
    title: str
    chart: Markup
    trend: object  # metrics.selectors_access.Trend

    @property
    def unit(self) -> str:
        return self.trend.definition.unit

    def table_rows(self) -> list[tuple[str, str, str, str, str]]:
        """Month, organisation, ICB, England median and 10th to 90th percentile, as text."""
        shown = presenters.measure_value
        return [
            (presenters.month(m), shown(own, self.unit), shown(icb, self.unit),
             shown(median, self.unit), band_text(low, high, self.unit))
            for m, own, icb, low, median, high in self.trend.rows()
        ]  # fmt: skip

    @property
    def has_per_day(self) -> bool:
        """Whether the measure is a count held per working day too (appointments)."""
        return any(value is not None for value in self.trend.per_day)

    def table_head(self, org_name: str, icb_name: str | None) -> list[dict]:
        """The headings of the table beside the chart, for ``table_cells``."""
        per_day_head = [{"text": f"{org_name}, per working day", "format": "numeric"}]
        return [
            {"text": "Month"},
            {"text": org_name, "format": "numeric"},
            *(per_day_head if self.has_per_day else []),
            {"text": icb_name or "ICB", "format": "numeric"},
            {"text": MEDIAN_NAME, "format": "numeric"},
            {"text": BAND_NAME, "format": "numeric"},
        ]

    def table_cells(self) -> list[list]:
        """``table_rows`` as table cells, with the organisation's figure per working day
        beside its own when the measure has one."""
        shown = self.has_per_day
        per_days = [per_day(value) for value in self.trend.per_day[::-1]]
        values = self.trend.values[::-1]
        rows = []
        for (month, own, *rest), own_per_day, value in zip(
            self.table_rows(), per_days, values, strict=True
        ):
            others = [own_per_day, *rest] if shown else rest
            cells = [figure_cell(own, value), *({"text": t, "format": "numeric"} for t in others)]
            rows.append([month, *cells])
        return rows


def trend_view(trend, org_name: str, icb_name: str | None) -> TrendView:
    code = trend.definition.code
    return TrendView(
        id=chart_id(code),
        title=trend_caption(trend.definition.title, org_name),
        chart=trend_chart(trend, org_name, icb_name, chart_id(code)),
        trend=trend,
    )
