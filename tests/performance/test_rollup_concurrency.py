"""Concurrent refreshes of one organisation never double the rollup (PostgreSQL only)."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.db.models import Count

from saleshelm.crm.models import OrderLine
from saleshelm.performance.models import MemberMonthFact
from saleshelm.performance.rollups import rollups_rebuild, rollups_refresh
from tests.conftest import build_world
from tests.performance.factories import order_line
from tests.performance.test_rollups import assert_matches_raw

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _in_threads(fn, n: int = 4) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(n)

    def run():
        try:
            barrier.wait()
            fn()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_concurrent_refreshes_leave_one_row_per_member_month_and_category():
    world = build_world()
    for day in range(1, 20):
        order_line(world.rep, dt.date(2026, 7, day), "100")
        order_line(
            world.peer,
            dt.date(2026, 8, day),
            "50",
            splits=[(world.peer, "0.5"), (world.rep, "0.5")],
        )
    org = world.org.pk
    for _ in range(10):
        # Something changed since the last refresh: every thread sees the rollup stale.
        OrderLine.objects.filter(organisation_id=org, order_date__month=7).first().save()
        assert not _in_threads(lambda: rollups_refresh(org))
        assert not _in_threads(lambda: rollups_rebuild(org), n=2)
        dupes = (
            MemberMonthFact.objects.filter(organisation_id=org)
            .values("member_id", "month", "product_category_id")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
        )
        assert not dupes.exists()
        assert_matches_raw(world.org)
    assert connection.vendor == "postgresql"
