"""Server-rendered charts and the locale's numbers (SPEC §6, §9): accessible SVG, no script,
no inline style, every text escaped, amounts in the reader's format."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.utils import translation

from saleshelm.performance import charts
from saleshelm.performance.charts import FunnelStage, TrendPoint

D = Decimal


def _points(n: int = 12) -> list[TrendPoint]:
    return [
        TrendPoint(
            label=f"M{i}",
            long_label=f"Month {i}",
            actual=None if i == n - 1 else D(1000 * (i + 1)),
            target=D(900 * (i + 1)),
            current=i == n - 2,
        )
        for i in range(n)
    ]


def _assert_clean_svg(svg: str) -> None:
    assert svg.startswith("<svg ") and svg.endswith("</svg>")
    assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
    assert (
        "style=" not in svg
        and "<script" not in svg.lower()
        and "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    )


# --- numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "value", "currency", "expected"),
    [
        ("en", D("1234567"), "VND", "1,234,567\u00a0₫"),
        ("vi", D("1234567"), "VND", "1.234.567\u00a0₫"),
        ("en", D("1234567.891"), "USD", "$1,234,567.89"),
        ("vi", D("1234567.891"), "USD", "1.234.567,89\u00a0US$"),
        ("en", D("-54999.445"), "USD", "-$54,999.45"),
        ("en", D("0.0001"), "USD", "$0.00"),
        ("en", D("12.5"), "EUR", "€12.50"),
        ("en", D("12.5"), "CHF", "12.50\u00a0CHF"),
        ("en", None, "USD", "—"),
    ],
)
def test_money_in_the_readers_language(language, value, currency, expected):
    with translation.override(language):
        assert charts.money(value, currency) == expected


def test_percentages_counts_and_coverage():
    with translation.override("en"):
        assert charts.percent(D("0.8512")) == "85.1%"
        assert charts.percent(D("1.6819")) == "168.2%"
        assert charts.percent(None) == "—"
        assert charts.number(D("1234.5"), 1) == "1,234.5"
        assert charts.times(D("2.456"), 1) == "2.5×"
    with translation.override("vi"):
        assert charts.percent(D("0.8512")) == "85,1%"
        assert charts.number(D("1234.5"), 1) == "1.234,5"


def test_compact_and_headline_amounts():
    with translation.override("en"):
        assert charts.compact(D("350000")) == "350K"
        assert charts.compact(D("1250000"), "USD") == "$1.3M"
        assert charts.compact(D("1345700"), "USD", digits=3) == "$1.35M"
        assert charts.compact(D("999")) == "999"
        assert charts.hero(D("90380.34"), "USD") == "$90,380"
        assert charts.hero(D("1175766.32"), "USD", room=7) == "$1.18M"
    with translation.override("vi"):
        assert charts.compact(D("2500000000"), "VND") == "2,5\u00a0tỷ\u00a0₫"
        assert charts.compact(D("350000"), "VND") == "350\u00a0N\u00a0₫"


def test_metric_values_follow_the_unit():
    from saleshelm.performance.metrics import get_metric

    with translation.override("en"):
        assert charts.metric_value(D("1000"), get_metric("revenue"), "USD") == "$1,000.00"
        assert charts.metric_value(D("0.25"), get_metric("win_rate"), "USD") == "25.0%"
        assert charts.metric_value(D("12"), get_metric("won_deals"), "USD") == "12"
        assert charts.metric_value(D("2.5"), get_metric("pipeline_coverage"), "USD") == "2.50×"
        assert charts.metric_value(D("41.25"), get_metric("sales_cycle_days"), "USD") == "41.3"


# --- charts -----------------------------------------------------------------------------------


def test_trend_chart_is_accessible_svg_with_labels_and_a_target_line():
    with translation.override("en"):
        svg = str(charts.trend_chart(_points(), title="Revenue", desc="12 months", currency="USD"))
    _assert_clean_svg(svg)
    # one bar per month with an actual, each naming its figures in a tooltip
    assert svg.count('<g class="bar">') == 11
    assert "<title>Month 0: $1,000.00 against a target of $900.00</title>" in svg
    # the month labels, the current one in bold
    assert re.search(r'font-weight="700"[^>]*>M10</text>', svg)
    # the target is a dashed line with a ring per month, and the legend names both
    assert "stroke-dasharray" in svg and svg.count("<circle") == 12 + 1
    assert ">Actual</text>" in svg and ">Target</text>" in svg


def test_trend_chart_breaks_the_target_line_where_a_month_has_none():
    points = _points(6)
    points[2] = TrendPoint("M2", "Month 2", D(10), None)
    svg = str(charts.trend_chart(points, title="t", desc="d"))
    assert svg.count("<polyline") == 2


def test_pacing_bar_says_ahead_or_behind_in_words():
    with translation.override("en"):
        behind = str(
            charts.pacing_bar(
                actual=D(25), target=D(100), expected=D(50), title="Pacing", currency="USD"
            )
        )
        ahead = str(
            charts.pacing_bar(
                actual=D(60), target=D(100), expected=D(50), title="Pacing", currency="USD"
            )
        )
    assert "behind pace" in behind and "ahead of pace" in ahead
    assert "Expected by today" in behind and "Target" in behind
    # drawn wide and narrow, the stylesheet shows one
    assert 'class="chart chart-pacing chart-wide"' in behind
    assert 'class="chart chart-pacing chart-narrow"' in behind
    for svg in re.findall(r"<svg .*?</svg>", behind, flags=re.S):
        _assert_clean_svg(svg)
    # nothing to draw without a target
    assert str(charts.pacing_bar(actual=D(1), target=None, expected=None, title="x")) == ""


def test_funnel_writes_each_stage_its_deals_and_amount():
    stages = [
        FunnelStage("Qualification", 10, D(220000), D(22000)),
        FunnelStage("Proposal", 1, D(69600), D(34800)),
    ]
    with translation.override("en"):
        svg = str(charts.funnel_chart(stages, title="Funnel", desc="d", currency="USD"))
    _assert_clean_svg(svg)
    assert "Qualification" in svg and "10 deals" in svg and "1 deal<" in svg
    assert "$220K" in svg and "weighted $34,800.00" in svg


def test_progress_bar_fills_to_the_fraction_and_marks_the_expected_share():
    bar = str(charts.progress_bar(D("0.5"), marker=D("0.75"), label="An: 50%"))
    assert 'aria-label="An: 50%"' in bar
    assert 'width="50.0" height="10"' in bar
    assert '<rect x="74.4" y="0" width="1.2"' in bar  # the tick at 75 %
    assert 'width="100.0"' in str(charts.progress_bar(D("1.7")))  # full beyond 100 %
    assert charts.band(D("1.0")) == "good" and charts.band(D("0.85")) == "fair"
    assert charts.pace_band(D("0.85")) == "low" and charts.band(None) == "none"


def test_text_from_people_is_escaped_everywhere():
    evil = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    svgs = [
        str(charts.trend_chart([TrendPoint(evil, evil, D(1), D(2), True)], title=evil, desc=evil)),
        str(charts.funnel_chart([FunnelStage(evil, 1, D(1), D(1))], title=evil, desc=evil)),
        str(charts.pacing_bar(actual=D(1), target=D(2), expected=D(1), title=evil)),
        str(charts.progress_bar(D("0.5"), label=evil)),
    ]
    for svg in svgs:
        assert "<script>" not in svg and "<img" not in svg
        assert "&lt;script&gt;" in svg


def test_nice_axis_tops():
    assert charts.nice_max(D("87300")) == (D("100000"), D("20000"))
    top, step = charts.nice_max(D("452000"))
    assert top >= D("452000") and top / step <= 5
    assert charts.nice_max(D(0)) == (D(1), D("0.25"))
