"""How ARRS figures read on pages, without the database."""

import datetime as dt
from decimal import Decimal

from arrs.money import RateEntry
from arrs.presenters import (
    column_heading,
    csv_decimal,
    headroom,
    money,
    percent,
    rate_amount,
    reporting_note,
    spend_heading,
    wte,
    wte_cell,
)
from arrs.years import fy_label, months_of, parse_fy, quarter_ends

D = Decimal


def test_money_is_whole_pounds_and_unknown_is_a_dash():
    assert money(D("1234567.50")) == "£1,234,568"
    assert money(D("-12345.4")) == "-£12,345"
    assert money(None) == "–"


def test_headroom_says_an_overspend_in_words():
    assert headroom(D("1000")) == "£1,000"
    assert headroom(D("-250.6")) == "£251 over"
    assert headroom(None) == "–"


def test_wte_has_two_places_and_blank_stays_blank():
    assert wte(D("2.5")) == "2.50"
    assert wte(D("0")) == "0.00"
    assert wte(None) == ""
    assert wte_cell(None)["html"].striptags() == "Not reported"
    assert wte_cell(D("0"))["text"] == "0.00"


def test_percentages_and_downloads_keep_what_they_should():
    assert percent(D("70.04")) == "70.0%" and percent(None) == "–"
    assert csv_decimal(D("3.0150")) == "3.015" and csv_decimal(D("300")) == "300"
    assert csv_decimal(None) == ""


def test_headings_say_what_and_when():
    assert column_heading("in_post", dt.date(2026, 9, 30)) == "In post 30 Sep 2026"
    assert column_heading("planned", dt.date(2027, 3, 31)) == "Planned 31 Mar 2027"
    assert column_heading("plan_in_post", dt.date(2026, 7, 31)) == "In post (plan) 31 Jul 2026"
    assert spend_heading("Projected spend", 2026) == "Projected spend 2026/27"


def test_an_estimated_amount_says_so():
    day = dt.date(2026, 4, 1)
    assert rate_amount(RateEntry(1, "national", day, day, D("65838"))) == "£65,838"
    assert rate_amount(RateEntry(1, "national", day, day, D("1"), True)) == "£1 (estimate)"
    assert rate_amount(None) == "–"


def test_a_column_short_of_pcns_is_pointed_out():
    assert reporting_note([13, 13], 13) == "Every column has figures from all 13 PCNs."
    assert "fewer than all 13 PCNs" in reporting_note([13, 10], 13)


def test_financial_years():
    assert fy_label(2026) == "2026/27" and fy_label(2099) == "2099/00"
    assert parse_fy("2026/27") == parse_fy("2026-27") == parse_fy("2026/2027") == 2026
    assert months_of(2026)[0] == dt.date(2026, 4, 1) and months_of(2026)[-1] == dt.date(2027, 3, 1)
    assert quarter_ends(2026)[-1] == dt.date(2027, 3, 31)
