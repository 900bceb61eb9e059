"""A documented PostgreSQL backup restores, and the restored data passes the invariants
(SPEC §11.11; the commands are those of docs/deploy.md, "Backups").

Two organisations are seeded (people, deals, orders with credit splits, targets, locked and
open commission runs, recognition, coaching...). The test database is dumped with
``pg_dump --format=custom``, restored with ``pg_restore --clean --if-exists --no-owner`` into
a database created empty for it, and SalesHelm itself is started on the restored copy
(``saleshelm manage shell`` with ``SALESHELM_DATABASE_URL`` pointing at it) to compute the
same invariants as on the original:

- the same number of rows in every SalesHelm table (the audit log included);
- every statement's total equals the sum of its payout lines;
- the credit splits of every order line sum to exactly 1;
- no row points at a row of another organisation;
- the same money totals (statements, order lines).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from saleshelm.core.seeding import SeedOptions, seed_organisation
from tests.core.helpers import env_for, run_process

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

REPO = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 8, 20)


def invariants() -> dict[str, Any]:
    """What must hold, and be equal, in a database and in its restored copy."""
    from django.apps import apps
    from django.db.models import DecimalField, F, Sum, Value
    from django.db.models.functions import Coalesce

    from saleshelm.crm.models import OrderLine, OrderLineSplit
    from saleshelm.incentives.models import Statement
    from saleshelm.tenancy.models import AuditEntry

    ours = [m for m in apps.get_models() if m.__module__.startswith("saleshelm.")]
    counts = {m._meta.label: m._base_manager.count() for m in ours}

    zero = Value(Decimal(0), output_field=DecimalField(max_digits=20, decimal_places=4))
    statements_off = list(
        Statement._base_manager.annotate(lines_total=Coalesce(Sum("lines__amount"), zero))
        .exclude(total=F("lines_total"))
        .values_list("pk", flat=True)
    )
    splits_off = list(
        OrderLineSplit._base_manager.values("line_id")
        .annotate(total=Sum("share"))
        .exclude(total=Decimal(1))
        .values_list("line_id", flat=True)
    )

    cross_organisation: dict[str, int] = {}
    for model in ours:
        names = {f.name for f in model._meta.concrete_fields}
        if "organisation" not in names:
            continue
        for field in model._meta.concrete_fields:
            target = field.related_model
            if (
                not field.is_relation
                or field.name == "organisation"
                or target is None
                or "organisation" not in {f.name for f in target._meta.concrete_fields}
            ):
                continue
            wrong = (
                model._base_manager.filter(**{f"{field.name}__isnull": False})
                .exclude(**{f"{field.name}__organisation_id": F("organisation_id")})
                .count()
            )
            if wrong:
                cross_organisation[f"{model._meta.label}.{field.name}"] = wrong

    def total(qs, column: str) -> str:
        return str(qs.aggregate(s=Sum(column))["s"] or 0)

    return {
        "counts": counts,
        "audit_entries": AuditEntry._base_manager.count(),
        "statements_not_summing_to_their_lines": statements_off,
        "order_lines_whose_splits_do_not_sum_to_1": splits_off,
        "rows_pointing_at_another_organisation": cross_organisation,
        "statement_total": total(Statement._base_manager.all(), "total"),
        "order_line_net_total": total(OrderLine._base_manager.all(), "net_amount"),
    }


def _url(db_name: str) -> str:
    return env_for(db_name)["SALESHELM_DATABASE_URL"]


def _client_major(binary: str) -> int:
    out = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(match.group(1)) if match else 0


def _tools() -> tuple[str, str]:
    pg_dump, pg_restore = shutil.which("pg_dump"), shutil.which("pg_restore")
    if not (pg_dump and pg_restore):
        pytest.skip(
            "pg_dump/pg_restore are not installed: apt-get install postgresql-client "
            "(the same major version as the server)"
        )
    server = connection.pg_version // 10000
    client = _client_major(pg_dump)
    if client < server:
        pytest.skip(
            f"pg_dump {client} cannot dump a PostgreSQL {server} server: "
            f"install postgresql-client-{server}"
        )
    return pg_dump, pg_restore


def _admin_sql(sql: str) -> None:
    """CREATE/DROP DATABASE, from the server's maintenance database (outside a transaction)."""
    import psycopg

    with psycopg.connect(_url("postgres"), autocommit=True) as conn:
        conn.execute(sql)


def _run(args: list[str]) -> None:
    result = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{' '.join(args[:2])} failed:\n{result.stderr}"


def test_a_backup_restores_into_an_empty_database_and_passes_the_invariants(tmp_path):
    pg_dump, pg_restore = _tools()
    # given two organisations with a year's worth of selling, pay and coaching
    for slug, locale, seed in (("backup-a", "en", 11), ("backup-b", "vi", 12)):
        options = SeedOptions(
            org=slug,
            reps=6,
            months=6,
            orders=600,
            activities=200,
            seed=seed,
            locale=locale,
            today=TODAY,
        )
        seed_organisation(options)
    before = invariants()
    assert before["counts"]["incentives.Statement"] > 0
    assert before["counts"]["crm.OrderLineSplit"] > 0
    assert before["counts"]["development.CoachingSession"] > 0
    assert before["audit_entries"] > 0
    assert before["statements_not_summing_to_their_lines"] == []
    assert before["order_lines_whose_splits_do_not_sum_to_1"] == []
    assert before["rows_pointing_at_another_organisation"] == {}

    # when the database is backed up and restored as docs/deploy.md says
    source = connection.settings_dict["NAME"]
    restored = f"{source}_restored_{os.getpid()}"
    dump = tmp_path / "saleshelm.dump"
    _run([pg_dump, "--format=custom", f"--file={dump}", _url(source)])
    assert dump.stat().st_size > 0
    _admin_sql(f'DROP DATABASE IF EXISTS "{restored}"')
    _admin_sql(f'CREATE DATABASE "{restored}"')
    try:
        _run(
            [
                pg_restore,
                "--clean",
                "--if-exists",
                "--no-owner",
                f"--dbname={_url(restored)}",
                str(dump),
            ]
        )
        # then SalesHelm started on the restored copy finds the same data, and it holds
        code = (
            "import json; from tests.reliability.test_backup_restore import invariants; "
            "print(json.dumps(invariants()))"
        )
        env = env_for(restored, SALESHELM_DEBUG="1", PYTHONPATH=str(REPO))
        result = run_process(["manage", "shell", "-c", code], env=env, timeout=120)
        assert result.returncode == 0, result.stderr
        after = json.loads(result.stdout.strip().splitlines()[-1])
    finally:
        _admin_sql(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
    assert after == json.loads(json.dumps(before))
