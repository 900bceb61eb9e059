"""Targets spread over months, expected-to-date and rounding — figures worked by hand."""

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

import pytest

from saleshelm.core.errors import ApplicationError
from saleshelm.core.periods import parse_period, period_of
from saleshelm.performance import distribution as d


def target(period: str, value: str, *, weights=None, fiscal: int = 1):
    p = parse_period(period, fiscal_start_month=fiscal)
    return SimpleNamespace(
        period_key=p.key,
        start=p.start,
        end=p.end,
        value=Decimal(value),
        distribution="pattern" if weights else "even",
        weights=weights or [],
    )


Q3 = parse_period("2026-Q3")


def test_even_quarter_expected_to_date_mid_august():
    # Given a Q3 target of 90,000 spread evenly: 30,000 per month (July, August, September).
    months = d.period_months([target("2026-Q3", "90000")], Q3.start, Q3.end)
    assert months == {
        dt.date(2026, 7, 1): 30000,
        dt.date(2026, 8, 1): 30000,
        dt.date(2026, 9, 1): 30000,
    }
    # When we look on 16 August: July is over (30,000), August has run 16 of 31 days
    # (30,000 x 16/31 = 15,483.870967...), September has not started (0).
    expected = d.expected_to_date(months, dt.date(2026, 8, 16))
    # Then 45,483.870967... rounds half-up to 45,483.8710.
    assert expected == Fraction(30000) + Fraction(30000 * 16, 31)
    assert d.round_half_up(expected) == Decimal("45483.8710")


def test_seasonal_quarter_expected_to_date_mid_august():
    # Given Q3 = 90,000 with a 20% / 30% / 50% pattern: 18,000, 27,000 and 45,000.
    t = target("2026-Q3", "90000", weights=["0.2", "0.3", "0.5"])
    months = d.period_months([t], Q3.start, Q3.end)
    assert list(months.values()) == [18000, 27000, 45000]
    # On 16 August: 18,000 + 27,000 x 16/31 (= 13,935.483870...) = 31,935.4839.
    assert d.round_half_up(d.expected_to_date(months, dt.date(2026, 8, 16))) == Decimal(
        "31935.4839"
    )
    # The last day of a month counts it whole; the day after the period, everything is due.
    assert d.expected_to_date(months, dt.date(2026, 8, 31)) == 45000
    assert d.expected_to_date(months, dt.date(2026, 10, 1)) == 90000
    assert d.expected_to_date(months, dt.date(2026, 6, 30)) == 0


def test_pattern_weights_accept_fractions_or_percentages_summing_exactly():
    assert d.normalise_weights(["20", "30", "50"], 3) == [
        Decimal("0.2"),
        Decimal("0.3"),
        Decimal("0.5"),
    ]
    assert d.normalise_weights(["0.25", "0.25", "0.5"], 3)[2] == Decimal("0.5")
    for bad, n in ((["0.3", "0.3", "0.3"], 3), (["0.5", "0.5"], 3), (["-0.5", "1.5"], 2)):
        with pytest.raises(ApplicationError) as err:
            d.normalise_weights(bad, n)
        assert err.value.code == "invalid_weights"


def test_month_figure_comes_from_the_quarter_target_and_the_year_adds_up_months():
    # A July figure from the seasonal Q3 target: its July share, 18,000.
    t = target("2026-Q3", "90000", weights=["0.2", "0.3", "0.5"])
    july = parse_period("2026-07")
    assert d.total(d.period_months([t], july.start, july.end)) == 18000
    # A year without a year target: each month from the finest target covering it — July
    # from its own month target (20,000), August and September from Q3 (27,000 + 45,000).
    july_target = target("2026-07", "20000")
    year = parse_period("2026")
    months = d.period_months([t, july_target], year.start, year.end)
    assert d.total(months) == 20000 + 27000 + 45000
    # The exact period's own target wins over any finer ones.
    q3_exact = d.period_months([t, july_target], Q3.start, Q3.end)
    assert d.total(q3_exact) == 90000


def test_fiscal_year_starting_in_april():
    # With the fiscal year starting in April, 2026-Q1 is April-June 2026 and 2026 runs to
    # March 2027; 10 February 2027 is in 2026-Q4.
    q1 = parse_period("2026-Q1", fiscal_start_month=4)
    assert (q1.start, q1.end) == (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    fy = parse_period("2026", fiscal_start_month=4)
    assert (fy.start, fy.end) == (dt.date(2026, 4, 1), dt.date(2027, 3, 31))
    assert period_of(dt.date(2027, 2, 10), "quarter", fiscal_start_month=4).key == "2026-Q4"
    # An even year target of 120,000 gives its fiscal Q2 (July-September) 30,000, and on
    # 16 August 2026 expects April-July in full (4 x 10,000) + 16/31 of August's 10,000.
    t = target("2026", "120000", fiscal=4)
    q2 = parse_period("2026-Q2", fiscal_start_month=4)
    assert d.total(d.period_months([t], q2.start, q2.end)) == 30000
    expected_year = d.expected_to_date(d.period_months([t], fy.start, fy.end), dt.date(2026, 8, 16))
    assert d.round_half_up(expected_year) == Decimal("45161.2903")  # 40,000 + 5,161.290322...


def test_ratios_round_half_up_to_four_places_and_are_null_without_a_denominator():
    assert d.ratio(Decimal(85000), Decimal(90000)) == Decimal("0.9444")  # 0.94444...
    assert d.ratio(Decimal(2), Decimal(3)) == Decimal("0.6667")  # 0.66666...
    assert d.ratio(Decimal(1), Decimal(20000)) == Decimal("0.0001")  # 0.00005 goes up
    assert d.ratio(Decimal(-1), Decimal(20000)) == Decimal("-0.0001")  # away from zero
    assert d.ratio(Decimal(5), Decimal(0)) is None
    assert d.ratio(Decimal(5), None) is None


def test_level_target_of_a_ratio_is_held_not_spread():
    # A win-rate target of 0.30 for the year is 0.30 in July too, not a twelfth of it.
    t = target("2026", "0.30")
    july = parse_period("2026-07")
    assert d.level_target([t], july.start, july.end) == Fraction(3, 10)
    assert d.level_target([t], dt.date(2025, 12, 1), dt.date(2026, 1, 31)) is None


def test_elapsed_days():
    assert d.elapsed_days(Q3.start, Q3.end, dt.date(2026, 6, 30)) == 0
    assert d.elapsed_days(Q3.start, Q3.end, dt.date(2026, 8, 16)) == 31 + 16
    assert d.elapsed_days(Q3.start, Q3.end, dt.date(2027, 1, 1)) == 92
