"""Quotas for ``"quota": "target"``: each member's own target of a metric for a period.

The targets belong to the performance app (``performance.Target``, assignee type
``member``, no product category). One query answers every member, metric and period a
commission run needs.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Q


def member_targets(
    *, organisation_id: int, wanted: Iterable[tuple[str, str]]
) -> dict[tuple[int, str, str], Decimal]:
    """``{(member id, metric, period key): target value}`` for the (metric, period) pairs."""
    pairs = sorted(set(wanted))
    if not pairs:
        return {}
    from saleshelm.performance.models import AssigneeType, Target

    match = Q()
    for metric, period_key in pairs:
        match |= Q(metric=metric, period_key=period_key)
    rows = (
        Target.objects.filter(
            organisation_id=organisation_id,
            assignee_type=AssigneeType.MEMBER,
            product_category__isnull=True,
        )
        .filter(match)
        .values_list("member_id", "metric", "period_key", "value")
    )
    return {(member_id, metric, key): value for member_id, metric, key, value in rows}
