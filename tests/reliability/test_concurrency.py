"""Concurrency on PostgreSQL (SPEC §11.5), repeated ``REPETITIONS`` times.

(a) Two commission runs of the same period and plan started together, each in its own thread
    with its own database connection, released by a barrier: exactly one run and one
    statement per member, period and plan; the loser waits (row lock on the run) and
    recalculates identically, or gets the clear ``Conflict``.
(b) Two imports of the same order-lines file started together leave the rows one import
    leaves: no duplicate order, line, product or category, and nothing half-written. The
    second waits for the first (one writing import per organisation and kind) and finds
    every line unchanged.

SQLite allows one writer at a time: these tests need PostgreSQL and skip elsewhere.
"""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db.models import Count, Sum

from saleshelm.core.errors import Conflict
from saleshelm.crm.models import Order, OrderLine, OrderLineSplit, Product, ProductCategory
from saleshelm.imports import services as imports
from saleshelm.imports.models import ImportJob, JobStatus
from saleshelm.incentives import services
from saleshelm.incentives.models import CommissionRun, Statement
from tests.conftest import build_world
from tests.incentives.factories import import_plan, order, system
from tests.incentives.test_concurrency import _together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

REPETITIONS = 50
LINES_PER_FILE = 40  # 10 orders of 4 lines, 2 new products and 1 new category per file


def _period(i: int) -> str:
    return f"{2026 + i // 12}-{i % 12 + 1:02d}"


def test_two_commission_runs_of_one_period_and_plan_leave_one_statement_each():
    world = build_world()
    members = [world.rep, world.peer, world.other_rep]
    version = import_plan(world.org, members)
    for i in range(REPETITIONS):
        order(world.rep, f"{_period(i)}-10", {"amount": 1000 + i})
        order(world.peer, f"{_period(i)}-11", {"amount": 500 + i})
    actor = system(world.org)

    def calculate(period):
        def job():
            r = services.commission_run_get_or_create(actor=actor, period=period, plan=version.plan)
            return services.commission_run_calculate(actor=actor, run=r)

        return job

    outcomes = {"both ran": 0, "one conflict": 0}
    for i in range(REPETITIONS):
        period = _period(i)
        results = _together(calculate(period), calculate(period))
        assert all(isinstance(r, (CommissionRun, Conflict)) for r in results), results
        assert any(isinstance(r, CommissionRun) for r in results), results
        outcomes[
            "one conflict" if any(isinstance(r, Conflict) for r in results) else "both ran"
        ] += 1
        assert CommissionRun.objects.filter(organisation=world.org, period=period).count() == 1
        rows = Statement.objects.filter(period=period, plan=version.plan)
        assert rows.count() == len(members)
        assert rows.values("plan", "member").distinct().count() == len(members)
        four = Decimal("0.04")
        assert rows.get(member=world.rep).total == (Decimal(1000 + i) * four).quantize(
            Decimal("0.01")
        )
        assert rows.get(member=world.peer).total == (Decimal(500 + i) * four).quantize(
            Decimal("0.01")
        )
        assert rows.get(member=world.other_rep).total == Decimal("0.00")
    print(f"\ncommission runs x{REPETITIONS}: {outcomes}")


def _orders_file(world, i: int) -> bytes:
    """Ten orders of four lines each; two SKUs and a category no import has seen yet, so the
    two imports race to create them as well as the orders and lines."""
    rows = [
        "external_id,line,order_date,owner_email,sku,quantity,unit_price,product_category,split"
    ]
    owners = [world.rep.user.email, world.peer.user.email]
    for n in range(LINES_PER_FILE // 4):
        owner = owners[n % 2]
        split = f"{owners[0]}:60;{owners[1]}:40" if n == 0 else ""
        for line in range(1, 5):
            sku = f"R{i}-A" if line % 2 else f"R{i}-B"
            rows.append(
                f"C{i}-{n},{line},{_period(i)}-05,{owner},{sku},{line},{10 + n}.25,"
                f"Race {i},{split if line == 1 else ''}"
            )
    return ("\n".join(rows) + "\n").encode()


def _import(actor, raw: bytes, i: int):
    def job():
        return imports.import_file(
            actor=actor, file=io.BytesIO(raw), filename=f"race-{i}.csv", kind="orders"
        )

    return job


def _state(org, i: int) -> dict:
    lines = OrderLine.objects.filter(organisation=org, order__external_id__startswith=f"C{i}-")
    return {
        "orders": Order.objects.filter(organisation=org, external_id__startswith=f"C{i}-").count(),
        "lines": lines.count(),
        "distinct lines": lines.values("order__external_id", "line").distinct().count(),
        "net": lines.aggregate(s=Sum("net_amount"))["s"],
        "splits": OrderLineSplit.objects.filter(line__in=lines).count(),
        "products": Product.objects.filter(organisation=org, sku__startswith=f"R{i}-").count(),
        "categories": ProductCategory.objects.filter(organisation=org, name=f"Race {i}").count(),
    }


def test_two_imports_of_one_orders_file_leave_the_rows_of_one_import():
    world = build_world()
    actor = system(world.org)
    # the reference: one import alone of the same shape of file
    raw = _orders_file(world, REPETITIONS)
    alone = imports.import_file(
        actor=actor, file=io.BytesIO(raw), filename="alone.csv", kind="orders"
    )
    assert alone.status == JobStatus.DONE, (alone.message, alone.errors)
    expected = _state(world.org, REPETITIONS)
    assert expected["lines"] == expected["distinct lines"] == LINES_PER_FILE
    assert (expected["orders"], expected["products"], expected["categories"]) == (10, 2, 1)

    outcomes: dict[str, int] = {}
    for i in range(REPETITIONS):
        raw = _orders_file(world, i)
        jobs = _together(_import(actor, raw, i), _import(actor, raw, i))
        assert all(isinstance(j, ImportJob) for j in jobs), jobs
        statuses = sorted(j.status for j in jobs)
        key = "+".join(statuses)
        outcomes[key] = outcomes.get(key, 0) + 1
        # the second waits for the first (one writer per organisation and kind), then finds
        # every line there, unchanged
        assert statuses == [JobStatus.DONE, JobStatus.DONE], [(j.message, j.errors) for j in jobs]
        counts = sorted((j.created, j.unchanged, j.updated) for j in jobs)
        assert counts == [(0, LINES_PER_FILE, 0), (LINES_PER_FILE, 0, 0)], counts
        state = _state(world.org, i)
        assert state == expected, (i, state)
        assert (
            OrderLine.objects.filter(
                organisation=world.org, order__external_id__startswith=f"C{i}-"
            )
            .values("order_id", "line")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
            .count()
            == 0
        )
    assert not ImportJob.objects.filter(status=JobStatus.RUNNING).exists()
    print(f"\norders imports x{REPETITIONS}: {outcomes}")
