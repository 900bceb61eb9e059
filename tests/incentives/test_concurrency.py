"""Concurrent commission runs on PostgreSQL (SPEC §11.5): exactly one statement per member,
period and plan; the loser waits or gets a clear conflict."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection

from saleshelm.core.errors import Conflict
from saleshelm.incentives import services
from saleshelm.incentives.models import CommissionRun, Statement
from tests.conftest import build_world
from tests.incentives.factories import import_plan, order, system

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _together(*jobs) -> list[object]:
    """Run the jobs in threads released at the same instant; each returns its result or the
    exception it raised."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def work(i, job):
        try:
            barrier.wait()
            results[i] = job()
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def _period(i: int) -> str:
    return f"{2026 + i // 12}-{i % 12 + 1:02d}"


def test_two_runs_of_the_same_period_leave_one_statement_each_repeated():
    world = build_world()
    members = [world.rep, world.peer, world.other_rep]
    import_plan(world.org, members)
    for i in range(50):
        order(world.rep, f"{_period(i)}-10", {"amount": 1000 + i})
    actor = system(world.org)

    def calculate(period):
        def job():
            r = services.commission_run_get_or_create(actor=actor, period=period)
            return services.commission_run_calculate(actor=actor, run=r)

        return job

    for i in range(50):
        period = _period(i)
        results = _together(calculate(period), calculate(period))
        # the second waits for the first (row lock on the run), then recalculates identically
        assert all(isinstance(r, (CommissionRun, Conflict)) for r in results), results
        assert any(isinstance(r, CommissionRun) for r in results)
        assert CommissionRun.objects.filter(organisation=world.org, period=period).count() == 1
        rows = Statement.objects.filter(period=period)
        assert rows.count() == len(members)
        assert rows.values("plan", "member").distinct().count() == len(members)
        # (1,000 + i) x 4 %, rounded half-up to the cent
        expected = (Decimal(1000 + i) * Decimal("0.04")).quantize(Decimal("0.01"))
        assert rows.get(member=world.rep).total == expected


def test_overlapping_runs_of_different_scope_conflict_cleanly():
    world = build_world()
    version = import_plan(world.org, [world.rep, world.peer])
    actor = system(world.org)
    for q in range(1, 5):
        quarter = f"2027-Q{q}"
        month = f"2027-{(q - 1) * 3 + 1:02d}"
        whole = services.commission_run_create(actor=actor, period=quarter)
        one = services.commission_run_create(actor=actor, period=month, plan=version.plan)
        results = _together(
            lambda r=whole: services.commission_run_calculate(actor=actor, run=r),
            lambda r=one: services.commission_run_calculate(actor=actor, run=r),
        )
        conflicts = [r for r in results if isinstance(r, Conflict)]
        # never both: the one that comes second meets the other's statements
        assert len(conflicts) == 1, results
        assert all(isinstance(r, (CommissionRun, Conflict)) for r in results), results
        if conflicts:
            assert conflicts[0].code in {"concurrent_run", "statement_in_other_run"}
        rows = Statement.objects.filter(period=month)
        assert rows.count() == 2
        assert rows.values("plan", "member").distinct().count() == 2
