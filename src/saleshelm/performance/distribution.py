"""How a target spreads over its months, and how much of it is due by a given day.

Pure arithmetic on ``Fraction`` (exact: an even quarter is thirds), rounded half-up to 4
places only when a figure leaves this module.

- **even**: every month of the period gets the same share (a quarter: 1/3 each);
- **pattern**: one weight per month, fractions summing to exactly 1 (percentages summing to
  100 are accepted and divided by 100).

The target of a period for one assignee comes from the target set for exactly that period
when there is one; otherwise each month of the period takes its share from the finest target
covering it (a month target, else the quarter's, else the year's), so a July figure falls out
of a Q3 target and a year figure adds up twelve month targets.

``expected_to_date`` as of a day: the months already over count in full, the current month
by the days elapsed including that day (on the 16th of a 31-day month, 16/31 of the
month's share), the months ahead not at all.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from functools import lru_cache
from typing import Protocol

from saleshelm.core.errors import ApplicationError

HUNDRED = Decimal(100)


class TargetLike(Protocol):
    # read-only members, so that named tuples (``TargetSpec``) qualify as well as models
    @property
    def period_key(self) -> str: ...
    @property
    def start(self) -> dt.date: ...
    @property
    def end(self) -> dt.date: ...
    @property
    def value(self) -> Decimal: ...
    @property
    def distribution(self) -> str: ...
    @property
    def weights(self) -> list: ...


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    out = []
    y, m = start.year, start.month
    while dt.date(y, m, 1) <= end:
        out.append(dt.date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def normalise_weights(raw: Sequence[str | int | Decimal], n_months: int) -> list[Decimal]:
    """Check a seasonality pattern: one weight per month, none negative, summing to exactly 1
    (fractions) or exactly 100 (percentages). Answers the fractions."""
    if len(raw) != n_months:
        raise ApplicationError(
            f"the pattern needs {n_months} month weights, not {len(raw)}",
            code="invalid_weights",
            field="weights",
        )
    try:
        values = [w if isinstance(w, Decimal) else Decimal(str(w).strip()) for w in raw]
    except (InvalidOperation, ValueError):
        raise ApplicationError(
            "month weights must be numbers", code="invalid_weights", field="weights"
        ) from None
    if any(not v.is_finite() or v < 0 for v in values):
        raise ApplicationError(
            "month weights must be zero or more", code="invalid_weights", field="weights"
        )
    total = sum(values, Decimal(0))
    if total == HUNDRED and n_months > 0 and any(v > 1 for v in values):
        values = [v / HUNDRED for v in values]
        total = Decimal(1)
    if total != 1:
        raise ApplicationError(
            f"month weights must sum to exactly 1 (or 100%), not {total}",
            code="invalid_weights",
            field="weights",
        )
    return [v.normalize() if v != 0 else Decimal(0) for v in values]


def month_shares(target: TargetLike) -> dict[dt.date, Fraction]:
    """The target's value per month of its period (exact)."""
    months = months_between(target.start, target.end)
    value = Fraction(target.value)
    if target.distribution == "pattern" and target.weights:
        weights = [Fraction(Decimal(str(w))) for w in target.weights]
    else:
        weights = [Fraction(1, len(months))] * len(months)
    return {m: value * w for m, w in zip(months, weights, strict=True)}


def period_months(
    targets: Iterable[TargetLike], start: dt.date, end: dt.date
) -> dict[dt.date, Fraction] | None:
    """One assignee's target per month of [start, end], or None without any covering target."""
    targets = list(targets)
    for t in targets:
        if t.start == start and t.end == end:
            return month_shares(t)
    months = months_between(start, end)
    out: dict[dt.date, Fraction] = {}
    # Finest first: the shortest span covering the month wins.
    for t in sorted(targets, key=lambda t: ((t.end - t.start).days, t.start)):
        shares = None
        for m in months:
            if m in out or not (t.start <= m <= t.end):
                continue
            if shares is None:
                shares = month_shares(t)
            out[m] = shares[m]
    return out or None


def level_target(targets: Iterable[TargetLike], start: dt.date, end: dt.date) -> Fraction | None:
    """The target of a ratio or an average (win rate, deal size): not spread over months but
    held all along: the target of exactly the period, else of the shortest period containing
    it."""
    containing = [t for t in targets if t.start <= start and end <= t.end]
    if not containing:
        return None
    best = min(containing, key=lambda t: ((t.end - t.start).days, t.start))
    return Fraction(best.value)


def total(months: dict[dt.date, Fraction] | None) -> Fraction | None:
    return None if months is None else sum(months.values(), Fraction(0))


def elapsed_fraction(month: dt.date, today: dt.date) -> Fraction:
    days = calendar.monthrange(month.year, month.month)[1]
    last = month.replace(day=days)
    if today > last:
        return Fraction(1)
    if today < month:
        return Fraction(0)
    return Fraction(today.day, days)


def expected_to_date(months: dict[dt.date, Fraction] | None, today: dt.date) -> Fraction | None:
    if months is None:
        return None
    return sum((v * elapsed_fraction(m, today) for m, v in months.items()), Fraction(0))


def elapsed_days(start: dt.date, end: dt.date, today: dt.date) -> int:
    """Days of [start, end] elapsed by the end of ``today`` (0 before, all after)."""
    if today < start:
        return 0
    return min((today - start).days + 1, (end - start).days + 1)


def round_half_up(value: Fraction | Decimal | int, places: int = 4) -> Decimal:
    """Exact half-up (away from zero) rounding of a rational to ``places`` decimals."""
    fr = Fraction(value)
    scale = 10**places
    num, den = abs(fr.numerator) * scale, fr.denominator
    q, r = divmod(num, den)
    if 2 * r >= den:
        q += 1
    sign = -1 if fr < 0 else 1
    return Decimal(sign * q).scaleb(-places)


def ratio(
    numerator: Decimal | Fraction | None, denominator: Decimal | Fraction | None
) -> Decimal | None:
    """numerator / denominator to 4 places half-up; None without a denominator or with zero."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return round_half_up(Fraction(numerator) / Fraction(denominator), 4)


# --- fast integer paths (ten-thousandths) for tables of thousands of rows -------------------

FOUR = Decimal("0.0001")


def round_div(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half-up (away from zero) to a whole number."""
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    if numerator >= 0:
        q, r = divmod(numerator, denominator)
        return q + 1 if 2 * r >= denominator else q
    q, r = divmod(-numerator, denominator)
    return -(q + 1) if 2 * r >= denominator else -q


def units(value: Decimal) -> int:
    """A Decimal as whole ten-thousandths, rounded half-up to 4 places first."""
    return int(value.quantize(FOUR, ROUND_HALF_UP).scaleb(4))


def from_units(n: int) -> Decimal:
    return Decimal(n).scaleb(-4)


@lru_cache(maxsize=4096)
def shape(
    t_start: dt.date,
    t_end: dt.date,
    pattern: tuple[str, ...] | None,
    start: dt.date,
    end: dt.date,
    today: dt.date,
) -> tuple[Fraction, Fraction] | None:
    """For a target of value 1 spread over [t_start, t_end] (evenly, or by ``pattern``): the
    part that falls in [start, end] and the part of that due by ``today``. None when no
    month overlaps. Memoised: thousands of targets share a handful of shapes."""
    months = months_between(t_start, t_end)
    if pattern:
        weights = [Fraction(Decimal(w)) for w in pattern]
    else:
        weights = [Fraction(1, len(months))] * len(months)
    inside = [(m, w) for m, w in zip(months, weights, strict=True) if start <= m <= end]
    if not inside:
        return None
    total_share = sum((w for _, w in inside), Fraction(0))
    due = sum((w * elapsed_fraction(m, today) for m, w in inside), Fraction(0))
    return total_share, due


def period_figures(
    targets: Sequence[TargetLike], start: dt.date, end: dt.date, today: dt.date
) -> tuple[int, int] | None:
    """(target, expected to date) in ten-thousandths for one assignee of an additive metric,
    exactly as ``period_months`` + ``total`` + ``expected_to_date`` + ``round_half_up``."""
    if len(targets) == 1:
        t = targets[0]
        pattern = (
            tuple(str(w) for w in t.weights) if t.distribution == "pattern" and t.weights else None
        )
        found = shape(t.start, t.end, pattern, start, end, today)
        if found is None:
            return None
        total_share, due = found
        value = getattr(t, "units", None)
        if value is None:
            value = units(t.value)
        return (
            round_div(value * total_share.numerator, total_share.denominator),
            round_div(value * due.numerator, due.denominator),
        )
    months = period_months(targets, start, end)
    if months is None:
        return None
    target = total(months) or Fraction(0)
    expected = expected_to_date(months, today) or Fraction(0)
    return (
        round_div(target.numerator * 10_000, target.denominator),
        round_div(expected.numerator * 10_000, expected.denominator),
    )
