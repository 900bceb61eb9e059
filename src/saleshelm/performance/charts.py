"""Server-rendered SVG charts (SPEC §6, §9); numbers and money come from ``core.numbers``.

Charts are plain inline SVG: no script, no chart library, no network. They work with
JavaScript off and under the CSP (``style-src 'self'``, no inline style): colours and sizes
are SVG presentation attributes (``fill="…"``, ``width="…"``), never ``style="…"``. Each chart
has a ``<title>`` and a ``<desc>`` (``role="img"``), carries its figures as text labels, and
tells things apart by shape and words as well as by colour (bars for actuals, a dashed line
with dots for targets, "ahead"/"behind" written out). Every text is escaped.

SVG geometry (bar heights, x/y positions) is computed in ``Decimal`` too and written with
one decimal place (``{:.1f}``): no float anywhere, not even for a drawing position (SPEC
§11.3, enforced by tests/reliability/test_no_float.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from saleshelm.core.numbers import (  # noqa: F401 - the pages import them from here too
    DASH,
    NBSP,
    SUFFIX_SYMBOLS,
    SYMBOLS,
    VI_SYMBOLS,
    _decimal,
    _language,
    _vi,
    compact,
    currency_symbol,
    formatting,
    hero,
    money,
    number,
    percent,
    pinned_language,
    times,
)

# Colours (WCAG AA on white for text; the same palette as web/app.css).
PRIMARY = "#1c58c9"
PRIMARY_SOFT = "#bcd0f5"
SUCCESS = "#146c43"
WARNING = "#b25e00"
DANGER = "#b42318"
TARGET = "#162033"
GRID = "#e3e7ee"
AXIS = "#c5ccd8"
TEXT = "#162033"
MUTED = "#536075"
TRACK = "#eef1f5"


def metric_value(value, metric, currency: str = "") -> str:
    """A metric's figure in its unit: money, count, ratio (a percentage) or days."""
    if metric.unit == "money":
        return money(value, currency)
    if metric.unit == "ratio":
        if metric.key in ("pipeline_coverage", "activities_per_deal"):
            return times(value, 2 if metric.key == "pipeline_coverage" else 1)
        return percent(value)
    if metric.unit == "days":
        return number(value, 1)
    return number(value, metric.places)


# --- scale helpers ----------------------------------------------------------------------------


def nice_max(value: Decimal) -> tuple[Decimal, Decimal]:
    """A round top for an axis and its step (4 or 5 steps): 87,300 -> (100,000, 20,000)."""
    if value <= 0:
        return Decimal(1), Decimal("0.25")
    exponent = value.adjusted()
    base = Decimal(10) ** exponent
    for factor in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        step = base * factor / 5
        top = (value / step).to_integral_value(rounding="ROUND_CEILING") * step
        if top / step <= 5:
            return top, step
    return base * 10, base * 2


def _d(value) -> Decimal:
    """A drawing position or length as a ``Decimal`` (written with ``{:.1f}``)."""
    return value if isinstance(value, Decimal) else Decimal(value)


def _svg(template: str, *args) -> SafeString:
    """``format_html`` for drawings: numbers keep their format spec (``{:.1f}``), every other
    argument is escaped (text from users and translations included)."""
    safe = [a if isinstance(a, int | Decimal) else conditional_escape(a) for a in args]
    return SafeString(template.format(*safe))


def _join(parts: list[str]) -> SafeString:
    """The chart's fragments as one string: each is ``_svg`` output (escaped) or one of
    the literal closing tags written here, so the whole is safe."""
    return SafeString("".join(parts))


def _svg_open(chart_id: str, width: int, height: int, title: str, desc: str, css: str) -> str:
    return _svg(
        '<svg class="chart {}" viewBox="0 0 {} {}" width="100%" role="img" '
        'aria-labelledby="{}-title {}-desc" focusable="false" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
        css,
        width,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        desc,
    )


# --- trend ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    label: str  # "Jul"
    long_label: str  # "July 2026"
    actual: Decimal | None
    target: Decimal | None
    current: bool = False


def trend_chart(
    points: Sequence[TrendPoint],
    *,
    title: str,
    desc: str,
    currency: str = "",
    chart_id: str = "trend",
    width: int = 640,
) -> SafeString:
    """Bars for the monthly actual, a dashed line with dots for the monthly target; the
    current month's bar is darker and its label bold; each bar carries its figure and names
    its figures in a tooltip. ``width``: the drawing's width in user units; pick one close
    to the width it is shown at so that the text stays at its size."""
    if not points:
        return mark_safe("")
    height = 270
    left, right, top, bottom = 50, 12, 34, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [p.actual for p in points if p.actual is not None]
    values += [p.target for p in points if p.target is not None]
    peak = max([v for v in values if v is not None] or [Decimal(0)])
    top_value, step = nice_max(Decimal(peak))

    def y(v: Decimal) -> Decimal:
        return top + plot_h - max(v, Decimal(0)) / top_value * plot_h

    parts: list[str] = [_svg_open(chart_id, width, height, title, desc, "chart-trend")]
    tick = Decimal(0)
    while tick <= top_value:
        parts.append(
            _svg(
                '<line x1="{}" y1="{:.1f}" x2="{}" y2="{:.1f}" stroke="{}" stroke-width="1"/>'
                '<text x="{}" y="{:.1f}" text-anchor="end" font-size="12" fill="{}">{}</text>',
                left,
                y(tick),
                width - right,
                y(tick),
                AXIS if tick == 0 else GRID,
                left - 8,
                y(tick) + 4,
                MUTED,
                compact(tick),
            )
        )
        tick += step
    slot = _d(plot_w) / len(points)
    bar_w = min(slot * Decimal("0.62"), Decimal(46))
    centres = [left + slot * i + slot / 2 for i in range(len(points))]
    show_values = slot >= 34  # room for "123K" above each bar
    for p, cx in zip(points, centres, strict=True):
        bold = mark_safe(' font-weight="700"') if p.current else ""
        if p.actual is not None:
            top_y = y(p.actual)
            h = top + plot_h - top_y
            fill = PRIMARY if p.current else PRIMARY_SOFT
            if p.target is not None:
                verdict = _("{actual} against a target of {target}").format(
                    actual=money(p.actual, currency), target=money(p.target, currency)
                )
            else:
                verdict = money(p.actual, currency)
            label = ""
            if show_values or p.current:
                # Above the bar, or above the target's ring when that sits just over it.
                label_y = top_y - 5
                if p.target is not None and -4 <= top_y - y(p.target) <= 16:
                    label_y = y(p.target) - 8
                label = _svg(
                    '<text x="{:.1f}" y="{:.1f}" text-anchor="middle" font-size="11" '
                    'fill="{}"{}>{}</text>',
                    cx,
                    label_y,
                    TEXT,
                    bold,
                    compact(p.actual),
                )
            parts.append(
                _svg(
                    '<g class="bar"><title>{}: {}</title>'
                    '<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" rx="3" '
                    'fill="{}"/>{}</g>',
                    p.long_label,
                    verdict,
                    cx - bar_w / 2,
                    top_y,
                    bar_w,
                    h,
                    fill,
                    label,
                )
            )
        parts.append(
            _svg(
                '<text x="{:.1f}" y="{}" text-anchor="middle" font-size="12" fill="{}"{}>{}</text>',
                cx,
                height - 10,
                TEXT if p.current else MUTED,
                bold,
                p.label,
            )
        )
    # Target: a dashed line through the months that have one, a ring on each.
    segments: list[list[str]] = [[]]
    for p, cx in zip(points, centres, strict=True):
        if p.target is None:
            if segments[-1]:
                segments.append([])
            continue
        segments[-1].append(f"{cx:.1f},{y(p.target):.1f}")
    for seg in segments:
        if len(seg) > 1:
            parts.append(
                _svg(
                    '<polyline points="{}" fill="none" stroke="{}" stroke-width="1.6" '
                    'stroke-dasharray="5 4"/>',
                    " ".join(seg),
                    TARGET,
                )
            )
    for p, cx in zip(points, centres, strict=True):
        if p.target is not None:
            parts.append(
                _svg(
                    '<circle cx="{:.1f}" cy="{:.1f}" r="3.5" fill="#ffffff" stroke="{}" '
                    'stroke-width="1.8"><title>{}: {} {}</title></circle>',
                    cx,
                    y(p.target),
                    TARGET,
                    p.long_label,
                    _("target"),
                    money(p.target, currency),
                )
            )
    # Legend: shapes and words, not colour alone.
    parts.append(
        _svg(
            '<g class="legend" font-size="12" fill="{}">'
            '<rect x="{}" y="7" width="14" height="12" rx="2" fill="{}"/>'
            '<text x="{}" y="17">{}</text>'
            '<line x1="{}" y1="13" x2="{}" y2="13" stroke="{}" stroke-width="1.6" '
            'stroke-dasharray="5 4"/>'
            '<circle cx="{}" cy="13" r="3.5" fill="#ffffff" stroke="{}" stroke-width="1.8"/>'
            '<text x="{}" y="17">{}</text></g>',
            TEXT,
            left,
            PRIMARY_SOFT,
            left + 20,
            _("Actual"),
            left + 100,
            left + 130,
            TARGET,
            left + 115,
            TARGET,
            left + 138,
            _("Target"),
        )
    )
    parts.append("</svg>")
    return _join(parts)


# --- pacing -----------------------------------------------------------------------------------


def pacing_bar(
    *,
    actual: Decimal | None,
    target: Decimal | None,
    expected: Decimal | None,
    title: str,
    currency: str = "",
    chart_id: str = "pacing",
) -> SafeString:
    """Where the actual stands on the way to the target, with a tick at today's expected
    amount; ahead or behind is written, not only coloured. Drawn twice, wide and narrow:
    the stylesheet shows the one that fits the screen, so the text keeps its size."""
    if target is None or target <= 0 or actual is None:
        return mark_safe("")
    figures: dict[str, Any] = {
        "actual": actual,
        "target": target,
        "expected": expected,
        "title": title,
        "currency": currency,
    }
    return _join(
        [
            _pacing_svg(**figures, chart_id=chart_id, width=900, css="chart-pacing chart-wide"),
            _pacing_svg(
                **figures, chart_id=f"{chart_id}-narrow", width=360, css="chart-pacing chart-narrow"
            ),
        ]
    )


def _pacing_svg(
    *,
    actual: Decimal,
    target: Decimal,
    expected: Decimal | None,
    title: str,
    currency: str,
    chart_id: str,
    width: int,
    css: str,
) -> SafeString:
    height = 88
    left, right, bar_y, bar_h = 2, 2, 30, 20
    span = max(target, actual, Decimal(1))
    scale = (width - left - right) / span
    ahead = expected is None or actual >= expected
    colour = SUCCESS if ahead else WARNING
    verdict = _("ahead of pace") if ahead else _("behind pace")
    desc = _("{actual} of {target}; {expected} expected by today: {verdict}.").format(
        actual=money(actual, currency),
        target=money(target, currency),
        expected=money(expected, currency),
        verdict=verdict,
    )
    parts = [
        _svg_open(chart_id, width, height, title, desc, css),
        _svg(
            '<rect x="{}" y="{}" width="{:.1f}" height="{}" rx="5" fill="{}"/>',
            left,
            bar_y,
            target * scale,
            bar_h,
            TRACK,
        ),
        _svg(
            '<rect x="{}" y="{}" width="{:.1f}" height="{}" rx="5" fill="{}"/>',
            left,
            bar_y,
            max(actual, Decimal(0)) * scale,
            bar_h,
            colour,
        ),
    ]
    tx = left + target * scale
    parts.append(
        _svg(
            '<line x1="{:.1f}" y1="{}" x2="{:.1f}" y2="{}" stroke="{}" stroke-width="2"/>'
            '<text x="{:.1f}" y="{}" text-anchor="end" font-size="13" fill="{}">{} {}</text>',
            tx - 1,
            bar_y - 5,
            tx - 1,
            bar_y + bar_h + 5,
            TARGET,
            tx,
            bar_y - 10,
            MUTED,
            _("Target"),
            compact(target, currency),
        )
    )
    if expected is not None and expected > 0:
        ex = left + min(expected, span) * scale
        anchor = "middle"
        if ex < width * Decimal("0.18"):
            anchor = "start"
        elif ex > width * Decimal("0.82"):
            anchor = "end"
        parts.append(
            _svg(
                '<line x1="{:.1f}" y1="{}" x2="{:.1f}" y2="{}" stroke="{}" stroke-width="2" '
                'stroke-dasharray="3 2"/>'
                '<path d="M{:.1f} {} l-5 8 h10 z" fill="{}"/>'
                '<text x="{:.1f}" y="{}" text-anchor="{}" font-size="13" fill="{}">{} {}</text>',
                ex,
                bar_y - 4,
                ex,
                bar_y + bar_h + 2,
                TEXT,
                ex,
                bar_y + bar_h + 3,
                TEXT,
                ex,
                bar_y + bar_h + 26,
                anchor,
                TEXT,
                _("Expected by today"),
                compact(expected, currency),
            )
        )
    parts.append(
        _svg(
            '<text x="{}" y="{}" font-size="14" fill="{}"><tspan font-weight="700">{}</tspan> '
            "{} · {}</text>",
            left,
            bar_y - 10,
            colour,
            percent(actual / target if target else None, 0),
            _("of target"),
            verdict,
        )
    )
    parts.append("</svg>")
    return _join(parts)


# --- funnel -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelStage:
    name: str
    count: int
    amount: Decimal
    weighted: Decimal
    probability: Decimal | None = None


FUNNEL_SHADES = ("#1c58c9", "#2a63cf", "#3a70d5", "#4a7ddb", "#5a8adf", "#6a97e4", "#7aa4e9")


def funnel_chart(
    stages: Sequence[FunnelStage],
    *,
    title: str,
    desc: str,
    currency: str = "",
    chart_id: str = "funnel",
    width: int = 420,
) -> SafeString:
    """One line per stage in pipeline order: the stage, its deals and amount written above a
    centred bar as wide as the amount (the funnel's shape)."""
    if not stages:
        return mark_safe("")
    row_h, bar_h, gap = 24, 18, 12
    height = len(stages) * (row_h + bar_h + gap) - gap + 4
    peak = max((_d(s.amount) for s in stages), default=Decimal(0)) or Decimal(1)
    parts = [_svg_open(chart_id, width, height, title, desc, "chart-funnel")]
    for i, s in enumerate(stages):
        y = i * (row_h + bar_h + gap)
        w = max(_d(s.amount) / peak * width, Decimal(4 if s.count else 0))
        deals = _("{n} deals").format(n=number(s.count)) if s.count != 1 else _("1 deal")
        name = s.name if len(s.name) <= 28 else s.name[:27] + "…"
        parts.append(
            _svg(
                '<g class="stage"><title>{}: {}, {} ({} {})</title>'
                '<text x="0" y="{}" font-size="13" fill="{}"><tspan font-weight="650">{}</tspan>'
                '<tspan fill="{}"> · {}</tspan></text>'
                '<text x="{}" y="{}" font-size="13" font-weight="650" text-anchor="end" '
                'fill="{}">{}</text>'
                '<rect x="{:.1f}" y="{}" width="{:.1f}" height="{}" rx="4" fill="{}"/></g>',
                s.name,
                deals,
                money(s.amount, currency),
                _("weighted"),
                money(s.weighted, currency),
                y + 15,
                TEXT,
                name,
                MUTED,
                deals,
                width,
                y + 15,
                TEXT,
                compact(s.amount, currency),
                (width - w) / 2,
                y + row_h - 2,
                w,
                bar_h,
                FUNNEL_SHADES[min(i, len(FUNNEL_SHADES) - 1)],
            )
        )
    parts.append("</svg>")
    return _join(parts)


# --- progress bars (leaderboards, tables) -----------------------------------------------------


def band(fraction, fair: Decimal = Decimal("0.8")) -> str:
    """The band of an attainment or a pacing: ``good`` (100 % or more), ``fair`` (from
    ``fair``), ``low``; ``none`` without a figure. Pages write the figure beside it."""
    d = _decimal(fraction)
    if d is None:
        return "none"
    if d >= 1:
        return "good"
    if d >= fair:
        return "fair"
    return "low"


PACE_FAIR = Decimal("0.9")


def pace_band(pacing) -> str:
    return band(pacing, PACE_FAIR)


BAND_FILL = {"good": SUCCESS, "fair": PRIMARY, "low": WARNING, "none": AXIS}


def progress_bar(fraction, *, label: str = "", marker=None, tone: str | None = None) -> SafeString:
    """A small bar (0 to 100 %, a full bar beyond) for a table cell; the percentage is
    written next to it by the caller. ``marker``: a tick (the expected-to-date share), so
    ahead or behind shows by position too; ``tone``: the band that colours it (default: the
    fraction's own band)."""
    d = _decimal(fraction)
    filled = Decimal(0) if d is None else max(min(d, Decimal(1)), Decimal(0)) * 100
    tick = ""
    m = _decimal(marker)
    if m is not None and m > 0:
        mx = max(min(m, Decimal(1)), Decimal(0)) * 100
        tick = _svg(
            '<rect x="{:.1f}" y="0" width="1.2" height="10" fill="{}"/>',
            max(mx - Decimal("0.6"), Decimal(0)),
            TARGET,
        )
    return _svg(
        '<svg class="progress" viewBox="0 0 100 10" preserveAspectRatio="none" width="100%" '
        'height="10" role="img" aria-label="{}" focusable="false" xmlns="http://www.w3.org/2000/svg">'
        '<rect x="0" y="0" width="100" height="10" rx="3" fill="{}"/>'
        '<rect x="0" y="0" width="{:.1f}" height="10" rx="3" fill="{}"/>{}</svg>',
        label or percent(d),
        TRACK,
        filled,
        BAND_FILL[tone or band(d)],
        tick,
    )
