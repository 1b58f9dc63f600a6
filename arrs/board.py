"""The ARRS workforce section of the board: WTE in post against the accepted plans by role,
and projected spend against allocation, for an ICB or a PCN, with where the figures come
from and when.

``workforce_section_read`` reads it once, through the selectors the workforce page uses
(``fte_table`` and ``spend_table`` over the same accepted plans), so the dashboard, the PDF,
the slides and the workbook show the workforce page's figures. arrs/apps.py registers it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.http import QueryDict
from django.urls import reverse
from django.utils.timezone import localdate

from arrs.filters import WorkforceView, workforce_view
from arrs.measures.provider import ArrsProvider
from arrs.money import Spend
from arrs.presenters import headroom, money, short_date, spend_coverage, wte
from arrs.selectors import (
    IN_POST,
    PLANNED,
    Column,
    FteTable,
    SpendTotal,
    fte_table,
    published_figures,
    spend_table,
)
from arrs.years import fy_label, fy_of
from core.presenters import measure_value
from core.presenters import month as short_month
from core.registry import BoardSection, PackSheets, PackSlides
from metrics.models import MeasureDefinition, MeasureValue
from metrics.spc import XmrChart, XmrPoint, variation_of, xmr_chart
from metrics.spc.icons import variation_label
from practices.models import Organisation, OrgKind
from practices.selectors import ancestor_ids

TITLE = "ARRS workforce"
WTE_FORMAT = "#,##0.00"
MONEY_FORMAT = '"£"#,##0;-"£"#,##0'
NOTHING = Spend(allocation=None, projected=None, claimed=None)


@dataclass(frozen=True)
class MeasureSpc:
    """One ARRS measure's months for the organisation, read as an XmR chart."""

    title: str
    unit: str
    months: list[dt.date]
    chart: XmrChart
    variation: str

    @property
    def latest(self) -> XmrPoint | None:
        return self.chart.latest

    @property
    def latest_month(self) -> dt.date | None:
        return self.months[-1] if self.months else None


@dataclass(frozen=True)
class WorkforceSection:
    """What the section shows for one ICB or PCN in one financial year."""

    org: Organisation
    year: int
    round_name: str | None
    table: FteTable
    total: SpendTotal
    today: dt.date
    measures: tuple[MeasureSpc, ...] = ()

    @property
    def in_post_on(self) -> dt.date | None:
        return _day_of(self.table, IN_POST)

    @property
    def planned_by(self) -> dt.date | None:
        return _day_of(self.table, PLANNED)

    @property
    def spend(self) -> Spend:
        return self.total.spend

    def rows(self) -> list[tuple[str, Decimal | None, Decimal | None]]:
        """(role, WTE in post, WTE planned) for each role with a figure in either."""
        found = [(row.role.name, *self._pair(row.values)) for row in self.table.rows]
        return [row for row in found if row[1] is not None or row[2] is not None]

    def totals(self) -> tuple[Decimal | None, Decimal | None]:
        return self._pair(self.table.totals)

    def _pair(self, values) -> tuple[Decimal | None, Decimal | None]:
        by_kind = dict(zip((c.kind for c in self.table.columns), values, strict=True))
        return by_kind.get(IN_POST), by_kind.get(PLANNED)

    @property
    def in_post_heading(self) -> str:
        return f"In post, {short_date(self.in_post_on)}" if self.in_post_on else "In post"

    @property
    def planned_heading(self) -> str:
        return f"Planned, {short_date(self.planned_by)}" if self.planned_by else "Planned"

    @property
    def spc_header(self) -> list[str]:
        return SPC_HEADER

    @property
    def spc_source(self) -> str:
        return SPC_SOURCE

    def spc_rows(self) -> list[list[str]]:
        return [spc_cells(measure) for measure in self.measures]

    @property
    def page_url(self) -> str:
        """The workforce page the section is a summary of."""
        if self.org.kind == OrgKind.PCN:
            return reverse("arrs:pcn", args=[self.org.code])
        return f"{reverse('arrs:icb')}?icb={self.org.code}&year={self.year}"

    @property
    def source_line(self) -> str:
        plans = f"accepted plans of round {self.round_name}" if self.round_name else "no plans"
        in_post = f"in post at {short_date(self.in_post_on)}" if self.in_post_on else "none"
        return (
            f"Source: ARRS workforce records kept in the portal for {fy_label(self.year)}: "
            f"{plans}; staff {in_post} (the ICB's own counts, otherwise the NWRS census); "
            f"allocations and reimbursable amounts. As at {short_date(self.today)}."
        )


def measures_spc(org: Organisation) -> tuple[MeasureSpc, ...]:
    """The ARRS measures' monthly values for the organisation (worked out by the measures
    engine from each PCN's staff in post), each as an XmR chart with its variation."""
    definitions = MeasureDefinition.objects.filter(source=ArrsProvider.source)
    found = []
    for definition in definitions.order_by("sort_order", "code"):
        rows = MeasureValue.objects.filter(measure=definition, org=org, value__isnull=False)
        months, values = [], []
        for period, value in rows.order_by("period").values_list("period", "value"):
            months.append(period)
            values.append(value)
        if not values:
            continue
        chart = xmr_chart(values)
        variation = variation_of(chart, higher_is_better=definition.higher_is_better)
        found.append(
            MeasureSpc(definition.title, definition.unit, months, chart, variation_label(variation))
        )
    return tuple(found)


def _day_of(table: FteTable, kind: str) -> dt.date | None:
    return next((c.on for c in table.columns if c.kind == kind), None)


def _icb_for(org: Organisation) -> Organisation | None:
    if org.kind == OrgKind.ICB:
        return org
    if org.kind != OrgKind.PCN:
        return None
    ids = ancestor_ids([org.pk], OrgKind.ICB)
    return Organisation.objects.filter(pk__in=ids).order_by("code").first()


def _view(org: Organisation, icb: Organisation, year: int, today: dt.date) -> WorkforceView:
    params = QueryDict(mutable=True)
    params["year"] = str(year)
    if org.kind == OrgKind.PCN:
        params["pcn"] = org.code
    return workforce_view(icb, params, today)


def _columns(view: WorkforceView) -> list[Column]:
    """The latest in-post date the workforce page shows for the year, and the last date the
    round's accepted plans give figures for."""
    in_post = view.in_post_dates[-1:]
    planned = view.planned_choices[-1:]
    return [*(Column(IN_POST, d) for d in in_post), *(Column(PLANNED, d) for d in planned)]


def workforce_section_read(
    org: Organisation, *, month: dt.date | None = None, today: dt.date | None = None
) -> WorkforceSection | None:
    """The section for an ICB or a PCN in the financial year of ``month`` (this year's when
    none); None for another kind of organisation, a PCN in no ICB, or when nothing is held
    for the year."""
    today = today or localdate()
    icb = _icb_for(org)
    if icb is None:
        return None
    view = _view(org, icb, fy_of(month or today), today)
    if org.kind == OrgKind.PCN and view.pcn is None:
        return None
    figures = published_figures([p.pk for p in view.pcns], view.plan_round)
    table = fte_table(
        pcn_ids=[p.pk for p in view.pcns],
        columns=_columns(view),
        plans=figures,
        roles=view.roles(),
        icb_id=icb.pk if view.whole_icb else None,
    )
    spend = spend_table(
        icb=icb, year=view.year, plan_round=view.plan_round, pcns=view.pcns, plans=figures
    )
    if not table.columns and spend.total.spend == NOTHING:
        return None  # no staff in post, plan or money held for the year: nothing to draw
    round_name = view.plan_round.name if view.plan_round else None
    return WorkforceSection(
        org, view.year, round_name, table, spend.total, today, measures_spc(org)
    )


# --- the pack's slides and sheets --------------------------------------------------------------


def spend_lines(data: WorkforceSection) -> list[tuple[str, Decimal | None]]:
    """The money, unrounded, for the workbook."""
    spend = data.spend
    return [
        ("Allocation", spend.allocation),
        ("Projected spend", spend.projected),
        ("Headroom (allocation less projected spend)", spend.headroom),
        ("Claimed so far", spend.claimed),
    ]


def slides_add(slides: PackSlides, data: WorkforceSection) -> None:
    slide = slides.slide(f"{TITLE}: in post and planned by role")
    slides.text(slide, [f"WTE by ARRS role, {data.org.name}, {fy_label(data.year)}."])
    rows = [[name, wte(in_post), wte(planned)] for name, in_post, planned in data.rows()]
    rows.append(["Total", *(wte(value) for value in data.totals())])
    slides.table(slide, ["Role", data.in_post_heading, data.planned_heading], rows)
    slides.caption(slide, data.source_line)
    slide = slides.slide(f"{TITLE}: projected spend against allocation, {fy_label(data.year)}")
    slides.text(slide, [spend_coverage(data.total)])
    spend = data.spend
    rows = [
        ["Allocation", money(spend.allocation)],
        ["Projected spend", money(spend.projected)],
        ["Headroom", headroom(spend.headroom)],
        ["Claimed so far", money(spend.claimed)],
    ]
    slides.table(slide, ["", data.org.name], rows)
    slides.caption(slide, data.source_line)
    if data.measures:
        slide = slides.slide(f"{TITLE}: measures over time (SPC)")
        slides.table(slide, SPC_HEADER, [spc_cells(m) for m in data.measures])
        slides.caption(slide, SPC_SOURCE)


def sheets_add(sheets: PackSheets, data: WorkforceSection) -> None:
    header = ["Role", f"{data.in_post_heading} (WTE)", f"{data.planned_heading} (WTE)"]
    about = f"WTE by ARRS role in post and planned, {data.org.name}, {fy_label(data.year)}"
    sheet = sheets.sheet("ARRS WTE by role", about, header, {"A": 44, "B": 24, "C": 24})
    for name, in_post, planned in data.rows():
        sheets.row(sheet, [name, in_post, planned], [None, WTE_FORMAT, WTE_FORMAT])
    sheets.row(sheet, ["Total", *data.totals()], [None, WTE_FORMAT, WTE_FORMAT])
    about = f"ARRS projected spend against allocation, {data.org.name}, {fy_label(data.year)}"
    sheet = sheets.sheet("ARRS spend", about, ["Item", "Amount (£)"], {"A": 44, "B": 18})
    for what, value in spend_lines(data):
        sheets.row(sheet, [what, value], [None, MONEY_FORMAT])
    sheets.row(sheet, ["What the total covers", spend_coverage(data.total)], [None, None])
    if data.measures:
        about = f"ARRS measures over time (SPC), {data.org.name}"
        sheet = sheets.sheet("ARRS measures", about, SPC_SHEET_HEADER, {"A": 44, "B": 12})
        for measure in data.measures:
            for month, point in zip(measure.months, measure.chart.points, strict=True):
                values = [measure.title, month, point.value, point.segment.mean]
                limits = [point.segment.lower_limit, point.segment.upper_limit]
                sheets.row(sheet, [*values, *limits], [None, "mmm yyyy", *[VALUE_FORMAT] * 4])


SPC_HEADER = ["Measure", "Latest month", "Value", "Mean", "Process limits", "Variation"]
SPC_SHEET_HEADER = ["Measure", "Month", "Value", "Mean", "Lower limit", "Upper limit"]
SPC_SOURCE = (
    "Source: the portal's ARRS measures, worked out monthly from each PCN's staff in post, "
    "list sizes, allocations and maximum reimbursable amounts; XmR limits as Making Data "
    "Count draws them."
)
VALUE_FORMAT = "#,##0.0"


def spc_cells(measure: MeasureSpc) -> list[str]:
    """A measure's latest point in words: what the page, slides and PDF show."""
    point = measure.latest
    segment = point.segment
    limits = (
        f"{measure_value(segment.lower_limit, measure.unit)} to "
        f"{measure_value(segment.upper_limit, measure.unit)}"
        if segment.lower_limit is not None
        else "–"
    )
    return [
        measure.title,
        short_month(measure.latest_month),
        measure_value(point.value, measure.unit),
        measure_value(segment.mean, measure.unit),
        limits,
        measure.variation,
    ]


def _source(data: WorkforceSection) -> str:
    return data.source_line


WORKFORCE_SECTION = BoardSection(
    key="arrs-workforce",
    title=TITLE,
    read=workforce_section_read,
    template="arrs/board_section.jinja",
    add_slides=slides_add,
    add_sheets=sheets_add,
    source=_source,
    order=20,
)
