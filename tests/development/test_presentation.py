"""Numbers and dates of the development pages read naturally in both languages."""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation

from saleshelm.development.templatetags.development_tags import grouped, isodate, percent, signed


def test_numbers_are_grouped_in_the_readers_locale():
    with translation.override("en"):
        assert grouped(Decimal("1745080155")) == "1,745,080,155"
        assert grouped(Decimal("-1234.56"), 1) == "-1,234.6"
        assert percent("0.2500") == "25%"
    with translation.override("vi"):
        assert grouped(Decimal("1745080155")) == "1.745.080.155"
        assert grouped(Decimal("0.4"), 1) == "0,4"
        assert percent(None) == "—"


def test_iso_dates_of_signal_figures_are_shown_in_the_readers_format():
    with translation.override("vi"):
        assert isodate("2026-10-23") == "23-10-2026"
    with translation.override("en"):
        assert isodate("2026-10-23") == "10/23/2026"
    assert isodate("not a date") == "not a date"
    assert signed(2) == "+2" and signed(-1) == "-1" and signed(None) == "—"
