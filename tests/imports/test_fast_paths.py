"""Clean batches are parsed and checked column by column (the speed of a million-line import);
a batch with any problem goes row by row, which words every error. Both must give the same
rows, the same counts and the same errors, also when orders and problems straddle batches.
"""

from decimal import Decimal

import pytest

from saleshelm.crm.models import Order, OrderLine, OrderLineSplit
from saleshelm.imports.kinds import base, get_kind
from tests.imports.helpers import csv_text, errors_of, run

ORDERS = (
    "external_id,line,order_date,owner_email,sku,quantity,unit_price,product_name,"
    "product_category,account_external_id,discount,unit_cost,currency,status,status_date,split"
)
CATALOGUE = csv_text(
    ORDERS,
    "SEED-1,1,2026-07-01,rep@acme.test,XS-400,1,250,Scanner,Hardware,,,160,USD,,,",
    "SEED-1,2,2026-07-01,rep@acme.test,SUP-1Y,1,500,Support,Services,,,,USD,,,",
)
LINES = [
    "SO-1,1,2026-07-03,rep@acme.test,xs-400,10,250.00,,,,0.05,160,USD,,,rep@acme.test:60;peer@acme.test:40",
    "SO-1,2,2026-07-03,rep@acme.test,SUP-1Y,1,500,,,,,,USD,cancelled,2026-08-01,rep@acme.test:60;peer@acme.test:40",
    "SO-1,3,2026-07-03,rep@acme.test,XS-400,3,249.995,,,,0.125,,,,,",
    "SO-2,1,2026-07-05,peer@acme.test,XS-400,-2,250,,,,,,,returned,,",
    "SO-2,2,2026-07-05,peer@acme.test,XS-400,1,250,,,,,,,confirmed,2026-07-09,",
    "SO-3,1,2026-07-06,rep@acme.test,SUP-1Y,2,500,,,,0,100.5,,,,",
    "SO-3,2,2026-07-06,rep@acme.test,XS-400,7,250,,,,,,,,,",
]


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of 3 rows, so that orders and problems cross batch boundaries."""
    monkeypatch.setattr(get_kind("orders"), "batch_size", 3)


def _written(world):
    lines = OrderLine.objects.filter(organisation=world.org).exclude(order__external_id="SEED-1")
    return (
        sorted(
            lines.values_list(
                "order__external_id",
                "line",
                "sku",
                "quantity",
                "unit_price",
                "discount",
                "unit_cost",
                "net_amount",
                "cost_amount",
                "net_amount_reporting",
                "status",
                "status_date",
                "order_date",
                "owner__user__email",
                "product_category__name",
            )
        ),
        sorted(
            OrderLineSplit.objects.filter(organisation=world.org).values_list(
                "line__order__external_id", "line__line", "member__user__email", "share"
            )
        ),
    )


def _both_ways(world, monkeypatch, text):
    """Import ``text`` column by column, then (after removing what it wrote) row by row."""
    fast = run(world.admin, "orders", text)
    fast_rows = _written(world)
    OrderLineSplit.objects.filter(organisation=world.org).delete()
    OrderLine.objects.filter(organisation=world.org).exclude(order__external_id="SEED-1").delete()
    Order.objects.filter(organisation=world.org).exclude(external_id="SEED-1").delete()
    monkeypatch.setattr(base, "COLUMN_BY_COLUMN", False)
    slow = run(world.admin, "orders", text)
    monkeypatch.setattr(base, "COLUMN_BY_COLUMN", True)
    return fast, fast_rows, slow, _written(world)


def test_given_clean_batches_when_imported_then_column_by_column_writes_what_row_by_row_writes(
    world, small_batches, monkeypatch
):
    run(world.admin, "orders", CATALOGUE)
    fast, fast_rows, slow, slow_rows = _both_ways(world, monkeypatch, csv_text(ORDERS, *LINES))
    assert fast.ok and slow.ok
    assert (fast.created, fast.updated, fast.unchanged) == (7, 0, 0)
    assert (slow.created, slow.updated, slow.unchanged) == (7, 0, 0)
    assert fast_rows == slow_rows
    lines, splits = fast_rows
    assert len(lines) == 7 and len(splits) == 4
    by_key = {(r[0], r[1]): r for r in lines}
    assert by_key[("SO-1", 1)][7] == Decimal("2375.0000")  # 10 × 250 × 0.95
    assert by_key[("SO-1", 3)][7] == Decimal("656.2369")  # 3 × 249.995 × 0.875, half up
    assert by_key[("SO-2", 1)][10:12] == ("returned", by_key[("SO-2", 1)][12])
    assert by_key[("SO-2", 2)][10:12] == ("confirmed", None)  # a confirmed line has no date
    assert by_key[("SO-3", 1)][8] == Decimal("201.0000")


def test_given_the_same_file_again_when_imported_column_by_column_then_nothing_changes(
    world, small_batches
):
    run(world.admin, "orders", CATALOGUE)
    run(world.admin, "orders", csv_text(ORDERS, *LINES))
    again = run(world.admin, "orders", csv_text(ORDERS, *LINES))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 7)
    changed = [line.replace(",7,250,", ",8,250,") for line in LINES]
    result = run(world.admin, "orders", csv_text(ORDERS, *changed))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 6)
    assert OrderLine.objects.get(order__external_id="SO-3", line=2).quantity == 8


def test_given_problems_across_batches_when_imported_then_each_is_named_as_row_by_row_does(
    world, small_batches, monkeypatch
):
    run(world.admin, "orders", CATALOGUE)
    rows = [
        *LINES[:3],  # rows 2-4: one clean batch
        "SO-1,3,2026-07-03,rep@acme.test,XS-400,1,250,,,,,,,,,",  # 5: duplicate of row 4
        "SO-1,4,2026-07-04,rep@acme.test,XS-400,1,250,,,,,,,,,",  # 6: order date differs
        "SO-4,1,2026-07-04,rep@acme.test,XS-400,1,2 50,,,,,,,,,",  # 7: not a number
        *LINES[3:6],  # rows 8-10: a clean batch after bad ones
        "SO-5,1,2026-07-04,nobody@acme.test,XS-400,1,250,,,,,,,,,",  # 11: unknown owner
        "SO-6,1,2026-07-04,rep@acme.test,XS-400,1,250,,,,,,,,,,x",  # 12: too many cells
    ]
    fast, _rows, slow, _rows2 = _both_ways(world, monkeypatch, csv_text(ORDERS, *rows))
    assert not fast.ok and not slow.ok
    assert errors_of(fast) == errors_of(slow)
    assert fast.errors == slow.errors and fast.error_count == slow.error_count == 5
    assert [(row, column) for row, column, _reason in errors_of(fast)] == [
        (5, "line"),
        (6, "order_date"),
        (7, "unit_price"),
        (11, "owner_email"),
        (12, "-"),
    ]
    assert not Order.objects.filter(organisation=world.org, external_id__startswith="SO-").exists()


def test_given_a_key_written_meanwhile_when_new_rows_are_copied_then_the_upsert_takes_over(world):
    """PostgreSQL copies the rows an import found new; if another transaction wrote one of
    their keys in between, the COPY fails in its savepoint and the upsert writes them."""
    from django.db import connection
    from django.utils import timezone

    from saleshelm.imports.writing import BulkWriter

    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    run(world.admin, "orders", CATALOGUE)
    seed = Order.objects.get(organisation=world.org, external_id="SEED-1")
    now = timezone.now()
    writer = BulkWriter(
        Order,
        [
            "organisation_id",
            "external_id",
            "order_date",
            "owner_id",
            "currency",
            "created_at",
            "updated_at",
        ],
        conflict=["organisation_id", "external_id"],
        update=["order_date", "owner_id", "currency", "updated_at"],
    )
    row = (world.org.pk, "SEED-1", seed.order_date, seed.owner_id, "VND", now, now)
    new = (world.org.pk, "NEW-1", seed.order_date, seed.owner_id, "USD", now, now)
    assert writer.write_new([new, row]) == 2
    seed.refresh_from_db()
    assert seed.currency == "VND"
    assert Order.objects.filter(organisation=world.org, external_id="NEW-1").count() == 1
