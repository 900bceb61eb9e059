"""Seeding of pay: one commission plan for the reps (quarterly attainment on the revenue
target, three marginal tiers with an accelerator, a bonus at 100 %, a manager override), and
for a demo-sized organisation the runs of the last three finished months — the two older
ones approved and locked, the latest calculated and waiting for finance — so statements,
disputes and "what this deal earns you" have something real to show.

The plan goes through ``plan_import`` and the runs through the run services, exactly as
finance would do it. Large organisations (the benchmark datasets) get the plan only: their
runs are what ``bench/commissions.py`` measures.
"""

from __future__ import annotations

import datetime as dt

from saleshelm.core.periods import parse_period
from saleshelm.core.seeding import SeedContext
from saleshelm.incentives import services
from saleshelm.incentives.models import Plan

RUNS_UP_TO_REPS = 200
NAMES = {"en": "Account executives {year}", "vi": "Nhân viên kinh doanh {year}"}


def _plan_definition(ctx: SeedContext) -> dict:
    org = ctx.organisation
    lang = "vi" if ctx.is_vietnamese else "en"
    vnd = org.currency == "VND"
    return {
        "name": NAMES[lang].format(year=ctx.today.year),
        "currency": org.currency,
        "measure": "quarter",
        "pay": "month",
        "effective_from": ctx.start.isoformat(),
        "clawback_days": 90,
        "members": sorted(r.user.email.lower() for r in ctx.reps),
        "components": [
            {
                "name": "Doanh thu" if lang == "vi" else "Revenue",
                "basis": "revenue",
                "tiers_on": "attainment",
                "quota": "target",
                "mode": "marginal",
                "applies_to": "period",
                "tiers": [
                    {"from": "0", "rate": "0.03"},
                    {"from": "0.8", "rate": "0.05"},
                    {"from": "1.0", "rate": "0.08"},
                ],
                "bonuses": [{"at": "1.0", "amount": "20000000" if vnd else "1000"}],
            }
        ],
        "manager_override": {"rate": "0.01"},
    }


def _finished_months(today: dt.date, n: int) -> list[str]:
    keys, year, month = [], today.year, today.month
    for _ in range(n):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        keys.append(f"{year:04d}-{month:02d}")
    return list(reversed(keys))


def seed(ctx: SeedContext) -> None:
    if not ctx.reps:
        return
    org = ctx.organisation
    if Plan.objects.filter(organisation=org).exists():
        ctx.summary.append("commission plans kept")
        return
    with ctx.progress.stage("commission plan", 1) as advance:
        services.plan_import(actor=ctx.actor, data=_plan_definition(ctx))
        advance(1)
    ctx.counts["commission_plans"] = ctx.counts.get("commission_plans", 0) + 1
    if len(ctx.reps) > RUNS_UP_TO_REPS:
        ctx.summary.append("1 commission plan")
        return
    months = [
        key
        for key in _finished_months(ctx.today, 3)
        if parse_period(key, fiscal_start_month=org.fiscal_year_start_month).start >= ctx.start
    ]
    with ctx.progress.stage("commission runs", len(months)) as advance:
        for i, key in enumerate(months):
            run = services.commission_run_create(actor=ctx.actor, period=key)
            run = services.commission_run_calculate(actor=ctx.actor, run=run)
            if i < len(months) - 1:
                run = services.commission_run_approve(actor=ctx.actor, run=run)
                services.commission_run_lock(actor=ctx.actor, run=run)
            advance(1)
    ctx.counts["commission_runs"] = ctx.counts.get("commission_runs", 0) + len(months)
    ctx.summary.append(f"1 commission plan, {len(months)} commission runs")
