"""Parsing one cell: types, formula-looking text, splits (SPEC §4)."""

from decimal import Decimal

import pytest

from saleshelm.imports.columns import CellError, Column, parse_split, parser_for
from saleshelm.imports.presets.base import (
    iso_or_us_date,
    money_amount,
    money_currency,
    plain_number,
)


def parse(col, raw):
    return parser_for(col)(raw)


@pytest.mark.parametrize(
    "raw", ['=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
)
def test_given_formula_looking_text_when_parsed_then_it_is_refused_with_the_reason(raw):
    with pytest.raises(CellError, match="formula"):
        parse(Column("name"), raw)


def test_given_text_quoted_by_an_export_when_parsed_then_the_quote_is_dropped():
    assert parse(Column("name"), "'=not a formula") == "=not a formula"
    assert parse(Column("name"), "'plain quote") == "'plain quote"


def test_given_a_negative_number_in_a_numeric_column_when_parsed_then_it_is_a_number():
    assert parse(Column("quantity", "decimal"), "-5") == Decimal("-5")
    assert parse(Column("line", "int"), "7") == 7


@pytest.mark.parametrize(
    "raw,reason",
    [
        ("abc", "not a number"),
        ("1,000.50", "no thousands separator"),
        ("1e5", "not a number"),
        ("12.12345", "more than 4 decimals"),
        ("NaN", "not a number"),
    ],
)
def test_given_bad_decimals_when_parsed_then_the_reason_says_why(raw, reason):
    with pytest.raises(CellError, match=reason):
        parse(Column("amount", "decimal"), raw)


def test_given_trailing_zeros_beyond_the_places_when_parsed_then_they_are_accepted():
    assert parse(Column("amount", "decimal"), "12.500000") == Decimal("12.5")


@pytest.mark.parametrize("raw", ["2026-13-01", "15/07/2026", "2026-7-1", "20260715"])
def test_given_non_iso_dates_when_parsed_then_they_are_refused(raw):
    with pytest.raises(CellError, match="YYYY-MM-DD"):
        parse(Column("close_date", "date"), raw)


def test_given_a_phone_with_a_plus_when_parsed_then_it_is_a_phone_not_a_formula():
    assert parse(Column("phone", "phone", max_length=50), "+84 90 123 4567") == "+84 90 123 4567"
    with pytest.raises(CellError, match="formula"):
        parse(Column("phone", "phone", max_length=50), "+cmd|' /C calc'!A0")


@pytest.mark.parametrize("raw", ["VDN", "USX", "US", "dollars", "ĐNG"])
def test_given_a_currency_that_is_not_iso_4217_when_parsed_then_it_is_refused(raw):
    col = Column("currency", "currency")
    assert parse(col, " vnd ") == "VND"
    with pytest.raises(CellError, match="not a currency code"):
        parse(col, raw)


def test_given_a_choice_when_parsed_then_case_is_ignored_and_others_are_listed():
    col = Column("status", "choice", choices=("confirmed", "cancelled"))
    assert parse(col, "Cancelled") == "cancelled"
    with pytest.raises(CellError, match="confirmed, cancelled"):
        parse(col, "lost")


def test_given_a_split_when_parsed_then_shares_are_fractions_summing_to_one():
    assert parse_split("an@x.com:60;binh@x.com:40") == [
        ("an@x.com", Decimal("0.6")),
        ("binh@x.com", Decimal("0.4")),
    ]


@pytest.mark.parametrize(
    "raw,reason",
    [
        ("an@x.com:60;binh@x.com:30", "add up to 90"),
        ("an@x.com:60;an@x.com:40", "twice"),
        ("an@x.com", "email:percent"),
        ("an@x.com:abc", "not a number"),
        ("an@x.com:0;b@x.com:100", "above 0"),
    ],
)
def test_given_bad_splits_when_parsed_then_the_reason_says_why(raw, reason):
    with pytest.raises(CellError, match=reason):
        parse_split(raw)


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("USD 12,500.00", ("12500.00", "USD")),
        ("12.500.000 ₫", ("12500000", "VND")),
        ("$1,234.5", ("1234.5", "USD")),
        ("9800.50", ("9800.50", "")),
        ("1.234,56 EUR", ("1234.56", "EUR")),
    ],
)
def test_given_amounts_as_crms_write_them_when_converted_then_number_and_currency_are_found(
    raw, expected
):
    assert (money_amount(raw), money_currency(raw)) == expected


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("7/15/2026", "2026-07-15"),
        ("2026-07-15 00:00", "2026-07-15"),
        ("7/1/2026 9:15 AM", "2026-07-01"),
        ("2026-07-15T00:00:00Z", "2026-07-15"),
    ],
)
def test_given_tool_dates_when_converted_then_they_are_iso(raw, expected):
    assert iso_or_us_date(raw) == expected


def test_given_a_thousands_separated_count_when_converted_then_it_is_a_plain_number():
    assert plain_number("1,500") == "1500"
    with pytest.raises(CellError):
        plain_number("12a")
