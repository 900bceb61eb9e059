"""The metric catalogue (SPEC §6): what can be targeted, measured and ranked.

A metric is registered once with its key, label, kind (``outcome`` or ``behaviour``), unit
(``money``, ``count``, ``ratio``, ``days``) and how it is computed. Other apps extend the
catalogue by calling ``register(Metric(...))`` from their ``apps.ready`` or a module they
import.

Every computation answers, for each member, a pair ``(numerator, denominator)``: additive
metrics (revenue, calls) have no denominator; ratios and averages (win rate, average deal
size) keep both parts so that a team's figure is the ratio of its sums, not an average of
its members' ratios. Revenue, gross margin and units read the rollup; the others are one
aggregate query over the crm tables grouped by owner — never a Python loop over rows.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from saleshelm.core.errors import ApplicationError
from saleshelm.core.sql import ExactMoneySum, from_units, raw_rows

OUTCOME = "outcome"
BEHAVIOUR = "behaviour"
KINDS = (OUTCOME, BEHAVIOUR)
UNITS = ("money", "count", "ratio", "days")
FOLLOW_UP_DAYS = 2
# Places shown for each unit (SPEC §6: money 2, ratios 4).
PLACES = {"money": 2, "count": 0, "ratio": 4, "days": 1}

Parts = tuple[Decimal, Decimal | None]


@dataclass(frozen=True)
class MetricQuery:
    """What to measure: one organisation, a span of whole days, optionally some members only
    and some product categories only (metrics that support it)."""

    organisation_id: int
    start: dt.date
    end: dt.date
    time_zone: str = "UTC"
    member_ids: frozenset[int] | None = None  # None: every member
    category_ids: frozenset[int] | None = None  # None: every category

    @property
    def start_at(self) -> dt.datetime:
        return dt.datetime.combine(
            self.start, dt.time.min, tzinfo=zoneinfo.ZoneInfo(self.time_zone)
        )

    @property
    def end_before(self) -> dt.datetime:
        day_after = self.end + dt.timedelta(days=1)
        return dt.datetime.combine(day_after, dt.time.min, tzinfo=zoneinfo.ZoneInfo(self.time_zone))

    def owned(self, qs: QuerySet, field: str = "owner_id") -> QuerySet:
        qs = qs.filter(organisation_id=self.organisation_id)
        if self.member_ids is not None:
            qs = qs.filter(**{f"{field}__in": sorted(self.member_ids)})
        return qs


@dataclass(frozen=True)
class Metric:
    key: str
    label: Any
    kind: str  # outcome | behaviour
    unit: str  # money | count | ratio | days
    compute: Callable[[MetricQuery], dict[int, Parts]]
    description: Any = ""
    source: str = "crm"  # "rollup" for the metrics read from MemberMonthFact
    supports_category: bool = False
    higher_is_better: bool = True
    # Additive metrics add up over members and months and can be projected at run rate.
    additive: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def places(self) -> int:
        return int(self.extra.get("places", PLACES[self.unit]))

    def value(self, parts: Parts | None) -> Decimal | None:
        """The figure from its parts: the numerator, or numerator / denominator."""
        if parts is None:
            return Decimal(0) if self.additive else None
        num, den = parts
        if den is None:
            return num
        if den == 0:
            return None
        return num / den


_REGISTRY: dict[str, Metric] = {}


def register(metric: Metric) -> Metric:
    if metric.kind not in KINDS:
        raise ApplicationError(f"metric kind must be one of {KINDS}", code="invalid_metric")
    if metric.unit not in UNITS:
        raise ApplicationError(f"metric unit must be one of {UNITS}", code="invalid_metric")
    existing = _REGISTRY.get(metric.key)
    if existing is not None and existing.compute is not metric.compute:
        raise ApplicationError(f"metric {metric.key!r} is already registered", code="exists")
    _REGISTRY[metric.key] = metric
    return metric


def unregister(key: str) -> None:
    _REGISTRY.pop(key, None)


def get_metric(key: str | None) -> Metric:
    metric = _REGISTRY.get((key or "").strip())
    if metric is None:
        raise ApplicationError(
            f"{key!r} is not a metric; one of {', '.join(_REGISTRY)}",
            code="unknown_metric",
            field="metric",
            status=422,
        )
    return metric


def all_metrics() -> list[Metric]:
    return list(_REGISTRY.values())


def metrics_of_kind(kind: str) -> list[Metric]:
    return [m for m in _REGISTRY.values() if m.kind == kind]


# --- helpers ----------------------------------------------------------------------------------


def _pairs(rows: Iterable[tuple[int, Any, Any]], *, money: bool = False) -> dict[int, Parts]:
    out: dict[int, Parts] = {}
    for member, num, den in rows:
        n = from_units(num) if money else Decimal(num or 0)
        out[member] = (n, None if den is None else Decimal(den))
    return out


def _counts(qs: QuerySet, field: str = "owner_id") -> dict[int, Parts]:
    rows = qs.order_by().values(field).annotate(n=Count("pk")).values_list(field, "n")
    return {m: (Decimal(n), None) for m, n in rows if m is not None}


class DaysBetween(Func):
    """Whole days from ``earlier`` to ``later`` (two date expressions), on both backends."""

    output_field = IntegerField()
    arity = 2

    def as_sqlite(self, compiler, connection, **extra_context):
        later, lp = compiler.compile(self.source_expressions[0])
        earlier, ep = compiler.compile(self.source_expressions[1])
        return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)", [*lp, *ep]

    def as_postgresql(self, compiler, connection, **extra_context):
        later, lp = compiler.compile(self.source_expressions[0])
        earlier, ep = compiler.compile(self.source_expressions[1])
        return f"(CAST({later} AS date) - CAST({earlier} AS date))", [*lp, *ep]


# --- rollup metrics ---------------------------------------------------------------------------


def _rollup(column: str) -> Callable[[MetricQuery], dict[int, Parts]]:
    def compute(q: MetricQuery) -> dict[int, Parts]:
        from saleshelm.performance.models import MemberMonthFact

        qs = MemberMonthFact.objects.filter(
            organisation_id=q.organisation_id, month__gte=q.start.replace(day=1), month__lte=q.end
        )
        if q.member_ids is not None:
            qs = qs.filter(member_id__in=sorted(q.member_ids))
        if q.category_ids is not None:
            qs = qs.filter(product_category_id__in=sorted(q.category_ids))
        rows = raw_rows(
            qs.order_by().values("member_id").annotate(v=Sum(column)).values_list("member_id", "v")
        )
        return {m: (from_units(v), None) for m, v in rows}

    compute.__name__ = f"rollup_{column}"
    return compute


# --- deals ------------------------------------------------------------------------------------


def _opportunities(q: MetricQuery) -> QuerySet:
    from saleshelm.crm.models import Opportunity

    return q.owned(Opportunity.objects.all())


def _closed_in(q: MetricQuery) -> Q:
    """Closed in the span: when it was closed (``closed_at``), else its close date."""
    return Q(closed_at__gte=q.start_at, closed_at__lt=q.end_before) | Q(
        closed_at__isnull=True, close_date__gte=q.start, close_date__lte=q.end
    )


def _won(q: MetricQuery) -> QuerySet:
    return _opportunities(q).filter(_closed_in(q), stage__kind="won")


def won_deals(q: MetricQuery) -> dict[int, Parts]:
    return _counts(_won(q))


def win_rate(q: MetricQuery) -> dict[int, Parts]:
    rows = (
        _opportunities(q)
        .filter(_closed_in(q), stage__kind__in=["won", "lost"])
        .order_by()
        .values("owner_id")
        .annotate(won=Count("pk", filter=Q(stage__kind="won")), closed=Count("pk"))
        .values_list("owner_id", "won", "closed")
    )
    return _pairs(rows)


def avg_deal_size(q: MetricQuery) -> dict[int, Parts]:
    rows = (
        _won(q)
        .order_by()
        .values("owner_id")
        .annotate(total=ExactMoneySum("amount_reporting"), n=Count("pk"))
        .values_list("owner_id", "total", "n")
    )
    return _pairs(rows, money=True)


def sales_cycle_days(q: MetricQuery) -> dict[int, Parts]:
    tz = zoneinfo.ZoneInfo(q.time_zone)
    closed_day = Coalesce(TruncDate("closed_at", tzinfo=tz), F("close_date"))
    rows = (
        _won(q)
        .order_by()
        .values("owner_id")
        .annotate(days=Sum(DaysBetween(closed_day, F("created_date"))), n=Count("pk"))
        .values_list("owner_id", "days", "n")
    )
    return _pairs(rows)


def pipeline_created(q: MetricQuery) -> dict[int, Parts]:
    rows = (
        _opportunities(q)
        .filter(created_date__gte=q.start, created_date__lte=q.end)
        .order_by()
        .values("owner_id")
        .annotate(total=ExactMoneySum("amount_reporting"))
        .values_list("owner_id", "total")
    )
    return {m: (from_units(v), None) for m, v in rows}


def pipeline_coverage(q: MetricQuery) -> dict[int, Parts]:
    """Open pipeline expected to close in the span / the member's revenue target for it."""
    from saleshelm.performance.selectors.targets import member_target_totals

    rows = (
        _opportunities(q)
        .filter(stage__kind="open", close_date__gte=q.start, close_date__lte=q.end)
        .order_by()
        .values("owner_id")
        .annotate(total=ExactMoneySum("amount_reporting"))
        .values_list("owner_id", "total")
    )
    open_pipeline = {m: from_units(v) for m, v in rows}
    targets = member_target_totals(
        organisation_id=q.organisation_id,
        metric="revenue",
        start=q.start,
        end=q.end,
        member_ids=q.member_ids,
    )
    out: dict[int, Parts] = {}
    for member in set(open_pipeline) | set(targets):
        out[member] = (open_pipeline.get(member, Decimal(0)), targets.get(member, Decimal(0)))
    return out


def new_accounts(q: MetricQuery) -> dict[int, Parts]:
    from saleshelm.crm.models import Account

    qs = q.owned(Account.objects.all()).filter(
        owner__isnull=False, created_date__gte=q.start, created_date__lte=q.end
    )
    return _counts(qs)


# --- behaviours -------------------------------------------------------------------------------


def _activities(q: MetricQuery) -> QuerySet:
    from saleshelm.crm.models import Activity

    return q.owned(Activity.objects.all()).filter(
        done=True, occurred_at__gte=q.start_at, occurred_at__lt=q.end_before
    )


def _activity_count(kind: str) -> Callable[[MetricQuery], dict[int, Parts]]:
    def compute(q: MetricQuery) -> dict[int, Parts]:
        return _counts(_activities(q).filter(type=kind))

    compute.__name__ = f"activity_count_{kind}"
    return compute


def activities_per_deal(q: MetricQuery) -> dict[int, Parts]:
    """Activities on deals / the distinct deals they were on."""
    rows = (
        _activities(q)
        .filter(opportunity__isnull=False)
        .order_by()
        .values("owner_id")
        .annotate(n=Count("pk"), deals=Count("opportunity_id", distinct=True))
        .values_list("owner_id", "n", "deals")
    )
    return _pairs(rows)


def follow_up_within(days: int) -> Callable[[MetricQuery], dict[int, Parts]]:
    """Meetings and demos followed, by the same person within ``days``, by another activity on
    the same deal or account / all meetings and demos."""

    def compute(q: MetricQuery) -> dict[int, Parts]:
        from django.db.models import DateTimeField, ExpressionWrapper

        from saleshelm.crm.models import Activity

        horizon = ExpressionWrapper(
            OuterRef("occurred_at") + dt.timedelta(days=days), output_field=DateTimeField()
        )
        follow = Activity.objects.filter(
            organisation_id=OuterRef("organisation_id"),
            owner_id=OuterRef("owner_id"),
            done=True,
            occurred_at__gt=OuterRef("occurred_at"),
            occurred_at__lte=horizon,
        ).filter(
            Q(opportunity_id=OuterRef("opportunity_id")) | Q(account_id=OuterRef("account_id"))
        )
        rows = (
            _activities(q)
            .filter(type__in=["meeting", "demo"])
            .order_by()
            .values("owner_id")
            .annotate(followed=Count("pk", filter=Exists(follow)), n=Count("pk"))
            .values_list("owner_id", "followed", "n")
        )
        return _pairs(rows)

    compute.__name__ = f"follow_up_within_{days}_days"
    return compute


# --- the catalogue ----------------------------------------------------------------------------

register(
    Metric(
        "revenue",
        _("Revenue"),
        OUTCOME,
        "money",
        _rollup("revenue"),
        _(
            "Net order amount credited to the member (reporting currency), net of cancellations and returns."
        ),
        source="rollup",
        supports_category=True,
    )
)
register(
    Metric(
        "gross_margin",
        _("Gross margin"),
        OUTCOME,
        "money",
        _rollup("gross_margin"),
        _("Credited net amount minus its cost (a line without a cost counts no cost)."),
        source="rollup",
        supports_category=True,
    )
)
register(
    Metric(
        "units",
        _("Units"),
        OUTCOME,
        "count",
        _rollup("units"),
        _("Credited quantity sold, net of cancellations and returns."),
        source="rollup",
        supports_category=True,
        extra={"places": 2},
    )
)
register(
    Metric(
        "new_accounts",
        _("New accounts"),
        OUTCOME,
        "count",
        new_accounts,
        _("Accounts created in the period, by owner."),
    )
)
register(
    Metric("won_deals", _("Won deals"), OUTCOME, "count", won_deals, _("Deals won in the period."))
)
register(
    Metric(
        "win_rate",
        _("Win rate"),
        OUTCOME,
        "ratio",
        win_rate,
        _("Deals won / deals closed (won or lost) in the period."),
        additive=False,
    )
)
register(
    Metric(
        "avg_deal_size",
        _("Average deal size"),
        OUTCOME,
        "money",
        avg_deal_size,
        _("Amount of the deals won in the period / their number."),
        additive=False,
    )
)
register(
    Metric(
        "sales_cycle_days",
        _("Sales cycle (days)"),
        OUTCOME,
        "days",
        sales_cycle_days,
        _("Average days from creation to win of the deals won in the period."),
        additive=False,
        higher_is_better=False,
    )
)
register(
    Metric(
        "pipeline_created",
        _("Pipeline created"),
        OUTCOME,
        "money",
        pipeline_created,
        _("Amount of the deals created in the period."),
    )
)
register(
    Metric(
        "pipeline_coverage",
        _("Pipeline coverage"),
        OUTCOME,
        "ratio",
        pipeline_coverage,
        _("Open pipeline expected to close in the period / the revenue target of the period."),
        additive=False,
    )
)
register(Metric("calls", _("Calls"), BEHAVIOUR, "count", _activity_count("call"), _("Calls made.")))
register(
    Metric(
        "meetings",
        _("Meetings"),
        BEHAVIOUR,
        "count",
        _activity_count("meeting"),
        _("Meetings held."),
    )
)
register(
    Metric("demos", _("Demos"), BEHAVIOUR, "count", _activity_count("demo"), _("Demos given."))
)
register(
    Metric(
        "activities_per_deal",
        _("Activities per deal"),
        BEHAVIOUR,
        "ratio",
        activities_per_deal,
        _("Activities logged on deals / the deals they were on."),
        additive=False,
    )
)
register(
    Metric(
        "follow_up_within_n_days",
        format_lazy(_("Follow-up within {days} days"), days=FOLLOW_UP_DAYS),
        BEHAVIOUR,
        "ratio",
        follow_up_within(FOLLOW_UP_DAYS),
        _("Share of meetings and demos followed up on the same deal or account within the days."),
        additive=False,
        extra={"days": FOLLOW_UP_DAYS},
    )
)
