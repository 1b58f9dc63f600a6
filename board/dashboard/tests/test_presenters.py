"""How the dashboard words and draws its figures, without a database."""

import datetime as dt

import pytest

from board.dashboard.presenters import (
    assurance_icon,
    change_on_last_year,
    measure_value,
    rules_text,
    variation_icon,
)
from metrics.spc import Assurance, Rule, Variation

OCT_2026 = dt.date(2026, 10, 1)


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (45.06, "%", "45.1%"),
        (487.98, "per 1,000 patients", "488.0"),
        (296587, "appointments", "296,587"),
        (None, "%", "–"),
    ],
)
def test_values_are_shown_in_their_unit_and_blank_is_a_dash(value, unit, shown):
    assert measure_value(value, unit) == shown


def test_a_change_in_a_percentage_is_in_percentage_points_on_the_same_month_last_year():
    assert change_on_last_year(-0.12, "%", OCT_2026) == "Down 0.1 percentage points on Oct 2025"
    assert change_on_last_year(12.9, "per 1,000 patients", OCT_2026) == "Up 12.9 on Oct 2025"
    assert change_on_last_year(0.01, "%", OCT_2026) == "No change on Oct 2025"
    assert change_on_last_year(None, "%", OCT_2026) == "No figure for Oct 2025 to compare with"


def test_every_icon_has_words_as_well_as_a_colour():
    for variation in Variation:
        icon = variation_icon(variation)
        assert icon.label and icon.letter and icon.colour
    assert variation_icon(Variation.CONCERNING).label == "Special cause: concerning"
    assert assurance_icon(Assurance.FAILING).label == "Will consistently miss the target"
    assert assurance_icon(None).label == "No target set"
    assert variation_icon(None).label == "Not enough data"


def test_icons_are_hidden_from_screen_readers_because_their_words_sit_beside_them():
    svg = str(variation_icon(Variation.IMPROVING).svg)
    assert 'aria-hidden="true"' in svg and 'focusable="false"' in svg


def test_rules_are_named_in_words_once_each():
    rules = (Rule.SHIFT, Rule.OUTSIDE_LIMITS, Rule.SHIFT)
    assert rules_text(rules) == (
        "7 or more months in a row on one side of the mean; a month outside the process limits"
    )
