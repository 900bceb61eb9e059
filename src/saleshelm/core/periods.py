"""Periods of the organisation's fiscal calendar: ``2026-07``, ``2026-Q3``, ``2026`` (SPEC §6).

A fiscal year is named by the calendar year it starts in... unless it starts in January,
in which case both agree. With a fiscal year starting in April, ``2026-Q1`` is April to June
2026 and ``2026`` is April 2026 to March 2027. Months (``2026-07``) are always calendar months.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from saleshelm.core.errors import ApplicationError

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date  # inclusive
    end: dt.date  # inclusive
    key: str
    kind: str  # "month" | "quarter" | "year"

    @property
    def months(self) -> list[dt.date]:
        out = []
        y, m = self.start.year, self.start.month
        while dt.date(y, m, 1) <= self.end:
            out.append(dt.date(y, m, 1))
            y, m = _add_months(y, m, 1)
        return out

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.key


def _span(year: int, month: int, n_months: int, key: str, kind: str) -> Period:
    ey, em = _add_months(year, month, n_months)
    end = dt.date(ey, em, 1) - dt.timedelta(days=1)
    return Period(dt.date(year, month, 1), end, key, kind)


def parse_period(text: str, *, fiscal_start_month: int = 1) -> Period:
    raw = (text or "").strip()
    if m := _MONTH.match(raw):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise ApplicationError(f"{raw!r} has no month {month}", code="invalid_period")
        return _span(year, month, 1, raw, "month")
    if m := _QUARTER.match(raw):
        year, q = int(m[1]), int(m[2])
        y, mo = _add_months(year, fiscal_start_month, (q - 1) * 3)
        return _span(y, mo, 3, raw, "quarter")
    if m := _YEAR.match(raw):
        return _span(int(m[1]), fiscal_start_month, 12, raw, "year")
    raise ApplicationError(
        f"{raw!r} is not a period: write a month 2026-07, a quarter 2026-Q3 or a year 2026",
        code="invalid_period",
    )


def period_of(day: dt.date, kind: str, *, fiscal_start_month: int = 1) -> Period:
    if kind == "month":
        return parse_period(f"{day.year:04d}-{day.month:02d}")
    # Fiscal year containing the day.
    fy = day.year if day.month >= fiscal_start_month else day.year - 1
    if kind == "year":
        return parse_period(f"{fy:04d}", fiscal_start_month=fiscal_start_month)
    offset = (day.year * 12 + day.month - 1) - (fy * 12 + fiscal_start_month - 1)
    return parse_period(f"{fy:04d}-Q{offset // 3 + 1}", fiscal_start_month=fiscal_start_month)
