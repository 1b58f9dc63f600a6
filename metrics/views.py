"""Import pages (the list of files loaded, the upload form and each batch's progress) and
the access pages (GP appointment measures for an ICB, and their data quality)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone

from core.access import Scope, scope_for
from core.page_cache import cached_page
from core.pages import csv_response, icb_asked, organisation_or_404, portal_page, render_page
from core.presenters import month_param
from metrics.forms import BaselineForm, UploadForm
from metrics.measures.baseline import baseline_choices, baseline_month_of, baseline_month_set
from metrics.measures.providers import caption_for
from metrics.models import BatchStatus, MeasureDefinition
from metrics.presenters import (
    ASCENDING,
    DESCENDING,
    MeasureColumns,
    SortLinks,
    latest_figures,
    trend_view,
)
from metrics.selectors import BatchState, import_batches, key_measures, source_titles
from metrics.selectors_access import (
    APPOINTMENTS,
    CHART_CSV_FIELDS,
    CSV_FIELDS,
    GPAD,
    NAME,
    PATIENTS,
    PER_WORKING_DAY,
    AccessRow,
    AccessTable,
    access_definitions,
    icb_access_table,
    is_access_measure,
    loaded_months,
    org_access,
    org_measure_values,
    rows_sorted,
)
from metrics.selectors_quality import data_quality
from metrics.services import (
    QUEUE_UNAVAILABLE,
    import_batch_create_from_upload,
    import_batch_enqueue,
)
from metrics.uploads import upload_refusal
from practices.models import Organisation, OrgKind
from practices.selectors import ancestor_ids, trail

BATCHES_PER_PAGE = 25
REFRESH_SECONDS = 3


def _require_imports(scope: Scope) -> None:
    if not scope.can_see_imports:
        raise PermissionDenied("Only people who load data see imports.")


@portal_page
def imports(request: HttpRequest) -> HttpResponse:
    """ICB managers and staff: every file loaded, newest first, and what came of it."""
    scope = scope_for(request)
    _require_imports(scope)
    page = Paginator(import_batches(scope), BATCHES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "titles": source_titles()}
    return render_page(request, "metrics/imports.jinja", context)


@portal_page
def upload(request: HttpRequest) -> HttpResponse:
    """Whoever may load data: choose one of the sources their role may load and a file, then
    watch it load."""
    scope = scope_for(request)
    if not scope.can_load_data:
        raise PermissionDenied("Only ICB managers, national data loaders and staff load data.")
    posted = request.method == "POST"
    form = UploadForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        scope=scope,
        refused=upload_refusal(request),
    )
    if posted and form.is_valid():
        batch = import_batch_create_from_upload(
            source=form.cleaned_data["source"], upload=form.cleaned_data["file"], user=request.user
        )
        import_batch_enqueue(batch=batch)
        batch.refresh_from_db()
        if batch.status == BatchStatus.QUEUED and batch.sent_at is None:
            messages.warning(request, QUEUE_UNAVAILABLE)
        return redirect("metrics:batch", batch.pk)
    status = 400 if form.is_bound else 200
    return render_page(request, "metrics/upload.jinja", {"form": form}, status=status)


@portal_page
def batch(request: HttpRequest, pk: int) -> HttpResponse:
    """Whoever may see the batch (national files, or their own ICB's): its status, counts
    and problems."""
    scope = scope_for(request)
    _require_imports(scope)
    found = get_object_or_404(import_batches(scope).select_related("duplicate_of"), pk=pk)
    context = {
        "batch": found,
        "titles": source_titles(),
        "refresh_seconds": None if found.is_finished else REFRESH_SECONDS,
    }
    return render_page(request, "metrics/batch.jinja", context)


@portal_page
def batch_status(request: HttpRequest, pk: int) -> JsonResponse:
    """Whoever may see the batch: its state, polled by the batch page while it runs."""
    scope = scope_for(request)
    _require_imports(scope)
    found = get_object_or_404(import_batches(scope), pk=pk)
    return JsonResponse(asdict(BatchState.of(found)))


# --- Access: GP appointment measures ----------------------------------------------------------


def org_access_context(
    request: HttpRequest, org: Organisation, above: list[Organisation]
) -> dict[str, object]:
    """The Access section of a practice or PCN page: the latest month's figures and trend
    charts, beside the ICB in ``above`` (the organisations over ``org``, from ``trail``).
    ``?measure=<code>`` picks the chart shown below the key measures."""
    icb = _icb_of(above)
    access = org_access(org, icb)
    others = access.other_definitions()
    chosen = _chosen(request.GET.get("measure"), others)
    charts = [trend_view(t, org.name, icb and icb.name) for t in access.key_trends()]
    more = trend_view(access.trends[chosen.code], org.name, icb and icb.name) if chosen else None
    return {
        "access": access,
        "access_figures": latest_figures(access.definitions, access.latest),
        "access_charts": charts,
        "access_more": more,
        "access_others": others,
        "gpad_source": caption_for("gpad"),
    }


def _icb_of(above: list[Organisation]) -> Organisation | None:
    return next((o for o in above if o.kind == OrgKind.ICB), None)


def _chosen(code: str | None, options: list[MeasureDefinition]) -> MeasureDefinition | None:
    """The measure asked for, or the first on offer when none (or an unknown one) was."""
    found = next((d for d in options if d.code == code), None)
    return found or (options[0] if options else None)


@portal_page
def org_access_csv(request: HttpRequest, kind: str, code: str) -> HttpResponse:
    """Anyone with a role, for practices and PCNs in the ICBs they read: every GP appointment
    measure value held for the organisation, unrounded, with its context and batch; with
    ``?measure=<code>``, the figures behind that measure's chart on the organisation's page
    (404 for a measure that does not exist)."""
    if kind not in (OrgKind.PRACTICE, OrgKind.PCN):
        raise Http404("Access figures are for practices and PCNs.")
    org = organisation_or_404(scope_for(request), kind, code)
    measure = request.GET.get("measure")
    if measure:
        return _chart_csv(org, measure)
    rows = [(org.code, *_blanks(row)) for row in org_measure_values(org)]
    header = ["org_code", "measure", "period", *CSV_FIELDS[2:]]
    return csv_response(f"access-{org.code}.csv", header, rows)


def _chart_csv(org: Organisation, code: str) -> HttpResponse:
    """One chart's figures, read as its page reads them (the ICB above the organisation
    today), so the download matches the chart month for month."""
    if not is_access_measure(code):
        raise Http404(f"No access measure with the code {code}.")
    icb = _icb_of(trail(org, timezone.localdate()))
    access = org_access(org, icb, measure=code)
    rows = [_blanks(row) for row in access.chart_records(code)]
    return csv_response(f"access-{org.code}-{code}.csv", list(CHART_CSV_FIELDS), rows)


def _blanks(row: tuple) -> list:
    """Blank, not zero, for a figure nobody reported; dates as ISO."""
    return ["" if cell is None else cell.isoformat() if hasattr(cell, "isoformat") else cell
            for cell in row]  # fmt: skip


@dataclass(frozen=True)
class AccessQuery:
    """What the reader asked the ICB access pages for, checked against their scope."""

    icb: Organisation
    months: list[dt.date]
    month: dt.date
    table_codes: tuple[str, ...]  # the measure columns: appointments, then the key measures
    place: Organisation | None = None
    pcn: Organisation | None = None
    extra: MeasureDefinition | None = None

    def params(self) -> dict[str, str]:
        """The query as it travels in links (sorting keeps the filters)."""
        params = {"icb": self.icb.code, "month": month_param(self.month)}
        for name, org in (("place", self.place), ("pcn", self.pcn)):
            if org is not None:
                params[name] = org.code
        if self.extra is not None:
            params["measure"] = self.extra.code
        return params


def _month_asked(value: str | None, months: list[dt.date]) -> dt.date:
    """``?month=YYYY-MM`` among the loaded months; the latest when not given."""
    if not value:
        return months[0]
    try:
        month = dt.datetime.strptime(value.strip(), "%Y-%m").date()
    except ValueError as error:
        raise Http404("Months look like 2025-03.") from error
    if month not in months:
        raise Http404(f"No appointments are loaded for {month:%B %Y}.")
    return month


def _within(scope: Scope, kind: str, code: str | None, icb: Organisation) -> Organisation | None:
    """A place or PCN filter: 404 if unknown, 403 outside the reader's ICBs or this ICB."""
    if not code:
        return None
    org = organisation_or_404(scope, kind, code)
    if icb.pk not in ancestor_ids([org.pk], OrgKind.ICB):
        raise PermissionDenied(f"{org.name} is not in {icb.name}.")
    return org


def _access_query(
    request: HttpRequest, measures: list[MeasureDefinition] | None = None
) -> AccessQuery | None:
    """The checked query, or None when the reader has no ICB or nothing is loaded."""
    scope = scope_for(request)
    icb = icb_asked(scope, request.GET.get("icb"))
    months = loaded_months()
    if icb is None or not months:
        return None
    table_codes = table_measures(icb)
    return AccessQuery(
        icb=icb,
        months=months,
        month=_month_asked(request.GET.get("month"), months),
        table_codes=table_codes,
        place=_within(scope, OrgKind.SUB_ICB, request.GET.get("place"), icb),
        pcn=_within(scope, OrgKind.PCN, request.GET.get("pcn"), icb),
        extra=_extra_measure(request.GET.get("measure"), measures or [], table_codes),
    )


def _extra_measure(
    code: str | None, measures: list[MeasureDefinition], shown: tuple[str, ...]
) -> MeasureDefinition | None:
    """``?measure=``: one more measure to show as a column (404 if there is no such measure)."""
    if not code or code in shown:
        return None
    found = next((d for d in measures if d.code == code), None)
    if found is None:
        raise Http404(f"No measure with the code {code}.")
    return found


def table_measures(icb: Organisation | None) -> tuple[str, ...]:
    """The access table's measure columns, after patients: appointments, then the ICB's key
    measures of GP appointments (the default list with no ICB)."""
    return (APPOINTMENTS, *key_measures(icb).codes_from(GPAD))


def _sorting(request: HttpRequest, columns: list[str]) -> tuple[str, bool]:
    """``?sort=`` (name, patients, appointments per working day or a shown measure) and
    ``?dir=asc|desc``; by name else."""
    sort = request.GET.get("sort", NAME)
    if sort not in (NAME, PATIENTS, PER_WORKING_DAY, *columns):
        sort = NAME
    return sort, request.GET.get("dir") == DESCENDING


def _access_table(
    request: HttpRequest, query: AccessQuery, measures: list[MeasureDefinition]
) -> AccessPage:
    definitions = {d.code: d for d in measures}
    codes = [*query.table_codes, *([query.extra.code] if query.extra else [])]
    table = icb_access_table(query.icb, query.month, codes, place=query.place, pcn=query.pcn)
    sort, descending = _sorting(request, codes)
    sort_links = SortLinks(query.params(), sort, descending)
    shown = [definitions[code] for code in codes if code in definitions]
    return AccessPage(
        query=query,
        table=table,
        columns=MeasureColumns(shown, sort_links, per_working_day=True),
        pcn_rows=rows_sorted(table.pcn_rows, sort, descending=descending),
        practice_rows=rows_sorted(table.practice_rows, sort, descending=descending),
        sort=sort_links,
    )


@dataclass(frozen=True)
class AccessPage:
    query: AccessQuery
    table: AccessTable
    columns: MeasureColumns
    pcn_rows: list[AccessRow]
    practice_rows: list[AccessRow]
    sort: SortLinks

    @property
    def csv_params(self) -> dict[str, str]:
        direction = DESCENDING if self.sort.descending else ASCENDING
        return {**self.query.params(), "sort": self.sort.sort, "dir": direction}


@portal_page
@cached_page
def access(request: HttpRequest) -> HttpResponse:
    """Anyone with a role in the ICB (these are published figures): every PCN and practice
    in a month on the key access measures, filtered by place or PCN and sortable. Another
    ICB's figures, places or PCNs are refused (403)."""
    measures = access_definitions()
    query = _access_query(request, measures)
    shown = query.table_codes if query else table_measures(None)
    context = {
        "page": _access_table(request, query, measures) if query else None,
        "measures": [d for d in measures if d.code not in shown],
        "gpad_source": caption_for("gpad"),
    }
    return render_page(request, "metrics/access.jinja", context)


@portal_page
def access_csv(request: HttpRequest) -> HttpResponse:
    """Anyone with a role in the ICB: the access table as CSV, unrounded, sorted as shown;
    appointments per working day last."""
    measures = access_definitions()
    query = _access_query(request, measures)
    if query is None:
        raise Http404("No appointments are loaded for your ICB.")
    page = _access_table(request, query, measures)
    codes = [d.code for d in page.columns.definitions]
    header = ["level", "code", "name", "pcn_code", "place_code", "incomplete_recording",
              "patients", "denominator_month", *codes, "appointments_per_working_day"]  # fmt: skip
    rows = [
        *(_csv_row("pcn", row, codes) for row in page.pcn_rows),
        *(_csv_row("practice", row, codes) for row in page.practice_rows),
        *(_csv_row(row.org.kind, row, codes) for row in page.table.reference_rows),
    ]
    name = f"access-{query.icb.code}-{month_param(query.month)}.csv"
    return csv_response(name, header, rows)


def _csv_row(level: str, row: AccessRow, codes: list[str]) -> list:
    org = row.org
    return [
        level,
        org.code,
        org.name,
        row.pcn.code if row.pcn else "",
        row.place.code if row.place else "",
        "yes" if row.incomplete else "",
        "" if row.patients is None else row.patients,
        row.denominator_month.isoformat() if row.denominator_month else "",
        *("" if row.value(code) is None else row.value(code) for code in codes),
        "" if row.per_working_day is None else row.per_working_day,
    ]


@portal_page
def data_quality_page(request: HttpRequest) -> HttpResponse:
    """Anyone with a role in the ICB: for a month, which practices recorded appointments,
    how much was unmapped, who recorded under 1 appointment per patient a year and who
    recorded no Clinical Triage; each flag links to the practice. Another ICB: 403."""
    query = _access_query(request)
    context = {
        "query": query,
        "quality": data_quality(query.icb, query.month) if query else None,
        "gpad_source": caption_for("gpad"),
    }
    return render_page(request, "metrics/data_quality.jinja", context)


@portal_page
def baseline(request: HttpRequest) -> HttpResponse:
    """ICB managers: choose the month the ICB's figures are compared against. Everyone
    else with a role may read which month it is."""
    scope = scope_for(request)
    icb = icb_asked(scope, None)
    if icb is None:
        raise PermissionDenied("There is no ICB in your scope.")
    can_change = scope.can_edit(icb)
    form = BaselineForm(request.POST or None, months=baseline_choices())
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied("Only the ICB's managers choose its baseline.")
        if form.is_valid():
            baseline_month_set(icb=icb, month=form.chosen(), user=request.user)
            messages.success(request, "Baseline saved. Changes on the baseline are recalculated.")
            return redirect("metrics:baseline")
    current = baseline_month_of(icb)
    context = {"form": form, "icb": icb, "current": current, "can_change": can_change}
    return render_page(request, "metrics/baseline.jinja", context)
