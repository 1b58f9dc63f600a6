"""New special cause and changed SPC icons on a key measure, judged as the dashboard judges
them: what the card says now against what it said the month before."""

from __future__ import annotations

from alerts.detectors.measures import icon_change_found, special_cause_found
from alerts.models import AlertKind
from alerts.tests.data import STEADY, monthly, watch


def test_a_month_outside_the_limits_after_common_cause_is_new_special_cause(tree, pcn_manager):
    last = monthly(tree.pcn_a, "same_day_pct", STEADY[:11] + [30])

    found = special_cause_found(watch(pcn_manager, tree.pcn_a))

    assert len(found) == 1
    alert = found[0]
    assert alert.kind == AlertKind.SPECIAL_CAUSE
    assert alert.key == f"special_cause:{tree.pcn_a.pk}:same_day_pct:{last:%Y-%m}"
    assert alert.title.startswith("PCN U00001: ")
    assert "special cause: concerning in Dec 2025" in alert.title
    assert alert.detail.startswith("30.0% in Dec 2025: a month outside the process limits.")
    assert "In Nov 2025 the chart showed common cause variation." in alert.detail
    assert alert.link == "/dashboard/pcn/U00001/"


def test_special_cause_that_was_already_there_last_month_is_not_news(tree, pcn_manager):
    monthly(tree.pcn_a, "same_day_pct", STEADY[:11] + [30, 29])

    assert special_cause_found(watch(pcn_manager, tree.pcn_a)) == []


def test_common_cause_is_not_special_cause(tree, pcn_manager):
    monthly(tree.pcn_a, "same_day_pct", STEADY)

    assert special_cause_found(watch(pcn_manager, tree.pcn_a)) == []
    assert icon_change_found(watch(pcn_manager, tree.pcn_a)) == []


def test_only_the_watched_organisations_own_figures_count(tree, icb_manager):
    monthly(tree.pcn_a, "same_day_pct", STEADY[:11] + [30])

    assert special_cause_found(watch(icb_manager, tree.icb)) == []


def test_one_month_of_figures_says_nothing(tree, pcn_manager):
    monthly(tree.pcn_a, "same_day_pct", [30])

    assert special_cause_found(watch(pcn_manager, tree.pcn_a)) == []


def test_an_assurance_icon_that_changed_between_the_last_two_months(tree, icb_manager):
    # Steady around 80 against the ICB's target of 85: "will consistently miss the target";
    # then a month at 95 widens the limits past 85: "may hit or miss the target".
    series = [80, 81, 79, 80, 81, 79, 80, 81, 79, 80, 81, 95]
    last = monthly(tree.icb, "acc08_within_14_days_pct", series)

    found = icon_change_found(watch(icb_manager, tree.icb))

    assert [(f.kind, f.key) for f in found] == [
        (AlertKind.ICON_CHANGE, f"assurance:{tree.icb.pk}:acc08_within_14_days_pct:{last:%Y-%m}")
    ]
    assert found[0].title.endswith("assurance changed in Dec 2025")
    assert found[0].detail == (
        "Now: may hit or miss the target. In Nov 2025: will consistently miss the target."
    )


def test_special_cause_ending_is_an_icon_change(tree, pcn_manager):
    last = monthly(tree.pcn_a, "same_day_pct", STEADY[:10] + [30, 50])

    found = icon_change_found(watch(pcn_manager, tree.pcn_a))

    assert [f.key for f in found] == [f"variation:{tree.pcn_a.pk}:same_day_pct:{last:%Y-%m}"]
    assert "back to common cause variation in Dec 2025" in found[0].title
    assert found[0].detail == "In Nov 2025 the chart showed special cause: concerning."
    assert special_cause_found(watch(pcn_manager, tree.pcn_a)) == []
