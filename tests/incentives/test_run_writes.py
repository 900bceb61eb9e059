"""How a run writes its statements' lines and credits (COPY text on PostgreSQL, executemany
on SQLite): values arrive exactly, whatever characters the source data holds."""

from __future__ import annotations

import pytest

from saleshelm.incentives.models import CreditLine
from tests.incentives.factories import D, import_plan, order, run, statement

pytestmark = pytest.mark.django_db


def test_credits_keep_tabs_newlines_and_backslashes_of_the_source(world):
    # given order references and SKUs holding COPY's special characters
    import_plan(world.org, [world.rep])
    awkward = "SO\t1\\N\n2\r\\"
    order(world.rep, "2026-07-05", {"amount": 1000, "sku": "A\\B\tC"}, external_id=awkward)
    order(world.rep, "2026-07-06", {"amount": "10.005", "sku": "plain"}, external_id="SO-ok")
    # when July is calculated, twice (the second rewrites the first's rows)
    run(world.org, "2026-07")
    run(world.org, "2026-07")
    # then each credit line reads back exactly as the source wrote it
    s = statement(world.rep, "2026-07")
    rows = sorted(
        CreditLine.objects.filter(statement=s).values_list("order_ref", "sku", "credited", "share")
    )
    assert rows == [
        ("SO\t1\\N\n2\r\\", "A\\B\tC", D("1000.00"), D(1)),
        ("SO-ok", "plain", D("10.01"), D(1)),
    ]
