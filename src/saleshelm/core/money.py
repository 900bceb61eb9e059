"""Money is Decimal with an ISO currency, quantised at defined points (SPEC §7)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# ISO 4217 minor units for the currencies our customers use; default 2.
MINOR_UNITS = {"VND": 0, "JPY": 0, "KRW": 0, "IDR": 2, "USD": 2, "EUR": 2, "GBP": 2, "SGD": 2}
CURRENCIES = sorted({"VND", "USD", "EUR", "GBP", "JPY", "SGD", "THB", "KRW", "AUD", "CNY"})
MONEY_DIGITS = 20
MONEY_PLACES = 4


def minor_unit(currency: str) -> int:
    return MINOR_UNITS.get(currency.upper(), 2)


def quantize_money(amount: Decimal, currency: str) -> Decimal:
    """Round half-up to the currency's minor unit (VND has none)."""
    exp = Decimal(1).scaleb(-minor_unit(currency))
    return amount.quantize(exp, rounding=ROUND_HALF_UP)


def parse_decimal(raw: str | int | Decimal, *, field: str = "value") -> Decimal:
    """Parse a decimal written with ``.`` (SPEC §4); refuse NaN and infinities."""
    from saleshelm.core.errors import ApplicationError

    if isinstance(raw, Decimal):
        value = raw
    else:
        try:
            value = Decimal(str(raw).strip())
        except (InvalidOperation, ValueError):
            raise ApplicationError(
                f"{field}: {raw!r} is not a number", code="invalid_number", field=field
            ) from None
    if not value.is_finite():
        raise ApplicationError(
            f"{field}: {raw!r} is not a number", code="invalid_number", field=field
        )
    return value


def is_currency(code: str) -> bool:
    return len(code) == 3 and code.isalpha() and code.isupper()
