import datetime as dt

import pytest

from metrics.sources.readers import clean_text, display_name, label_key, match_header, parse_date


@pytest.mark.parametrize(
    "text",
    [
        "20240401",
        "01APR2024",
        "01-Apr-24",
        "1-apr-2024",
        "2024-04-01",
        "01/04/2024",
        " 2024-04-01 ",
    ],
)
def test_every_published_date_shape_reads_as_the_same_day(text):
    assert parse_date(text) == dt.date(2024, 4, 1)


@pytest.mark.parametrize("text", ["20191345", "31FEB2024", "April 2024", "2024/04/01"])
def test_a_date_that_cannot_be_read_is_refused_with_the_value_in_the_message(text):
    with pytest.raises(ValueError, match="is not a date") as error:
        parse_date(text)
    assert text in str(error.value)


def test_blank_is_no_date_rather_than_an_error():
    assert parse_date("  ") is None


def test_labels_compare_without_double_spaces_or_case():
    assert label_key("8  to 14 Days") == label_key("8 to 14 days")
    assert clean_text("  Same \t Day ") == "Same Day"


def test_headers_match_through_aliases_whatever_their_order_case_or_spacing():
    header, missing = match_header(
        ["ons_ccg_code", "CCG_CODE", " Number Of Patients "],
        {"SUB_ICB_LOCATION_CODE": ("CCG_CODE",), "NUMBER_OF_PATIENTS": ()},
        ("SUB_ICB_LOCATION_CODE", "NUMBER_OF_PATIENTS"),
    )
    assert missing == []
    assert header.positions == {"SUB_ICB_LOCATION_CODE": 1, "NUMBER_OF_PATIENTS": 2}


def test_published_upper_case_names_become_readable_but_keep_nhs_and_codes():
    assert display_name("NHS SOMERSET ICB - 11X") == "NHS Somerset ICB - 11X"
    assert display_name("THE OLD  MILL MEDICAL PRACTICE") == "The Old Mill Medical Practice"
    assert display_name("ASHBRINTON AND DISTRICT PCN") == "Ashbrinton and District PCN"
    assert (
        display_name("ST. JOHN'S SURGERY, WESTON-SUPER-MARE")
        == "St. John's Surgery, Weston-Super-Mare"
    )
