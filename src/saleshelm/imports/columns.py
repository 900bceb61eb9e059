"""Native columns and the parsing of one cell (SPEC §4).

Each column has a type; its parser turns the cell's text into a Python value or raises
``CellError`` with the reason a person reads ("not a date (YYYY-MM-DD)"). Parsers are plain
closures built once per import, because a large file calls them millions of times.

Text cells that a spreadsheet would run as a formula (starting with ``= + - @``, a tab or a
carriage return) are refused. A cell written by SalesHelm's own export, where such text was
neutralised with a leading single quote (``'=x``), is read back as the text after the quote.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from saleshelm.core.money import is_currency

FORMULA_START = frozenset("=+-@\t\r")
TRUE_WORDS = frozenset({"yes", "y", "true", "1", "x", "có", "co"})
FALSE_WORDS = frozenset({"no", "n", "false", "0", "không", "khong"})

_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_INT = re.compile(r"[+-]?\d+(?:\.0*)?")
_EMAIL = re.compile(r"[a-z0-9_.%+'!#$&*/?^`{|}~-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+", re.IGNORECASE)
_PHONE = re.compile(r"\+?[0-9][0-9 ().\-/]*(?:\s*(?:x|ext\.?)\s*\d+)?")
_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?")


class CellError(Exception):
    """One bad cell; ``reason`` is shown to the person who made the file."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "text"  # text email phone date datetime decimal int bool choice split
    required: bool = False
    max_length: int = 200
    choices: tuple[str, ...] = ()
    places: int = 4  # decimals kept by the database
    minimum: Decimal | int | None = None
    maximum: Decimal | int | None = None
    help: Any = ""
    example: str = ""
    # Other header spellings accepted for this column (besides case and spaces).
    aliases: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)

    @property
    def type_label(self) -> str:
        return str(TYPE_LABELS.get(self.type, self.type))


TYPE_LABELS = {
    "text": _("text"),
    "email": _("email"),
    "phone": _("phone"),
    "date": _("date YYYY-MM-DD"),
    "datetime": _("date YYYY-MM-DD, optionally with time HH:MM"),
    "decimal": _("number with . as decimal point"),
    "int": _("whole number"),
    "bool": _("yes / no"),
    "choice": _("one of a list"),
    "split": _("email:percent; …"),
    "fraction": _("fraction 0–1 or percentage like 25%"),
    "currency": _("ISO currency code"),
}


def clean_text(raw: str) -> str | None:
    """Strip spaces; ``None`` when nothing is left. Refuses formula-looking text."""
    value = raw.strip(" \u00a0")
    if not value:
        return None
    first = value[0]
    if first in FORMULA_START:
        raise CellError(
            str(
                _(
                    "starts with %(char)s, which a spreadsheet would run as a formula; "
                    "remove it or write a quote (') before it"
                )
            )
            % {"char": _describe_char(first)}
        )
    if first == "'" and len(value) > 1 and value[1] in FORMULA_START:
        value = value[1:]  # neutralised by an export: the quote is not part of the text
    return value.rstrip() or None


def _describe_char(char: str) -> str:
    return {"\t": str(_("a tab")), "\r": str(_("a carriage return"))}.get(char, f"'{char}'")


_SPECIAL_START = FORMULA_START | {"'"}


def _text_parser(col: Column) -> Callable[[str], Any]:
    limit = col.max_length

    def parse(raw: str):
        value: str | None = raw.strip(" \u00a0")
        if not value or value.isspace():
            return None
        value = clean_text(value) if value[0] in _SPECIAL_START else value.rstrip()
        if value is not None and len(value) > limit:
            raise CellError(str(_("longer than %(n)s characters")) % {"n": limit})
        return value

    return parse


def _email_parser(col: Column) -> Callable[[str], Any]:
    def parse(raw: str):
        value = raw.strip().lower()
        if not value:
            return None
        if value[0] in FORMULA_START:
            clean_text(value)  # raises the formula reason
        if len(value) > 254 or not _EMAIL.fullmatch(value):
            raise CellError(str(_("not an email address")))
        return value

    return parse


def _phone_parser(col: Column) -> Callable[[str], Any]:
    limit = col.max_length

    def parse(raw: str):
        value = raw.strip(" \u00a0")
        if not value or value.isspace():
            return None
        ok = value if value[0] == "+" and _PHONE.fullmatch(value) else clean_text(value)
        if ok is not None and len(ok) > limit:
            raise CellError(str(_("longer than %(n)s characters")) % {"n": limit})
        return ok

    return parse


def parse_iso_date(value: str) -> dt.date:
    if len(value) != 10 or value[4] != "-" or value[7] != "-":
        raise CellError(str(_("not a date (write YYYY-MM-DD)")))
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CellError(str(_("not a date (write YYYY-MM-DD)"))) from None


def _date_parser(col: Column) -> Callable[[str], Any]:
    def parse(raw: str):
        value = raw.strip()
        if not value:
            return None
        return parse_iso_date(value)

    return parse


def _datetime_parser(col: Column) -> Callable[[str], Any]:
    """A date, or a date and a time (naive: the organisation's time zone applies)."""

    def parse(raw: str):
        value = raw.strip()
        if not value:
            return None
        m = _DATETIME.fullmatch(value)
        if m is None:
            raise CellError(str(_("not a date (write YYYY-MM-DD or YYYY-MM-DD HH:MM)")))
        try:
            day = dt.date.fromisoformat(m.group(1))
            if m.group(2) is None:
                return dt.datetime(day.year, day.month, day.day)
            return dt.datetime(
                day.year,
                day.month,
                day.day,
                int(m.group(2)),
                int(m.group(3)),
                int(m.group(4) or 0),
                int((m.group(5) or "0").ljust(6, "0")),
            )
        except ValueError:
            raise CellError(str(_("not a date (write YYYY-MM-DD or YYYY-MM-DD HH:MM)"))) from None

    return parse


def _check_range(col: Column, value):
    if col.minimum is not None and value < col.minimum:
        raise CellError(str(_("must be at least %(n)s")) % {"n": col.minimum})
    if col.maximum is not None and value > col.maximum:
        raise CellError(str(_("must be at most %(n)s")) % {"n": col.maximum})
    return value


def parse_plain_decimal(value: str, places: int) -> Decimal:
    if not _DECIMAL.fullmatch(value):
        if "," in value and _DECIMAL.fullmatch(value.replace(",", "")):
            raise CellError(
                str(_("not a number: write decimals with '.' and no thousands separator"))
            )
        raise CellError(str(_("not a number")))
    dot = value.find(".")
    if dot >= 0 and len(value) - dot - 1 > places and len(value.rstrip("0")) - dot - 1 > places:
        raise CellError(str(_("more than %(n)s decimals")) % {"n": places})
    return Decimal(value)


def _decimal_parser(col: Column) -> Callable[[str], Any]:
    places = col.places
    has_range = col.minimum is not None or col.maximum is not None
    limit = Decimal(10) ** 15

    def parse(raw: str):
        value = raw.strip()
        if not value:
            return None
        number = parse_plain_decimal(value, places)
        if len(value) > 15 and abs(number) >= limit:
            raise CellError(str(_("too large")))
        return _check_range(col, number) if has_range else number

    return parse


def _fraction_parser(col: Column) -> Callable[[str], Any]:
    """``0.25`` or ``25%``: a fraction between 0 and 1."""

    def parse(raw: str):
        value = raw.strip()
        if not value:
            return None
        if value.endswith("%"):
            number = parse_plain_decimal(value[:-1].strip(), col.places + 2) / 100
        else:
            number = parse_plain_decimal(value, col.places)
        if number < 0 or number > 1:
            raise CellError(str(_("must be a fraction between 0 and 1 (or a percentage like 25%)")))
        return number

    return parse


def _int_parser(col: Column) -> Callable[[str], Any]:
    def parse(raw: str):
        value = raw.strip()
        if not value:
            return None
        if value.isdigit() and value.isascii():
            number = int(value)
        elif _INT.fullmatch(value):
            number = int(value.split(".", 1)[0])
        else:
            raise CellError(str(_("not a whole number")))
        if abs(number) > 2_000_000_000:
            raise CellError(str(_("too large")))
        return _check_range(col, number)

    return parse


def _bool_parser(col: Column) -> Callable[[str], Any]:
    def parse(raw: str):
        value = raw.strip().casefold()
        if not value:
            return None
        if value in TRUE_WORDS:
            return True
        if value in FALSE_WORDS:
            return False
        raise CellError(str(_("must be yes or no")))

    return parse


def _choice_parser(col: Column) -> Callable[[str], Any]:
    allowed = {c.casefold(): c for c in col.choices}
    allowed.update({k.casefold(): v for k, v in col.extra.get("choice_aliases", {}).items()})
    listed = ", ".join(col.choices)

    def parse(raw: str):
        value = raw.strip().casefold()
        if not value:
            return None
        try:
            return allowed[value]
        except KeyError:
            raise CellError(str(_("must be one of: %(choices)s")) % {"choices": listed}) from None

    return parse


def parse_split(value: str) -> list[tuple[str, Decimal]]:
    """``an@x.com:60;binh@x.com:40`` → ``[("an@x.com", 0.6), ("binh@x.com", 0.4)]``."""
    parts = [p.strip() for p in value.replace(",", ";").split(";") if p.strip()]
    if not parts:
        return []
    shares: list[tuple[str, Decimal]] = []
    seen: set[str] = set()
    total = Decimal(0)
    for part in parts:
        email, sep, pct = part.rpartition(":")
        email = email.strip().lower()
        if not sep or not _EMAIL.fullmatch(email):
            raise CellError(str(_("write the split as email:percent;email:percent")))
        try:
            percent = Decimal(pct.strip().rstrip("%"))
        except InvalidOperation:
            raise CellError(
                str(_("%(part)r: the percentage is not a number")) % {"part": part}
            ) from None
        if not percent.is_finite() or percent <= 0 or percent > 100:
            raise CellError(
                str(_("%(part)r: each share must be above 0 and at most 100")) % {"part": part}
            )
        if percent.as_tuple().exponent < -2:  # type: ignore[operator]
            raise CellError(str(_("%(part)r: at most 2 decimals in a percentage")) % {"part": part})
        if email in seen:
            raise CellError(str(_("%(email)s appears twice")) % {"email": email})
        seen.add(email)
        total += percent
        shares.append((email, percent / 100))
    if total != 100:
        raise CellError(str(_("the shares add up to %(total)s, not 100")) % {"total": total})
    return shares


def _currency_parser(col: Column) -> Callable[[str], Any]:
    def parse(raw: str):
        value = raw.strip().upper()
        if not value:
            return None
        if not is_currency(value):
            raise CellError(str(_("not a currency code (three letters such as USD or VND)")))
        return value

    return parse


def _split_parser(col: Column) -> Callable[[str], Any]:
    def parse(raw: str):
        value = raw.strip()
        if not value:
            return None
        return parse_split(value) or None

    return parse


PARSERS: dict[str, Callable[[Column], Callable[[str], Any]]] = {
    "text": _text_parser,
    "email": _email_parser,
    "phone": _phone_parser,
    "date": _date_parser,
    "datetime": _datetime_parser,
    "decimal": _decimal_parser,
    "fraction": _fraction_parser,
    "int": _int_parser,
    "bool": _bool_parser,
    "choice": _choice_parser,
    "split": _split_parser,
    "currency": _currency_parser,
}


def parser_for(col: Column) -> Callable[[str], Any]:
    return PARSERS[col.type](col)
