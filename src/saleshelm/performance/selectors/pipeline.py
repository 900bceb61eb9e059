"""Pipeline figures for dashboards and forecasts: by stage, by forecast category, weighted.

Weighted amount = amount (reporting currency) x the deal's probability (its own, else its
stage's), rounded half-up to 4 places per deal; a won deal counts in full. Money sums are
exact integer sums (``saleshelm.core.sql``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from saleshelm.core.periods import Period
from saleshelm.core.sql import ExactMoneySum, MoneyUnits, ShareUnits, from_units
from saleshelm.performance.selectors.board import Board, board_for
from saleshelm.tenancy.actors import Actor

CATEGORIES = ("pipeline", "best_case", "commit", "closed")


def _weighted():
    probability = Coalesce(F("probability"), F("stage__probability"))
    return Sum(
        Case(
            When(stage__kind="won", then=MoneyUnits(F("amount_reporting"))),
            default=ShareUnits(F("amount_reporting"), probability),
        )
    )


def _opportunities(board: Board):
    from saleshelm.crm.models import Opportunity

    qs = Opportunity.objects.filter(organisation_id=board.organisation_id)
    visible = board.visible_members()
    if visible is not None:
        qs = qs.filter(owner_id__in=sorted(visible))
    return qs


def pipeline_by_stage(
    *,
    actor: Actor,
    period: str | Period | None = None,
    pipeline_id: int | None = None,
    today: dt.date | None = None,
    board: Board | None = None,
) -> list[dict[str, Any]]:
    """Open deals of the people the actor sees, per stage (in pipeline order): count, amount,
    weighted amount. With ``period``, only deals expected to close in it. One query."""
    board = board_for(actor=actor, today=today, board=board)
    qs = _opportunities(board).filter(stage__kind="open")
    if period is not None:
        p = board.period(period)
        qs = qs.filter(close_date__gte=p.start, close_date__lte=p.end)
    if pipeline_id is not None:
        qs = qs.filter(pipeline_id=pipeline_id)
    rows = (
        qs.order_by()
        .values(
            "pipeline_id",
            "pipeline__name",
            "stage_id",
            "stage__name",
            "stage__position",
            "stage__probability",
        )
        .annotate(n=Count("pk"), amount=ExactMoneySum("amount_reporting"), weighted=_weighted())
        .order_by("pipeline__name", "pipeline_id", "stage__position", "stage_id")
    )
    return [
        {
            "pipeline": {"id": r["pipeline_id"], "name": r["pipeline__name"]},
            "stage": {
                "id": r["stage_id"],
                "name": r["stage__name"],
                "position": r["stage__position"],
                "probability": r["stage__probability"],
            },
            "count": r["n"],
            "amount": from_units(r["amount"]),
            "weighted": from_units(r["weighted"]),
        }
        for r in rows
    ]


def forecast_pipeline(
    *,
    actor: Actor,
    period: str | Period | None = None,
    today: dt.date | None = None,
    board: Board | None = None,
) -> dict[str, Any]:
    """Deals of the period by member and forecast category: open deals expected to close in
    it and deals won in it (lost deals are out). One query."""
    board = board_for(actor=actor, today=today, board=board)
    p = board.period(period)
    q = board.metric_query(p)
    won_in = Q(stage__kind="won") & (
        Q(closed_at__gte=q.start_at, closed_at__lt=q.end_before)
        | Q(closed_at__isnull=True, close_date__gte=p.start, close_date__lte=p.end)
    )
    open_in = Q(stage__kind="open", close_date__gte=p.start, close_date__lte=p.end)
    rows = (
        _opportunities(board)
        .filter(open_in | won_in)
        .annotate(
            category=Case(
                When(stage__kind="won", then=Value("closed")), default=F("forecast_category")
            )
        )
        .order_by()
        .values("owner_id", "category")
        .annotate(n=Count("pk"), amount=ExactMoneySum("amount_reporting"), weighted=_weighted())
        .values_list("owner_id", "category", "n", "amount", "weighted")
    )
    members: dict[int, dict[str, Any]] = defaultdict(
        lambda: {c: {"count": 0, "amount": Decimal(0), "weighted": Decimal(0)} for c in CATEGORIES}
    )
    totals: dict[str, dict[str, Any]] = {
        c: {"count": 0, "amount": Decimal(0), "weighted": Decimal(0)} for c in CATEGORIES
    }
    for owner, category, n, amount, weighted in rows:
        cat = category if category in CATEGORIES else "pipeline"
        for bucket in (members[owner][cat], totals[cat]):
            bucket["count"] += n
            bucket["amount"] += from_units(amount)
            bucket["weighted"] += from_units(weighted)
    return {
        "period": p,
        "currency": board.currency,
        "members": dict(members),
        "totals": totals,
        "weighted_total": sum((t["weighted"] for t in totals.values()), Decimal(0)),
    }
