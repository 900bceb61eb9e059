"""Money, percentages and small badges of the sales pages, formatted in the user's locale."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from saleshelm.core import numbers

register = template.Library()


@register.filter
def money(value, currency: str = "") -> str:
    """``1234.5`` + ``USD`` -> ``$1,234.50`` (vi ``1.234,50 US$``; ``1.234.567 ₫``)."""
    return numbers.money(value, currency)


@register.filter
def compact_money(value, currency: str = "") -> str:
    """Short amounts for board totals: ``$1.2M``, ``350K ₫`` (vi ``350 N ₫``)."""
    return numbers.compact(value, currency)


@register.filter
def percent(value) -> str:
    """A fraction 0..1 as a percentage: ``0.25`` -> ``25%``."""
    if value is None or value == "":
        return "—"
    pct = (Decimal(value) * 100).quantize(Decimal("0.1")).normalize()
    return f"{number_format(pct, use_l10n=True)}%"


@register.filter
def quantity(value) -> str:
    if value is None:
        return "—"
    q = Decimal(value).normalize()
    if q == q.to_integral():
        q = q.quantize(Decimal(1))
    return number_format(q, use_l10n=True, force_grouping=True)


@register.filter
def rate(value) -> str:
    """An exchange rate with all its significant places: ``0.0000400000`` -> ``0.00004``."""
    if value is None or value == "":
        return "—"
    r = Decimal(value).normalize()
    if r == r.to_integral():
        r = r.quantize(Decimal(1))
    return number_format(r, use_l10n=True, force_grouping=True)


@register.filter
def inverse_rate(value) -> str:
    """How many units of the currency one unit of the reporting currency buys: ``0.00004`` ->
    ``25,000``; readable for weak currencies whose rate has many zeros."""
    if not value:
        return "—"
    inverse = Decimal(1) / Decimal(value)
    places = 2 if abs(inverse) >= 100 else 4
    return number_format(
        inverse.quantize(Decimal(1).scaleb(-places)), places, use_l10n=True, force_grouping=True
    )


@register.filter
def stage_forecast(stage) -> str:
    """The forecast category a deal takes on entering ``stage`` (its own, or its probability's)."""
    from saleshelm.crm.models import ForecastCategory
    from saleshelm.crm.services.opportunities import default_forecast_category

    return str(ForecastCategory(default_forecast_category(stage)).label)
