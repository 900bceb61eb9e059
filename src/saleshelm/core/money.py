"""Money is Decimal with an ISO currency, quantised at defined points (SPEC §7)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

# The active ISO 4217 codes a business trades in (not the metals, funds or test codes).
_ISO_4217 = """
    AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP
    BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP
    GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES
    KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU
    MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON
    RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND
    TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW
    ZWG
"""
ISO_4217 = frozenset(_ISO_4217.split())
# ISO 4217 minor units where they are not 2.
_NO_MINOR = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF"
_THREE_PLACES = "BHD IQD JOD KWD LYD OMR TND"
MINOR_UNITS = {**dict.fromkeys(_NO_MINOR.split(), 0), **dict.fromkeys(_THREE_PLACES.split(), 3)}
CURRENCIES = sorted({"VND", "USD", "EUR", "GBP", "JPY", "SGD", "THB", "KRW", "AUD", "CNY"})
MONEY_DIGITS = 20
MONEY_PLACES = 4
# Digits either side of the point a number typed by a person may have (parse_decimal).
MAX_MAGNITUDE = 40


def minor_unit(currency: str) -> int:
    return MINOR_UNITS.get(currency.upper(), 2)


def quantize_money(amount: Decimal, currency: str) -> Decimal:
    """Round half-up to the currency's minor unit (VND has none)."""
    exp = Decimal(1).scaleb(-minor_unit(currency))
    return amount.quantize(exp, rounding=ROUND_HALF_UP)


def money_str(amount: Decimal | int, places: int = 2) -> str:
    """An amount as the API writes it: a decimal string rounded half-up to ``places``
    (``Decimal("6507214.3396")`` -> ``"6507214.34"``)."""
    return str(Decimal(amount).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


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
    if not -MAX_MAGNITUDE <= value.adjusted() <= MAX_MAGNITUDE:
        # 1e999999999 is a valid Decimal, but any arithmetic on it overflows the context.
        raise ApplicationError(
            f"{field}: {raw!r} is out of range", code="out_of_range", field=field
        )
    return value


def is_currency(code: str) -> bool:
    """An active ISO 4217 code, in capitals (``VND``, not ``vnd`` or ``VDN``)."""
    return code in ISO_4217


# --- splitting an amount exactly -------------------------------------------------------------
#
# Largest-remainder method at a fixed number of places (the currency's minor unit for money,
# 4 places for quantities): every member gets the share rounded down, then the cents left
# over go one by one to the largest remainders, ties to the lowest member id. The credits of
# an amount therefore always sum to it, and the answer does not depend on the order the
# splits are listed in.


def quantum(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


def allocate(
    total: Decimal, shares: Sequence[tuple[int, Decimal]], places: int
) -> dict[int, Decimal]:
    """``total`` (rounded half-up to ``places`` first) split by ``shares`` (member id, share).

    Shares are normalised by their sum, so they need not add up to exactly 1."""
    unit = quantum(places)
    amount = total.quantize(unit, rounding=ROUND_HALF_UP)
    if len(shares) == 1:
        return {shares[0][0]: amount}
    if not shares:
        return {}
    weight = sum((s for _, s in shares), Decimal(0))
    if weight <= 0:
        raise ValueError("split shares must be positive")
    sign = -1 if amount < 0 else 1
    magnitude = abs(amount)
    floors: dict[int, Decimal] = {}
    remainders: list[tuple[Decimal, int]] = []
    for member_id, share in shares:
        exact = magnitude * share / weight
        floor = exact.quantize(unit, rounding=ROUND_DOWN)
        floors[member_id] = floors.get(member_id, Decimal(0)) + floor
        remainders.append((exact - floor, member_id))
    left = int((magnitude - sum(floors.values(), Decimal(0))) / unit)
    # Largest remainder first; on a tie the lowest member id.
    remainders.sort(key=lambda r: (-r[0], r[1]))
    for _, member_id in remainders[:left]:
        floors[member_id] += unit
    return {m: (v if sign > 0 else -v) for m, v in floors.items()}
