"""Builders for performance tests: order lines with exact amounts, targets, forecasts."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import factory

from saleshelm.core.periods import parse_period
from saleshelm.crm.models import Order, OrderLine, OrderLineSplit, ProductCategory
from saleshelm.performance.models import (
    AssigneeType,
    Distribution,
    ForecastSubmission,
    Target,
    assignee_key,
)

_numbers = itertools.count(1)


def D(text: str | int) -> Decimal:
    return Decimal(str(text))


def category(org, name: str = "Scanners", parent: ProductCategory | None = None):
    return ProductCategory.objects.get_or_create(
        organisation=org, name=name, defaults={"parent": parent}
    )[0]


def order_line(
    owner,
    order_date: dt.date,
    net: str | Decimal,
    *,
    cost: str | Decimal | None = None,
    quantity: str | Decimal = "1",
    status: str = "confirmed",
    status_date: dt.date | None = None,
    category: ProductCategory | None = None,
    splits: list[tuple[object, str]] | None = None,
) -> OrderLine:
    """One order with one line whose reporting amounts are exactly ``net`` and ``cost``."""
    n = next(_numbers)
    org = owner.organisation
    order = Order.objects.create(
        organisation=org,
        external_id=f"PO-{n:06d}",
        order_date=order_date,
        owner=owner,
        currency=org.currency,
    )
    net_d = D(net)
    cost_d = None if cost is None else D(cost)
    qty = D(quantity)
    line = OrderLine.objects.create(
        organisation=org,
        order=order,
        line=1,
        sku=f"SKU-{n}",
        product_category=category,
        quantity=qty,
        unit_price=abs(net_d / qty).quantize(D("0.0001")) if qty else D(0),
        net_amount=net_d,
        cost_amount=cost_d,
        currency=org.currency,
        net_amount_reporting=net_d,
        cost_amount_reporting=cost_d,
        status=status,
        status_date=status_date,
        order_date=order_date,
        owner=owner,
    )
    for member, share in splits or []:
        OrderLineSplit.objects.create(organisation=org, line=line, member=member, share=D(share))
    return line


class TargetFactory(factory.django.DjangoModelFactory):
    """A member revenue target for a period; pass ``period`` as text (``2026-Q3``)."""

    class Meta:
        model = Target
        exclude = ("period",)

    period = "2026-Q3"
    member = None
    team = None
    territory = None
    product_category = None
    organisation = factory.LazyAttribute(
        lambda o: (o.member or o.team or o.territory or o.product_category).organisation
    )
    metric = "revenue"
    period_key = factory.LazyAttribute(
        lambda o: (
            parse_period(o.period, fiscal_start_month=o.organisation.fiscal_year_start_month).key
        )
    )
    period_kind = factory.LazyAttribute(
        lambda o: (
            parse_period(o.period, fiscal_start_month=o.organisation.fiscal_year_start_month).kind
        )
    )
    start = factory.LazyAttribute(
        lambda o: (
            parse_period(o.period, fiscal_start_month=o.organisation.fiscal_year_start_month).start
        )
    )
    end = factory.LazyAttribute(
        lambda o: (
            parse_period(o.period, fiscal_start_month=o.organisation.fiscal_year_start_month).end
        )
    )
    assignee_type = factory.LazyAttribute(
        lambda o: (
            AssigneeType.MEMBER
            if o.member
            else AssigneeType.TEAM
            if o.team
            else AssigneeType.TERRITORY
            if o.territory
            else AssigneeType.PRODUCT_CATEGORY
        )
    )
    assignee_key = factory.LazyAttribute(
        lambda o: assignee_key(
            member_id=o.member.pk if o.member else None,
            team_id=o.team.pk if o.team else None,
            territory_id=o.territory.pk if o.territory else None,
            category_id=o.product_category.pk if o.product_category else None,
        )
    )
    value = Decimal("90000.0000")
    distribution = Distribution.EVEN
    weights = factory.LazyFunction(list)


class ForecastFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ForecastSubmission

    member = None
    organisation = factory.LazyAttribute(lambda o: o.member.organisation)
    period_key = "2026-Q3"
    start = dt.date(2026, 7, 1)
    end = dt.date(2026, 9, 30)
    amount = Decimal("50000.0000")
    breakdown = factory.LazyFunction(dict)
