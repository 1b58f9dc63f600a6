"""Reads for the data quality page: how complete a month's GP appointment recording is in
an ICB, practice by practice and place by place beside NHS England's own coverage count, in a
fixed number of queries however many practices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from metrics.models import GpadPracticeMonth, MeasureValue
from metrics.models.gpad import GpadCoverage
from metrics.selectors_access import IcbMonth, finished_at, icb_month, practice_months
from practices.models import Organisation, OrgKind
from practices.selectors import RegisterSnapshot, register_snapshot

UNMAPPED = "unmapped_pct"


@dataclass(frozen=True)
class Flagged:
    """A practice picked out for a month, with the figures that flag it."""

    practice: Organisation
    appointments: int | None = None
    patients: int | None = None
    value: MeasureValue | None = None


@dataclass(frozen=True)
class PlaceCoverage:
    """One place in a month: NHS England's coverage row for it (None where the file has no
    row for the place) beside the portal's own count of its practices."""

    place: Organisation
    published: GpadCoverage | None
    recording: int  # practices in the place the portal holds appointments for
    open_practices: int  # open in the portal's register on the 1st

    @property
    def practices_included(self) -> float | None:
        """Per cent of the open practices NHS England included."""
        return _share(self.published, "included_practices", "open_practices")

    @property
    def patients_included(self) -> float | None:
        """Per cent of the open practices' patients registered at included practices."""
        return _share(self.published, "included_patients", "open_patients")


def _share(row: GpadCoverage | None, part: str, whole: str) -> float | None:
    if row is None or not getattr(row, whole):
        return None
    return 100 * getattr(row, part) / getattr(row, whole)


@dataclass(frozen=True)
class DataQuality:
    icb: Organisation
    month: dt.date
    open_practices: int
    recording: int
    not_recording: list[Flagged]
    not_open: list[Flagged]
    unmapped: list[Flagged]
    incomplete: list[Flagged]
    no_triage: list[Flagged]
    as_at: dt.datetime | None
    places: list[PlaceCoverage]
    coverage_loaded: bool  # whether NHS England's coverage file for the month is loaded

    @property
    def coverage(self) -> float | None:
        """Per cent of the open practices that recorded appointments."""
        return 100 * self.recording / self.open_practices if self.open_practices else None


def data_quality(icb: Organisation, month: dt.date) -> DataQuality:
    """Coverage, unmapped appointments, incomplete recording and missing Clinical Triage
    for the ICB's practices in ``month``, in a fixed number of queries."""
    snapshot = register_snapshot([icb.pk], month)
    open_ids = snapshot.open_practices_under(icb.pk)
    members = icb_month(icb, month)
    in_icb = members.practice_ids
    months = {row.practice_id: row for row in practice_months(month, in_icb)}
    recording = {pk for pk, row in months.items() if row.appointments > 0}
    missing = list(set(months) - set(snapshot.orgs))
    orgs = {**snapshot.orgs, **Organisation.objects.in_bulk(missing)}
    flag = _flagger(orgs, months)
    return DataQuality(
        icb=icb,
        month=month,
        open_practices=len(open_ids),
        recording=len(open_ids & recording),
        not_recording=_by_name(flag(pk) for pk in open_ids - recording),
        not_open=_by_name(flag(pk) for pk in recording - open_ids),
        unmapped=_unmapped(month, orgs, months),
        incomplete=_by_name(flag(pk) for pk, row in months.items() if row.incomplete),
        no_triage=_by_name(flag(pk) for pk in recording if not months[pk].clinical_triage),
        as_at=finished_at(row.batch_id for row in months.values()),
        places=_places(snapshot, icb, month, members, recording),
        coverage_loaded=GpadCoverage.objects.filter(month=month).exists(),
    )


def _places(
    snapshot: RegisterSnapshot,
    icb: Organisation,
    month: dt.date,
    members: IcbMonth,
    recording: set[int],
) -> list[PlaceCoverage]:
    """Each of the ICB's places: NHS England's coverage row and the portal's counts."""
    places = snapshot.members(icb.pk, OrgKind.SUB_ICB)
    published = {
        row.sub_icb_code: row
        for row in GpadCoverage.objects.filter(
            month=month, sub_icb_code__in=[p.code for p in places]
        )
    }
    return [
        PlaceCoverage(
            place=place,
            published=published.get(place.code),
            recording=sum(1 for pk in recording if members.place_of.get(pk) == place.pk),
            open_practices=len(snapshot.open_practices_under(place.pk)),
        )
        for place in places
    ]


PracticeMonths = dict[int, GpadPracticeMonth]


def _flagger(orgs: dict[int, Organisation], months: PracticeMonths) -> Callable[[int], Flagged]:
    def flag(pk: int) -> Flagged:
        row = months.get(pk)
        if row is None:
            return Flagged(orgs[pk])
        return Flagged(orgs[pk], appointments=row.appointments, patients=row.patients)

    return flag


def _by_name(flags: Iterable[Flagged]) -> list[Flagged]:
    return sorted(flags, key=lambda f: (f.practice.name.lower(), f.practice.code))


def _unmapped(
    month: dt.date, orgs: dict[int, Organisation], months: PracticeMonths
) -> list[Flagged]:
    """Each practice's unmapped share, worst first (ties by name)."""
    values = MeasureValue.objects.filter(measure_id=UNMAPPED, period=month, org_id__in=list(months))
    flags = _by_name(
        Flagged(orgs[v.org_id], appointments=months[v.org_id].appointments, value=v) for v in values
    )
    return sorted(flags, key=lambda f: -(f.value.value or 0))
