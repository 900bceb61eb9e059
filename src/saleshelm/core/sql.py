"""Exact money in SQL, once, for every backend and every app (crm's order totals,
performance's rollups and dashboards).

SQLite keeps ``DecimalField`` values as REAL, so ``SUM(net_amount)`` there is a float sum
that drifts in the last cents. Every money sum in SQL therefore turns each value into
whole ten-thousandths first (our amounts have at most 4 decimal places, so the conversion is
exact) and adds integers: ``SUM(CAST(ROUND(x * 10000) AS INTEGER))``. PostgreSQL's numeric
is exact already; the same integer form keeps both backends' answers identical.

``money_units_sql`` is the fragment for hand-written SQL (the rollup); ``MoneyUnits`` and
``ExactMoneySum`` are the same fragment as ORM expressions; ``from_units`` turns the integer
back into a ``Decimal``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import BigIntegerField, Func, Sum

UNITS = 10_000
FOUR_PLACES = Decimal("0.0001")


def vendor() -> str:
    return connection.vendor


def money_units_sql(expr: str, *, backend: str | None = None) -> str:
    """SQL turning a decimal expression (at most 4 places) into exact integer ten-thousandths."""
    if (backend or vendor()) == "sqlite":
        return f"CAST(ROUND(({expr}) * {UNITS}) AS INTEGER)"
    # PostgreSQL: numeric -> bigint rounds half away from zero, exactly as ROUND would, so the
    # cast alone gives the same integer for one numeric operation less per value.
    return f"CAST(({expr}) * {UNITS} AS BIGINT)"


def share_units_sql(units_expr: str, share_expr: str, *, backend: str | None = None) -> str:
    """An integer amount (ten-thousandths) times a share (4 places), rounded half-up to
    ten-thousandths — ``(amount * share).quantize(Decimal("0.0001"), ROUND_HALF_UP)`` — in
    integer arithmetic: the product is whole hundred-millionths, and integer division
    truncates toward zero on both backends, so adding ±5000 first rounds half away from zero.
    """
    share = money_units_sql(share_expr, backend=backend)
    product = f"(({units_expr}) * {share})"
    return f"(({product} + CASE WHEN {product} >= 0 THEN 5000 ELSE -5000 END) / {UNITS})"


def month_sql(expr: str, *, backend: str | None = None) -> str:
    """The first day of the calendar month of a date expression."""
    if (backend or vendor()) == "sqlite":
        return f"(substr({expr}, 1, 8) || '01')"
    # Date arithmetic, not date_trunc: date_trunc would turn the date into a timestamp with
    # time zone first, a conversion per row.
    return f"(({expr}) - CAST(EXTRACT(DAY FROM {expr}) AS integer) + 1)"


class MoneyUnits(Func):
    """ORM form of ``money_units_sql``."""

    output_field = BigIntegerField()

    def as_sql(self, compiler, conn, **extra_context):  # type: ignore[override]
        inner, params = compiler.compile(self.source_expressions[0])
        return money_units_sql(inner, backend=conn.vendor), params


class ExactMoneySum(Sum):
    """``Sum`` of ``MoneyUnits``: an exact integer total in ten-thousandths."""

    output_field = BigIntegerField()

    def __init__(self, expression: Any, **extra: Any) -> None:
        super().__init__(MoneyUnits(expression), output_field=BigIntegerField(), **extra)


def from_units(value: Any) -> Decimal:
    """Ten-thousandths (int, or the numeric PostgreSQL answers for SUM) -> Decimal, 4 places."""
    if value is None:
        return Decimal("0.0000")
    return Decimal(int(value)).scaleb(-4)


def to_units(amount: Decimal) -> int:
    return int((amount * UNITS).to_integral_value())


class ShareUnits(Func):
    """ORM form of ``share_units_sql``: an amount times a fraction, in exact ten-thousandths
    rounded half-up (a deal's amount times its win probability)."""

    output_field = BigIntegerField()
    arity = 2

    def as_sql(self, compiler, conn, **extra_context):  # type: ignore[override]
        amount, ap = compiler.compile(self.source_expressions[0])
        share, sp = compiler.compile(self.source_expressions[1])
        units = money_units_sql(amount, backend=conn.vendor)
        # ``share_units_sql`` writes the product twice (once to pick the rounding side), so
        # the parameters of both operands appear twice, in that order.
        sql = share_units_sql(units, share, backend=conn.vendor)
        assert sql.count(units) == 2
        return sql, [*ap, *sp] * 2


def raw_rows(qs: Any) -> list[tuple]:
    """Run a ``values_list`` queryset and answer the driver's tuples as they come, without
    Django's per-value converters (which dominate the cost of reading thousands of rows).

    Values come as the driver gives them: on SQLite dates are ``YYYY-MM-DD`` strings and
    booleans 0/1, decimals floats (so never select a raw decimal: select ``MoneyUnits``);
    on PostgreSQL dates are dates. Callers normalise what they read (``as_date``)."""
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


_DATES: dict[str, Any] = {}


def as_date(value: Any) -> Any:
    """A date from a raw row (a string on SQLite, a date on PostgreSQL), parsed once each."""
    if value is None or not isinstance(value, str):
        return value
    found = _DATES.get(value)
    if found is None:
        import datetime as dt

        found = _DATES[value] = dt.date.fromisoformat(value[:10])
        if len(_DATES) > 10_000:
            _DATES.clear()
    return found
