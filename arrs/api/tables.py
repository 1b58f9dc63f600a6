"""The board's table through the API: WTE of each ARRS role by in-post and planned date, as
the workforce page shows it for an ICB, a place or a PCN (``arrs.filters.workforce_view`` and
``arrs.selectors.fte_table``, the page's own reads)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import Http404, QueryDict
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from arrs.api.filters import FteTableQuerySerializer
from arrs.api.serializers import ORG_TYPES, YEAR_HELP, YearLabelField, wte
from arrs.api.views import ComputedListViewSet
from arrs.filters import WorkforceView, workforce_view
from arrs.presenters import column_heading
from arrs.selectors import IN_POST, PLANNED, FteTable, fte_table, published_figures
from practices.models import Organisation, OrgKind

COLUMN_KINDS = [(IN_POST, "Staff in post on the date"), (PLANNED, "Intended WTE on the date")]
ROW_KINDS = [("role", "One ARRS role"), ("total", "The total of the roles")]


class FteTableRowSerializer(serializers.Serializer):
    """One cell of the board table: a role (or the total) in one column."""

    icb = serializers.CharField(help_text="ODS code of the ICB.")
    org_type = serializers.ChoiceField(
        choices=[*ORG_TYPES, ("place", "A place (sub-ICB location)")],
        help_text="What the table covers: the ICB, a place or a PCN.",
    )
    org_code = serializers.CharField(help_text="ODS code of what it covers.")
    org_name = serializers.CharField(help_text="Its name.")
    financial_year = serializers.IntegerField(help_text=YEAR_HELP)
    financial_year_label = YearLabelField(source="financial_year", help_text="As 2026/27.")
    plan_round = serializers.IntegerField(
        allow_null=True, help_text="The round whose accepted plans give the planned columns."
    )
    plan_round_name = serializers.CharField(
        allow_null=True, help_text="Its year and label, such as 2026/27 August."
    )
    row = serializers.ChoiceField(choices=ROW_KINDS, help_text="role or total.")
    role = serializers.CharField(allow_null=True, help_text="ARRS role code (blank: the total).")
    role_name = serializers.CharField(help_text="ARRS role name, or Total.")
    afc_band = serializers.CharField(help_text="Agenda for Change band (blank: the total).")
    column = serializers.ChoiceField(choices=COLUMN_KINDS, help_text="in_post or planned.")
    on = serializers.DateField(help_text="The column's date.")
    column_label = serializers.CharField(help_text="The column's heading on the page.")
    wte = wte(
        "WTE (whole-time equivalent), summed over the PCNs with a figure, unrounded. Blank: "
        "no figure (not reported, or no accepted plan gives one), never zero. A total adds "
        "the roles' figures."
    )
    pcns_with_figures = serializers.IntegerField(
        help_text="How many PCNs the column has figures from (for a planned column, the PCNs "
        "whose accepted plan gives that date; 0 where the column is the ICB's own total)."
    )
    pcns_total = serializers.IntegerField(help_text="PCNs the table covers.")
    icb_total_only = serializers.BooleanField(
        help_text="True where the column is the ICB's own whole-ICB total, used because no PCN "
        "has figures for that date (never added to PCN figures)."
    )


@extend_schema_view(
    list=extend_schema(
        summary="The board's WTE table by ARRS role and date",
        description="The workforce page's table 'WTE of each ARRS role - current and future "
        "plans' for an ICB you read, a place or a PCN in it: a row per role and column, then "
        "a total per column, in the page's order, with the page's choices (year, round, "
        "place, PCN, dates). In post: the ICB's own counts where it made one for a PCN and "
        "date, otherwise the NWRS census; for the whole ICB, its own whole-ICB totals on a "
        "date no PCN has figures for. Planned: only what accepted plans state. A reader with "
        "no ICB gets an empty list; an ICB you do not read is 404.",
        parameters=[FteTableQuerySerializer],
    )
)
class FteTableViewSet(ComputedListViewSet):
    """Anyone with a role: the ICB's published figures, as on the workforce page."""

    serializer_class = FteTableRowSerializer
    query_class = FteTableQuerySerializer
    csv_name = "arrs-wte-table"

    def get_queryset(self) -> Iterator[dict[str, Any]]:
        given = self.query()  # checked now, not once a CSV has started
        icb = self._icb(given.get("icb"))
        if icb is None:
            return iter(())
        view = workforce_view(icb, _page_query(given), timezone.localdate())
        _check(view, given)
        plans = published_figures([p.pk for p in view.pcns], view.plan_round)
        table = fte_table(
            pcn_ids=[p.pk for p in view.pcns],
            columns=view.columns,
            plans=plans,
            roles=view.roles(),
            icb_id=icb.pk if view.whole_icb else None,
        )
        return table_rows(view, table)

    def _icb(self, code: str | None) -> Organisation | None:
        icbs = Organisation.objects.filter(kind=OrgKind.ICB, pk__in=self.scope.icb_ids)
        if code is None:
            return icbs.order_by("name").first()
        found = icbs.filter(code=code.strip().upper()).first()
        if found is None:
            raise Http404(f"No ICB you read has the code {code}.")
        return found


def _page_query(given: dict[str, Any]) -> QueryDict:
    """The page's query string for the API's parameters."""
    query = QueryDict(mutable=True)
    names = {"financial_year": "year", "round": "round", "place": "place", "pcn": "pcn"}
    for name, page_name in names.items():
        if name in given:
            query[page_name] = str(given[name]).strip().upper()
    if "in_post" in given or "planned" in given:
        query["dates_set"] = "1"
        for kind in ("in_post", "planned"):
            query.setlist(kind, [day.isoformat() for day in given.get(kind, [])])
    return query


def _check(view: WorkforceView, given: dict[str, Any]) -> None:
    """What the page would quietly pass over is a 400 here, naming what it takes."""
    problems: dict[str, list[str]] = {}
    if "place" in given and view.place is None:
        codes = ", ".join(p.code for p in view.places) or "none"
        problems["place"] = [f"Not a place of {view.icb.code} today. Its places: {codes}."]
    if "pcn" in given and view.pcn is None:
        codes = ", ".join(p.code for p in view.all_pcns) or "none"
        problems["pcn"] = [f"Not a PCN of {view.icb.code} today. Its PCNs: {codes}."]
    if "round" in given and (view.plan_round is None or view.plan_round.pk != given["round"]):
        ids = ", ".join(str(r.pk) for r in view.rounds) or "none"
        problems["round"] = [
            f"Not one of {view.icb.code}'s rounds for the year. Its rounds: {ids}."
        ]
    for kind, held in (("in_post", view.in_post_choices), ("planned", view.planned_choices)):
        missing = sorted(set(given.get(kind, [])) - set(held))
        if missing:
            days = ", ".join(day.isoformat() for day in held) or "none"
            problems[kind] = [
                f"No figures for {', '.join(d.isoformat() for d in missing)}. Dates held: {days}."
            ]
    if problems:
        raise ValidationError(problems)


def table_rows(view: WorkforceView, table: FteTable) -> Iterator[dict[str, Any]]:
    """A row per role and column, then the totals, in the page's order."""
    covers = view.pcn or view.place or view.icb
    shared = {
        "icb": view.icb.code,
        "org_type": {OrgKind.ICB: "icb", OrgKind.PCN: "pcn"}.get(covers.kind, "place"),
        "org_code": covers.code,
        "org_name": covers.name,
        "financial_year": view.year,
        "plan_round": view.plan_round.pk if view.plan_round else None,
        "plan_round_name": view.plan_round.name if view.plan_round else None,
        "pcns_total": table.pcn_count,
    }
    lines = [("role", row.role, row.values) for row in table.rows]
    lines.append(("total", None, table.totals))
    for kind, role, values in lines:
        for index, (column, value) in enumerate(zip(table.columns, values, strict=True)):
            yield {
                **shared,
                "row": kind,
                "role": role.code if role else None,
                "role_name": role.name if role else "Total",
                "afc_band": role.afc_band if role else "",
                "column": column.kind,
                "on": column.on,
                "column_label": column_heading(column.kind, column.on),
                "wte": value,
                "pcns_with_figures": table.reporting[index],
                "icb_total_only": table.is_icb_level(index),
            }
