"""Projected spend arithmetic, without the database."""

import datetime as dt
from decimal import Decimal

from arrs.money import (
    Figure,
    RateBook,
    RateEntry,
    Spend,
    first_whole_month,
    monthly_wte,
    pounds,
    projected_spend,
    spend_total,
    value_on,
)

D = Decimal
APRIL, OCTOBER = dt.date(2026, 4, 1), dt.date(2026, 10, 1)


def rates(*entries):
    return RateBook(RateEntry(*entry) for entry in entries)


def test_a_figure_holds_from_the_first_month_that_starts_on_or_after_its_date():
    assert first_whole_month(dt.date(2026, 6, 30)) == dt.date(2026, 7, 1)
    assert first_whole_month(dt.date(2026, 7, 1)) == dt.date(2026, 7, 1)
    assert first_whole_month(dt.date(2026, 12, 31)) == dt.date(2027, 1, 1)


def test_months_before_the_first_figure_take_it_and_later_figures_step_in():
    figures = [Figure(dt.date(2026, 7, 31), D("2")), Figure(dt.date(2026, 9, 30), D("3.5"))]

    months = monthly_wte(figures, 2026)

    assert months[dt.date(2026, 4, 1)] == D("2")
    assert months[dt.date(2026, 8, 1)] == D("2")
    assert months[dt.date(2026, 9, 1)] == D("2")
    assert months[dt.date(2026, 10, 1)] == D("3.5")
    assert months[dt.date(2027, 3, 1)] == D("3.5")
    assert len(months) == 12


def test_nothing_stated_means_no_months_not_zero_months():
    assert monthly_wte([], 2026) == {}


def test_the_value_on_a_date_is_the_latest_figure_on_or_before_it():
    figures = [Figure(dt.date(2026, 6, 30), D("1")), Figure(dt.date(2026, 12, 31), D("0"))]

    assert value_on(figures, dt.date(2026, 5, 1)) is None
    assert value_on(figures, dt.date(2026, 9, 30)) == D("1")
    assert value_on(figures, dt.date(2027, 3, 31)) == D("0")


def test_a_mid_year_uplift_costs_the_later_months_more():
    book = rates(
        (1, "national", APRIL, APRIL, D("60000")), (1, "national", OCTOBER, OCTOBER, D("72000"))
    )
    plan = {1: [Figure(dt.date(2026, 4, 1), D("1"))]}

    projection = projected_spend(plan, year=2026, area="national", rates=book)

    assert projection.total == D("6") * D("5000") + D("6") * D("6000")


def test_a_backdated_uplift_published_later_replaces_the_amount_from_its_effective_date():
    book = rates(
        (1, "national", APRIL, APRIL, D("12000")),
        (1, "national", APRIL, dt.date(2026, 9, 1), D("24000")),
    )

    assert book.annual(1, "national", dt.date(2026, 5, 1)) == D("24000")


def test_london_amounts_apply_where_held_and_the_national_amount_otherwise():
    book = rates(
        (1, "national", APRIL, APRIL, D("12000")), (1, "inner_london", APRIL, APRIL, D("24000"))
    )

    assert book.annual(1, "inner_london", OCTOBER) == D("24000")
    assert book.annual(1, "outer_london", OCTOBER) == D("12000")


def test_wte_times_amount_times_months_in_post_rounded_to_pounds_once():
    book = rates(
        (1, "national", APRIL, APRIL, D("40159")), (2, "national", APRIL, APRIL, D("62340"))
    )
    plan = {
        1: [Figure(dt.date(2026, 4, 1), D("1.5"))],
        2: [Figure(dt.date(2026, 4, 1), D("0")), Figure(dt.date(2026, 9, 30), D("1"))],
    }

    projection = projected_spend(plan, year=2026, area="national", rates=book)

    expected = D("1.5") * D("40159") + D("62340") * 6 / 12
    assert projection.total == pounds(expected)
    assert projection.by_role[2] == D("31170")


def test_a_role_without_an_amount_is_named_not_costed():
    book = rates((1, "national", APRIL, APRIL, D("12000")))
    plan = {1: [Figure(APRIL, D("1"))], 9: [Figure(APRIL, D("2"))]}

    projection = projected_spend(plan, year=2026, area="national", rates=book)

    assert projection.total == D("12000")
    assert projection.roles_without_amount == {9}


def test_percent_of_allocation_headroom_and_claims():
    spend = Spend(allocation=D("1000000"), projected=D("700000"), claimed=D("250000"))

    assert spend.projected_percent == D("70")
    assert spend.headroom == D("300000")
    assert spend.claimed_percent == D("25")
    assert Spend(D("100"), D("150"), None).headroom == D("-50")
    assert Spend(None, D("150"), None).projected_percent is None


def test_the_icb_total_is_the_sum_of_its_pcns_and_blank_stays_blank():
    pcns = [
        Spend(D("100"), D("80"), None),
        Spend(D("200"), None, D("20")),
        Spend(D("50"), D("60"), None),
    ]

    total = spend_total(pcns)

    assert total == Spend(allocation=D("350"), projected=D("140"), claimed=D("20"))
    assert spend_total([Spend(None, None, None)]) == Spend(None, None, None)
