"""``kill -9`` at random points (SPEC §11.6): an import and a commission run killed part-way,
then run again to completion, leave exactly what a clean run leaves: no loss, no duplicates,
no import job left "running".

``saleshelm import orders FILE --org acme`` and ``saleshelm commissions run --org acme
--period P`` run as real processes on this test's database (SQLite file or the PostgreSQL
test database), each killed with SIGKILL after a delay drawn from a seeded RNG within the work
of a clean run (after the process start, before 95 % of its time); the kill points are
printed. Each point works on its own month so that its result compares with the clean run of another month
holding the same lines.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Sum

from saleshelm.crm.models import Order, OrderLine, OrderLineSplit, Product
from saleshelm.imports.models import ImportJob, JobStatus
from saleshelm.incentives.models import CommissionRun, PayoutLine, Statement
from tests.conftest import build_world
from tests.core.helpers import SALESHELM, env_for
from tests.incentives.factories import import_plan

pytestmark = [pytest.mark.django_db(transaction=True)]

KILL_POINTS = 5
SEED = int(os.environ.get("SALESHELM_KILL_SEED", "1127"))
LINES = int(os.environ.get("SALESHELM_KILL_LINES", "12000"))  # per file: 4 lines an order
MONTHS = [f"2026-{m:02d}" for m in range(1, KILL_POINTS + 2)]  # [0] is the clean run's


def _file(tmp_path: Path, world, month: str) -> Path:
    owners = [world.rep.user.email, world.peer.user.email, world.other_rep.user.email]
    rows = ["external_id,line,order_date,owner_email,sku,quantity,unit_price,split"]
    tag = month.replace("-", "")
    for n in range(LINES // 4):
        owner = owners[n % 3]
        split = f"{owners[0]}:50;{owners[1]}:50" if n % 10 == 0 else ""
        for line in range(1, 5):
            rows.append(
                f"K{tag}-{n},{line},{month}-{1 + n % 28:02d},{owner},KILL-{tag}-{line % 2},"
                f"{line},{100 + n % 50}.25,{split}"
            )
    path = tmp_path / f"orders-{tag}.csv"
    path.write_text("\n".join(rows) + "\n")
    return path


def _orders_state(org, month: str) -> dict:
    tag = month.replace("-", "")
    lines = OrderLine.objects.filter(organisation=org, order__external_id__startswith=f"K{tag}-")
    return {
        "orders": Order.objects.filter(
            organisation=org, external_id__startswith=f"K{tag}-"
        ).count(),
        "lines": lines.count(),
        "distinct lines": lines.values("order_id", "line").distinct().count(),
        "net": lines.aggregate(s=Sum("net_amount"))["s"],
        "splits": OrderLineSplit.objects.filter(line__in=lines).count(),
        "products": Product.objects.filter(
            organisation=org, sku__startswith=f"KILL-{tag}-"
        ).count(),
    }


def _run_state(org, month: str) -> dict:
    statements = Statement.objects.filter(organisation=org, period=month)
    return {
        "runs": CommissionRun.objects.filter(organisation=org, period=month).count(),
        "statements": statements.count(),
        "members": statements.values("plan", "member").distinct().count(),
        "totals": {s.member.user.email: s.total for s in statements.select_related("member__user")},
        "payout lines": PayoutLine.objects.filter(statement__in=statements).count(),
    }


def _timed(args: list[str], env: dict) -> float:
    started = time.monotonic()
    done = subprocess.run(
        [str(SALESHELM), *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    return time.monotonic() - started


def _kill_at(args: list[str], env: dict, delay: float) -> str:
    proc = subprocess.Popen(
        [str(SALESHELM), *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(delay)
    if proc.poll() is not None:
        return f"finished first (exit {proc.returncode})"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    return "killed"


def test_kill_9_during_imports_and_commission_runs_then_restart_equals_a_clean_run(tmp_path):
    if not SALESHELM.exists():
        pytest.fail(f"{SALESHELM} is missing: install the project (pip install -e .)")
    world = build_world()
    import_plan(world.org, [world.rep, world.peer, world.other_rep])
    env = env_for(connection.settings_dict["NAME"], SALESHELM_DEBUG="1")
    rng = random.Random(SEED)
    connection.close()  # the subprocesses write; SQLite allows one writer at a time

    # the clean runs: one import and one commission run of the first month
    clean = MONTHS[0]
    t_import = _timed(
        ["import", "orders", str(_file(tmp_path, world, clean)), "--org", "acme"], env
    )
    t_run = _timed(["commissions", "run", "--org", "acme", "--period", clean], env)
    want_orders = _orders_state(world.org, clean)
    want_run = _run_state(world.org, clean)
    assert want_orders["lines"] == want_orders["distinct lines"] == LINES
    assert want_run["statements"] == want_run["members"] == 3
    assert sum(want_run["totals"].values()) > Decimal(0)
    connection.close()
    # the process start (Python, Django, the database connection): a header-only file
    empty = tmp_path / "empty.csv"
    empty.write_text("external_id,line,order_date,owner_email,sku,quantity,unit_price\n")
    t_start = min(t_import, t_run, _timed(["import", "orders", str(empty), "--org", "acme"], env))
    connection.close()
    report = [
        f"seed {SEED}, {LINES} lines; clean import {t_import:.2f} s, run {t_run:.2f} s, "
        f"process start {t_start:.2f} s"
    ]

    for point, month in enumerate(MONTHS[1:], start=1):
        path = _file(tmp_path, world, month)
        args = ["import", "orders", str(path), "--org", "acme"]
        delay = t_start + rng.uniform(0.0, 0.95) * (t_import - t_start)
        outcome = _kill_at(args, env, delay)
        report.append(f"import {point}: kill at {delay:.2f} s -> {outcome}")
        _timed(args, env)  # the restart, to completion
        assert _orders_state(world.org, month) == want_orders
        assert not ImportJob.objects.filter(
            organisation=world.org, status=JobStatus.RUNNING
        ).exists(), list(ImportJob.objects.values_list("pk", "status", "runner"))
        connection.close()

        args = ["commissions", "run", "--org", "acme", "--period", month]
        delay = t_start + rng.uniform(0.0, 0.95) * (t_run - t_start)
        outcome = _kill_at(args, env, delay)
        report.append(f"run {point} ({month}): kill at {delay:.2f} s -> {outcome}")
        _timed(args, env)
        state = _run_state(world.org, month)
        assert state == want_run, (month, state, want_run)
        connection.close()

    killed_jobs = ImportJob.objects.filter(organisation=world.org, status=JobStatus.FAILED)
    for job in killed_jobs:
        assert job.message == "The import stopped before it finished; nothing was written."
    report.append(
        f"import jobs: {ImportJob.objects.filter(status=JobStatus.DONE).count()} done, "
        f"{killed_jobs.count()} closed as failed after a kill"
    )
    print("\n" + "\n".join(report))


def test_an_import_killed_while_running_is_closed_by_the_next_import(tmp_path):
    """The job row says "running" while the killed process's transaction was rolled back:
    the next import in the organisation finds its runner gone (PostgreSQL: the job's advisory
    lock is free; SQLite: its process no longer exists) and closes it as failed."""
    world = build_world()
    env = env_for(connection.settings_dict["NAME"], SALESHELM_DEBUG="1")
    path = _file(tmp_path, world, "2026-09")
    connection.close()
    proc = subprocess.Popen(
        [str(SALESHELM), "import", "orders", str(path), "--org", "acme"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    job = None
    while time.monotonic() < deadline and proc.poll() is None:
        job = ImportJob.objects.filter(status=JobStatus.RUNNING).first()
        connection.close()
        if job is not None:
            break
        time.sleep(0.05)
    assert job is not None and proc.poll() is None, "the import finished before it was seen running"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.runner.endswith(f" {proc.pid}")
    assert _orders_state(world.org, "2026-09")["lines"] == 0  # rolled back: nothing written
    connection.close()
    _timed(["import", "orders", str(path), "--org", "acme"], env)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.finished_at is not None
    assert job.message == "The import stopped before it finished; nothing was written."
    assert _orders_state(world.org, "2026-09")["lines"] == LINES
    assert not ImportJob.objects.filter(status=JobStatus.RUNNING).exists()
