"""What the ICB workforce page and its downloads show, read from the query string: the year,
the round, a place or PCN, and the in-post and planned dates that become columns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import QueryDict

from arrs.models import ArrsRole, PlanRound, PlanStatus
from arrs.selectors import IN_POST, PLANNED, Column, in_post_dates, round_to_publish, rounds_of
from arrs.selectors.staffing import icb_in_post_dates
from arrs.years import fy_end, fy_of, fy_start
from practices.models import Organisation, OrgKind
from practices.selectors import members_as_at

MAX_COLUMNS_EACH = 8


@dataclass(frozen=True)
class WorkforceView:
    icb: Organisation
    year: int
    years: list[int]
    rounds: list[PlanRound]
    plan_round: PlanRound | None
    places: list[Organisation]
    place: Organisation | None
    all_pcns: list[Organisation]
    pcn: Organisation | None
    pcns: list[Organisation]
    in_post_choices: list[dt.date]
    planned_choices: list[dt.date]
    columns: list[Column]
    icb_level_dates: list[dt.date]

    @property
    def whole_icb(self) -> bool:
        """All the ICB's PCNs are shown, so its own whole-ICB totals may be."""
        return self.place is None and self.pcn is None

    @property
    def in_post_dates(self) -> list[dt.date]:
        return [c.on for c in self.columns if c.kind == IN_POST]

    @property
    def planned_dates(self) -> list[dt.date]:
        return [c.on for c in self.columns if c.kind == PLANNED]

    def roles(self) -> list[ArrsRole]:
        from arrs.services.plans import roles_for_year

        return roles_for_year(self.year)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _dates(values: list[str]) -> list[dt.date]:
    found = []
    for value in values:
        try:
            found.append(dt.date.fromisoformat(value))
        except ValueError:
            continue
    return sorted(set(found))


def workforce_view(icb: Organisation, params: QueryDict, today: dt.date) -> WorkforceView:
    year = _int(params.get("year")) or fy_of(today)
    every_round = list(rounds_of([icb.pk]))
    rounds = [r for r in every_round if r.financial_year == year]
    places = list(members_as_at(icb, today, OrgKind.SUB_ICB).order_by("name"))
    all_pcns = list(members_as_at(icb, today, OrgKind.PCN).order_by("name"))
    place = next((p for p in places if p.code == params.get("place")), None)
    pcn = next((p for p in all_pcns if p.code == params.get("pcn")), None)
    pcns = _selected_pcns(all_pcns, place, pcn, today)
    plan_round = round_to_publish(rounds, _int(params.get("round")))
    icb_level_dates = icb_in_post_dates(icb.pk)
    in_post_choices = in_post_dates([p.pk for p in pcns])
    if place is None and pcn is None:  # the ICB's own totals cover the whole ICB only
        in_post_choices = sorted(set(in_post_choices) | set(icb_level_dates))
    planned_choices = _planned_choices(plan_round)
    chosen_in_post = _chosen(
        params, "in_post", in_post_choices, _default_in_post(year, in_post_choices)
    )
    default_planned = [d for d in planned_choices if not chosen_in_post or d > max(chosen_in_post)]
    chosen_planned = _chosen(params, "planned", planned_choices, default_planned)
    columns = [Column(IN_POST, d) for d in chosen_in_post] + [
        Column(PLANNED, d) for d in chosen_planned
    ]
    return WorkforceView(
        icb=icb,
        year=year,
        years=_years(every_round, today, year),
        rounds=rounds,
        plan_round=plan_round,
        places=places,
        place=place,
        all_pcns=all_pcns,
        pcn=pcn,
        pcns=pcns,
        in_post_choices=in_post_choices,
        planned_choices=planned_choices,
        columns=columns,
        icb_level_dates=icb_level_dates,
    )


def _years(rounds: list[PlanRound], today: dt.date, year: int) -> list[int]:
    """Last year, this year and next, the year shown, and every year the ICB has a round for
    (a round may be opened for any year of the scheme)."""
    with_rounds = {r.financial_year for r in rounds}
    return sorted({fy_of(today) - 1, fy_of(today), fy_of(today) + 1, year, *with_rounds})


def _selected_pcns(all_pcns, place, pcn, today) -> list[Organisation]:
    if pcn is not None:
        return [pcn]
    if place is not None:
        in_place = set(members_as_at(place, today, OrgKind.PCN).values_list("pk", flat=True))
        return [p for p in all_pcns if p.pk in in_place]
    return all_pcns


def _planned_choices(plan_round: PlanRound | None) -> list[dt.date]:
    """The intended-WTE dates the round's accepted plans give: no column for a date no
    plan states."""
    if plan_round is None:
        return []
    from arrs.models import PlanFigure

    stated = PlanFigure.objects.filter(
        line__plan__plan_round=plan_round, line__plan__status=PlanStatus.ACCEPTED
    )
    return sorted(set(stated.values_list("on", flat=True).distinct()))


def _default_in_post(year: int, choices: list[dt.date]) -> list[dt.date]:
    """Snapshots in the year and at the end of the year before; else the latest two."""
    start = fy_start(year) - dt.timedelta(days=1)
    in_year = [d for d in choices if start <= d <= fy_end(year)]
    return in_year[-MAX_COLUMNS_EACH:] if in_year else choices[-2:]


def _chosen(params: QueryDict, name: str, choices: list[dt.date], default: list[dt.date]):
    if "dates_set" not in params:  # the page's form always sends it; a bare link does not
        return default[:MAX_COLUMNS_EACH]
    wanted = set(_dates(params.getlist(name)))
    return [d for d in choices if d in wanted][:MAX_COLUMNS_EACH]
