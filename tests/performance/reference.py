"""The crediting rule written the slow, obvious way over the raw lines, to check the rollup.

Deliberately independent of ``saleshelm.performance.rollups``: plain Python and Decimal,
one line at a time.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from saleshelm.crm.models import OrderLine

FOUR = Decimal("0.0001")


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def credited_by_member_month(organisation) -> dict[tuple[int, dt.date, int | None], dict]:
    """{(member, month, category): {"revenue", "gross_margin", "units", "line_count"}}."""
    out: dict = defaultdict(
        lambda: {
            "revenue": Decimal(0),
            "gross_margin": Decimal(0),
            "units": Decimal(0),
            "line_count": 0,
        }
    )
    lines = OrderLine.objects.filter(organisation=organisation).prefetch_related("splits")
    for line in lines:
        net = line.net_amount_reporting or Decimal(0)
        cost = line.cost_amount_reporting or Decimal(0)
        qty = line.quantity
        splits = list(line.splits.all())
        if splits:
            credits = [
                (
                    s.member_id,
                    (net * s.share).quantize(FOUR, ROUND_HALF_UP),
                    (cost * s.share).quantize(FOUR, ROUND_HALF_UP),
                    (qty * s.share).quantize(FOUR, ROUND_HALF_UP),
                )
                for s in splits
            ]
        else:
            credits = [(line.owner_id, net, cost, qty)]
        events = [(_month(line.order_date), 1)]
        reversed_later = line.status == "cancelled" or (
            line.status == "returned" and line.quantity > 0
        )
        if reversed_later:
            events.append((_month(line.status_date or line.order_date), -1))
        for month, sign in events:
            for member, c_net, c_cost, c_qty in credits:
                cell = out[(member, month, line.product_category_id)]
                cell["revenue"] += sign * c_net
                cell["gross_margin"] += sign * (c_net - c_cost)
                cell["units"] += sign * c_qty
                cell["line_count"] += sign
    return dict(out)


def revenue_by_member(organisation, start: dt.date, end: dt.date) -> dict[int, Decimal]:
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for (member, month, _cat), cell in credited_by_member_month(organisation).items():
        if start <= month <= end:
            totals[member] += cell["revenue"]
    return dict(totals)
