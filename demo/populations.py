"""Registered patients for the demo practices: monthly list sizes and their age and sex split.

Every figure is a pure function of the practice, the month and the seed, so the all-patients file
and the single-year-of-age file of the same month always agree.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date

from demo.structure import CLOSE_DATE, DEFAULT_SEED, DemoPractice

FIRST_MONTH = date(2024, 8, 1)
LAST_MONTH = date(2026, 11, 1)
AGE_FILE_EVERY_MONTHS = 3

# Relative population by single year of age (straight lines between these points). Shaped older
# than England as a whole, as Somerset is: about 87% of registered patients are aged 13 or over.
_AGE_KNOTS = (
    (0, 0.92), (5, 1.02), (12, 1.08), (18, 1.00), (23, 0.78), (30, 0.98), (40, 1.10), (50, 1.38),
    (60, 1.46), (70, 1.38), (76, 1.22), (85, 0.62), (94, 0.14),
)  # fmt: skip
_AGE_95_PLUS_WEIGHT = 0.42
AGE_LABELS = (*(str(age) for age in range(95)), "95+")


def demo_months() -> list[date]:
    """First days of the months with a list-size file, oldest first."""
    months = [FIRST_MONTH]
    while months[-1] < LAST_MONTH:
        months.append(_next_month(months[-1]))
    return months


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _months_since_start(month: date) -> int:
    return (month.year - FIRST_MONTH.year) * 12 + month.month - FIRST_MONTH.month


def has_age_file(month: date) -> bool:
    return _months_since_start(month) % AGE_FILE_EVERY_MONTHS == 0


def is_open_on(practice: DemoPractice, month: date) -> bool:
    """The list-size files are as at the 1st: a practice closing in a month still appears in it."""
    return practice.closed_on is None or practice.closed_on >= month


def list_size(practice: DemoPractice, month: date, *, seed: int = DEFAULT_SEED) -> int:
    """Registered patients on the 1st of ``month``: steady growth plus small monthly noise.

    The noise has its own generator keyed on seed, practice and month, so a figure does not
    depend on which other files were written first."""
    years = _months_since_start(month) / 12
    base = practice.list_size_base + (practice.taken_on if month > CLOSE_DATE else 0)
    noise = random.Random(f"{seed}:{practice.code}:{month:%Y-%m}").gauss(0, 0.002)
    return round(base * (1 + practice.growth_rate) ** years * (1 + noise))


def _base_age_weight(age: int) -> float:
    knots = zip(_AGE_KNOTS, _AGE_KNOTS[1:], strict=False)
    for (start, low), (stop, high) in knots:
        if start <= age <= stop:
            return low + (high - low) * (age - start) / (stop - start)
    return _AGE_95_PLUS_WEIGHT


def _age_weights(tilt: float) -> list[float]:
    """Positive tilt: a younger practice (more under-45s, fewer over-65s)."""
    weights = []
    for age in range(len(AGE_LABELS)):
        youth = min(1.0, max(-1.0, (45 - age) / 30))
        weights.append(_base_age_weight(age) * (1 + tilt * youth))
    return weights


def _female_share(age: int) -> float:
    """Slightly more boys at birth, more women from middle age as men die younger."""
    return min(0.72, 0.488 + max(0, age - 50) * 0.0045)


def _apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Whole numbers in proportion to weights that add up exactly (largest remainder)."""
    scale = total / sum(weights)
    exact = [weight * scale for weight in weights]
    counts = [int(value) for value in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: (counts[i] - exact[i], i))
    for index in by_remainder[: total - sum(counts)]:
        counts[index] += 1
    return counts


def age_sex_counts(practice: DemoPractice, total: int) -> tuple[list[int], list[int]]:
    """Male and female counts for ages 0..94 and 95+, adding up to ``total``."""
    persons = _apportion(total, _age_weights(practice.age_tilt))
    female = [round(count * _female_share(age)) for age, count in enumerate(persons)]
    male = [count - women for count, women in zip(persons, female, strict=True)]
    return male, female
