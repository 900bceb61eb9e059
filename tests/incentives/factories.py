"""Builders for commission tests: orders with lines and splits, plans, runs.

Orders are written straight to the crm tables (the crm services are tested on their own);
the amounts are what ``crm.services.orders.line_amounts`` would store.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from saleshelm.crm.models import Order, OrderLine, OrderLineSplit, ProductCategory
from saleshelm.incentives import services
from saleshelm.incentives.models import CommissionRun, Statement
from saleshelm.tenancy.actors import SystemActor

_orders = itertools.count(1001)


def D(value: Any) -> Decimal:
    return Decimal(str(value))


def category(org, name: str) -> ProductCategory:
    return ProductCategory.objects.get_or_create(organisation=org, name=name)[0]


def order(
    owner,
    day: str | dt.date,
    *lines: dict,
    external_id: str | None = None,
    currency: str | None = None,
) -> Order:
    """``order(rep, "2026-07-05", {"amount": 1000})``; a line may give sku, category,
    quantity, amount (net), cost, status, status_date, currency, reporting, splits
    [(member, share)]."""
    org = owner.organisation
    day = dt.date.fromisoformat(day) if isinstance(day, str) else day
    currency = currency or org.currency
    o = Order.objects.create(
        organisation=org,
        external_id=external_id or f"SO-{next(_orders)}",
        order_date=day,
        owner=owner,
        currency=currency,
    )
    for number, spec in enumerate(lines or ({"amount": 1000},), start=1):
        qty = D(spec.get("quantity", 1))
        net = D(spec["amount"])
        cost = spec.get("cost")
        status = spec.get("status", "confirmed")
        status_date = spec.get("status_date")
        if isinstance(status_date, str):
            status_date = dt.date.fromisoformat(status_date)
        reporting = spec.get("reporting", net if currency == org.currency else None)
        line = OrderLine.objects.create(
            organisation=org,
            order=o,
            line=number,
            sku=spec.get("sku", "SW-100"),
            product_category=category(org, spec.get("category", "Software")),
            quantity=qty,
            unit_price=(net / qty).quantize(Decimal("0.0001")),
            net_amount=net,
            cost_amount=None if cost is None else D(cost),
            currency=currency,
            net_amount_reporting=None if reporting is None else D(reporting),
            cost_amount_reporting=None if cost is None or currency != org.currency else D(cost),
            status=status,
            status_date=status_date,
            order_date=day,
            owner=owner,
        )
        for member, share in spec.get("splits", ()):
            OrderLineSplit.objects.create(
                organisation=org, line=line, member=member, share=D(share)
            )
    return o


def plan_data(members, **overrides) -> dict:
    """A one-component flat 4% revenue plan, measured and paid monthly, unless overridden."""
    data: dict[str, Any] = {
        "name": "Flat 4",
        "currency": "USD",
        "measure": "month",
        "pay": "month",
        "effective_from": "2026-01-01",
        "clawback_days": 90,
        "members": [m.user.email for m in members],
        "components": [
            {
                "name": "Revenue",
                "basis": "revenue",
                "tiers_on": "amount",
                "mode": "marginal",
                "tiers": [{"from": "0", "rate": "0.04"}],
            }
        ],
    }
    data.update(overrides)
    return data


def component(**overrides) -> dict:
    data = {
        "name": "Revenue",
        "basis": "revenue",
        "tiers_on": "amount",
        "mode": "marginal",
        "tiers": [{"from": "0", "rate": "0.04"}],
    }
    data.update(overrides)
    return data


def system(org) -> SystemActor:
    return SystemActor(org, label="test")


def import_plan(org, members, **overrides):
    return services.plan_import(actor=system(org), data=plan_data(members, **overrides))


def run(org, period: str, plan=None) -> CommissionRun:
    actor = system(org)
    r = services.commission_run_get_or_create(actor=actor, period=period, plan=plan)
    return services.commission_run_calculate(actor=actor, run=r)


def close(org, r: CommissionRun, *, lock: bool = True) -> CommissionRun:
    actor = system(org)
    r = services.commission_run_approve(actor=actor, run=r)
    return services.commission_run_lock(actor=actor, run=r) if lock else r


def statement(member, period: str, plan_name: str | None = None) -> Statement:
    qs = Statement.objects.filter(member=member, period=period)
    if plan_name:
        qs = qs.filter(plan__name=plan_name)
    return qs.get()


def lines_of(stmt: Statement) -> list[tuple]:
    """(kind, component, basis, rate, amount) of each payout line, as Decimals."""
    return [
        (ln.kind, ln.component, ln.basis, ln.rate, ln.amount)
        for ln in stmt.lines.order_by("position")
    ]


def amounts(stmt: Statement) -> list[tuple[str, Decimal]]:
    return [(ln.kind, ln.amount) for ln in stmt.lines.order_by("position")]
