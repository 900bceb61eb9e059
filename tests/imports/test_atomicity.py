"""Nothing is half-imported (SPEC §4, §11.6): an error in the middle of the writes, or the
process killed with SIGKILL while writing, leaves the database as it was."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from saleshelm.crm.models import Order, OrderLine, Product
from saleshelm.imports import writing
from saleshelm.imports.kinds.orders import OrdersKind
from saleshelm.imports.models import ImportJob
from tests.imports.helpers import csv_text, run

HEADER = "external_id,line,order_date,owner_email,sku,quantity,unit_price,product_category"


def _lines(n: int, owner: str = "rep@acme.test") -> str:
    return csv_text(
        HEADER,
        *(
            f"SO-{i // 3},{i % 3 + 1},2026-07-03,{owner},SKU-{i % 50},2,10.5,Cat {i % 5}"
            for i in range(n)
        ),
    )


def test_given_a_failure_after_some_batches_were_written_when_importing_then_nothing_remains(
    world, monkeypatch
):
    monkeypatch.setattr(OrdersKind, "batch_size", 10)
    calls = {"n": 0}
    original = writing.BulkWriter.write

    def failing(self, rows):
        calls["n"] += 1
        if calls["n"] == 6:  # orders, lines, orders, lines... then the third batch fails
            raise RuntimeError("disk full")
        return original(self, rows)

    monkeypatch.setattr(writing.BulkWriter, "write", failing)
    with pytest.raises(RuntimeError):
        run(world.admin, "orders", _lines(60))
    assert calls["n"] == 6
    assert (Order.objects.count(), OrderLine.objects.count(), Product.objects.count()) == (0, 0, 0)


@pytest.mark.skipif(
    connection.vendor != "sqlite" and not os.environ.get("SALESHELM_DATABASE_URL"),
    reason="needs a database another process can reach",
)
@pytest.mark.django_db(transaction=True)
def test_given_an_import_killed_with_sigkill_while_writing_then_nothing_is_written(tmp_path):
    from saleshelm.tenancy.services import membership_create, organisation_create

    # Given an organisation (committed, so the import process sees it) and a large file
    org, admin, _password = organisation_create(
        slug="killtest", name="Kill test", currency="USD", admin_email="boss@kill.test"
    )
    membership_create(actor=admin, email="rep@kill.test", name="Rep", role="rep")
    path = tmp_path / "orders.csv"
    path.write_text(_lines(60_000, owner="rep@kill.test"))
    env = {**os.environ, "SALESHELM_DEBUG": "1", "PYTHONPATH": os.pathsep.join(sys.path)}
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        env["SALESHELM_DATABASE_URL"] = f"sqlite:///{settings_dict['NAME']}"
    else:
        env["SALESHELM_DATABASE_URL"] = (
            f"postgresql://{settings_dict['USER']}:{settings_dict['PASSWORD']}@{settings_dict['HOST']}"
            f":{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
        )
    cli = Path(sys.executable).with_name("saleshelm")
    # When the import runs in another process and is killed once it is writing
    process = subprocess.Popen(
        [str(cli), "import", "orders", str(path), "--org", "killtest", "--skip-checks"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if ImportJob.objects.filter(organisation=org, status="running").exists():
                break
            if process.poll() is not None:
                pytest.fail("the import finished before it could be killed")
            time.sleep(0.05)
        else:
            pytest.fail("the import never started")
        time.sleep(1.5)  # well into the batches
        assert process.poll() is None, "the import finished before it could be killed"
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    # Then nothing of the file is in the database, which is readable and writable again
    assert process.returncode == -signal.SIGKILL
    connection.close()
    assert OrderLine.objects.filter(organisation=org).count() == 0
    assert Order.objects.filter(organisation=org).count() == 0
    assert Product.objects.filter(organisation=org).count() == 0
    from saleshelm.tenancy.actors import SystemActor

    again = run(SystemActor(org), "orders", _lines(300, owner="rep@kill.test"))
    assert again.ok and again.created == 300
