"""Small builders for the pure engine's dataclasses, so the hand-worked cases read short."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from saleshelm.core.periods import parse_period, period_of
from saleshelm.incentives.engine import (
    Bonus,
    Component,
    Credit,
    Draw,
    Filters,
    Plan,
    Spiff,
    StatementInput,
    StatementResult,
    Tier,
    Window,
    calculate,
)

_ids = itertools.count(1)


def D(value: Any) -> Decimal:
    return Decimal(str(value))


def window(pay: str = "2026-07", measure: str = "month") -> Window:
    p = parse_period(pay)
    m = period_of(p.start, measure)
    return Window(p.key, p.start, p.end, m.key, m.start, m.end, p.kind)


def tiers(*pairs, amounts: bool = False) -> tuple[Tier, ...]:
    """``tiers((0, "0.04"), (150000, "0.06"))``."""
    if amounts:
        return tuple(Tier(D(f), amount=D(a)) for f, a in pairs)
    return tuple(Tier(D(f), rate=D(r)) for f, r in pairs)


def comp(*pairs, amounts: bool = False, name: str = "Revenue", **kw) -> Component:
    kw.setdefault("tiers_on", "amount")
    if "quota" in kw and kw["quota"] is not None and kw["quota"] != "target":
        kw["quota"] = D(kw["quota"])
    for key in ("cap", "threshold"):
        if kw.get(key) is not None:
            kw[key] = D(kw[key])
    if "bonuses" in kw:
        kw["bonuses"] = tuple(Bonus(D(a), D(b)) for a, b in kw["bonuses"])
    if "filters" in kw:
        kw["filters"] = Filters.of(**kw["filters"])
    return Component(name=name, tiers=tiers(*pairs, amounts=amounts), **kw)


def plan(*components: Component, currency: str = "USD", **kw) -> Plan:
    if "draw" in kw and isinstance(kw["draw"], tuple):
        kw["draw"] = Draw(D(kw["draw"][0]), kw["draw"][1])
    if kw.get("override_rate") is not None:
        kw["override_rate"] = D(kw["override_rate"])
    return Plan(name="Test plan", currency=currency, components=components, **kw)


def spiff(name="Scanner push", amount="250", skus=("XS-400",), **kw) -> Spiff:
    kw.setdefault("start", dt.date(2026, 7, 1))
    kw.setdefault("end", dt.date(2026, 9, 30))
    kw["min_quantity"] = D(kw.get("min_quantity", 1))
    return Spiff(
        name=name,
        amount=D(amount),
        skus=frozenset(s.casefold() for s in skus),
        categories=frozenset(c.casefold() for c in kw.pop("categories", ())),
        **kw,
    )


def credit(
    amount,
    day: str = "2026-07-10",
    *,
    order_id: int | None = None,
    sku: str = "SW-100",
    category: str = "Software",
    quantity=1,
    share=1,
    status: str = "confirmed",
    status_date: str | None = None,
    margin=None,
    units=None,
    line_id: int | None = None,
) -> Credit:
    n = next(_ids)
    oid = order_id if order_id is not None else n
    return Credit(
        line_id=line_id if line_id is not None else n,
        order_id=oid,
        order=f"SO-{oid}",
        line=1,
        sku=sku,
        order_date=dt.date.fromisoformat(day),
        quantity=D(quantity),
        share=D(share),
        revenue=D(amount),
        margin=D(margin if margin is not None else amount),
        units=D(units if units is not None else quantity),
        status=status,
        status_date=dt.date.fromisoformat(status_date) if status_date else None,
        category=category,
    )


def calc(p: Plan, credits=(), w: Window | None = None, **kw) -> StatementResult:
    quotas = kw.pop("quotas", None)
    if quotas is None:
        quotas = {c.name: c.quota for c in p.components if isinstance(c.quota, Decimal)}
    return calculate(
        StatementInput(
            plan=p,
            member_id=kw.pop("member_id", 1),
            window=w or window(),
            credits=tuple(credits),
            quotas=quotas,
            **kw,
        )
    )


def rows(result: StatementResult) -> list[tuple]:
    """(kind, basis, rate, amount) of each line; compare with Decimals (``D``)."""
    return [(ln.kind, ln.basis, ln.rate, ln.amount) for ln in result.lines]
