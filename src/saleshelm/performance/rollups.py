"""The revenue rollup (``MemberMonthFact``), rebuilt in bulk and kept fresh incrementally.

How a line is credited (SPEC §6, the same rule as ``saleshelm.crm.services.orders``):

- each order line goes to its owner, or, when it has a split, to each split member for
  ``net x share`` rounded half-up to 4 places (the same for cost and quantity);
- it counts ``+net`` in the month of its ``order_date``;
- a line later cancelled (status ``cancelled``), or a sold line returned whole (status
  ``returned`` with a positive quantity), also counts ``-net`` in the month of its
  ``status_date``: a cancellation in the booking month nets to zero there, a later one
  reduces the later month and never rewrites the earlier one;
- a negative line (return, credit note) simply counts, negative, in its own month.

Freshness without crm knowing about us: ``RollupState`` keeps, per organisation, the newest
``updated_at`` of the order lines (and of their splits) already folded in. A refresh finds
the months touched by anything changed since (order-date and status-date months), deletes
those months of the organisation's facts and inserts them again from the raw lines in one
``INSERT … SELECT``. Asking "has anything changed?" is one indexed ``MAX(updated_at)``.

What a watermark cannot see — a line deleted outright, or a line whose order date moves
from one month to another (its old month is not known any more) — is repaired by the
nightly full rebuild (``performance.rollups_rebuild``). Lines written with a timestamp a
little older than the watermark (a long transaction committing late) are caught by
re-reading ``OVERLAP`` before the watermark on every refresh.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.db.models.functions import TruncMonth
from django.utils import timezone

from saleshelm.performance.models import MemberMonthFact, RollupState
from saleshelm.performance.sql import money_units_sql, month_sql, share_units_sql

log = logging.getLogger("saleshelm.performance")

# Re-read this much before the watermark: a transaction that stamped its lines before the
# watermark moved but committed after is still folded in by the next refresh.
OVERLAP = dt.timedelta(minutes=10)
# Beyond this many touched months a refresh rebuilds the whole organisation instead.
MAX_MONTHS_INCREMENTAL = 36

LINE_TABLE = "crm_orderline"
SPLIT_TABLE = "crm_orderlinesplit"
FACT_TABLE = MemberMonthFact._meta.db_table
STATE_TABLE = RollupState._meta.db_table


@dataclass(frozen=True)
class RefreshResult:
    organisation_id: int
    months: tuple[dt.date, ...] = ()
    rebuilt: bool = False

    @property
    def changed(self) -> bool:
        return self.rebuilt or bool(self.months)


def _month_ranges(months: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Contiguous runs of months as [first day, last day] date ranges."""
    ranges: list[tuple[dt.date, dt.date]] = []
    for m in sorted(set(months)):
        nxt = (m.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        last = nxt - dt.timedelta(days=1)
        if ranges and ranges[-1][1] + dt.timedelta(days=1) == m:
            ranges[-1] = (ranges[-1][0], last)
        else:
            ranges.append((m, last))
    return ranges


def _insert_sql(*, months: list[dt.date] | None) -> tuple[str, list]:
    """The one statement that recomputes facts of one organisation (all months, or ``months``).

    Parameters: the organisation id first (twice); month filters follow.
    """
    backend = connection.vendor
    units = lambda expr: money_units_sql(expr, backend=backend)  # noqa: E731
    share = lambda expr: share_units_sql(expr, "s.share", backend=backend)  # noqa: E731
    month = lambda expr: month_sql(expr, backend=backend)  # noqa: E731
    params: list = []
    line_filter = ""
    m1_filter = ""
    m2_filter = ""
    if months is not None:
        ranges = _month_ranges(months)
        by_order = " OR ".join("(l.order_date BETWEEN %s AND %s)" for _ in ranges)
        by_status = " OR ".join("(l.status_date BETWEEN %s AND %s)" for _ in ranges)
        line_filter = f" AND (({by_order}) OR ({by_status}))"
        for lo, hi in ranges:
            params += [lo, hi]
        for lo, hi in ranges:
            params += [lo, hi]
        placeholders = ", ".join("%s" for _ in months)
        m1_filter = f" WHERE m1 IN ({placeholders})"
        m2_filter = f" AND m2 IN ({placeholders})"
    reversal = "l.status = 'cancelled' OR (l.status = 'returned' AND l.quantity > 0)"
    sql = f"""
WITH lines AS (
  SELECT l.id AS id, l.owner_id AS owner_id, l.product_category_id AS cat,
         {units("COALESCE(l.net_amount_reporting, 0)")} AS net_u,
         {units("COALESCE(l.cost_amount_reporting, 0)")} AS cost_u,
         {units("l.quantity")} AS qty_u,
         {month("l.order_date")} AS m1,
         CASE WHEN {reversal} THEN {month("COALESCE(l.status_date, l.order_date)")} END AS m2
  FROM {LINE_TABLE} l
  WHERE l.organisation_id = %s{line_filter}
),
credits AS (
  SELECT ln.owner_id AS member_id, ln.cat AS cat, ln.net_u AS net_u, ln.cost_u AS cost_u,
         ln.qty_u AS qty_u, ln.m1 AS m1, ln.m2 AS m2
  FROM lines ln
  WHERE NOT EXISTS (SELECT 1 FROM {SPLIT_TABLE} s WHERE s.line_id = ln.id)
  UNION ALL
  SELECT s.member_id, ln.cat, {share("ln.net_u")}, {share("ln.cost_u")}, {share("ln.qty_u")},
         ln.m1, ln.m2
  FROM lines ln JOIN {SPLIT_TABLE} s ON s.line_id = ln.id
),
events AS (
  SELECT member_id, cat, m1 AS month, net_u, cost_u, qty_u, 1 AS n FROM credits{m1_filter}
  UNION ALL
  SELECT member_id, cat, m2, -net_u, -cost_u, -qty_u, -1 FROM credits
  WHERE m2 IS NOT NULL{m2_filter}
)
INSERT INTO {FACT_TABLE}
  (organisation_id, member_id, month, product_category_id, revenue, gross_margin, units,
   line_count)
SELECT %s, member_id, month, cat, SUM(net_u), SUM(net_u - cost_u), SUM(qty_u), SUM(n)
FROM events
GROUP BY member_id, month, cat
"""  # noqa: S608 - only table names, fixed SQL fragments and placeholders are interpolated
    filter_params = params
    month_params = [] if months is None else list(months) + list(months)
    return sql, [*filter_params, *month_params]


def _recompute(organisation_id: int, months: list[dt.date] | None) -> None:
    """Delete and re-insert the facts of one organisation (all months or the given ones)."""
    sql, extra = _insert_sql(months=months)
    with connection.cursor() as cursor:
        if months is None:
            cursor.execute(
                f"DELETE FROM {FACT_TABLE} WHERE organisation_id = %s",  # noqa: S608
                [organisation_id],
            )
        else:
            placeholders = ", ".join("%s" for _ in months)
            cursor.execute(
                f"DELETE FROM {FACT_TABLE} WHERE organisation_id = %s AND month IN ({placeholders})",  # noqa: S608
                [organisation_id, *months],
            )
        # Parameter order in the statement: lines' organisation, the line filters, the month
        # filters, then the organisation of the inserted rows.
        n_filters = 0 if months is None else 4 * len(_month_ranges(months))
        params = [organisation_id, *extra[:n_filters], *extra[n_filters:], organisation_id]
        cursor.execute(sql, params)


def _latest_changes(organisation_id: int) -> tuple[dt.datetime | None, dt.datetime | None]:
    from saleshelm.crm.models import OrderLine, OrderLineSplit

    lines = OrderLine.objects.filter(organisation_id=organisation_id).aggregate(m=Max("updated_at"))
    splits = OrderLineSplit.objects.filter(organisation_id=organisation_id).aggregate(
        m=Max("updated_at")
    )
    return lines["m"], splits["m"]


def _touched_months(
    organisation_id: int, lines_since: dt.datetime | None, splits_since: dt.datetime | None
) -> set[dt.date]:
    """Order-date and status-date months of the lines changed since the watermarks."""
    from saleshelm.crm.models import OrderLine, OrderLineSplit

    months: set[dt.date] = set()
    lines = OrderLine.objects.filter(organisation_id=organisation_id)
    if lines_since is not None:
        lines = lines.filter(updated_at__gt=lines_since)
    for field in ("order_date", "status_date"):
        months.update(
            lines.exclude(**{f"{field}__isnull": True})
            .annotate(m=TruncMonth(field))
            .order_by()
            .values_list("m", flat=True)
            .distinct()
        )
    splits = OrderLineSplit.objects.filter(organisation_id=organisation_id)
    if splits_since is not None:
        splits = splits.filter(updated_at__gt=splits_since)
    for field in ("line__order_date", "line__status_date"):
        months.update(
            splits.exclude(**{f"{field}__isnull": True})
            .annotate(m=TruncMonth(field))
            .order_by()
            .values_list("m", flat=True)
            .distinct()
        )
    return {m if isinstance(m, dt.date) else dt.date.fromisoformat(str(m)[:10]) for m in months}


def rollups_stale(organisation_id: int) -> bool | None:
    """One cheap query: has any line or split changed since the watermarks?

    None when the organisation has no rollup yet (it needs a full build)."""
    sql = f"""
SELECT
  CASE WHEN lm.m IS NULL THEN 0 WHEN rs.lines_watermark IS NULL THEN 1
       WHEN lm.m > rs.lines_watermark THEN 1 ELSE 0 END,
  CASE WHEN sm.m IS NULL THEN 0 WHEN rs.splits_watermark IS NULL THEN 1
       WHEN sm.m > rs.splits_watermark THEN 1 ELSE 0 END
FROM {STATE_TABLE} rs,
     (SELECT MAX(updated_at) AS m FROM {LINE_TABLE} WHERE organisation_id = %s) lm,
     (SELECT MAX(updated_at) AS m FROM {SPLIT_TABLE} WHERE organisation_id = %s) sm
WHERE rs.organisation_id = %s
"""  # noqa: S608 - table names only
    with connection.cursor() as cursor:
        cursor.execute(sql, [organisation_id, organisation_id, organisation_id])
        row = cursor.fetchone()
    if row is None:
        return None
    return bool(row[0]) or bool(row[1])


def _lock_state(organisation_id: int) -> RollupState:
    """The organisation's state row, locked for this transaction (created when missing)."""
    state = RollupState.objects.select_for_update().filter(organisation_id=organisation_id).first()
    if state is not None:
        return state
    try:
        with transaction.atomic():
            RollupState.objects.create(organisation_id=organisation_id)
    except IntegrityError:
        pass  # created by a concurrent refresh; lock theirs
    return RollupState.objects.select_for_update().get(organisation_id=organisation_id)


def rollups_refresh(organisation_id: int, *, sweep: bool = False) -> RefreshResult:
    """Fold every line change since the watermark into the rollup; idempotent.

    Costs one indexed query when nothing changed. ``sweep`` (the scheduled refresh) also
    re-reads the ``OVERLAP`` before the watermark when the newest change is not newer, to
    fold in late commits; selectors skip that to stay at one query.
    """
    stale = rollups_stale(organisation_id)
    if stale is False and not sweep:
        return RefreshResult(organisation_id)
    with transaction.atomic():
        state = _lock_state(organisation_id)
        lines_max, splits_max = _latest_changes(organisation_id)
        if state.rebuilt_at is None:
            _recompute(organisation_id, None)
            now = timezone.now()
            RollupState.objects.filter(pk=state.pk).update(
                lines_watermark=lines_max,
                splits_watermark=splits_max,
                rebuilt_at=now,
                refreshed_at=now,
                updated_at=now,
            )
            return RefreshResult(organisation_id, rebuilt=True)
        lines_since = None if state.lines_watermark is None else state.lines_watermark - OVERLAP
        splits_since = None if state.splits_watermark is None else state.splits_watermark - OVERLAP
        months = sorted(_touched_months(organisation_id, lines_since, splits_since))
        rebuilt = len(months) > MAX_MONTHS_INCREMENTAL
        if months:
            _recompute(organisation_id, None if rebuilt else months)
        now = timezone.now()
        RollupState.objects.filter(pk=state.pk).update(
            lines_watermark=_newest(state.lines_watermark, lines_max),
            splits_watermark=_newest(state.splits_watermark, splits_max),
            refreshed_at=now,
            updated_at=now,
            **({"rebuilt_at": now} if rebuilt else {}),
        )
    if months:
        log.debug("rollup refresh org=%s months=%s", organisation_id, [str(m) for m in months])
    return RefreshResult(organisation_id, months=tuple(months), rebuilt=rebuilt)


def _newest(a: dt.datetime | None, b: dt.datetime | None) -> dt.datetime | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def rollups_rebuild(organisation_id: int) -> RefreshResult:
    """Rebuild one organisation's facts from the raw lines (the nightly repair)."""
    with transaction.atomic():
        state = _lock_state(organisation_id)
        lines_max, splits_max = _latest_changes(organisation_id)
        _recompute(organisation_id, None)
        now = timezone.now()
        RollupState.objects.filter(pk=state.pk).update(
            lines_watermark=lines_max,
            splits_watermark=splits_max,
            rebuilt_at=now,
            refreshed_at=now,
            updated_at=now,
        )
    return RefreshResult(organisation_id, rebuilt=True)
