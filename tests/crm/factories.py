"""Factories for crm records; owners are memberships of the same organisation."""

import datetime as dt
from decimal import Decimal

import factory

from saleshelm.crm.models import (
    Account,
    Activity,
    Contact,
    ExchangeRate,
    Lead,
    Opportunity,
    Order,
    OrderLine,
    Pipeline,
    Product,
    ProductCategory,
    Stage,
    StageKind,
)
from saleshelm.crm.services.pipelines import DEFAULT_STAGES


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    organisation = factory.LazyAttribute(lambda o: o.owner.organisation)
    owner = None
    external_id = factory.Sequence(lambda n: f"ACC-{n:05d}")
    name = factory.Sequence(lambda n: f"Company {n}")
    industry = "Retail"
    region = "North"
    country = "VN"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    organisation = factory.LazyAttribute(lambda o: o.owner.organisation)
    owner = None
    account = None
    external_id = factory.Sequence(lambda n: f"CON-{n:05d}")
    name = factory.Sequence(lambda n: f"Contact {n}")
    email = factory.Sequence(lambda n: f"contact{n}@example.com")


class LeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lead

    organisation = factory.LazyAttribute(lambda o: o.owner.organisation)
    owner = None
    external_id = factory.Sequence(lambda n: f"LEAD-{n:05d}")
    name = factory.Sequence(lambda n: f"Lead {n}")
    company = factory.Sequence(lambda n: f"Prospect {n} Ltd")
    email = factory.Sequence(lambda n: f"lead{n}@example.com")
    source = "Website"


def default_pipeline(org) -> Pipeline:
    """The default pipeline of an organisation, built like pipeline_ensure_default does."""
    pipeline, created = Pipeline.objects.get_or_create(
        organisation=org, is_default=True, defaults={"name": "Sales pipeline"}
    )
    if created:
        for i, (name, p, kind) in enumerate(DEFAULT_STAGES):
            Stage.objects.create(
                organisation=org, pipeline=pipeline, name=name, position=i, probability=p, kind=kind
            )
    return pipeline


def stage(org, name: str) -> Stage:
    return default_pipeline(org).stages.get(name=name)


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity

    owner = None  # required: pass one
    organisation = factory.LazyAttribute(lambda o: o.owner.organisation)
    external_id = factory.Sequence(lambda n: f"OPP-{n:05d}")
    name = factory.Sequence(lambda n: f"Deal {n}")
    account = None
    pipeline = factory.LazyAttribute(lambda o: default_pipeline(o.organisation))
    stage = factory.LazyAttribute(lambda o: o.pipeline.stages.filter(kind=StageKind.OPEN).first())
    amount = Decimal("1000.0000")
    currency = factory.LazyAttribute(lambda o: o.organisation.currency)
    amount_reporting = factory.LazyAttribute(lambda o: o.amount)
    close_date = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=30))


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductCategory
        django_get_or_create = ("organisation", "name")

    name = "Scanners"


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    sku = factory.Sequence(lambda n: f"XS-{400 + n}")
    name = factory.Sequence(lambda n: f"Scanner {n}")
    category = factory.LazyAttribute(lambda o: CategoryFactory(organisation=o.organisation))
    unit_price = Decimal("250.0000")
    unit_cost = Decimal("150.0000")
    currency = factory.LazyAttribute(lambda o: o.organisation.currency)


class OrderFactory(factory.django.DjangoModelFactory):
    """An order with one confirmed line of 2 x 100 (no discount, cost 60 each)."""

    class Meta:
        model = Order
        skip_postgeneration_save = True

    owner = None
    organisation = factory.LazyAttribute(lambda o: o.owner.organisation)
    external_id = factory.Sequence(lambda n: f"SO-{n:05d}")
    order_date = factory.LazyFunction(dt.date.today)
    account = None
    currency = factory.LazyAttribute(lambda o: o.organisation.currency)

    @factory.post_generation
    def lines(obj, create, extracted, **kwargs):
        if not create:
            return
        for n, spec in enumerate(extracted or [{}], start=1):
            qty = spec.get("quantity", Decimal(2))
            price = spec.get("unit_price", Decimal(100))
            OrderLine.objects.create(
                organisation=obj.organisation,
                order=obj,
                line=n,
                sku=spec.get("sku", "XS-400"),
                quantity=qty,
                unit_price=price,
                discount=Decimal(0),
                unit_cost=Decimal(60),
                net_amount=qty * price,
                cost_amount=qty * 60,
                currency=obj.currency,
                net_amount_reporting=qty * price,
                cost_amount_reporting=qty * 60,
                order_date=obj.order_date,
                owner=obj.owner,
            )


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    owner = None
    organisation = factory.LazyAttribute(lambda o: o.owner.organisation)
    external_id = factory.Sequence(lambda n: f"ACT-{n:05d}")
    type = "call"
    occurred_at = factory.LazyFunction(lambda: dt.datetime.now(dt.UTC))
    subject = factory.Sequence(lambda n: f"Call {n}")


class RateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExchangeRate

    currency = "VND"
    rate_date = dt.date(2026, 1, 1)
    rate = Decimal("0.0000400000")
