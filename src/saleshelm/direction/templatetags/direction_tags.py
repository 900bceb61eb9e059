"""Progress bars, shares and money on the direction pages, in the user's locale.

Bars need no inline style (the CSP allows our stylesheet only): widths and the
expected-to-date marker are classes ``w-0`` … ``w-100`` and ``at-0`` … ``at-100``."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.html import format_html

from saleshelm.core import numbers


def number_format(value, decimal_pos=None, use_l10n=True, force_grouping=False) -> str:
    """The locale's decimal mark and thousands separator, grouped by three even where the
    locale sets no grouping (Vietnamese: 1.234.567,89)."""
    return numberformat.format(
        value,
        get_format("DECIMAL_SEPARATOR", use_l10n=use_l10n),
        decimal_pos,
        grouping=3,
        thousand_sep=get_format("THOUSAND_SEPARATOR", use_l10n=use_l10n),
        force_grouping=True,
        use_l10n=use_l10n,
    )


register = template.Library()


def _fraction(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None


@register.filter
def pct(value) -> str:
    """A fraction 0..1 as a whole percentage: ``0.4567`` -> ``46%``."""
    number = _fraction(value)
    if number is None:
        return "—"
    return f"{number_format((number * 100).quantize(Decimal(1)), 0, use_l10n=True)}%"


@register.filter
def whole(value) -> int:
    """A fraction 0..1 as an integer 0..100 for the bar classes."""
    number = _fraction(value)
    if number is None:
        return 0
    return max(0, min(100, int((number * 100).quantize(Decimal(1)))))


@register.filter
def money(value, currency: str = "") -> str:
    """``1234.5`` + ``USD`` -> ``$1,234.50`` (vi ``1.234,50 US$``; ``1.234.567 ₫``)."""
    if _fraction(value) is None:
        return "—"
    return numbers.money(value, currency)


@register.filter
def figure(value) -> str:
    """A key result value without trailing zeros: ``12.5000`` -> ``12.5``."""
    number = _fraction(value)
    if number is None:
        return "—"
    normal = number.normalize()
    if normal == normal.to_integral():
        normal = normal.quantize(Decimal(1))
    exponent = normal.as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return number_format(normal, places, use_l10n=True, force_grouping=True)


def compact(number: Decimal) -> str:
    """Short figures for key results: 5,910,964.92 -> 5.91M; 48,250 -> 48.3K; 250,000 -> 250K."""
    steps = (
        (Decimal(10) ** 9, Decimal(10) ** 9, "B", Decimal("0.01")),
        (Decimal(10) ** 6, Decimal(10) ** 6, "M", Decimal("0.01")),
        (Decimal(10) ** 4, Decimal(10) ** 3, "K", Decimal("0.1")),
    )
    for limit, divisor, suffix, places in steps:
        if abs(number) >= limit:
            short = (number / divisor).quantize(places, rounding=ROUND_HALF_UP).normalize()
            if short == short.to_integral():
                short = short.quantize(Decimal(1))  # 250K, not 250.0K (nor 2.5E+2K)
            return f"{number_format(short, use_l10n=True)}{suffix}"
    return figure(number.quantize(Decimal("0.01")))


@register.filter
def short(value) -> str:
    """Compact figures for dense tables: 3,714,874.18 -> 3.71M."""
    number = _fraction(value)
    return "—" if number is None else compact(number)


@register.filter
def kr_value(value, view) -> str:
    """A key result's value in its metric's unit: money and counts compact, ratios as %."""
    number = _fraction(value)
    if number is None:
        return "—"
    unit = view.get("unit_kind", "") if isinstance(view, dict) else getattr(view, "unit_kind", "")
    if unit == "ratio":
        return pct(number)
    if unit == "days":
        return number_format(number.quantize(Decimal("0.1")), 1, use_l10n=True)
    return compact(number)


@register.simple_tag
def value_data(value, view) -> str:
    """A key result's or target's value as ``kr_value`` shows it, inside a ``<data>`` element
    holding the exact figure (machine-readable, and on hover in full)."""
    number = _fraction(value)
    if number is None:
        return "—"
    shown = kr_value(number, view)
    unit = view.get("unit_kind", "") if isinstance(view, dict) else getattr(view, "unit_kind", "")
    full = shown if unit == "ratio" else figure(number)
    return format_html('<data value="{}" title="{}">{}</data>', str(number), full, shown)


@register.filter
def metric_label(key) -> str:
    """A metric's label in the user's language (``revenue`` -> ``Revenue``); the key itself
    for a metric that left the catalogue."""
    from saleshelm.direction.selectors.metrics import metric_choices

    return dict(metric_choices()).get(key, key or "")


@register.filter
def assignee(target) -> str:
    """Whom a target is set for: the member's name, the team, the territory or the product
    category."""
    if target.member_id:
        return target.member.user.get_full_name()
    for relation in ("team", "territory", "product_category"):
        if getattr(target, f"{relation}_id", None):
            return getattr(target, relation).name
    return ""


@register.filter
def lookup(mapping, key):
    """``mapping[key]`` in a template, or "" when absent."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""


@register.inclusion_tag("direction/_bar.html")
def progress_bar(progress, expected=None, at_risk=False, label=""):
    return {
        "progress": progress,
        "width": whole(progress),
        "expected": expected,
        "mark": whole(expected) if expected is not None else None,
        "at_risk": at_risk,
        "label": label,
    }
