"""Seed targets and forecasts for the seeded span (``saleshelm seed``; see core.seeding).

Runs after the crm seeder. It first builds the revenue rollup from the seeded lines, then
sets targets the seeded sales can be measured against:

- every rep: a revenue target per fiscal quarter of the span (and the quarter in progress)
  with a seasonality pattern over its months, calibrated on the rep's own seeded sales
  (0.85x to 1.25x of their monthly average, so some beat it and some miss it); a won-deals
  target per quarter and a calls target per month (even);
- every team and territory: a revenue target per quarter equal to the sum of its members'
  (sub-teams and sub-territories included), with the same seasonality;
- forecasts: for the last and the current quarter, each rep submits once or twice (the
  history is kept) and a manager overrides a few, with a reason.

Everything is written in bulk; reseeding an organisation skips targets that already exist.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum
from django.utils import timezone

from saleshelm.core.periods import Period, parse_period, period_of
from saleshelm.core.seeding import SeedContext
from saleshelm.core.sql import from_units
from saleshelm.performance.distribution import months_between
from saleshelm.performance.models import (
    Distribution,
    ForecastOverride,
    ForecastSubmission,
    MemberMonthFact,
    Target,
    assignee_key,
)
from saleshelm.performance.rollups import rollups_rebuild

BATCH = 2000
# Relative sales by calendar month: a slow Tết (January-February), a strong year end.
SEASON = {
    1: Decimal("0.80"),
    2: Decimal("0.70"),
    3: Decimal("1.00"),
    4: Decimal("1.00"),
    5: Decimal("1.00"),
    6: Decimal("1.05"),
    7: Decimal("0.95"),
    8: Decimal("1.00"),
    9: Decimal("1.05"),
    10: Decimal("1.05"),
    11: Decimal("1.10"),
    12: Decimal("1.25"),
}
DEFAULT_MONTHLY = {"USD": Decimal(30000), "VND": Decimal(750_000_000)}
ROUNDING = {"USD": Decimal(100), "VND": Decimal(1_000_000)}
REASONS_EN = (
    "Largest deal slipped to next quarter",
    "Pipeline is thinner than the call",
    "Two renewals confirmed early",
)
REASONS_VI = (
    "Hợp đồng lớn nhất lùi sang quý sau",
    "Pipeline mỏng hơn dự báo",
    "Hai hợp đồng gia hạn được xác nhận sớm",
)


def _quarters(ctx: SeedContext) -> list[Period]:
    fiscal = ctx.organisation.fiscal_year_start_month
    out: list[Period] = []
    day = ctx.start
    while day <= ctx.today:
        p = period_of(day, "quarter", fiscal_start_month=fiscal)
        if not out or out[-1].key != p.key:
            out.append(p)
        day = p.end + dt.timedelta(days=1)
    return out


def pattern(period: Period) -> list[Decimal]:
    """The seasonal weights of the period's months, 4 places, summing to exactly 1."""
    months = period.months
    indices = [SEASON[m.month] for m in months]
    total = sum(indices, Decimal(0))
    weights = [(i / total).quantize(Decimal("0.0001"), ROUND_HALF_UP) for i in indices]
    weights[-1] = Decimal(1) - sum(weights[:-1], Decimal(0))
    return weights


def _round(value: Decimal, currency: str) -> Decimal:
    step = ROUNDING.get(currency, Decimal(100))
    return (value / step).quantize(Decimal(1), ROUND_HALF_UP) * step


def _monthly_average(ctx: SeedContext, rep_ids: list[int]) -> dict[int, Decimal]:
    """Each rep's average monthly revenue over the finished months of the span."""
    this_month = ctx.today.replace(day=1)
    n_months = max(1, len(months_between(ctx.start, this_month)) - 1)
    rows = (
        MemberMonthFact.objects.filter(
            organisation=ctx.organisation,
            member_id__in=rep_ids,
            month__gte=ctx.start,
            month__lt=this_month,
        )
        .order_by()
        .values("member_id")
        .annotate(v=Sum("revenue"))
        .values_list("member_id", "v")
    )
    return {m: from_units(v) / n_months for m, v in rows if v and v > 0}


def seed(ctx: SeedContext) -> None:
    org = ctx.organisation
    rollups_rebuild(org.pk)
    reps = ctx.reps
    if not reps:
        return
    rng = ctx.random
    currency = org.currency
    quarters = _quarters(ctx)
    months = [parse_period(f"{m:%Y-%m}") for m in months_between(ctx.start, ctx.today)]
    rep_ids = [r.pk for r in reps]
    averages = _monthly_average(ctx, rep_ids)
    default = DEFAULT_MONTHLY.get(currency, DEFAULT_MONTHLY["USD"])

    from saleshelm.people.models import MemberProfile, Team, Territory

    placement = {
        m: (team_path or "", territory_path or "")
        for m, team_path, territory_path in MemberProfile.objects.filter(
            organisation=org
        ).values_list("membership_id", "team__path", "territory__path")
    }
    now = timezone.now()
    targets: list[Target] = []
    # (quarter key, member) -> revenue target, for teams, territories and forecasts.
    revenue_targets: dict[tuple[str, int], Decimal] = {}

    def add(metric: str, period: Period, value: Decimal, *, weights=None, **assignee) -> None:
        ids = {f"{k}_id": getattr(v, "pk", v) for k, v in assignee.items()}
        kind = next(iter(assignee))
        targets.append(
            Target(
                organisation=org,
                metric=metric,
                period_key=period.key,
                period_kind=period.kind,
                start=period.start,
                end=period.end,
                assignee_type=kind,
                assignee_key=assignee_key(
                    member_id=ids.get("member_id"),
                    team_id=ids.get("team_id"),
                    territory_id=ids.get("territory_id"),
                ),
                value=value,
                distribution=Distribution.PATTERN if weights else Distribution.EVEN,
                weights=[str(w) for w in weights] if weights else [],
                created_at=now,
                updated_at=now,
                **ids,
            )
        )

    for rep in reps:
        base = averages.get(rep.pk, default * Decimal(str(round(rng.uniform(0.6, 1.4), 2))))
        stretch = Decimal(str(round(rng.uniform(0.85, 1.25), 2)))
        for q in quarters:
            weights = pattern(q)
            season = sum((SEASON[m.month] for m in q.months), Decimal(0))
            value = _round(base * stretch * season, currency)
            revenue_targets[(q.key, rep.pk)] = value
            add("revenue", q, value, weights=weights, member=rep)
            add("won_deals", q, Decimal(rng.randint(3, 12)), member=rep)
        for m in months:
            add("calls", m, Decimal(rng.randint(40, 90)), member=rep)

    teams = list(Team.objects.filter(organisation=org).values_list("pk", "path"))
    territories = list(Territory.objects.filter(organisation=org).values_list("pk", "path"))
    for q in quarters:
        weights = pattern(q)
        team_sum: dict[int, Decimal] = defaultdict(Decimal)
        territory_sum: dict[int, Decimal] = defaultdict(Decimal)
        for rep in reps:
            value = revenue_targets[(q.key, rep.pk)]
            team_path, territory_path = placement.get(rep.pk, ("", ""))
            for pk in (int(p) for p in team_path.strip("/").split("/") if p):
                team_sum[pk] += value
            for pk in (int(p) for p in territory_path.strip("/").split("/") if p):
                territory_sum[pk] += value
        for pk, _path in teams:
            if team_sum.get(pk):
                add("revenue", q, team_sum[pk], weights=weights, team=pk)
        for pk, _path in territories:
            if territory_sum.get(pk):
                add("revenue", q, territory_sum[pk], weights=weights, territory=pk)

    with ctx.progress.stage("targets", len(targets)) as advance:
        for i in range(0, len(targets), BATCH):
            chunk = targets[i : i + BATCH]
            Target.objects.bulk_create(chunk, ignore_conflicts=True)
            advance(len(chunk))

    # Forecasts for the last quarter and the one in progress.
    submissions: list[ForecastSubmission] = []
    overrides: list[ForecastOverride] = []
    managers: dict[int, int | None] = {t_pk: None for t_pk, _ in teams}
    managers.update(dict(Team.objects.filter(organisation=org).values_list("pk", "manager_id")))
    reasons = REASONS_VI if ctx.is_vietnamese else REASONS_EN
    tz = dt.UTC
    for q in quarters[-2:]:
        for rep in reps:
            target = revenue_targets[(q.key, rep.pk)]
            calls = [q.start + dt.timedelta(days=10), q.start + dt.timedelta(days=40)]
            for n, day in enumerate(calls):
                if day > ctx.today or (n == 1 and rng.random() < 0.4):
                    continue
                amount = _round(target * Decimal(str(round(rng.uniform(0.7, 1.1), 2))), currency)
                commit = _round(amount * Decimal("0.6"), currency)
                best = _round(amount * Decimal("0.25"), currency)
                submissions.append(
                    ForecastSubmission(
                        organisation=org,
                        member=rep,
                        period_key=q.key,
                        start=q.start,
                        end=q.end,
                        amount=amount,
                        breakdown={
                            "commit": str(commit),
                            "best_case": str(best),
                            "pipeline": str(amount - commit - best),
                        },
                        submitted_at=dt.datetime.combine(day, dt.time(9, 0), tzinfo=tz),
                        submitted_by=rep,
                        created_at=now,
                        updated_at=now,
                    )
                )
                if n == 0 and rng.random() < 0.1:
                    team_path = placement.get(rep.pk, ("", ""))[0]
                    ids = [int(p) for p in team_path.strip("/").split("/") if p]
                    manager_id = managers.get(ids[-1]) if ids else None
                    if manager_id and manager_id != rep.pk:
                        overrides.append(
                            ForecastOverride(
                                organisation=org,
                                period_key=q.key,
                                start=q.start,
                                end=q.end,
                                member=rep,
                                amount=_round(amount * Decimal("0.85"), currency),
                                reason=rng.choice(reasons),
                                author_id=manager_id,
                                overridden_at=dt.datetime.combine(
                                    day + dt.timedelta(days=2), dt.time(17, 0), tzinfo=tz
                                ),
                                created_at=now,
                                updated_at=now,
                            )
                        )
    for i in range(0, len(submissions), BATCH):
        ForecastSubmission.objects.bulk_create(submissions[i : i + BATCH])
    ForecastOverride.objects.bulk_create(overrides, batch_size=BATCH)

    ctx.counts["targets"] = ctx.counts.get("targets", 0) + len(targets)
    ctx.counts["forecasts"] = ctx.counts.get("forecasts", 0) + len(submissions)
    ctx.shared["performance.quarters"] = [q.key for q in quarters]
    ctx.summary.append(f"{len(targets):,} targets, {len(submissions):,} forecasts")
