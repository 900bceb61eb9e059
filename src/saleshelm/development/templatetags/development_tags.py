"""Presentation helpers of the development pages."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.utils import formats

register = template.Library()


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def grouped(number: Decimal, places: int = 0) -> str:
    """A number in the reader's locale, thousands always grouped (some locales, Vietnamese
    among them, do not group by default: 1.745.080.155 reads better than 1745080155)."""
    quantum = Decimal(1).scaleb(-places)
    value = Decimal(number).quantize(quantum)
    sign = "-" if value < 0 else ""
    whole, _, fraction = f"{abs(value):f}".partition(".")
    sep = formats.get_format("THOUSAND_SEPARATOR") or ","
    parts: list[str] = []
    while len(whole) > 3:
        parts.insert(0, whole[-3:])
        whole = whole[:-3]
    parts.insert(0, whole)
    text = sign + sep.join(parts)
    if places:
        text += (formats.get_format("DECIMAL_SEPARATOR") or ".") + fraction
    return text


@register.filter
def percent(value, places: int = 0) -> str:
    """A fraction as a percentage in the reader's locale: "0.2500" -> "25%"."""
    number = _decimal(value)
    if number is None:
        return "—"
    return f"{grouped(number * 100, int(places))}%"


@register.filter
def number(value, places: int = 1) -> str:
    n = _decimal(value)
    if n is None:
        return "—"
    return grouped(n, int(places))


@register.filter
def isodate(value, fmt: str = "SHORT_DATE_FORMAT") -> str:
    """A date kept as ISO text (in a signal's figures) shown in the reader's format."""
    import datetime as dt

    try:
        day = dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return str(value or "")
    return formats.date_format(day, fmt)


@register.filter
def signed(value) -> str:
    if value is None:
        return "—"
    return f"+{value}" if value > 0 else str(value)


@register.filter
def gap_tone(value) -> str:
    if value is None or value == 0:
        return ""
    return "up" if value > 0 else "down"


@register.filter
def rule_tone(rule: str) -> str:
    return {
        "behind_pace": "danger",
        "low_coverage": "warning",
        "activity_drop": "warning",
        "stalled_deal": "warning",
        "no_next_step": "info",
        "commitment_overdue": "danger",
    }.get(rule, "info")


@register.filter
def get(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None
