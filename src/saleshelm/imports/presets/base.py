"""What a preset is: the column names and value formats of another tool's export, mapped
onto SalesHelm's native columns (SPEC §4).

A preset knows several objects of its tool (deals, companies, contacts); it recognises
which one a file is from its headers and maps each column, converting the tool's own formats
("USD 12,500.00", ``7/15/2026``, ``2026-07-15 00:00``) into native text that the native
parsers then validate, so errors still name the file's own column.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from saleshelm.core.errors import ApplicationError
from saleshelm.imports.columns import CellError
from saleshelm.imports.reading import header_key

Convert = Callable[..., str]


@dataclass(frozen=True)
class Map:
    """Native column ← the first of ``headers`` present in the file (converted)."""

    native: str
    headers: tuple[str, ...]
    convert: Convert | None = None
    # More cells passed to ``convert`` after the main one: each entry is a header or a tuple
    # of alternative headers (the first present is used; an absent one gives "").
    also: tuple[str | tuple[str, ...], ...] = ()


@dataclass
class PresetObject:
    name: str  # "deals"
    kind: str  # "opportunities"
    signature: tuple[str, ...]  # headers that identify this object
    maps: tuple[Map, ...]
    quiet: tuple[str, ...] = ()  # known columns SalesHelm does not keep (not reported)
    options: dict = field(default_factory=dict)


class Preset:
    name = ""
    tool = ""
    objects: tuple[PresetObject, ...] = ()

    def skip_row(self, cells: list[str]) -> bool:
        return False

    def detect(self, keys: list[str]) -> PresetObject:
        present = set(keys)
        best, best_score = None, 0
        for obj in self.objects:
            score = sum(1 for h in obj.signature if header_key(h) in present)
            if score == len(obj.signature) and score > best_score:
                best, best_score = obj, score
        if best is None:
            names = ", ".join(o.name for o in self.objects)
            raise ApplicationError(
                _(
                    "This file does not look like a %(tool)s export of %(names)s (its columns "
                    "are not the ones %(tool)s writes). Check the format or map the columns by hand."
                )
                % {"tool": self.tool, "names": names},
                code="unknown_export",
            )
        return best

    def plan(self, kind, headers: list[str]):
        from saleshelm.imports.engine import Plan, Source

        keys = [header_key(h) for h in headers]
        obj = self.detect(keys)
        if obj.kind != kind.name:
            raise ApplicationError(
                _("This file looks like a %(tool)s %(object)s export: import it as %(kind)s.")
                % {"tool": self.tool, "object": obj.name, "kind": obj.kind},
                code="wrong_kind",
            )
        position: dict[str, int] = {}
        for i, k in enumerate(keys):
            position.setdefault(k, i)
        sources: list[Source] = []
        used: set[int] = set()
        plan = Plan(sources=sources)
        for m in obj.maps:
            first = next(
                (position[header_key(h)] for h in m.headers if header_key(h) in position), None
            )
            if first is None:
                continue
            indexes = [first]
            for extra in m.also:
                names = (extra,) if isinstance(extra, str) else extra
                at = next(
                    (position[header_key(h)] for h in names if header_key(h) in position), None
                )
                indexes.append(at if at is not None else -1)
            used.update(i for i in indexes if i >= 0)
            convert = m.convert
            if any(i < 0 for i in indexes):
                convert = _with_missing(convert, [i < 0 for i in indexes])
                indexes = [i if i >= 0 else first for i in indexes]
            sources.append(
                Source(
                    column=m.native,
                    indexes=tuple(indexes),
                    label=headers[first],
                    convert=convert or _identity,
                )
            )
        mapped = {s.column for s in sources}
        for name in kind.required_columns():
            if name not in mapped:
                wanted = next((m.headers[0] for m in obj.maps if m.native == name), name)
                plan.file_errors.append(
                    (
                        wanted,
                        _("required column is missing from this %(tool)s export")
                        % {"tool": self.tool},
                    )
                )
        for group in getattr(kind, "required_one_of", ()):
            if not mapped.intersection(group):
                wanted = next((m.headers[0] for m in obj.maps if m.native in group), group[0])
                plan.file_errors.append(
                    (
                        wanted,
                        _("required column is missing from this %(tool)s export")
                        % {"tool": self.tool},
                    )
                )
        quiet = {header_key(h) for h in obj.quiet}
        plan.ignored = [
            h for i, h in enumerate(headers) if i not in used and h and keys[i] not in quiet
        ]
        plan.options = dict(obj.options)
        plan.skip_row = self.skip_row
        plan.detected = _("Read as a %(tool)s %(object)s export.") % {
            "tool": self.tool,
            "object": obj.name,
        }
        return plan


def _identity(text: str) -> str:
    return text


def _with_missing(convert: Convert | None, missing: list[bool]) -> Convert:
    def run(*texts: str) -> str:
        texts = tuple("" if gone else t for t, gone in zip(texts, missing, strict=True))
        return convert(*texts) if convert else texts[0]

    return run


# --- value converters shared by presets -------------------------------------------------

_ISO_PREFIX = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")
_US_DATE = re.compile(
    r"(\d{1,2})/(\d{1,2})/(\d{4})(?:,?\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?)?"
)
_MONEY = re.compile(
    r"(?:(?P<pre>[A-Z]{3})\s*)?(?P<sym>[$€£¥₫])?\s*(?P<num>[-+]?[\d.,\s\u00a0]*\d)\s*(?P<post>[A-Z]{3}|₫|đ)?"
)
SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₫": "VND", "đ": "VND"}


def iso_or_us_date(text: str) -> str:
    """``2026-07-15``, ``2026-07-15 00:00``, ``2026-07-15T00:00:00Z`` or ``7/15/2026`` (US
    month first, as HubSpot and Salesforce write for an en-US user) → ``2026-07-15``."""
    value = text.strip()
    if not value:
        return ""
    m = _ISO_PREFIX.fullmatch(value)
    if m:
        y, mo, d = (int(x) for x in m.groups())
    else:
        m = _US_DATE.fullmatch(value)
        if not m:
            raise CellError(_("not a date (expected 2026-07-15, 2026-07-15 00:00 or 7/15/2026)"))
        mo, d, y = (int(x) for x in m.groups())
    try:
        return dt.date(y, mo, d).isoformat()
    except ValueError:
        raise CellError(
            _("not a date (expected 2026-07-15, 2026-07-15 00:00 or 7/15/2026)")
        ) from None


def plain_number(text: str) -> str:
    """A number as spreadsheets and CRMs show it → native ``1234.5``. The last of ``.`` and
    ``,`` is the decimal separator when both appear; a lone separator followed by exactly
    three digits is read as a thousands separator."""
    t = text.replace(" ", "").replace("\u00a0", "")
    if not t:
        return ""
    sign = ""
    if t[0] in "+-":
        sign, t = ("-" if t[0] == "-" else ""), t[1:]
    if t.startswith("(") and t.endswith(")"):
        sign, t = "-", t[1:-1]
    if not t or not all(c.isdigit() or c in ".," for c in t):
        raise CellError(_("not a number"))
    dots, commas = t.count("."), t.count(",")
    if dots and commas:
        decimal_sep = "." if t.rfind(".") > t.rfind(",") else ","
        thousands = "," if decimal_sep == "." else "."
        t = t.replace(thousands, "").replace(decimal_sep, ".")
    elif dots > 1 or commas > 1:
        t = t.replace("." if dots > 1 else ",", "")
    elif commas == 1:
        whole, frac = t.split(",")
        t = whole + frac if len(frac) == 3 else f"{whole}.{frac}"
    if t.count(".") > 1 or not t.replace(".", "").isdigit():
        raise CellError(_("not a number"))
    return sign + t


def money_amount(text: str, *_ignored: str) -> str:
    value = text.strip()
    if not value:
        return ""
    m = _MONEY.fullmatch(value)
    if not m:
        raise CellError(_("not an amount (expected 12500.00, 12,500.00 or USD 12,500.00)"))
    return plain_number(m.group("num"))


def money_amount_or_zero(text: str, *_ignored: str) -> str:
    """Deals exported without an amount (common in HubSpot and Salesforce) are worth 0."""
    return money_amount(text) if text and text.strip() else "0"


def money_currency(amount: str, currency: str = "") -> str:
    """The currency of an amount: its own column, else the code or symbol around the amount."""
    if currency and currency.strip():
        return currency.strip().upper()[:3]
    m = _MONEY.fullmatch(amount.strip()) if amount and amount.strip() else None
    if not m:
        return ""
    code = m.group("pre") or m.group("post")
    if code:
        return SYMBOLS.get(code, code)
    sym = m.group("sym")
    return SYMBOLS.get(sym, "") if sym else ""


def percent(text: str) -> str:
    """``75``, ``75%`` or ``75.0`` (a percentage) → ``75%`` for the native fraction parser."""
    value = text.strip().rstrip("%").strip()
    if not value:
        return ""
    return plain_number(value) + "%"


def fraction_or_percent(text: str) -> str:
    """HubSpot probabilities: ``0.2`` (a fraction) or ``20`` / ``20%`` (a percentage)."""
    value = text.strip()
    if not value:
        return ""
    if value.endswith("%"):
        return percent(value)
    number = plain_number(value)
    return number if Decimal(number) <= 1 else number + "%"


def first_id(text: str) -> str:
    """``123;456`` (several associated records) → ``123``, the primary one."""
    for part in re.split(r"[;,]", text or ""):
        if part.strip():
            return part.strip()
    return ""


def first_name_in_list(text: str) -> str:
    """``Minh Phát;Other Co`` (several associated records, by name) → ``Minh Phát``."""
    for part in (text or "").split(";"):
        if part.strip():
            return part.strip()
    return ""


def full_name(first: str, last: str = "") -> str:
    return " ".join(p.strip() for p in (first, last) if p and p.strip())


def email_only(text: str) -> str:
    return text.strip() if "@" in (text or "") else ""


def name_only(text: str) -> str:
    return "" if "@" in (text or "") else (text or "").strip()


def choice(mapping: dict[str, str]) -> Convert:
    """Map a tool's labels onto native values (case ignored); unknown labels are passed on
    for the native parser to report."""
    table = {k.casefold(): v for k, v in mapping.items()}

    def convert(text: str) -> str:
        value = (text or "").strip()
        return table.get(value.casefold(), value)

    return convert
