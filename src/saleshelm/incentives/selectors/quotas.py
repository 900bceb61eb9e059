"""Quotas for ``"quota": "target"``: each member's own target of a metric over a period.

The targets belong to the performance app; its selector ``member_target_totals`` answers
every member of the organisation for one metric and span in one query, spreading longer
targets over their months (a yearly target covers a quarter with its distribution). One
call per (metric, measurement period) a run needs, whatever the number of members.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal


def member_targets(
    *, organisation_id: int, wanted: Iterable[tuple[str, str, dt.date, dt.date]]
) -> dict[tuple[int, str, str], Decimal]:
    """``{(member id, metric, period key): target}`` for (metric, period key, start, end)."""
    from saleshelm.performance.selectors.targets import member_target_totals

    out: dict[tuple[int, str, str], Decimal] = {}
    for metric, key, start, end in sorted(set(wanted)):
        totals = member_target_totals(
            organisation_id=organisation_id, metric=metric, start=start, end=end
        )
        for member_id, value in totals.items():
            out[(member_id, metric, key)] = value
    return out
