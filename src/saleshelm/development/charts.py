"""Server-rendered SVG charts: no script, no external resource (SPEC §9).

The gap chart puts, on one line per competency, the level the role expects (a tick), the
self-assessment (a ring) and the manager's assessment (a dot), with the gap between the two
views drawn as a bar. Every text is escaped; colours are presentation attributes, so the
chart reads the same with or without the stylesheet. A table with the same figures sits
next to it on the page for screen readers and for copying.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

SELF = "#1c58c9"
MANAGER = "#0f766e"
EXPECTED = "#536075"
GAP_UP = "#0f766e"
GAP_DOWN = "#b4572a"
GRID = "#dde2ea"
TEXT = "#162033"
MUTED = "#536075"

LABEL_W = 250
STEP = 96
LEFT = LABEL_W + 24
ROW_H = 38
TOP = 46
MAX_LABEL = 34


def _x(level: float) -> float:
    return LEFT + (level - 1) * STEP


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1].rstrip() + "…"


def gap_chart(rows: Sequence, *, title: str, chart_id: str = "gap-chart") -> SafeString:
    """``rows`` have ``name``, ``expected``, ``self_level``, ``manager_level``."""
    if not rows:
        return mark_safe("")
    width = LEFT + 4 * STEP + 40
    height = TOP + ROW_H * len(rows) + 44
    parts: list[str] = []
    # Level scale: grid lines and numbers.
    for level in range(1, 6):
        x = _x(level)
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>'
                '<text x="{}" y="{}" text-anchor="middle" font-size="12" fill="{}">{}</text>',
                x,
                TOP - 14,
                x,
                TOP + ROW_H * len(rows) - 6,
                GRID,
                x,
                TOP - 22,
                MUTED,
                level,
            )
        )
    for i, row in enumerate(rows):
        cy = TOP + i * ROW_H + ROW_H / 2 - 4
        name = str(row.name)
        parts.append(
            format_html(
                '<g class="gap-row"><title>{}</title>'
                '<text x="{}" y="{}" font-size="14" fill="{}" text-anchor="end">{}</text>'
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="6" '
                'stroke-linecap="round"/>',
                _row_title(row),
                LABEL_W,
                cy + 4,
                TEXT,
                _short(name),
                _x(1),
                cy,
                _x(5),
                cy,
                "#eef1f5",
            )
        )
        s, m, e = row.self_level, row.manager_level, row.expected
        if s is not None and m is not None and s != m:
            colour = GAP_UP if m > s else GAP_DOWN
            parts.append(
                format_html(
                    '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="6" '
                    'stroke-opacity="0.45" stroke-linecap="round"/>',
                    _x(s),
                    cy,
                    _x(m),
                    cy,
                    colour,
                )
            )
        if e is not None:
            parts.append(
                format_html(
                    '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2.5" '
                    'stroke-dasharray="3 2"/>',
                    _x(e),
                    cy - 12,
                    _x(e),
                    cy + 12,
                    EXPECTED,
                )
            )
        if s is not None:
            parts.append(
                format_html(
                    '<circle cx="{}" cy="{}" r="7" fill="#ffffff" stroke="{}" stroke-width="3"/>',
                    _x(s),
                    cy,
                    SELF,
                )
            )
        if m is not None:
            parts.append(
                format_html(
                    '<circle cx="{}" cy="{}" r="6" fill="{}" stroke="#ffffff" stroke-width="1.5"/>',
                    _x(m),
                    cy,
                    MANAGER,
                )
            )
        parts.append(mark_safe("</g>"))
    legend_y = TOP + ROW_H * len(rows) + 20
    legend = format_html(
        '<g font-size="12" fill="{}">'
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2.5" stroke-dasharray="3 2"/>'
        '<text x="{}" y="{}">{}</text>'
        '<circle cx="{}" cy="{}" r="6" fill="#ffffff" stroke="{}" stroke-width="3"/>'
        '<text x="{}" y="{}">{}</text>'
        '<circle cx="{}" cy="{}" r="6" fill="{}"/>'
        '<text x="{}" y="{}">{}</text>'
        "</g>",
        TEXT,
        LEFT - 6,
        legend_y - 9,
        LEFT - 6,
        legend_y + 5,
        EXPECTED,
        LEFT + 4,
        legend_y + 1,
        _("Expected for the role"),
        LEFT + 170,
        legend_y - 2,
        SELF,
        LEFT + 182,
        legend_y + 2,
        _("Self-assessment"),
        LEFT + 320,
        legend_y - 2,
        MANAGER,
        LEFT + 332,
        legend_y + 2,
        _("Manager"),
    )
    return format_html(
        '<svg class="gap-chart" id="{}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'width="100%" role="img" aria-labelledby="{}-title" font-family="system-ui, sans-serif">'
        '<title id="{}-title">{}</title>{}{}</svg>',
        chart_id,
        width,
        height,
        chart_id,
        chart_id,
        title,
        format_html_join("", "{}", ((p,) for p in parts)),
        legend,
    )


def _row_title(row) -> str:
    def show(v) -> str:
        return "—" if v is None else str(v)

    return _("%(name)s: expected %(expected)s, self %(self)s, manager %(manager)s") % {
        "name": row.name,
        "expected": show(row.expected),
        "self": show(row.self_level),
        "manager": show(row.manager_level),
    }


def progress_bar(percent: int, *, label: str) -> SafeString:
    """A small horizontal progress bar (goal progress) as inline SVG."""
    pct = max(0, min(100, int(percent)))
    return format_html(
        '<svg class="progress" viewBox="0 0 100 8" preserveAspectRatio="none" role="img" '
        'aria-label="{}"><rect x="0" y="0" width="100" height="8" rx="4" fill="#eef1f5"/>'
        '<rect x="0" y="0" width="{}" height="8" rx="4" fill="{}"/></svg>',
        label,
        pct,
        MANAGER if pct >= 100 else SELF,
    )
