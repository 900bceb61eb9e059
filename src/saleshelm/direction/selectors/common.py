"""Small aggregate helpers shared by the direction reports."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce

MONEY: DecimalField = DecimalField(max_digits=20, decimal_places=4)
ZERO = Decimal(0)
SHARE_PLACES = Decimal("0.0001")


def money_sum(field_name: str, condition: Q | None = None) -> Coalesce:
    """SUM of a money column as a Decimal, 0 rather than NULL over no rows."""
    return Coalesce(Sum(field_name, filter=condition), Value(ZERO), output_field=MONEY)


def share(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """part / whole to 4 places; None when there is no whole to share."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)
