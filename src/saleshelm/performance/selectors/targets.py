"""Reads of targets, scoped by the actor, and target figures for periods."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

from django.db.models import Case, F, Q, QuerySet, TextField, When

from saleshelm.core.errors import NotFound
from saleshelm.core.sql import MoneyUnits, as_date, raw_rows
from saleshelm.performance import distribution
from saleshelm.performance.models import Target
from saleshelm.performance.permissions import visible_target_q
from saleshelm.tenancy.actors import Actor


class TargetSpec(NamedTuple):
    """What the figures need of a target (``distribution.TargetLike``), read without models."""

    metric: str
    assignee_id: int
    period_key: str
    start: dt.date
    end: dt.date
    value: Decimal
    distribution: str
    weights: list
    units: int | None = None  # ``value`` in ten-thousandths, when read raw


ASSIGNEE_FIELD = {
    "member": "member_id",
    "team": "team_id",
    "territory": "territory_id",
    "product_category": "product_category_id",
}


def target_list(
    *,
    actor: Actor,
    period: Any = None,
    metric: str | None = None,
    assignee_type: str | None = None,
    member_id: int | None = None,
    team_id: int | None = None,
    territory_id: int | None = None,
) -> QuerySet[Target]:
    """Targets the actor may read; ``period`` (a Period) keeps those overlapping it."""
    qs = (
        Target.objects.filter(organisation_id=actor.organisation_id)
        .filter(visible_target_q(actor=actor))
        .select_related("member__user", "team", "territory", "product_category")
    )
    if period is not None:
        qs = qs.filter(start__lte=period.end, end__gte=period.start)
    if metric:
        qs = qs.filter(metric=metric)
    if assignee_type:
        qs = qs.filter(assignee_type=assignee_type)
    if member_id is not None:
        qs = qs.filter(member_id=member_id)
    if team_id is not None:
        qs = qs.filter(team_id=team_id)
    if territory_id is not None:
        qs = qs.filter(territory_id=territory_id)
    return qs.order_by("start", "metric", "assignee_type", "pk")


def access_target(*, actor: Actor, id: int, for_update: bool = False) -> Target:
    qs = Target.objects.filter(organisation_id=actor.organisation_id, pk=id).filter(
        visible_target_q(actor=actor)
    )
    if for_update:
        qs = qs.select_for_update(of=("self",))
    target = qs.select_related("member__user", "team", "territory", "product_category").first()
    if target is None:
        raise NotFound("Target")
    return target


def targets_by_assignee(
    *,
    organisation_id: int,
    metric: str | None,
    assignee_type: str,
    start: dt.date,
    end: dt.date,
    category_id: int | None = None,
    assignee_ids: set[int] | None = None,
) -> dict[int, list[TargetSpec]]:
    """Per assignee: its targets overlapping [start, end] (one query; every metric when
    ``metric`` is None); turn them into figures with ``distribution.period_months`` or
    ``distribution.level_target``."""
    field = ASSIGNEE_FIELD[assignee_type]
    qs = Target.objects.filter(
        organisation_id=organisation_id,
        assignee_type=assignee_type,
        start__lte=end,
        end__gte=start,
    )
    if metric is not None:
        qs = qs.filter(metric=metric)
    if assignee_type == "product_category":
        qs = qs.filter(product_category_id__isnull=False)
    else:
        qs = qs.filter(
            Q(product_category_id=category_id)
            if category_id is not None
            else Q(product_category_id__isnull=True)
        )
    if assignee_ids is not None:
        qs = qs.filter(**{f"{field}__in": sorted(assignee_ids)})
    grouped: dict[int, list[TargetSpec]] = defaultdict(list)
    # Read raw (thousands of rows): the value as exact ten-thousandths, and the weights only
    # of a pattern (an even target has none to decode).
    pattern_weights = Case(
        When(distribution="pattern", then=F("weights")),
        default=None,
        output_field=TextField(),
    )
    rows = raw_rows(
        qs.order_by()
        .annotate(u=MoneyUnits("value"), w=pattern_weights)
        .values_list("metric", field, "period_key", "start", "end", "u", "distribution", "w")
    )
    for metric, assignee, key, start, end, u, dist, weights in rows:
        grouped[assignee].append(
            TargetSpec(
                metric,
                assignee,
                key,
                as_date(start),
                as_date(end),
                Decimal(int(u)).scaleb(-4),
                dist,
                json.loads(weights, parse_float=Decimal) if isinstance(weights, str) else weights,
                int(u),
            )
        )
    return dict(grouped)


def member_target_totals(
    *,
    organisation_id: int,
    metric: str,
    start: dt.date,
    end: dt.date,
    member_ids: frozenset[int] | set[int] | None = None,
) -> dict[int, Decimal]:
    grouped = targets_by_assignee(
        organisation_id=organisation_id,
        metric=metric,
        assignee_type="member",
        start=start,
        end=end,
        assignee_ids=None if member_ids is None else set(member_ids),
    )
    out = {}
    for member, targets in grouped.items():
        months = distribution.period_months(targets, start, end)
        if months is not None:
            out[member] = distribution.round_half_up(sum(months.values(), Fraction(0)))
    return out
