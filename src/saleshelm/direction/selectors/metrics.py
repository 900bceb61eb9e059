"""The bridge to the performance catalogue: which metrics exist, and their live actuals and
targets for a period and an assignee. Key results bound to a metric read through here only,
so the definition of "revenue" lives once, in performance."""

from __future__ import annotations

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


def is_metric(key: str) -> bool:
    return bool(key) and any(k == key for k, _ in metric_choices())


@dataclass(frozen=True)
class Measure:
    """What a metric key result reads: metric, period key and assignee."""

    metric: str
    period: str
    scope: str  # organisation | team | member
    scope_id: int | None = None


@dataclass(frozen=True)
class Reading:
    actual: Decimal | None
    target: Decimal | None


def read(*, organisation, measures: list[Measure]) -> dict[Measure, Reading]:
    """Actual and target of each measure, in as few queries as performance allows."""
    if not measures or not available():
        return {}
    raise NotImplementedError  # wired to performance selectors when the app lands
