"""The board pack workbook, read back with openpyxl: figures are numbers with number
formats, sheet names say what they hold within Excel's 31 characters, headers stay in view."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from board.pack.workbook import pack_xlsx, sheet_name

PERCENT, COUNT = '0.0"%"', "#,##0"
# Text that is only a figure as a page prints it: 47.4%, 7,315, 99.9, -5.1.
FIGURE_AS_TEXT = re.compile(r"[+-]?\d[\d,]*(\.\d+)?%?")


@pytest.fixture
def book(unmade, page):
    return load_workbook(io.BytesIO(pack_xlsx(unmade, page)))


def rows(sheet) -> dict:
    """The sheet's rows by their first cell (header row left out)."""
    return {row[0].value: row for row in sheet.iter_rows(min_row=2)}


def test_no_figure_anywhere_in_the_workbook_is_stored_as_text(book):
    for sheet in book.worksheets:
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                text = cell.value if isinstance(cell.value, str) else ""
                assert not FIGURE_AS_TEXT.fullmatch(text), (sheet.title, cell.coordinate, text)


def test_figures_are_numbers_with_the_number_format_of_their_unit(book):
    headline = rows(book["Headline measures"])
    same_day = headline["Same-day appointments"]
    assert same_day[3].data_type == "n" and same_day[3].number_format == PERCENT
    assert same_day[3].value == pytest.approx(1831 * 100 / 5100)  # stored as the page's 35.9
    assert same_day[4].number_format == '+0.0" pp";-0.0" pp";0.0" pp"'  # change on last year
    per_1000 = headline["Appointments per 1,000 patients"]
    assert per_1000[3].data_type == "n" and per_1000[3].number_format == "#,##0.0"
    assert headline["ACC-08: appointments within two weeks"][6].value == 85  # the target

    lowest = rows(book["Lowest same-day appointments"])["Surgery L85003"]
    assert (lowest[2].value, lowest[2].number_format) == (15.0, PERCENT)
    assert (lowest[3].value, lowest[3].data_type, lowest[3].number_format) == (1000, "n", COUNT)

    weakest = rows(book["Weakest recording"])["Surgery L85006"]
    assert weakest[4].value == 100 and weakest[4].number_format == COUNT
    assert weakest[5].data_type == "n" and weakest[5].number_format == COUNT

    place = next(iter(rows(book["By place"]).values()))
    assert all(cell.data_type == "n" for cell in place[2:])
    assert place[3].number_format == PERCENT

    deteriorating = {
        (r[0].value, r[3].value): r for r in book["Deteriorating"].iter_rows(min_row=2)
    }
    per_1000 = deteriorating[("PCN U00002", "Appointments per 1,000 patients")]
    assert per_1000[4].data_type == "n" and per_1000[4].number_format == "#,##0.0"
    same_day = deteriorating[("PCN U00002", "Same-day appointments")]
    assert (same_day[4].value, same_day[4].number_format) == (pytest.approx(28.0), PERCENT)

    ranked = book["Same-day appointments by PCN"]
    first = list(ranked[2])
    assert first[0].value == 1 and first[3].number_format == PERCENT
    assert first[4].number_format == first[5].number_format == COUNT


def test_sheet_names_say_what_they_hold_within_31_characters_and_headers_stay_in_view(book):
    names = book.sheetnames

    assert names[:4] == ["Cover", "Contents", "Headline measures", "SPC Appts per 1,000 patients"]
    for expected in (
        "SPC ACC-08 appts within 2 weeks",
        "SPC Appts over 28 days",
        "Appts per 1,000 patients by PCN",
        "ACC-08 appts in 2 weeks by PCN",
        "Lowest appts within 14 days",
        "Weakest recording",
    ):
        assert expected in names
    assert all(len(name) <= 31 for name in names)
    assert len({name.casefold() for name in names}) == len(names)
    assert all(book[name].freeze_panes == "A2" for name in names)

    contents = rows(book["Contents"])
    assert list(contents) == [name for name in names if name != "Contents"]
    spc = contents["SPC ACC-08 appts within 2 weeks"]
    assert spc[1].value.startswith("ACC-08: appointments within two weeks, NHS Somerset ICB")
    assert spc[0].hyperlink.location == "'SPC ACC-08 appts within 2 weeks'!A1"


@pytest.mark.parametrize(
    ("name", "taken", "expected"),
    [
        ("SPC Did not attend", [], "SPC Did not attend"),
        ("Weakest recording", ["weakest RECORDING"], "Weakest recording (2)"),
        ("Lowest: a/b [c]?", [], "Lowest a b c"),
        (
            "Variation in a measure whose name is far too long to fit",
            [],
            "Variation in a measure whose…",
        ),
        ("Appointments per 1,000 patients by practice", [], "Appts per 1,000 pts by practice"),
    ],
)
def test_a_sheet_name_is_shortened_by_words_and_never_collides(name, taken, expected):
    assert sheet_name(name, taken) == expected


def test_a_practice_pack_names_its_ranked_sheets_by_practice(loaded):
    from board.dashboard.page import DashboardPage
    from board.dashboard.selectors import dashboard_read
    from board.dashboard.tests.data import LAST
    from board.pack.models import BoardPack

    practice = loaded.practices["L85003"]
    pack = BoardPack(org=practice, month=LAST, title="Surgery L85003", meeting="m",
                     meeting_date=LAST, executive_lead="e", purpose="p", ask="a")  # fmt: skip
    page = DashboardPage(dashboard_read(practice, month=LAST))
    book = load_workbook(io.BytesIO(pack_xlsx(pack, page)))

    assert "Appts per 1,000 pts by practice" in book.sheetnames
    assert "Deteriorating" not in book.sheetnames  # nothing below a practice to flag
    ranked = {row[1].value: row for row in book["Same-day appts by practice"].iter_rows(min_row=2)}
    assert {"L85003", "L85004"} <= set(ranked)  # the practices of its PCN
    assert (ranked["L85003"][3].value, ranked["L85003"][3].number_format) == (15.0, PERCENT)
