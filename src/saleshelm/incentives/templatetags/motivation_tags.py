"""Presentation helpers of the motivation pages (kudos, badges, contests, commitments, pulse)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import cast

from django import template
from django.utils import formats

from saleshelm.core import numbers
from saleshelm.incentives.selectors.recognition import notice_text as _notice_text

register = template.Library()


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def notice_text(notice) -> str:
    return _notice_text(notice)


@register.filter
def rate(value, places: int = 0) -> str:
    """A fraction as a percentage in the reader's locale: ``0.6667`` -> ``67%``."""
    number = _decimal(value)
    if number is None:
        return "—"
    shown = (number * 100).quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)
    return f"{formats.number_format(shown, decimal_pos=int(places), use_l10n=True)}%"


@register.filter
def width(value) -> int:
    """A fraction 0..1 as a whole number 0..100, in steps of 5 (for the bar classes)."""
    number = _decimal(value)
    if number is None:
        return 0
    whole = int((max(Decimal(0), min(Decimal(1), number)) * 20).to_integral_value(ROUND_HALF_UP))
    return whole * 5


@register.filter
def score_width(value) -> int:
    """An average score 1..5 as a bar width 0..100 in steps of 5."""
    number = _decimal(value)
    if number is None:
        return 0
    return width(number / 5)


@register.filter
def share_width(count, total) -> int:
    """``count`` out of ``total`` as a bar width 0..100 in steps of 5."""
    c, t = _decimal(count), _decimal(total)
    if not c or not t:
        return 0
    return width(c / t)


@register.filter
def figure(value, unit: str = "count") -> str:
    """A metric's figure as its unit reads: ratios as percentages, money with two places,
    days with one, counts whole."""
    number = _decimal(value)
    if number is None:
        return "—"
    if unit == "ratio":
        return rate(number, 1)
    places = {"money": 2, "days": 1}.get(unit, 0 if number == number.to_integral() else 2)
    return formats.number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


@register.filter
def money(value, currency: str = "") -> str:
    """``1234.5`` + ``USD`` -> ``$1,234.50`` (vi ``1.234,50 US$``); "" for no amount."""
    if _decimal(value) is None:
        return ""
    return numbers.money(value, currency)


@register.filter
def get(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def normalize_decimal(value) -> str:
    """A threshold as people write it: ``10000.0000`` -> ``10,000``, ``0.5000`` -> ``0.5``."""
    number = _decimal(value)
    if number is None:
        return "—"
    normal = number.normalize()
    places = max(0, -cast(int, normal.as_tuple().exponent)) if normal != normal.to_integral() else 0
    return formats.number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


@register.filter
def metric_label(key: str) -> str:
    from saleshelm.core.errors import ApplicationError
    from saleshelm.performance.metrics import get_metric

    try:
        return str(get_metric(key).label)
    except ApplicationError:
        return key or ""


@register.filter
def ago(moment) -> str:
    """ "just now" for the last minute, else "3 hours ago" (in the reader's language)."""
    from django.utils import timezone
    from django.utils.timesince import timesince
    from django.utils.translation import gettext as _

    if moment is None:
        return ""
    if (timezone.now() - moment).total_seconds() < 60:
        return _("just now")
    return _("%(when)s ago") % {"when": timesince(moment, depth=1)}


@register.filter
def line_kind_label(kind: str) -> str:
    """A payout line's kind as the reader says it (``tier`` -> "Tier", translated)."""
    from saleshelm.incentives.models import LineKind

    try:
        return str(LineKind(kind).label)
    except ValueError:
        return kind
