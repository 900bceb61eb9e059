"""The organisation's order count the database keeps (crm.tallies), and the API list that reads it.

Whatever writes or deletes orders — a service, an import's bulk write (``COPY`` on
PostgreSQL), a factory, a cascade — the kept count equals ``COUNT(*)``; a rejected import
leaves it as it was; another organisation's orders never move it.
"""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import connection, transaction

from saleshelm.crm import tallies
from saleshelm.crm.models import Order, OrderCount
from tests.crm.factories import AccountFactory, OrderFactory
from tests.imports.helpers import csv_text, run

pytestmark = pytest.mark.django_db

ORDERS = "external_id,line,order_date,owner_email,sku,quantity,unit_price,currency"


def kept(org) -> int:
    return OrderCount.objects.filter(organisation=org).values_list("orders", flat=True).first() or 0


def counted(org) -> int:
    return Order.objects.filter(organisation=org).count()


def _lines(n: int, start: int = 1) -> str:
    return csv_text(
        ORDERS,
        *(f"SO-{i},1,2026-07-03,rep@acme.test,A,1,10,USD" for i in range(start, start + n)),
    )


def test_orders_written_by_factory_service_and_import_are_counted(world, api_client):
    OrderFactory(organisation=world.org, owner=world.rep)
    OrderFactory(organisation=world.org, owner=world.peer)
    assert kept(world.org) == counted(world.org) == 2

    r = api_client(world.rep).post(
        "/api/v1/orders",
        data=json.dumps(
            {
                "order_date": "2026-07-01",
                "lines": [{"sku": "A", "quantity": "1", "unit_price": "5"}],
            }
        ),
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert kept(world.org) == counted(world.org) == 3

    result = run(world.admin, "orders", _lines(40))
    assert result.ok, result.errors
    assert kept(world.org) == counted(world.org) == 43

    again = run(world.admin, "orders", _lines(40))  # the same orders: upserted, not added
    assert again.ok and kept(world.org) == 43


def test_a_rejected_import_leaves_the_count_as_it_was(world):
    run(world.admin, "orders", _lines(5))
    bad = _lines(10, start=100).replace("SO-109,1,2026-07-03", "SO-109,1,2026-13-03")
    result = run(world.admin, "orders", bad)
    assert not result.ok
    assert kept(world.org) == counted(world.org) == 5


def test_deleted_orders_leave_the_count_and_a_rolled_back_write_never_reaches_it(world):
    orders = [OrderFactory(organisation=world.org, owner=world.rep) for _ in range(3)]
    orders[0].delete()
    Order.objects.filter(pk=orders[1].pk).delete()
    assert kept(world.org) == counted(world.org) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        OrderFactory(organisation=world.org, owner=world.rep)
        raise RuntimeError
    assert kept(world.org) == counted(world.org) == 1


def test_one_organisations_orders_never_move_anothers_count(world):
    OrderFactory(organisation=world.org, owner=world.rep)
    run(
        world.other_org_admin,
        "orders",
        csv_text(ORDERS, "B-1,1,2026-07-03,admin@beta.test,A,1,1,USD"),
    )
    OrderFactory(organisation=world.other_org, owner=world.other_org_rep)
    assert kept(world.org) == counted(world.org) == 1
    assert kept(world.other_org) == counted(world.other_org)
    assert counted(world.other_org) >= 1


def test_a_bulk_delete_across_organisations_takes_each_its_own(world):
    for _ in range(3):
        OrderFactory(organisation=world.other_org, owner=world.other_org_rep)
    for _ in range(2):
        OrderFactory(organisation=world.org, owner=world.rep)
    Order.objects.filter(external_id__in=Order.objects.values("external_id")[:4]).delete()
    assert kept(world.org) == counted(world.org)
    assert kept(world.other_org) == counted(world.other_org)
    assert counted(world.org) + counted(world.other_org) == 1


def test_install_counts_afresh_whatever_the_table_said(world):
    for _ in range(4):
        OrderFactory(organisation=world.org, owner=world.rep)
    OrderCount.objects.filter(organisation=world.org).update(orders=999)
    tallies.install(connection)
    assert kept(world.org) == 4
    OrderFactory(organisation=world.org, owner=world.rep)  # and the triggers still count
    assert kept(world.org) == 5


def test_the_api_list_answers_the_kept_count_unfiltered_and_counts_when_filtered(
    world, api_client, django_assert_max_num_queries
):
    account = AccountFactory(owner=world.rep)
    for i in range(7):
        OrderFactory(
            organisation=world.org,
            owner=world.rep if i % 2 else world.peer,
            account=account if i < 3 else None,
            order_date=dt.date(2026, 7, 1 + i),
        )
    client = api_client(world.director)
    client.get("/api/v1/orders?limit=1")  # a token's first use is recorded once
    with django_assert_max_num_queries(3):
        r = client.get("/api/v1/orders?limit=2&sort=order_date")
    assert r.status_code == 200 and r.json()["count"] == 7 and len(r.json()["items"]) == 2
    assert client.get(f"/api/v1/orders?account_id={account.pk}").json()["count"] == 3
    assert client.get("/api/v1/orders?date_from=2026-07-05").json()["count"] == 3
    assert client.get(f"/api/v1/orders?owner_id={world.rep.pk}").json()["count"] == 3
    assert api_client(world.rep).get("/api/v1/orders").json()["count"] == 3


def test_the_list_and_the_detail_answer_the_same_exact_total(world, api_client):
    # Read from the driver without the ORM's converters, the list sums exact ten-thousandths
    # (core.sql) as the detail does: SQLite would sum the REAL values as floats.
    order = OrderFactory(
        organisation=world.org,
        owner=world.rep,
        lines=[
            {"quantity": Decimal(1), "unit_price": Decimal("987654321.1234")},
            {"quantity": Decimal(3), "unit_price": Decimal("0.3333")},
        ],
    )
    client = api_client(world.director)
    listed = client.get("/api/v1/orders").json()["items"]
    assert [(o["net_amount"], o["line_count"]) for o in listed] == [("987654322.1233", 2)]
    assert client.get(f"/api/v1/orders/{order.pk}").json()["net_amount"] == "987654322.1233"


def test_without_the_counts_table_install_takes_its_triggers_away(world):
    # crm migrated back before the counts: triggers left behind would fail every new order.
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE crm_ordercount")
    tallies.install(connection)
    OrderFactory(organisation=world.org, owner=world.rep)
    assert counted(world.org) == 1
