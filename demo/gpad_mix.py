"""What a GPAD practice-level crosstab counts: the published value sets and a realistic mix.

A practice-month is a sparse crosstab: one row per combination of HCP type, mode, national
category, booking lead time and status (a *cell*) with at least one appointment. Each practice
draws a ``Book`` once: the cells its appointment book uses, found by sampling appointments from
its mix. Each month spreads the practice's total over those cells with noise, plus a few
appointments in rarer cells. Sampling keeps the expected shares equal to the mix while leaving the
long tail sparse, as in the real files (about 160-250 rows a practice-month).

The typical mix gives about 45% same day, 85% within 14 days, 4% DNA, 71% face to face, 26%
telephone, 1.5% video or online, under 1% home visits and 45% with a GP.
"""

from __future__ import annotations

import functools
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import accumulate, product

HCP_TYPES = ("GP", "Other Practice staff", "Unknown")
APPT_MODES = ("Face-to-Face", "Telephone", "Video Conference/Online", "Home Visit", "Unknown")
# As published: the two-digit bands carry a double space.
TIME_BANDS = (
    "Same Day", "1 Day", "2 to 7 Days", "8  to 14 Days", "15  to 21 Days", "22  to 28 Days",
    "More than 28 Days", "Unknown / Data Quality",
)  # fmt: skip
APPT_STATUSES = ("Attended", "DNA", "Unknown")
CLINICAL_TRIAGE = "Clinical Triage"
UNMAPPED = "Unmapped"
# National category -> share of appointments in a typical practice (per cent, any mode).
_CATEGORY_MIX = {
    "General Consultation Routine": 24.0,
    "General Consultation Acute": 17.0,
    CLINICAL_TRIAGE: 13.0,
    "Planned Clinics": 12.0,
    "Planned Clinical Procedure": 11.0,
    "Unplanned Clinical Activity": 2.0,
    "Home Visit": 0.3,
    "Care Home Visit": 0.2,
    "Patient contact during Care Home Round": 0.3,
    "Care Home Needs Assessment & Personalised Care and Support Planning": 0.15,
    "Structured Medication Review": 1.2,
    "Social Prescribing Service": 0.9,
    "Service provided by organisation external to the practice": 2.0,
    "Non-contractual chargeable work": 0.4,
    "Group Consultation and Group Education": 0.15,
    "Walk-in": 0.4,
    "Care Related Encounter but does not fit into any other category": 5.5,
    UNMAPPED: 4.5,
    "Inconsistent Mapping": 2.0,
}
NATIONAL_CATEGORIES = tuple(_CATEGORY_MIX)
# Seen at a home visit: mostly the home and care-home categories.
_HOME_VISIT_MIX = {
    "Home Visit": 55.0,
    "Care Home Visit": 20.0,
    "Patient contact during Care Home Round": 12.0,
    "Care Home Needs Assessment & Personalised Care and Support Planning": 4.0,
    "General Consultation Acute": 3.0,
    "Care Related Encounter but does not fit into any other category": 3.0,
    UNMAPPED: 3.0,
}
# Category weights by mode: remote appointments have more triage, no walk-ins and few
# procedures; face to face has less triage; an unknown mode goes with poor mapping.
_REMOTE_FACTOR = {
    CLINICAL_TRIAGE: 2.5, "Planned Clinical Procedure": 0.1, "Planned Clinics": 0.5,
    "Walk-in": 0.0, "Home Visit": 0.1, "Care Home Visit": 0.1,
}  # fmt: skip
_CATEGORY_FACTOR_BY_MODE = {
    "Face-to-Face": {CLINICAL_TRIAGE: 0.5},
    "Telephone": _REMOTE_FACTOR,
    "Video Conference/Online": _REMOTE_FACTOR,
    "Unknown": {UNMAPPED: 3.0},
}

_HCP_MIX = (45.0, 52.0, 3.0)
# Mode by HCP type, in APPT_MODES order.
_MODE_BY_HCP = (
    (56.0, 41.0, 1.8, 0.9, 0.3),
    (83.0, 13.5, 1.2, 0.7, 0.3),
    (62.0, 28.0, 1.5, 0.5, 8.0),
)
# Booking lead time by mode, in TIME_BANDS order.
_TIME_BY_MODE = (
    (31.0, 8.0, 25.0, 14.0, 7.0, 4.5, 7.0, 0.5),
    (58.0, 10.0, 18.0, 7.0, 2.5, 1.5, 2.0, 0.5),
    (55.0, 10.0, 18.0, 8.0, 3.0, 2.0, 3.0, 1.0),
    (78.0, 8.0, 8.0, 3.0, 1.0, 0.5, 1.0, 0.5),
    (40.0, 8.0, 18.0, 9.0, 5.0, 3.0, 6.0, 11.0),
)
_PLANNED = {
    "Planned Clinics", "Planned Clinical Procedure", "Structured Medication Review",
    "Care Home Needs Assessment & Personalised Care and Support Planning",
    "Social Prescribing Service", "Group Consultation and Group Education",
}  # fmt: skip
_URGENT = {
    "General Consultation Acute", CLINICAL_TRIAGE, "Unplanned Clinical Activity", "Walk-in",
    "Home Visit",
}  # fmt: skip
_PLANNED_TIME_FACTOR = (0.35, 0.8, 1.2, 1.6, 1.9, 2.0, 2.0, 1.0)
_URGENT_TIME_FACTOR = (1.7, 0.9, 0.5, 0.3, 0.15, 0.15, 0.15, 1.0)
# Share of appointments not attended, by lead time: the longer the wait, the more are missed.
_DNA_BY_TIME = (0.015, 0.045, 0.063, 0.075, 0.08, 0.085, 0.085, 0.05)
_UNKNOWN_STATUS = 0.035

Cell = tuple[str, str, str, str, str]
"""Canonical (HCP_TYPE, APPT_MODE, NATIONAL_CATEGORY, TIME_BETWEEN_BOOK_AND_APPT, APPT_STATUS)."""
CELLS: tuple[Cell, ...] = tuple(
    product(HCP_TYPES, APPT_MODES, NATIONAL_CATEGORIES, TIME_BANDS, APPT_STATUSES)
)


@dataclass(frozen=True)
class MixProfile:
    """How one practice's appointment book differs from the typical mix (1.0 = typical).

    ``unmapped_share``, when set, forces that share of Unmapped categories and drops Clinical
    Triage entirely: the signature of a practice whose slot types are not mapped."""

    gp_share: float = 0.45
    telephone: float = 1.0
    same_day: float = 1.0
    dna: float = 1.0
    unmapped: float = 1.0
    unmapped_share: float | None = None


def profile_draw(rng: random.Random) -> MixProfile:
    """A plausible practice: the shares vary between practices as they do in the real data."""
    return MixProfile(
        gp_share=rng.uniform(0.38, 0.52),
        telephone=rng.uniform(0.7, 1.4),
        same_day=rng.uniform(0.85, 1.15),
        dna=rng.uniform(0.7, 1.4),
        unmapped=rng.uniform(0.4, 1.8),
    )


def _normalised(weights: Sequence[float]) -> list[float]:
    total = sum(weights)
    return [w / total for w in weights]


def _category_mix(profile: MixProfile, mode: str) -> list[float]:
    if mode == "Home Visit":
        weights = [_HOME_VISIT_MIX.get(c, 0.0) for c in NATIONAL_CATEGORIES]
    else:
        factors = _CATEGORY_FACTOR_BY_MODE[mode]
        weights = [w * factors.get(c, 1.0) for c, w in _CATEGORY_MIX.items()]
    unmapped = NATIONAL_CATEGORIES.index(UNMAPPED)
    weights[unmapped] *= profile.unmapped
    if profile.unmapped_share is None:
        return _normalised(weights)
    return _with_forced_unmapped(weights, profile.unmapped_share)


def _with_forced_unmapped(weights: Sequence[float], share: float) -> list[float]:
    mapped = [
        0.0 if c in (CLINICAL_TRIAGE, UNMAPPED) else w
        for c, w in zip(NATIONAL_CATEGORIES, weights, strict=True)
    ]
    rest = _normalised(mapped)
    return [
        share if c == UNMAPPED else w * (1 - share)
        for c, w in zip(NATIONAL_CATEGORIES, rest, strict=True)
    ]


def _time_mix(profile: MixProfile, mode_index: int, category: str) -> list[float]:
    weights = list(_TIME_BY_MODE[mode_index])
    weights[0] *= profile.same_day
    if category in _PLANNED:
        weights = [w * f for w, f in zip(weights, _PLANNED_TIME_FACTOR, strict=True)]
    elif category in _URGENT:
        weights = [w * f for w, f in zip(weights, _URGENT_TIME_FACTOR, strict=True)]
    return _normalised(weights)


def _status_mix(profile: MixProfile, mode: str, time_index: int) -> tuple[float, float, float]:
    dna = _DNA_BY_TIME[time_index] * profile.dna * (0.5 if mode == "Telephone" else 1.0)
    return 1 - dna - _UNKNOWN_STATUS, dna, _UNKNOWN_STATUS


def _hcp_mix(profile: MixProfile) -> list[float]:
    unknown = _HCP_MIX[2] / 100
    return [profile.gp_share, 1 - profile.gp_share - unknown, unknown]


def _mode_mix(profile: MixProfile, hcp_index: int) -> list[float]:
    weights = list(_MODE_BY_HCP[hcp_index])
    weights[1] *= profile.telephone
    return _normalised(weights)


def cell_probabilities(profile: MixProfile) -> list[float]:
    """The probability of each cell in ``CELLS`` order for a practice with this profile."""
    probabilities = []
    for h, hcp_p in enumerate(_hcp_mix(profile)):
        for m, mode_p in enumerate(_mode_mix(profile, h)):
            mode = APPT_MODES[m]
            for category, category_p in zip(
                NATIONAL_CATEGORIES, _category_mix(profile, mode), strict=True
            ):
                outer = hcp_p * mode_p * category_p
                for t, time_p in enumerate(_time_mix(profile, m, category)):
                    for status_p in _status_mix(profile, mode, t):
                        probabilities.append(outer * time_p * status_p)
    return probabilities


_CELL_INDEXES = range(len(CELLS))
# Share of a month's appointments that fall outside the practice's usual combinations.
_OCCASIONAL = 0.015


@dataclass(frozen=True)
class Book:
    """One practice's appointment book: the cells it uses month after month (weights summing
    to 1) and its whole mix, as cumulative weights, for the occasional rarer combination."""

    cells: tuple[int, ...]
    weights: tuple[float, ...]
    cumulative: Sequence[float]


def cumulative_mix(profile: MixProfile) -> list[float]:
    return list(accumulate(cell_probabilities(profile)))


def book_draw(rng: random.Random, cumulative: Sequence[float], distinct: int) -> Book:
    """Sample appointments from the mix until ``distinct`` cells have been seen.

    The hit counts are an unbiased estimate of the mix, so shares hold on average while rare
    combinations appear in some practices and not others."""
    hits: Counter[int] = Counter()
    while len(hits) < distinct:
        batch = max(20, distinct - len(hits))
        hits.update(rng.choices(_CELL_INDEXES, cum_weights=cumulative, k=batch))
    drawn = sum(hits.values())
    cells = sorted(hits)
    return Book(tuple(cells), tuple(hits[c] / drawn for c in cells), cumulative)


def month_counts(
    rng: random.Random, book: Book, total: float, tilt: Sequence[float] | None = None
) -> list[tuple[int, int]]:
    """Spread ``total`` appointments over the book with noise, in cell order; cells with no
    appointments are left out. ``tilt`` (a factor per cell, from ``month_tilt``) moves the
    shares with the month while keeping the total. Rounding is stochastic so that small
    cells keep their size."""
    counts: Counter[int] = Counter()
    usual = total * (1 - _OCCASIONAL)
    weights = book.weights
    if tilt is not None:
        weights = _normalised([w * tilt[c] for c, w in zip(book.cells, weights, strict=True)])
    for cell, weight in zip(book.cells, weights, strict=True):
        count = int(usual * weight * max(0.0, rng.gauss(1.0, 0.12)) + rng.random())
        if count:
            counts[cell] = count
    occasional = round(total * _OCCASIONAL)
    counts.update(rng.choices(_CELL_INDEXES, cum_weights=book.cumulative, k=occasional))
    return sorted(counts.items())


# How the mix moves month by month, so that the shares have a story as well as the volume:
# more same-day booking in winter and year on year as access work lands, face to face
# recovering from telephone, Clinical Triage spreading through practices, and more missed
# appointments over the summer and Christmas holidays. Factors by calendar month.
_SAME_DAY_SEASON = (1.05, 1.03, 1.00, 0.98, 0.97, 0.96, 0.97, 0.96, 0.99, 1.02, 1.04, 1.06)
_DNA_SEASON = (0.98, 0.96, 0.97, 1.00, 1.02, 1.04, 1.08, 1.10, 1.00, 0.96, 0.95, 1.06)
_SAME_DAY_PER_YEAR = 0.04
_FACE_TO_FACE_PER_YEAR = 0.04
_TRIAGE_PER_YEAR = 0.10


@functools.cache
def month_tilt(month: date) -> tuple[float, ...]:
    """A factor for each cell in ``CELLS`` order for ``month`` (1.0 = the practice's usual
    share); ``month_counts`` renormalises, so the total is untouched."""
    years = _years_in(month)
    same_day = _SAME_DAY_SEASON[month.month - 1] * max(0.5, 1 + _SAME_DAY_PER_YEAR * years)
    by_mode = {
        "Face-to-Face": max(0.5, 1 + _FACE_TO_FACE_PER_YEAR * years),
        "Telephone": max(0.5, 1 - _FACE_TO_FACE_PER_YEAR * years),
    }
    triage = max(0.5, 1 + _TRIAGE_PER_YEAR * years)
    dna = _DNA_SEASON[month.month - 1]
    return tuple(
        (same_day if band == TIME_BANDS[0] else 1.0)
        * by_mode.get(mode, 1.0)
        * (triage if category == CLINICAL_TRIAGE else 1.0)
        * (dna if status == "DNA" else 1.0)
        for _, mode, category, band, status in CELLS
    )


# Relative appointments by calendar month: quiet in August and December, busy in October,
# November and March. The twelve factors average 1.
_SEASON = (1.00, 0.97, 1.06, 0.94, 0.98, 1.00, 1.02, 0.90, 1.03, 1.12, 1.08, 0.88)
_TREND_FROM = date(2024, 8, 1)
_TREND_PER_YEAR = 0.03


def expected_total(list_size: int, per_patient_year: float, month: date) -> float:
    """Appointments a practice would book in ``month`` before noise: its yearly rate per
    registered patient, the season and a slow upward trend."""
    seasonal = _SEASON[month.month - 1] * (1 + _TREND_PER_YEAR * _years_in(month))
    return list_size * per_patient_year / 12 * seasonal


def _years_in(month: date) -> float:
    """Years from the start of the demo's trend to ``month`` (negative before it)."""
    return ((month.year - _TREND_FROM.year) * 12 + month.month - _TREND_FROM.month) / 12
