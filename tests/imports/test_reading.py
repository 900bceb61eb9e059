"""Reading files: encodings, delimiters, XLSX, header names (SPEC §4)."""

import io

import pytest
from openpyxl import Workbook

from saleshelm.imports.reading import UnreadableFile, header_key, open_table, sniff_delimiter
from tests.imports.helpers import cp1258, data

VIETNAMESE = "email,name\nan@x.vn,Nguyễn Văn An\n"


def rows_of(stream):
    table = open_table(stream)
    try:
        return table, list(table.rows)
    finally:
        table.close()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1258", "utf-16"])
def test_given_vietnamese_text_in_each_encoding_when_read_then_names_come_back_composed(encoding):
    raw = cp1258(VIETNAMESE) if encoding == "cp1258" else VIETNAMESE.encode(encoding)
    table, rows = rows_of(data(raw))
    assert table.headers == ["email", "name"]
    assert rows == [(2, ["an@x.vn", "Nguyễn Văn An"])]


def test_given_cp1258_bytes_when_read_then_the_encoding_is_cp1258_and_text_is_nfc():
    raw = cp1258(VIETNAMESE)
    assert raw != VIETNAMESE.encode("utf-8")  # the file really is not UTF-8
    table, rows = rows_of(data(raw))
    assert table.encoding == "cp1258"
    assert rows[0][1][1] == "Nguyễn Văn An"  # composed: equal to what the database holds


def test_given_a_byte_order_mark_when_read_then_it_is_not_part_of_the_first_header():
    table, _rows = rows_of(data("\ufeffexternal_id;name\nA-1;Acme\n"))
    assert table.headers == ["external_id", "name"]
    assert table.delimiter == ";"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_given_each_delimiter_when_sniffed_then_it_is_found(delimiter):
    text = delimiter.join(["external_id", "name", "amount"]) + "\n"
    text += (
        delimiter.join(["A-1", '"Acme, Ltd"' if delimiter != "," else '"Acme; Ltd"', "12.5"]) + "\n"
    )
    assert sniff_delimiter(text) == delimiter
    _table, rows = rows_of(data(text))
    assert rows[0][1][2] == "12.5"


def test_given_blank_lines_when_read_then_they_are_skipped_but_row_numbers_match_the_sheet():
    _table, rows = rows_of(data("a,b\n1,2\n\n,\n3,4\n"))
    assert [n for n, _cells in rows] == [2, 5]


def test_given_an_xlsx_workbook_when_read_then_cells_become_the_text_a_csv_would_carry():
    import datetime as dt
    from decimal import Decimal

    wb = Workbook()
    ws = wb.active
    ws.append(["external_id", "amount", "close_date", "qty", "note"])
    ws.append(["A-1", Decimal("12500.5"), dt.datetime(2026, 7, 15), 10, "Nguyễn"])
    ws.append([None, None, None, None, None])
    ws.append(["A-2", 0.1, dt.date(2026, 7, 16), 3.0, None])
    buffer = io.BytesIO()
    wb.save(buffer)
    table, rows = rows_of(io.BytesIO(buffer.getvalue()))
    assert table.file_type == "xlsx"
    assert rows == [
        (2, ["A-1", "12500.5", "2026-07-15", "10", "Nguyễn"]),
        (4, ["A-2", "0.1", "2026-07-16", "3", ""]),
    ]


def test_given_an_empty_file_when_read_then_it_is_refused_in_one_sentence():
    with pytest.raises(UnreadableFile):
        open_table(data(""))


def test_given_a_legacy_xls_when_read_then_it_is_refused_with_advice():
    with pytest.raises(UnreadableFile, match="XLSX or CSV"):
        open_table(data(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100), "old.xls")


@pytest.mark.parametrize("header", ["Owner Email", " owner_email ", "OWNER-EMAIL", "owner  email"])
def test_given_header_spellings_when_keyed_then_case_and_spaces_do_not_matter(header):
    assert header_key(header) == "owner_email"
