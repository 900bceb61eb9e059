"""The bridge to the performance catalogue: which metrics exist, and their live actuals and
targets for a period and an assignee. Key results bound to a metric read through here only,
so the definition of "revenue" lives once, in performance."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps

PERFORMANCE_APP = "saleshelm.performance"


def available() -> bool:
    return apps.is_installed(PERFORMANCE_APP)


def metric_choices() -> list[tuple[str, str]]:
    """(key, label) of every metric of the catalogue, outcome metrics first."""
    if not available():
        return []
    from saleshelm.performance import metrics as registry

    return [(m.key, str(m.label)) for m in registry.all_metrics()]


def unit_of(key: str) -> str:
    """money, count, ratio or days ("" for an unknown metric)."""
    if not available() or not key:
        return ""
    from saleshelm.performance import metrics as registry

    metric = next((m for m in registry.all_metrics() if m.key == key), None)
    return metric.unit if metric is not None else ""


def is_metric(key: str) -> bool:
    return bool(key) and any(k == key for k, _ in metric_choices())


@dataclass(frozen=True)
class Measure:
    """What a metric key result reads: metric, period key and assignee."""

    metric: str
    period: str
    scope: str  # organisation | team | territory | member
    scope_id: int | None = None


@dataclass(frozen=True)
class Reading:
    actual: Decimal | None
    target: Decimal | None


def read(
    *, organisation, measures: list[Measure], today: dt.date | None = None
) -> dict[Measure, Reading]:
    """Actual and target of each measure, read through the performance selectors.

    Goals are shared by the whole organisation, so their measures are read as the
    organisation (a system actor), not as the member looking at the page. One performance
    ``Board`` serves every measure, so each (metric, period) aggregate runs once:
    - member: that member's actual and target (``member_rows``);
    - team (territory): with its sub-teams, and its own target (``node_rows``);
    - organisation: every member's actuals, and the member targets summed (``kpis``).
    A metric that has left the catalogue reads as nothing (no progress)."""
    if not measures or not available():
        return {}
    from saleshelm.core.errors import ApplicationError
    from saleshelm.performance.selectors.attainment import kpis, member_rows, node_rows
    from saleshelm.performance.selectors.board import Board
    from saleshelm.tenancy.actors import SystemActor

    board = Board(actor=SystemActor(organisation, label="direction"), today=today)
    out: dict[Measure, Reading] = {}
    groups: dict[tuple[str, str], list[Measure]] = defaultdict(list)
    for m in measures:
        groups[(m.metric, m.period)].append(m)
    for (metric_key, period_key), wanted in groups.items():
        try:
            metric = board.metric(metric_key)
            period = board.period(period_key)
        except ApplicationError:
            continue
        scopes = {m.scope for m in wanted}
        if "organisation" in scopes:
            figure = kpis(actor=board.actor, period=period, metrics=(metric.key,), board=board)[
                "kpis"
            ][0]
            reading = Reading(actual=figure["actual"], target=figure["target"])
            for m in wanted:
                if m.scope == "organisation":
                    out[m] = reading
        for group in ("team", "territory"):
            if group not in scopes:
                continue
            rows = {r.id: r for r in node_rows(board, metric, period, group)}
            for m in wanted:
                if m.scope == group and m.scope_id in rows:
                    row = rows[m.scope_id]
                    out[m] = Reading(actual=row.actual, target=row.target)
        if "member" in scopes:
            ids = {m.scope_id for m in wanted if m.scope == "member" and m.scope_id}
            rows = {r.id: r for r in member_rows(board, metric, period, only=ids)}
            for m in wanted:
                if m.scope == "member" and m.scope_id in rows:
                    row = rows[m.scope_id]
                    out[m] = Reading(actual=row.actual, target=row.target)
    return out
