"""The ICB workforce page: the board table of WTE by role, its chart and downloads, and
spend against allocation by PCN."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from markupsafe import Markup

from arrs.access import can_keep_workforce_records, icb_pcn_ids
from arrs.exports import SPEND_HEADER, fte_header, fte_rows, spend_rows
from arrs.exports import fte_xlsx as build_fte_xlsx
from arrs.filters import WorkforceView, workforce_view
from arrs.presenters import (
    column_heading,
    fte_body,
    fte_head,
    icb_level_notes,
    reporting_note,
    series_coverage,
    spend_total_label,
)
from arrs.selectors import (
    IN_POST,
    PLANNED,
    FteTable,
    IcbSpend,
    awaiting_review,
    fte_table,
    published_figures,
    spend_table,
)
from arrs.views.common import icb_or_404, xlsx_response
from arrs.years import fy_label
from core.access import scope_for
from core.charts import Series, line_chart
from core.page_cache import cached_page
from core.pages import csv_response, portal_page, render_page


def _view(request: HttpRequest) -> WorkforceView:
    icb = icb_or_404(scope_for(request), request.GET.get("icb"))
    return workforce_view(icb, request.GET, timezone.localdate())


def _published(view: WorkforceView) -> dict:
    """Figures of the accepted plans in the round, by PCN id: what published tables use."""
    return published_figures([p.pk for p in view.pcns], view.plan_round)


def _table(view: WorkforceView, figures: dict) -> FteTable:
    """The board table; for the whole ICB, its own totals fill in-post dates with no PCN
    figures."""
    return fte_table(
        pcn_ids=[p.pk for p in view.pcns],
        columns=view.columns,
        plans=figures,
        roles=view.roles(),
        icb_id=view.icb.pk if view.whole_icb else None,
    )


def _spend(view: WorkforceView, figures: dict) -> IcbSpend:
    return spend_table(
        icb=view.icb, year=view.year, plan_round=view.plan_round, pcns=view.pcns, plans=figures
    )


def _total_name(view: WorkforceView) -> str:
    """The ICB's name, or the place's or PCN's when the page shows only that."""
    return (view.pcn or view.place or view.icb).name


def _scope_text(view: WorkforceView) -> str:
    if view.pcn:
        return view.pcn.name
    if view.place:
        return f"{view.place.name} ({len(view.pcns)} PCNs)"
    return f"{view.icb.name} ({len(view.pcns)} PCNs)"


def _notes(view: WorkforceView, table: FteTable) -> list[str]:
    round_text = view.plan_round.name if view.plan_round else "no round yet"
    return [
        f"Covers {_scope_text(view)}.",
        "In post: the ICB's own counts where it made one, otherwise the NWRS census read "
        "through the staff role mapping.",
        *icb_level_notes(table, whole_icb=view.whole_icb, held=view.icb_level_dates),
        f"Planned: accepted plans for round {round_text}, from {table.plans_counted} of "
        f"{table.pcn_count} PCNs.",
        "Totals are added before rounding. A blank cell means no PCN reported a figure; "
        "in a planned column, – means no accepted plan gives a figure for that role and date "
        "(a blank in a plan is not filled from the figure before it).",
    ]


@portal_page
@cached_page
def workforce(request: HttpRequest) -> HttpResponse:
    """Anyone with a role in the ICB, board members included: published figures only (accepted
    plans, staff in post, allocations and spend); ICB managers also get links to keep them."""
    scope = scope_for(request)
    view = _view(request)
    figures = _published(view)
    table = _table(view, figures)
    lines = _chart_lines(table)
    spend = _spend(view, figures)
    context: dict[str, Any] = {
        "view": view,
        "fte": table,
        "head": fte_head(table.columns),
        "body": fte_body(table),
        "notes": _notes(view, table),
        "reporting_note": reporting_note(_pcn_columns(table), table.pcn_count),
        "chart": _chart(lines),
        "chart_lines": "; ".join(
            line.name + (" (dashed)" if line.dash == "dash" else "") for line in lines
        ),
        "spend_rows": spend.rows,
        "spend_total": spend.total,
        "spend_total_label": spend_total_label(_total_name(view), spend.total),
        "query": request.GET.urlencode(),
        "can_keep": can_keep_workforce_records(scope) and view.icb.pk in scope.managed_icb_ids,
        "awaiting": awaiting_review(icb_pcn_ids(scope), view.plan_round),
        "year_label": fy_label(view.year),
        "own_pcns": [p for p in view.all_pcns if p.pk in scope.managed_pcn_ids],
    }
    return render_page(request, "arrs/icb.jinja", context)


def _pcn_columns(table: FteTable) -> list[int]:
    """How many PCNs each column has figures from, leaving out the ICB's own totals."""
    return [n for i, n in enumerate(table.reporting) if not table.is_icb_level(i)]


ICB_LEVEL = "icb_level"
CHART_LINES = (
    (IN_POST, "In post", "solid"),
    (ICB_LEVEL, "In post, ICB total (no PCN split)", "dot"),
    (PLANNED, "Planned", "dash"),
)


def _chart_lines(table: FteTable) -> list[Series]:
    """In-post and planned WTE as lines of their own (planned dashed), each named with how
    many PCNs it has figures from, so a plan from fewer PCNs is not read as a fall; the
    ICB's own whole-ICB totals are a line of their own (dotted)."""
    series = []
    for kind, word, dash in CHART_LINES:
        points = [
            (column.on, total, count)
            for i, (column, total, count) in enumerate(
                zip(table.columns, table.totals, table.reporting, strict=True)
            )
            if _line_of(table, i) == kind and total is not None
        ]
        if not points:
            continue
        name = word
        if kind != ICB_LEVEL:
            name += f", {series_coverage([n for _, _, n in points], table.pcn_count)}"
        days, values = [d for d, _, _ in points], [float(v) for _, v, _ in points]
        series.append(Series(name, days, values, dash=dash))
    return series


def _line_of(table: FteTable, index: int) -> str:
    return ICB_LEVEL if table.is_icb_level(index) else table.columns[index].kind


def _chart(lines: list[Series]) -> Markup | None:
    if not lines:
        return None
    return line_chart(lines, y_title="WTE, all ARRS roles", chart_id="arrs-fte")


@portal_page
def fte_csv(request: HttpRequest) -> HttpResponse:
    """Anyone with a role in the ICB: the board table as CSV, unrounded."""
    view = _view(request)
    table = _table(view, _published(view))
    name = f"arrs-fte-{view.icb.code}-{fy_label(view.year).replace('/', '-')}.csv"
    return csv_response(name, fte_header(table), fte_rows(table))


@portal_page
def fte_xlsx(request: HttpRequest) -> HttpResponse:
    """Anyone with a role in the ICB: the board table as a workbook for board papers."""
    view = _view(request)
    table = _table(view, _published(view))
    heading = f"{view.icb.name}, {fy_label(view.year)}: " + ", ".join(
        column_heading(c.kind, c.on) for c in table.columns
    )
    data = build_fte_xlsx(table, heading, _notes(view, table))
    name = f"arrs-fte-{view.icb.code}-{fy_label(view.year).replace('/', '-')}.xlsx"
    return xlsx_response(name, data)


@portal_page
def spend_csv(request: HttpRequest) -> HttpResponse:
    """Anyone with a role in the ICB: spend against allocation by PCN, with the ICB total."""
    view = _view(request)
    spend = _spend(view, _published(view))
    lines = spend_rows(spend, fy_label(view.year), _total_name(view))
    name = f"arrs-spend-{view.icb.code}-{fy_label(view.year).replace('/', '-')}.csv"
    return csv_response(name, SPEND_HEADER, lines)
