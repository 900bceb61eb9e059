"""Commission run over the bench organisation (SPEC §10): every member on a plan of 3-tier
accelerators on quarter attainment (marginal, quota = each member's revenue target), with
credit splits and clawbacks of earlier lines cancelled in the quarter, statements written.

Measured here:

- the run (``commission_run_calculate``: load, compute, write every statement, payout line
  and credit line) in seconds, and per million order lines;
- the number of SQL statements, at two member counts (every member, and a plan covering half
  of them): it must not depend on the number of members;
- beside a Polars computation of the same payouts from the same database (reading the lines
  and splits with one SQL query, the quotas and the previous quarter's clawback rates),
  whose lines and totals must equal ours to the cent.

The previous quarter is calculated first (not timed): its statements give the rates at which
lines cancelled in the measured quarter are clawed back.

    python -m bench S --db both --only commissions
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from decimal import Decimal

PLAN = "Bench accelerators"
HALF_PLAN = "Bench accelerators (half)"
TIERS = [("0", "0.04"), ("1.0", "0.06"), ("1.5", "0.08")]
CLAWBACK_DAYS = 90
GOAL_SECONDS_PER_MILLION = 5.0
GOAL_RATIO = 10.0


def _definition(name: str, members: list[str], currency: str) -> dict:
    return {
        "name": name,
        "currency": currency,
        "measure": "quarter",
        "pay": "quarter",
        "effective_from": "2000-01-01",
        "clawback_days": CLAWBACK_DAYS,
        "members": members,
        "components": [
            {
                "name": "Revenue",
                "basis": "revenue",
                "tiers_on": "attainment",
                "quota": "target",
                "mode": "marginal",
                "applies_to": "period",
                "tiers": [{"from": f, "rate": r} for f, r in TIERS],
            }
        ],
    }


def _ensure_plan(org, name: str, emails: list[str]):
    from saleshelm.incentives.models import Plan
    from saleshelm.incentives.services import plan_import
    from saleshelm.tenancy.actors import SystemActor

    plan = Plan.objects.filter(organisation=org, name=name).first()
    if plan is None:
        plan_import(
            actor=SystemActor(org, label="bench"),
            data=_definition(name, emails, org.currency),
        )
        plan = Plan.objects.get(organisation=org, name=name)
    return plan


def _run(org, period: str, plan):
    from saleshelm.incentives.services import (
        commission_run_calculate,
        commission_run_get_or_create,
    )
    from saleshelm.tenancy.actors import SystemActor

    actor = SystemActor(org, label="bench")
    r = commission_run_get_or_create(actor=actor, period=period, plan=plan)
    return commission_run_calculate(actor=actor, run=r)


def _quarters(org):
    """The last whole quarter of the data, and the one before."""
    from django.db.models import Max

    from saleshelm.core.periods import period_of
    from saleshelm.crm.models import OrderLine

    last = OrderLine.objects.filter(organisation=org).aggregate(d=Max("order_date"))["d"]
    fiscal = org.fiscal_year_start_month
    current = period_of(last, "quarter", fiscal_start_month=fiscal)
    if current.end > last:
        current = period_of(
            current.start - dt.timedelta(days=1), "quarter", fiscal_start_month=fiscal
        )
    previous = period_of(current.start - dt.timedelta(days=1), "quarter", fiscal_start_month=fiscal)
    return current, previous


# --- the reference: the same payouts computed with Polars ------------------------------------


def _half_up(pl, expr, divisor: int):
    """Integer ``expr / divisor`` rounded half away from zero (Decimal ROUND_HALF_UP)."""
    magnitude = (expr.abs() + divisor // 2) // divisor
    return pl.when(expr < 0).then(-magnitude).otherwise(magnitude)


def polars_payouts(org, quarter, members: list[int], plan_id: int) -> dict[int, list[tuple]]:
    """member id -> sorted [(kind, component, amount in cents)] of the measured quarter."""
    import polars as pl
    from django.db import connection

    from saleshelm.incentives.models import Statement
    from saleshelm.incentives.selectors.quotas import member_targets

    integer = "BIGINT" if connection.vendor == "postgresql" else "INTEGER"
    sql = f"""
        SELECT l.id, CAST(l.order_date AS TEXT), l.status, CAST(l.status_date AS TEXT),
               CAST(ROUND(CASE WHEN l.currency = %s THEN l.net_amount
                               ELSE l.net_amount_reporting END * 10000) AS {integer}),
               CASE WHEN l.quantity > 0 THEN 1 ELSE 0 END, l.owner_id, s.member_id,
               CAST(ROUND(s.share * 10000) AS {integer})
        FROM crm_orderline l LEFT JOIN crm_orderlinesplit s ON s.line_id = l.id
        WHERE l.organisation_id = %s
          AND ((l.order_date >= %s AND l.order_date <= %s)
               OR (l.status_date >= %s AND l.status_date <= %s
                   AND l.status IN ('cancelled', 'returned')))
    """  # the type name is chosen above; values are parameters
    q0, q1 = quarter.start, quarter.end
    with connection.cursor() as cursor:
        cursor.execute(sql, [org.currency, org.pk, q0, q1, q0, q1])
        rows = cursor.fetchall()
    schema = {
        "line": pl.Int64,
        "order_date": pl.Utf8,
        "status": pl.Utf8,
        "status_date": pl.Utf8,
        "net4": pl.Int64,
        "positive": pl.Int64,
        "owner": pl.Int64,
        "split_member": pl.Int64,
        "share4": pl.Int64,
    }
    df = pl.DataFrame(rows, schema=schema, orient="row")
    targets = member_targets(
        organisation_id=org.pk,
        wanted=[("revenue", quarter.key, quarter.start, quarter.end)],
    )
    quota4 = {m: int(v * 10000) for (m, _metric, _key), v in targets.items() if m in set(members)}
    previous = {}
    for member_id, start, summary in Statement.objects.filter(
        organisation=org, plan_id=plan_id, period_end__lt=quarter.start
    ).values_list("member_id", "period_start", "summary"):
        rate = (summary or {}).get("components", {}).get("Revenue", {}).get("rate")
        if rate:
            previous[(member_id, start)] = int(Decimal(rate) * 10**10)
    qs, qe = pl.lit(q0), pl.lit(q1)
    df = df.with_columns(
        pl.col("order_date").str.to_date(),
        pl.col("status_date").str.to_date(),
        pl.coalesce("split_member", "owner").alias("member"),
        pl.col("share4").fill_null(10000),
        _half_up(pl, pl.col("net4"), 100).alias("cents"),
    )
    # Splits: largest remainder at the cent, ties to the lowest member id.
    df = df.with_columns(
        pl.col("share4").sum().over("line").alias("weight"),
        pl.col("cents").abs().alias("mag"),
    ).with_columns((pl.col("mag") * pl.col("share4")).alias("exact"))
    df = df.with_columns(
        (pl.col("exact") // pl.col("weight")).alias("floor"),
        (pl.col("exact") % pl.col("weight")).alias("rem"),
    ).with_columns((pl.col("mag") - pl.col("floor").sum().over("line")).alias("left"))
    df = df.sort(["line", "rem", "member"], descending=[False, True, False]).with_columns(
        pl.int_range(pl.len()).over("line").alias("rank")
    )
    alloc = pl.col("floor") + (pl.col("rank") < pl.col("left")).cast(pl.Int64)
    df = df.with_columns(
        pl.when(pl.col("cents") < 0).then(-alloc).otherwise(alloc).alias("credited"),
        (
            (pl.col("status") == "cancelled")
            | ((pl.col("status") == "returned") & (pl.col("positive") == 1))
        ).alias("cancelled"),
    ).filter(pl.col("member").is_in(members))
    cancelled_on = pl.coalesce("status_date", "order_date")
    counted = df.filter(
        (pl.col("order_date") >= qs)
        & (pl.col("order_date") <= qe)
        & ~(pl.col("cancelled") & (cancelled_on <= qe))
    )
    basis = counted.group_by("member").agg(pl.col("credited").sum().alias("basis"))
    quotas = pl.DataFrame(
        {"member": list(quota4), "quota4": list(quota4.values())},
        schema={"member": pl.Int64, "quota4": pl.Int64},
    )
    b = basis.join(quotas, on="member", how="inner").filter(pl.col("quota4") > 0)
    # Units of 1e-6: basis in cents x 1e4; bounds = from (x100) x quota (x1e4).
    v = pl.col("basis") * 10000
    bounds = [int(Decimal(f) * 100) for f, _r in TIERS]
    rates = [int(Decimal(r) * 10000) for _f, r in TIERS]
    b1 = pl.col("quota4") * bounds[1]
    b2 = pl.col("quota4") * bounds[2]
    slices = [
        pl.min_horizontal(v, b1),
        pl.max_horizontal(pl.lit(0), pl.min_horizontal(v, b2) - b1),
        pl.max_horizontal(pl.lit(0), v - b2),
    ]
    tiers = b.with_columns([s.alias(f"s{i}") for i, s in enumerate(slices)]).with_columns(
        [_half_up(pl, pl.col(f"s{i}") * rates[i], 10**8).alias(f"a{i}") for i in range(3)]
    )
    out: dict[int, list[tuple]] = defaultdict(list)
    for row in tiers.select("member", "s0", "s1", "s2", "a0", "a1", "a2").iter_rows():
        member = row[0]
        for i in range(3):
            if row[1 + i] and rates[i]:
                out[member].append(("tier", "Revenue", row[4 + i]))
    # Clawbacks: booked before the quarter, cancelled in it, within the clawback window,
    # at the effective rate of the statement that paid the line.
    claw = df.filter(
        pl.col("cancelled")
        & (pl.col("order_date") < qs)
        & pl.col("status_date").is_between(qs, qe)
        & ((pl.col("status_date") - pl.col("order_date")).dt.total_days() <= CLAWBACK_DAYS)
        & (pl.col("credited") != 0)
    )
    starts = sorted({start for _m, start in previous})
    if len(claw) and starts:
        periods = pl.DataFrame(
            {
                "member": [m for m, _s in previous],
                "start": [s for _m, s in previous],
                "rate10": list(previous.values()),
            },
            schema={"member": pl.Int64, "start": pl.Date, "rate10": pl.Int64},
        ).sort("start")
        claw = (
            claw.sort("order_date")
            .join_asof(
                periods, left_on="order_date", right_on="start", by="member", check_sortedness=False
            )
            .filter(pl.col("rate10").is_not_null() & (pl.col("rate10") != 0))
            .with_columns(
                (-_half_up(pl, pl.col("credited") * pl.col("rate10"), 10**10)).alias("amount")
            )
        )
        for member, amount in claw.select("member", "amount").iter_rows():
            out[member].append(("clawback", "Revenue", amount))
    return {m: sorted(lines) for m, lines in out.items()}


def _ours(run) -> dict[int, list[tuple]]:
    from saleshelm.incentives.models import PayoutLine

    out: dict[int, list[tuple]] = defaultdict(list)
    for member, kind, component, amount in PayoutLine.objects.filter(
        statement__run=run
    ).values_list("statement__member_id", "kind", "component", "amount"):
        out[member].append((kind, component, int(amount * 100)))
    return {m: sorted(lines) for m, lines in out.items() if lines}


def run(ctx):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.harness import Result, median
    from saleshelm.crm.models import OrderLine
    from saleshelm.incentives.models import PlanAssignment, Statement
    from saleshelm.tenancy.models import Membership

    org = ctx.organisation
    current, previous = _quarters(org)
    people = list(
        Membership.objects.filter(organisation=org, is_active=True)
        .order_by("pk")
        .values_list("pk", "user__email")
    )
    emails = [e for _pk, e in people]
    plan = _ensure_plan(org, PLAN, emails)
    half = _ensure_plan(org, HALF_PLAN, emails[: len(emails) // 2])
    for p in (plan, half):
        _run(org, previous.key, p)
        _run(org, current.key, p)
    members = list(
        PlanAssignment.objects.filter(version__plan=plan).values_list("member_id", flat=True)
    )
    lines = OrderLine.objects.filter(
        organisation=org, order_date__range=(current.start, current.end)
    ).count()
    # Timed: recalculating the quarter (load, compute, rewrite every statement and line).
    samples = []
    counts = {}
    for p, label in ((plan, "all"), (half, "half"), (plan, "all"), (plan, "all")):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            r = _run(org, current.key, p)
            elapsed = time.perf_counter() - start
        counts[label] = len(queries.captured_queries)
        if label == "all":
            samples.append(elapsed)
    ours = median(samples)
    statements = Statement.objects.filter(run=r).count()
    # Reference: Polars from the same database.
    ref_samples = []
    answer = {}
    for _ in range(3):
        start = time.perf_counter()
        answer = polars_payouts(org, current, members, plan.pk)
        ref_samples.append(time.perf_counter() - start)
    reference = median(ref_samples)
    mine = _ours(r)
    equal = mine == answer
    differing = sorted(set(mine) ^ set(answer) | {m for m in mine if mine.get(m) != answer.get(m)})
    clawbacks = sum(1 for ls in mine.values() for k, _c, _a in ls if k == "clawback")
    per_million = ours * 1_000_000 / max(lines, 1)
    half_members = PlanAssignment.objects.filter(version__plan=half).count()
    notes = [
        f"{current.key}: {lines:,} order lines booked, {len(members)} members, "
        f"{statements} statements, {clawbacks} clawback lines",
        f"{per_million:.2f} s per 1M lines (goal ≤ {GOAL_SECONDS_PER_MILLION:.0f} s)",
        f"payouts equal to the cent: {equal}"
        + ("" if equal else f" (members differing: {differing[:10]})"),
    ]
    results = [
        Result(
            name="commission run (quarter, statements written)",
            ours=ours,
            unit="s",
            reference=reference,
            reference_name="Polars",
            goal=f"≤ {GOAL_RATIO:.0f}× Polars, ≤ 5 s / 1M lines, equal to the cent",
            ok=equal and ours <= GOAL_RATIO * reference and per_million <= GOAL_SECONDS_PER_MILLION,
            notes=notes,
        ),
        Result(
            name="commission run SQL statements",
            ours=counts["all"],
            unit="queries",
            goal="same count at any member count",
            ok=counts["all"] == counts["half"],
            notes=[
                f"{counts['all']} at {len(members)} members, {counts['half']} at "
                f"{half_members} members"
            ],
        ),
    ]
    return results
