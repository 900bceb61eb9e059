"""Feedback at deal time (issue 6): "this deal takes you from 82 % to 91 % of target and
earns about X", from the salesperson's own plan and what they have credited so far.

The deal is priced as if it closed in the pay period of its expected close date (today for
a deal past its date), credited by its split (or wholly to its owner), and run through the
engine together with the member's real credits of the measurement period to date: the
difference in the components' payout to date is what it earns. SPIFFs, overrides and draws
are left out (a deal has no products or SKUs yet), and so is any component limited to
product categories or SKUs. Queries: a fixed handful, whatever the member's history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db.models import Q

from saleshelm.core.money import quantize_money
from saleshelm.core.periods import period_of
from saleshelm.crm.models import Opportunity
from saleshelm.crm.selectors import access_opportunity
from saleshelm.incentives.engine import types as e
from saleshelm.incentives.engine.calculate import calculate
from saleshelm.incentives.models import PlanAssignment
from saleshelm.incentives.permissions import require_pay_viewer
from saleshelm.incentives.plans import engine_plan
from saleshelm.incentives.selectors.quotas import member_targets
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.models import Membership

ZERO = Decimal(0)


@dataclass(frozen=True)
class DealPreview:
    member: Membership
    opportunity: Opportunity
    plan: str | None  # None: the member has no plan in force
    currency: str
    period: str  # the pay period the deal is priced in
    measure_period: str
    credited: Decimal  # the member's share of the deal, in the plan currency
    earns: Decimal  # what the deal adds to the member's pay, at the currency's minor unit
    attainment_before: Decimal | None
    attainment_after: Decimal | None
    quota_component: str | None
    excluded: tuple[str, ...] = ()  # components the deal cannot count for (products, SKUs)


def _member_and_share(actor: Actor, opp: Opportunity) -> tuple[Membership, Decimal]:
    splits = {s.member_id: (s.member, s.share) for s in opp.splits.select_related("member__user")}
    if splits:
        if actor.pk in splits:
            return splits[actor.pk]
        if opp.owner_id in splits:
            return splits[opp.owner_id]
        member, share = next(iter(sorted(splits.values(), key=lambda ms: -ms[1])))
        return member, share
    return opp.owner, Decimal(1)


def _amount(opp: Opportunity, currency: str, day: dt.date) -> Decimal:
    org = opp.organisation
    if opp.currency == currency:
        return opp.amount
    if currency == org.currency:
        return opp.amount_reporting
    from saleshelm.crm.services.rates import RateBook

    rates = RateBook(org, {opp.currency, currency})
    return opp.amount * rates.rate(opp.currency, day) / rates.rate(currency, day)


def deal_preview(*, actor: Actor, opportunity_id: int, today: dt.date) -> DealPreview:
    """404 for a deal the actor cannot see; 403 for a role that sees no pay."""
    from saleshelm.incentives.services.calculation import CreditBook, _window, load_lines

    opp = access_opportunity(actor=actor, id=opportunity_id)
    require_pay_viewer(actor)
    member, share = _member_and_share(actor, opp)
    org = opp.organisation
    day = max(opp.close_date, today)
    assignment = (
        PlanAssignment.objects.filter(
            organisation_id=org.pk, member_id=member.pk, effective_from__lte=day
        )
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
        .select_related("version__plan")
        .order_by("-version__effective_from", "-version__version")
        .first()
    )
    if assignment is None:
        return DealPreview(member, opp, None, org.currency, "", "", ZERO, ZERO, None, None, None)
    version = assignment.version
    full = engine_plan(version.definition)
    plan = replace(full, spiffs=(), override_rate=None, draw=None)
    fiscal = org.fiscal_year_start_month
    window = _window(
        period_of(day, version.pay, fiscal_start_month=fiscal), version.measure, fiscal
    )
    detail = any(c.filters.order_types or c.filters.segments for c in plan.components)
    lines = load_lines(
        org.pk,
        [(window.measure_start, window.pay_end)],
        [(window.pay_start, window.pay_end)],
        member_id=member.pk,
        detail=detail,
    )
    order_type = segment = None
    if detail and opp.account_id is not None:
        from saleshelm.crm.models import Order
        from saleshelm.direction.models import AccountSegmentFit

        bought = Order.objects.filter(organisation_id=org.pk, account_id=opp.account_id)
        order_type = "existing" if bought.exists() else "new"
        segment = (
            AccountSegmentFit.objects.filter(organisation_id=org.pk, account_id=opp.account_id)
            .values_list("segment__name", flat=True)
            .first()
        )
    from saleshelm.crm.services.rates import RateBook

    rates = RateBook(org, {ln.currency for ln in lines} | {plan.currency})
    needs_margin = any(c.basis == "gross_margin" for c in plan.components)
    needs_units = any(c.basis == "units" for c in plan.components)
    book = CreditBook(lines, plan.currency, org, rates, margin=needs_margin, units=needs_units)
    credits = book.window(member.pk, window)
    targets = member_targets(
        organisation_id=org.pk,
        wanted={
            (c.basis, window.measure_key, window.measure_start, window.measure_end)
            for c in plan.components
            if c.quota == "target"
        },
    )
    quotas: dict[str, Decimal | None] = {}
    for comp in plan.components:
        if comp.quota == "target":
            quotas[comp.name] = targets.get((member.pk, comp.basis, window.measure_key))
        elif isinstance(comp.quota, Decimal):
            quotas[comp.name] = comp.quota
    credited = quantize_money(_amount(opp, plan.currency, day) * share, plan.currency)
    deal = e.Credit(
        line_id=0,
        order_id=0,
        order=opp.external_id or f"deal {opp.pk}",
        line=0,
        sku="",
        order_date=day,
        quantity=Decimal(1),
        share=share,
        revenue=credited,
        margin=ZERO,
        units=ZERO,
        order_type=order_type,
        segment=segment,
    )

    def run(with_deal: bool) -> e.StatementResult:
        return calculate(
            e.StatementInput(
                plan=plan,
                member_id=member.pk,
                window=window,
                credits=tuple(credits) + ((deal,) if with_deal else ()),
                quotas=quotas,
            )
        )

    before, after = run(False), run(True)
    earns = sum((c.payout_to_date for c in after.components.values()), ZERO) - sum(
        (c.payout_to_date for c in before.components.values()), ZERO
    )
    measured = next(
        (c.name for c in plan.components if before.components[c.name].attainment is not None),
        None,
    )
    excluded = tuple(
        c.name for c in plan.components if c.filters.product_categories or c.filters.skus
    )
    return DealPreview(
        member=member,
        opportunity=opp,
        plan=version.plan.name,
        currency=plan.currency,
        period=window.pay_key,
        measure_period=window.measure_key,
        credited=credited,
        earns=quantize_money(earns, plan.currency),
        attainment_before=before.components[measured].attainment if measured else None,
        attainment_after=after.components[measured].attainment if measured else None,
        quota_component=measured,
        excluded=excluded,
    )
