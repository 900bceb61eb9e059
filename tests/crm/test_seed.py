"""The crm seeder: realistic, consistent, exact counts, deterministic, and repeatable."""

import datetime as dt
import itertools
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db.models import Count, Sum

from saleshelm.core.seeding import SeedOptions, seed_organisation
from saleshelm.crm.models import (
    Account,
    Activity,
    ExchangeRate,
    Opportunity,
    OpportunitySplit,
    Order,
    OrderLine,
    OrderLineSplit,
    Product,
    StageChange,
)
from saleshelm.crm.services import line_amounts, to_reporting

TODAY = dt.date(2026, 7, 15)
SEEDERS = ["saleshelm.people.seed", "saleshelm.crm.seed"]
pytestmark = pytest.mark.django_db


def _seed(slug="acme", seed=3, **kwargs):
    options = {"reps": 12, "months": 6, "orders": 3000, "activities": 2000, **kwargs}
    return seed_organisation(
        SeedOptions(org=slug, seed=seed, today=TODAY, **options), seeders=SEEDERS
    )


def test_the_seed_writes_exactly_the_lines_and_activities_asked_for():
    report = _seed()
    org = report.organisation
    assert OrderLine.objects.filter(organisation=org).count() == 3000
    assert Activity.objects.filter(organisation=org).count() == 2000
    assert Account.objects.filter(organisation=org).count() > 12 * 8
    assert Opportunity.objects.filter(organisation=org).count() == 12 * 6 * 8
    assert Product.objects.filter(organisation=org, sku="XS-400").exists()
    assert "3,000 order lines" in report.line()


def test_seeded_amounts_are_what_the_services_would_compute():
    org = _seed().organisation
    for line in OrderLine.objects.filter(organisation=org).order_by("?")[:400]:
        net, cost = line_amounts(line.quantity, line.unit_price, line.discount, line.unit_cost)
        assert (line.net_amount, line.cost_amount) == (net, cost)
        assert line.net_amount_reporting == to_reporting(
            organisation=org, amount=net, currency=line.currency, on_date=line.order_date
        )
        assert line.order_date == line.order.order_date and line.owner_id == line.order.owner_id
    assert set(OrderLine.objects.filter(organisation=org).values_list("currency", flat=True)) == {
        "USD",
        "VND",
    }
    assert ExchangeRate.objects.filter(organisation=org, currency="VND").exists()


def test_cancellations_returns_and_splits_are_consistent():
    org = _seed(orders=5000).organisation
    lines = OrderLine.objects.filter(organisation=org)
    cancelled = lines.filter(status="cancelled")
    assert cancelled.exists()
    for line in cancelled:
        assert TODAY >= line.status_date >= line.order_date
    credits = lines.filter(status="returned").select_related("returns_line", "order")
    assert credits.exists()
    for credit in credits:
        sold = credit.returns_line
        assert credit.quantity < 0 and sold.quantity >= -credit.quantity
        assert credit.order_date == credit.status_date >= sold.order_date
        assert credit.order.external_id.startswith(sold.order.external_id + "-R")
        assert credit.net_amount < 0 and credit.unit_price == sold.unit_price
    shares = defaultdict(Decimal)
    for line_id, share in OrderLineSplit.objects.filter(organisation=org).values_list(
        "line_id", "share"
    ):
        shares[line_id] += share
    assert shares and set(shares.values()) == {Decimal(1)}
    deal_shares = defaultdict(Decimal)
    for opp_id, share in OpportunitySplit.objects.filter(organisation=org).values_list(
        "opportunity_id", "share"
    ):
        deal_shares[opp_id] += share
    assert set(deal_shares.values()) <= {Decimal(1)}


def test_deals_have_a_full_stage_history_and_closed_ones_are_closed():
    org = _seed().organisation
    deals = Opportunity.objects.filter(organisation=org).select_related("stage")
    kinds = dict(deals.values_list("stage__kind").annotate(n=Count("pk")))
    assert kinds["won"] > 0 and kinds["lost"] > 0 and kinds["open"] > 0
    history = defaultdict(list)
    for change in StageChange.objects.filter(organisation=org).order_by("changed_at", "pk"):
        history[change.opportunity_id].append(change)
    for deal in deals:
        steps = history[deal.pk]
        assert steps[0].from_stage_id is None and steps[-1].to_stage_id == deal.stage_id
        assert deal.version == len(steps)
        assert all(a.to_stage_id == b.from_stage_id for a, b in itertools.pairwise(steps))
        assert (deal.closed_at is None) == (deal.stage.kind == "open")
        if deal.stage.kind == "lost":
            assert deal.lost_reason


def test_the_same_seed_gives_the_same_sales():
    for slug in ("alpha", "bravo"):
        _seed(slug=slug, seed=11)
    totals = [
        OrderLine.objects.filter(organisation__slug=slug).aggregate(
            n=Count("pk"), q=Sum("quantity")
        )
        for slug in ("alpha", "bravo")
    ]
    assert totals[0] == totals[1]
    deals = [
        list(
            Opportunity.objects.filter(organisation__slug=slug)
            .order_by("pk")
            .values_list("name", "amount", "close_date", "stage__name")
        )
        for slug in ("alpha", "bravo")
    ]
    assert deals[0] == deals[1]


def test_seeding_an_organisation_again_adds_to_it():
    _seed(orders=500, activities=300)
    report = _seed(orders=400, activities=200, reps=3)
    org = report.organisation
    assert OrderLine.objects.filter(organisation=org).count() == 900
    assert Activity.objects.filter(organisation=org).count() == 500
    assert Order.objects.filter(organisation=org, external_id__startswith="SOG1-").exists()
