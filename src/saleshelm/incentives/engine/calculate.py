"""One member's statement for one pay period of one plan (SPEC §7), from plain inputs.

Order of the lines: each component's tier slices, bonuses, cap and "paid in earlier months"
lines; SPIFFs; the manager override; clawbacks (components, then SPIFFs); the draw (or its
recovery); adjustments.
Each line is rounded half-up to the plan currency's minor unit; the total is their sum.
The draw guarantee looks at the period's own earnings, adjustments of other periods apart.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from saleshelm.core.money import quantize_money
from saleshelm.incentives.engine.tiers import slices, tier_index
from saleshelm.incentives.engine.types import (
    ADJUSTMENT,
    BONUS,
    CLAWBACK,
    DRAW,
    DRAW_RECOVERY,
    OVERRIDE,
    SPIFF,
    TIER,
    ZERO,
    Component,
    ComponentSummary,
    Credit,
    CreditRow,
    Line,
    StatementInput,
    StatementResult,
    Window,
)

RATE_QUANTUM = Decimal("1e-10")
ATTAINMENT_QUANTUM = Decimal("0.0001")


def _sorted(credits: Iterable[Credit]) -> list[Credit]:
    return sorted(credits, key=lambda c: (c.order_date, c.order, c.line, c.line_id))


def plain(value: Decimal) -> str:
    """A decimal without trailing zeros, never in exponent form (for notes)."""
    text = format(value.normalize(), "f")
    return text


def attainment_text(value: Decimal) -> str:
    return str(value.quantize(ATTAINMENT_QUANTUM))


def is_clawback(
    c: Credit, window: Window, clawback_days: int, *, since: dt.date | None = None
) -> bool:
    """Booked before ``since`` (default: the measurement period), cancelled inside the pay
    period, and no more than ``clawback_days`` after it was booked."""
    start = window.measure_start if since is None else since
    return (
        c.cancelled
        and c.status_date is not None
        and window.pay_start <= c.status_date <= window.pay_end
        and c.order_date < start
        and (c.status_date - c.order_date).days <= clawback_days
    )


@dataclass
class _Acc:
    basis: Decimal = ZERO
    raw: Decimal = ZERO
    count: int = 0


def _component(
    comp: Component,
    counted: list[Credit],
    quota: Decimal | None,
    currency: str,
    window: Window,
    paid_before: Decimal,
) -> tuple[list[Line], ComponentSummary, list[str]]:
    mine = [c for c in counted if comp.filters.matches(c)]
    basis = sum((c.basis(comp.basis) for c in mine), ZERO)
    quantity = comp.basis == "units"
    warnings: list[str] = []
    lines: list[Line] = []
    attainment: Decimal | None = None
    note = ""
    pays = True
    if quota is not None and quota > 0:
        attainment = basis / quota
    if comp.needs_quota and attainment is None:
        warnings.append(
            f"{comp.name}: no quota for {window.measure_key}; the component pays nothing"
        )
        note = "no quota"
        pays = False
    if (
        pays
        and comp.threshold is not None
        and attainment is not None
        and attainment < comp.threshold
    ):
        note = (
            f"attainment {attainment_text(attainment)} below the threshold {plain(comp.threshold)}"
        )
        pays = False
    tier_raw = ZERO
    bonus_total = ZERO
    capped_at: Decimal | None = None
    if pays:
        scale = quota if comp.tiers_on == "attainment" and quota is not None else Decimal(1)
        bounds = [t.start * scale for t in comp.tiers]
        if comp.applies_to == "order":
            by_order: dict[int, list[Credit]] = defaultdict(list)
            for c in mine:
                by_order[c.order_id].append(c)
            groups = [by_order[k] for k in sorted(by_order)]
        else:
            groups = [mine]
        accs = [_Acc() for _ in comp.tiers]
        for group in groups:
            value = sum((c.basis(comp.basis) for c in group), ZERO)
            if comp.flat_amounts:
                reached = tier_index(value, bounds)
                for i in range(reached + 1) if comp.mode == "marginal" else (reached,):
                    accs[i].count += 1
                    accs[i].raw += comp.tiers[i].amount or ZERO
            elif comp.mode == "marginal":
                for i, part in enumerate(slices(value, bounds)):
                    if part:
                        accs[i].basis += part
                        accs[i].raw += part * (comp.tiers[i].rate or ZERO)
                        accs[i].count += 1
            else:
                i = tier_index(value, bounds)
                accs[i].basis += value
                accs[i].raw += value * (comp.tiers[i].rate or ZERO)
                accs[i].count += 1
        per_order = comp.applies_to == "order"
        for tier, acc in zip(comp.tiers, accs, strict=True):
            tier_raw += acc.raw
            if comp.flat_amounts:
                if not acc.count or not tier.amount:
                    continue
                if per_order:
                    lines.append(
                        Line(
                            TIER,
                            comp.name,
                            quantize_money(acc.raw, currency),
                            basis=Decimal(acc.count),
                            basis_is_quantity=True,
                            note=f"{acc.count} orders × {plain(tier.amount)} (tier from {plain(tier.start)})",
                        )
                    )
                else:
                    lines.append(
                        Line(
                            TIER,
                            comp.name,
                            quantize_money(acc.raw, currency),
                            basis=basis,
                            basis_is_quantity=quantity,
                            note=f"tier from {plain(tier.start)}",
                        )
                    )
                continue
            if not acc.basis or not tier.rate:
                continue
            lines.append(
                Line(
                    TIER,
                    comp.name,
                    quantize_money(acc.raw, currency),
                    basis=acc.basis,
                    rate=tier.rate,
                    basis_is_quantity=quantity,
                    note=f"{acc.count} orders" if per_order else "",
                )
            )
        for bonus in sorted(comp.bonuses, key=lambda b: b.at):
            if attainment is not None and attainment >= bonus.at:
                amount = quantize_money(bonus.amount, currency)
                bonus_total += amount
                lines.append(
                    Line(
                        BONUS,
                        comp.name,
                        amount,
                        note=f"attainment {attainment_text(attainment)} ≥ {plain(bonus.at)}",
                    )
                )
        if comp.cap is not None:
            cap = quantize_money(comp.cap, currency)
            earned = sum((ln.amount for ln in lines), ZERO)
            if earned > cap:
                capped_at = cap
                lines.append(Line(TIER, comp.name, cap - earned, note=f"cap {plain(cap)}"))
    payout_to_date = sum((ln.amount for ln in lines), ZERO)
    if paid_before:
        lines.append(
            Line(
                TIER,
                comp.name,
                -paid_before,
                note=f"paid in earlier {window.pay_kind}s of {window.measure_key}",
            )
        )
    # The effective rate claws back a cancelled line of this period: what the tiers paid
    # (after threshold and cap, before rounding) per unit of basis.
    tier_paid = tier_raw
    if capped_at is not None:
        tier_paid = min(tier_raw, max(capped_at - bonus_total, ZERO))
    rate = (tier_paid / basis).quantize(RATE_QUANTUM) if basis else ZERO
    summary = ComponentSummary(
        basis=basis,
        quota=quota,
        attainment=attainment,
        payout_to_date=payout_to_date,
        paid=payout_to_date - paid_before,
        rate=rate,
        note=note,
    )
    return lines, summary, warnings


def _spiff_lines(
    inp: StatementInput, currency: str, paid: dict[tuple[int, str], Decimal]
) -> list[Line]:
    w = inp.window
    in_pay = _sorted(c for c in inp.credits if c.counts_through(w.pay_start, w.pay_end))
    lines: list[Line] = []
    for spiff in inp.plan.spiffs:
        qualifying = [c for c in in_pay if spiff.qualifies(c)]
        if not qualifying:
            continue
        if spiff.frequency == "once_per_period":
            # The line with the largest credit share, the earliest on a tie.
            ranked = sorted(enumerate(qualifying), key=lambda ic: (-ic[1].share, ic[0]))
            qualifying = [ranked[0][1]]
        for c in qualifying:
            amount = quantize_money(spiff.amount * c.share, currency)
            paid[(c.line_id, spiff.name)] = paid.get((c.line_id, spiff.name), ZERO) + amount
            lines.append(
                Line(
                    SPIFF,
                    spiff.name,
                    amount,
                    basis=c.quantity,
                    basis_is_quantity=True,
                    note=f"{c.order}/{c.line} {c.sku} × {plain(c.share)}",
                )
            )
    return lines


def _override_line(inp: StatementInput, currency: str) -> Line | None:
    rate = inp.plan.override_rate
    if rate is None or not inp.manages_team:
        return None
    w = inp.window
    basis = ZERO
    for c in inp.team_credits:
        if c.counts_through(w.pay_start, w.pay_end):
            basis += c.revenue
        elif is_clawback(c, w, inp.plan.clawback_days, since=w.pay_start):
            basis -= c.revenue
    if not basis:
        return None
    return Line(
        OVERRIDE,
        "",
        quantize_money(basis * rate, currency),
        basis=basis,
        rate=rate,
        note="credited revenue of the managed teams",
    )


def _clawback_lines(inp: StatementInput, currency: str) -> tuple[list[Line], list[Credit]]:
    lines: list[Line] = []
    clawed: list[Credit] = []
    for c in _sorted(inp.credits):
        if not is_clawback(c, inp.window, inp.plan.clawback_days):
            continue
        clawed.append(c)
        for comp in inp.plan.components:
            if not comp.filters.matches(c):
                continue
            rate = inp.clawback_rates.get((c.line_id, comp.name))
            basis = c.basis(comp.basis)
            if not rate or not basis:
                continue
            lines.append(
                Line(
                    CLAWBACK,
                    comp.name,
                    -quantize_money(basis * rate, currency),
                    basis=-basis,
                    rate=rate,
                    basis_is_quantity=comp.basis == "units",
                    note=f"{c.order}/{c.line} cancelled {c.status_date.isoformat()}",  # type: ignore[union-attr]
                )
            )
    return lines, clawed


def _spiff_clawback_lines(inp: StatementInput) -> list[Line]:
    """A SPIFF paid in an earlier pay period for a line cancelled in this one (within the
    plan's ``clawback_days``) is taken back whole, exactly what was paid for it."""
    if not inp.spiffs_paid:
        return []
    lines: list[Line] = []
    w = inp.window
    for c in _sorted(inp.credits):
        if not is_clawback(c, w, inp.plan.clawback_days, since=w.pay_start):
            continue
        for spiff in inp.plan.spiffs:
            amount = inp.spiffs_paid.get((c.line_id, spiff.name))
            if not amount:
                continue
            lines.append(
                Line(
                    CLAWBACK,
                    spiff.name,
                    -amount,
                    basis=-c.quantity,
                    basis_is_quantity=True,
                    note=f"{c.order}/{c.line} {c.sku} cancelled {c.status_date.isoformat()}",  # type: ignore[union-attr]
                )
            )
    return lines


def _draw_lines(inp: StatementInput, earnings: Decimal, currency: str) -> list[Line]:
    draw = inp.plan.draw
    if draw is None:
        return []
    guarantee = quantize_money(draw.amount, currency)
    if earnings < guarantee:
        return [
            Line(
                DRAW,
                "",
                guarantee - earnings,
                basis=earnings,
                note=f"guaranteed {plain(guarantee)}"
                + ("; recoverable" if draw.recoverable else ""),
            )
        ]
    balance = inp.draw_balance
    if draw.recoverable and balance > 0:
        recovered = min(balance, earnings - guarantee)
        if recovered > 0:
            return [
                Line(
                    DRAW_RECOVERY,
                    "",
                    -recovered,
                    basis=balance,
                    note=f"draw outstanding {plain(balance)}",
                )
            ]
    return []


def calculate(inp: StatementInput) -> StatementResult:
    plan, w = inp.plan, inp.window
    currency = plan.currency
    credits = _sorted(inp.credits)
    counted = [c for c in credits if c.counts_through(w.measure_start, w.pay_end)]
    lines: list[Line] = []
    components: dict[str, ComponentSummary] = {}
    warnings: list[str] = []
    for comp in plan.components:
        comp_lines, summary, comp_warnings = _component(
            comp,
            counted,
            inp.quotas.get(comp.name),
            currency,
            w,
            inp.paid_before.get(comp.name, ZERO),
        )
        lines.extend(comp_lines)
        components[comp.name] = summary
        warnings.extend(comp_warnings)
    spiffs_paid: dict[tuple[int, str], Decimal] = {}
    lines.extend(_spiff_lines(inp, currency, spiffs_paid))
    override = _override_line(inp, currency)
    if override is not None:
        lines.append(override)
    clawback_lines, clawed = _clawback_lines(inp, currency)
    lines.extend(clawback_lines)
    lines.extend(_spiff_clawback_lines(inp))
    earnings = sum((ln.amount for ln in lines), ZERO)
    draw_lines = _draw_lines(inp, earnings, currency)
    lines.extend(draw_lines)
    lines.extend(inp.adjustments)
    by_key: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for ln in lines:
        if ln.kind != ADJUSTMENT:
            by_key[(ln.kind, ln.component)] += ln.amount
    rows = [
        CreditRow(c.line_id, c.order, c.line, c.sku, c.order_date, c.revenue, c.share)
        for c in counted
    ] + [
        CreditRow(c.line_id, c.order, c.line, c.sku, c.order_date, -c.revenue, c.share)
        for c in clawed
    ]
    return StatementResult(
        member_id=inp.member_id,
        window=w,
        lines=tuple(lines),
        credits=tuple(rows),
        total=sum((ln.amount for ln in lines), ZERO),
        components=components,
        earnings=dict(by_key),
        draw_paid=sum((ln.amount for ln in draw_lines), ZERO),
        warnings=tuple(warnings),
        spiffs=spiffs_paid,
    )
