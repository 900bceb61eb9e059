"""What development reads from the performance app: pacing, coverage and results.

Data flows crm -> performance -> development. This module is the one place that knows the
performance app's selectors. They answer for the whole organisation from a handful of
aggregate queries (``performance.selectors.board.Board``), so the signal rules built on them
stay set-based. When the performance app is not installed every function answers ``None``
and the rules and agenda sections that need it are skipped, never faked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.utils.translation import gettext as _

from saleshelm.core import numbers
from saleshelm.core.errors import NotFound
from saleshelm.core.periods import Period, period_of
from saleshelm.development.templatetags.development_tags import grouped


@dataclass(frozen=True)
class PaceRow:
    member_id: int
    period: str
    day_of_period: int
    target: Decimal
    actual: Decimal
    expected_to_date: Decimal
    pacing: Decimal | None


@dataclass(frozen=True)
class CoverageRow:
    member_id: int
    period: str
    pipeline: Decimal
    remaining_target: Decimal
    coverage: Decimal | None


def available() -> bool:
    return apps.is_installed("saleshelm.performance")


def _period(organisation, kind: str, today: dt.date) -> Period:
    return period_of(today, kind, fiscal_start_month=organisation.fiscal_year_start_month)


def _member_rows(organisation, period: Period, metric: str, today: dt.date, cache: dict | None):
    """Attainment rows of every member for one metric and period (memoised per run)."""
    from saleshelm.performance.selectors.attainment import attainment_rows
    from saleshelm.tenancy.actors import SystemActor

    key = ("rows", organisation.pk, period.key, metric, today)
    if cache is not None and key in cache:
        return cache[key]
    _, _, rows = attainment_rows(
        actor=SystemActor(organisation, label="signals"),
        period=period,
        metric=metric,
        group="member",
        today=today,
    )
    if cache is not None:
        cache[key] = rows
    return rows


def pacing_by_member(
    *, organisation, kind: str, metric: str, today: dt.date, cache: dict | None = None
) -> list[PaceRow] | None:
    """Every member with a target for the period containing ``today``: their pacing."""
    if not available():
        return None
    period = _period(organisation, kind, today)
    day = (today - period.start).days + 1
    return [
        PaceRow(
            member_id=r.id,
            period=period.key,
            day_of_period=day,
            target=r.target,
            actual=r.actual or Decimal(0),
            expected_to_date=r.expected_to_date or Decimal(0),
            pacing=r.pacing,
        )
        for r in _member_rows(organisation, period, metric, today, cache)
        if r.target
    ]


def coverage_by_member(
    *, organisation, kind: str, today: dt.date, cache: dict | None = None
) -> list[CoverageRow] | None:
    """Open pipeline closing between today and the end of the period, against what is
    left of the revenue target (target - actual). One aggregate over the open deals."""
    if not available():
        return None
    from saleshelm.core.sql import ExactMoneySum, from_units
    from saleshelm.crm.models import Opportunity, StageKind

    period = _period(organisation, kind, today)
    remaining = {
        r.id: r.target - (r.actual or Decimal(0))
        for r in _member_rows(organisation, period, "revenue", today, cache)
        if r.target
    }
    if not remaining:
        return []
    pipeline = {
        owner: from_units(total)
        for owner, total in Opportunity.objects.filter(
            organisation_id=organisation.pk,
            stage__kind=StageKind.OPEN,
            close_date__gte=today,
            close_date__lte=period.end,
        )
        .order_by()
        .values("owner_id")
        .annotate(total=ExactMoneySum("amount_reporting"))
        .values_list("owner_id", "total")
    }
    out = []
    for member_id, left in remaining.items():
        open_amount = pipeline.get(member_id, Decimal(0))
        coverage = (open_amount / left).quantize(Decimal("0.01")) if left > 0 else None
        out.append(
            CoverageRow(
                member_id=member_id,
                period=period.key,
                pipeline=open_amount,
                remaining_target=left,
                coverage=coverage,
            )
        )
    return out


def _pct(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{grouped(value * 100)}%"


def _money(value: Decimal | None, currency: str) -> str:
    if value is None:
        return "—"
    # Whole units read best in an agenda line; the statements keep the cents.
    return numbers.money(value, currency, places=0)


def member_results(*, actor, member, today: dt.date) -> list[dict[str, Any]] | None:
    """Agenda lines for a member's revenue this month and this quarter (target, actual,
    attainment and pacing) and the pipeline coverage of the quarter, as the actor sees them."""
    if not available():
        return None
    from saleshelm.development.signals_engine import settings_for
    from saleshelm.performance.selectors.attainment import member_period_summary
    from saleshelm.performance.selectors.board import Board

    organisation = member.organisation
    board = Board(actor=actor, today=today)
    settings = settings_for(organisation.pk)
    floor = Decimal(1) - settings.behind_pace_by
    entries = []
    try:
        for kind in ("month", "quarter"):
            period = _period(organisation, kind, today)
            summary = member_period_summary(
                actor=actor,
                member_id=member.pk,
                period=period,
                metrics=("revenue", "pipeline_coverage") if kind == "quarter" else ("revenue",),
                today=today,
                board=board,
            )
            for item in summary["metrics"]:
                row = item["row"]
                metric = item["metric"]
                if row is None:
                    continue
                if metric.key == "pipeline_coverage":
                    if row.actual is None:
                        continue
                    entries.append(
                        {
                            "title": _("Pipeline coverage, %(period)s") % {"period": period.key},
                            "detail": f"{grouped(row.actual, 1)}×",
                            "tone": "warning" if row.actual < settings.coverage_below else "",
                        }
                    )
                    continue
                if row.target is None:
                    detail = _("%(actual)s, no target") % {
                        "actual": _money(row.actual, organisation.currency)
                    }
                    tone = ""
                else:
                    detail = _("%(actual)s of %(target)s (%(attainment)s); pacing %(pacing)s") % {
                        "actual": _money(row.actual, organisation.currency),
                        "target": _money(row.target, organisation.currency),
                        "attainment": _pct(row.attainment),
                        "pacing": _pct(row.pacing),
                    }
                    tone = "warning" if row.pacing is not None and row.pacing < floor else ""
                entries.append(
                    {
                        "title": _("Revenue, %(period)s") % {"period": period.key},
                        "detail": detail,
                        "tone": tone,
                    }
                )
    except NotFound:
        return None
    return entries
