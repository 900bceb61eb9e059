"""Numbers and money in the reader's locale, the one way every page writes them.

Django's l10n gives the decimal mark and the thousands separator of the active language
(vi: ``1.234.567,5``; en: ``1,234,567.5``); Django's Vietnamese format has no grouping size,
so the grouping of three is given here. Money adds the currency's symbol the local way
(``1.234.567 ₫``, ``$1,234.50``, vi ``1.234,50 US$``); a currency without a symbol here is
written by its code (``1,234.50 SGD``). Everything is ``Decimal``, rounded half-up.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.translation import get_language, pgettext

from saleshelm.core.money import minor_unit

NBSP = "\u00a0"
DASH = "—"

SYMBOLS = {"VND": "₫", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "KRW": "₩", "THB": "฿"}
# Symbols written after the amount in every language (the local habit for the đồng).
SUFFIX_SYMBOLS = {"VND"}
# In Vietnamese every symbol follows the amount; the dollar is spelled as in CLDR.
VI_SYMBOLS = {"USD": "US$"}

# --- numbers ----------------------------------------------------------------------------------


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


_pinned = threading.local()


@contextmanager
def pinned_language() -> Iterator[None]:
    """Read the active language once for a page's hundreds of figures (asking Django each
    time costs more than formatting the figure)."""
    _pinned.language = get_language() or "en"
    try:
        yield
    finally:
        _pinned.language = None


def formatting(view: Callable) -> Callable:
    """A view decorator: the page's figures are formatted with ``pinned_language``."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        with pinned_language():
            return view(*args, **kwargs)

    return wrapper


def _language() -> str:
    return getattr(_pinned, "language", None) or get_language() or "en"


def _vi() -> bool:
    return _language().startswith("vi")


_QUANTA = {places: Decimal(1).scaleb(-places) for places in range(9)}
_SEPARATORS: dict[str, tuple[str, str, int]] = {}


def _separators() -> tuple[str, str, int]:
    """(decimal mark, thousands separator, grouping) of the active language, read once."""
    language = _language()
    found = _SEPARATORS.get(language)
    if found is None:
        found = (
            str(get_format("DECIMAL_SEPARATOR")),
            str(get_format("THOUSAND_SEPARATOR")),
            int(get_format("NUMBER_GROUPING") or 3),
        )
        _SEPARATORS[language] = found
    return found


def number(value, places: int = 0) -> str:
    """``1234567.891`` -> ``1,234,567.89`` (en) or ``1.234.567,89`` (vi); ``—`` for None.

    Rounded half-up. Python's own grouping does the work (a page prints hundreds of
    figures); Django's formats give the marks."""
    d = _decimal(value)
    if d is None:
        return DASH
    d = d.quantize(_QUANTA[places], rounding=ROUND_HALF_UP)
    if d == 0:
        d = abs(d)  # no "-0"
    decimal_mark, thousands, grouping = _separators()
    if grouping != 3:
        return numberformat.format(
            d,
            decimal_mark,
            decimal_pos=places,
            grouping=grouping,
            thousand_sep=thousands,
            force_grouping=True,
            use_l10n=True,
        )
    text = f"{d:,.{places}f}"
    return text.replace(",", "\x00").replace(".", decimal_mark).replace("\x00", thousands)


def currency_symbol(currency: str) -> str:
    code = (currency or "").upper()
    if _vi() and code in VI_SYMBOLS:
        return VI_SYMBOLS[code]
    return SYMBOLS.get(code, code)


def _with_symbol(text: str, currency: str) -> str:
    if not currency:
        return text
    vi = _vi()
    code = currency.upper()
    symbol = VI_SYMBOLS[code] if vi and code in VI_SYMBOLS else SYMBOLS.get(code, code)
    if vi or code in SUFFIX_SYMBOLS or symbol == code:
        return f"{text}{NBSP}{symbol}"
    if text.startswith("-"):
        return f"-{symbol}{text[1:]}"
    return f"{symbol}{text}"


def money(value, currency: str = "", places: int | None = None) -> str:
    """``1234567`` VND -> ``1.234.567 ₫`` (vi), ``1,234,567 ₫`` (en); USD -> ``$1,234.50``."""
    d = _decimal(value)
    if d is None:
        return DASH
    if places is None:
        places = minor_unit(currency) if currency else 2
    return _with_symbol(number(d, places), currency)


def percent(fraction, places: int = 1) -> str:
    """A fraction as a percentage: ``0.8512`` -> ``85.1%`` (vi: ``85,1%``)."""
    d = _decimal(fraction)
    if d is None:
        return DASH
    return f"{number(d * 100, places)}%"


def times(ratio, places: int = 1) -> str:
    """A coverage ratio: ``2.456`` -> ``2.5×``."""
    d = _decimal(ratio)
    if d is None:
        return DASH
    return f"{number(d, places)}×"


def hero(value, currency: str = "", *, room: int = 10) -> str:
    """A headline amount for a figure card: whole units when they fit in ``room``
    characters (``$90,380``), else three significant digits (``$1.35M``)."""
    whole = money(value, currency, places=0)
    if whole == DASH or len(whole) <= room:
        return whole
    return compact(value, currency, digits=3)


_STEPS: dict[str, tuple] = {}


def _steps() -> tuple:
    language = _language()
    found = _STEPS.get(language)
    if found is None:
        found = (
            (Decimal(10) ** 9, pgettext("thousand million, short", "B")),
            (Decimal(10) ** 6, pgettext("million, short", "M")),
            (Decimal(10) ** 3, pgettext("thousand, short", "K")),
        )
        _STEPS[language] = found
    return found


def compact(value, currency: str = "", *, digits: int | None = None) -> str:
    """Short figures for chart axes and labels: ``1.2M``, ``350K`` (vi: ``1,2 Tr``, ``350 N``);
    ``digits``: that many significant digits (``1.35M``) instead of one decimal."""
    d = _decimal(value)
    if d is None:
        return DASH
    steps = _steps()
    for limit, suffix in steps:
        if abs(d) >= limit:
            if digits is not None:
                whole = len(str(int(abs(d / limit))))
                places = max(digits - whole, 0)
                short = (d / limit).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
                sep = NBSP if _vi() else ""
                return _with_symbol(f"{number(short, places)}{sep}{suffix}", currency)
            short = (d / limit).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            places = 0 if short == short.to_integral() or abs(short) >= 100 else 1
            sep = NBSP if _vi() else ""
            return _with_symbol(f"{number(short, places)}{sep}{suffix}", currency)
    places = 0 if d == d.to_integral() or abs(d) >= 100 else 1
    return _with_symbol(number(d, places), currency)
