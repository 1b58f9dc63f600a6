import codecs
import datetime as dt
import io
import zipfile

import pytest

from imports.sources import readers
from imports.sources.base import WrongKindOfFile
from imports.sources.readers import (
    clean_text,
    display_name,
    encoding_note,
    file_encoding,
    first_row,
    label_key,
    match_header,
    parse_date,
    raw_rows,
    text_stream,
)


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


ROLE = "Clinical Director \u2013 Medical"  # an en dash: byte 0x96 in Windows-1252


def test_a_windows_1252_file_is_read_as_such_not_refused(tmp_path):
    path = tmp_path / "PCN_Individual_Level.csv"
    path.write_bytes(f"STAFF_ROLE,FTE\r\n{ROLE},0.2\r\nCaf\u00e9 Manager,1\r\n".encode("cp1252"))
    assert b"\x96" in path.read_bytes()

    assert file_encoding(path) == "cp1252"
    assert first_row(path) == ["STAFF_ROLE", "FTE"]
    assert [fields for _, fields in raw_rows(path)][1:] == [
        [ROLE, "0.2"],
        ["Caf\u00e9 Manager", "1"],
    ]
    assert "Windows-1252" in encoding_note(path)


@pytest.mark.parametrize("bom", [b"", codecs.BOM_UTF8])
def test_utf_8_with_or_without_a_bom_is_read_as_utf_8(tmp_path, bom):
    path = tmp_path / "file.csv"
    path.write_bytes(bom + f"STAFF_ROLE\n{ROLE}\n".encode())

    assert file_encoding(path) == "utf-8-sig"
    assert [fields for _, fields in raw_rows(path)] == [["STAFF_ROLE"], [ROLE]]
    assert encoding_note(path) is None


def test_a_windows_1252_byte_past_the_sniffed_start_is_read_rather_than_stopping(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(readers, "SNIFF_BYTES", 16)
    path = tmp_path / "file.csv"
    path.write_bytes(b"STAFF_ROLE\n" + b"Pharmacist\n" * 10 + ROLE.encode("cp1252") + b"\n")

    assert file_encoding(path) == "utf-8-sig"  # the first 16 bytes are plain ASCII
    assert [fields for _, fields in raw_rows(path)][-1] == [ROLE]


def test_a_zip_member_in_windows_1252_is_decoded_as_it_streams():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Mapping.csv", f"NAME\r\n{ROLE}\r\n".encode("cp1252"))
    with zipfile.ZipFile(buffer) as archive, archive.open("Mapping.csv") as member:
        assert text_stream(member).read().splitlines() == ["NAME", ROLE]


def test_a_binary_file_is_refused_as_not_text(tmp_path):
    path = tmp_path / "plan.csv"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")

    with pytest.raises(WrongKindOfFile, match="not a text"):
        first_row(path)
