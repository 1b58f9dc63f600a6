"""How the dashboard says its figures: values by unit, changes, the SPC icons and the rules
in words. No database: tested on plain values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.html import format_html
from markupsafe import Markup

from core.presenters import day, measure_value, month
from metrics.calendar import add_months
from metrics.spc import Assurance, Rule, Variation
from metrics.spc.icons import NOT_ENOUGH, VARIATION_LABELS

PERCENT = "%"


def measure_amount(value: float, unit: str) -> str:
    """A difference in the measure's own unit: 0.3 percentage points, 12.9, 1,234."""
    if unit == PERCENT:
        return f"{abs(value):.1f} percentage points"
    if unit == "appointments":
        return f"{abs(value):,.0f}"
    return f"{abs(value):,.1f}"


def change_on_last_year(change: float | None, unit: str, period: dt.date) -> str:
    """Up 0.3 percentage points on Oct 2025."""
    last_year = month(add_months(period, -12))
    if change is None:
        return f"No figure for {last_year} to compare with"
    if round(change, 1 if unit != "appointments" else 0) == 0:
        return f"No change on {last_year}"
    way = "Up" if change > 0 else "Down"
    return f"{way} {measure_amount(change, unit)} on {last_year}"


@dataclass(frozen=True)
class Icon:
    """An SPC icon: a coloured disc with a letter, always shown beside its words."""

    code: str
    label: str
    letter: str
    colour: str
    meaning: str

    @property
    def svg(self) -> Markup:
        return icon_svg(self)


# Colours from the NHS identity; blue for improvement, orange for concern, purple where
# neither way is better, grey for common cause (as Making Data Count icons use them).
BLUE, ORANGE, PURPLE, GREY = "#005eb8", "#b35c00", "#330072", "#4c6272"

VARIATION_ICONS = {
    Variation.COMMON_CAUSE: Icon(
        "common_cause",
        VARIATION_LABELS[Variation.COMMON_CAUSE],
        "~",
        GREY,
        "No sign of a real change",
    ),
    Variation.IMPROVING: Icon(
        "improving",
        VARIATION_LABELS[Variation.IMPROVING],
        "!",
        BLUE,
        "A real change for the better",
    ),
    Variation.CONCERNING: Icon(
        "concerning",
        VARIATION_LABELS[Variation.CONCERNING],
        "!",
        ORANGE,
        "A real change for the worse",
    ),
    Variation.NEITHER_HIGH: Icon(
        "neither_high",
        VARIATION_LABELS[Variation.NEITHER_HIGH],
        "H",
        PURPLE,
        "A real rise; neither way is better",
    ),
    Variation.NEITHER_LOW: Icon(
        "neither_low",
        VARIATION_LABELS[Variation.NEITHER_LOW],
        "L",
        PURPLE,
        "A real fall; neither way is better",
    ),
}
NO_VARIATION = Icon("none", NOT_ENOUGH, "–", GREY, "Too few months to judge")

ASSURANCE_ICONS = {
    Assurance.PASSING: Icon(
        "passing",
        "Will consistently meet the target",
        "P",
        BLUE,
        "The target is outside the limits, on the right side",
    ),
    Assurance.FAILING: Icon(
        "failing",
        "Will consistently miss the target",
        "F",
        ORANGE,
        "The target is outside the limits, on the wrong side",
    ),
    Assurance.HIT_AND_MISS: Icon(
        "hit_and_miss",
        "May hit or miss the target",
        "?",
        GREY,
        "The target is inside the process limits",
    ),
}
NO_TARGET = Icon("no_target", "No target set", "–", GREY, "There is no target to assure against")


def variation_icon(variation: Variation | None) -> Icon:
    return VARIATION_ICONS.get(variation, NO_VARIATION) if variation else NO_VARIATION


def assurance_icon(assurance: Assurance | None) -> Icon:
    return ASSURANCE_ICONS.get(assurance, NO_TARGET) if assurance else NO_TARGET


def icon_svg(icon: Icon, size: int = 28) -> Markup:
    """The icon as inline SVG, hidden from screen readers: its label is always beside it."""
    return format_html(
        '<svg class="app-spc-icon" width="{size}" height="{size}" viewBox="0 0 28 28" '
        'aria-hidden="true" focusable="false"><circle cx="14" cy="14" r="13" fill="{colour}"/>'
        '<text x="14" y="19" text-anchor="middle" font-size="15" font-weight="bold" '
        'fill="#ffffff" font-family="Arial, sans-serif">{letter}</text></svg>',
        size=size,
        colour=icon.colour,
        letter=icon.letter,
    )


RULE_TEXT = {
    Rule.OUTSIDE_LIMITS: "a month outside the process limits",
    Rule.SHIFT: "7 or more months in a row on one side of the mean",
    Rule.TREND: "7 or more months in a row rising or falling",
    Rule.TWO_OF_THREE: "2 of 3 months close to a process limit",
}


def rules_text(rules: tuple[Rule, ...] | list[Rule]) -> str:
    """What made a point special cause, in words; blank for common cause."""
    return "; ".join(RULE_TEXT[rule] for rule in dict.fromkeys(rules))


def as_at(loaded_at: dt.datetime | dt.date | None, file_name: str = "") -> str:
    """Loaded 24 November 2026 (Practice_Level_Crosstab_Oct_26.zip)."""
    if loaded_at is None:
        return "Not yet loaded"
    if isinstance(loaded_at, dt.datetime):
        from django.utils import timezone

        loaded_at = timezone.localtime(loaded_at).date()
    return f"Loaded {day(loaded_at)}" + (f" ({file_name})" if file_name else "")


def target_text(target: float | None, unit: str) -> str:
    return f"Target {measure_value(target, unit)}" if target is not None else "No target set"
