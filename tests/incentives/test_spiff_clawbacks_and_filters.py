"""SPIFFs are clawed back like commissions (SPEC §7): a line cancelled after the pay period
that paid its SPIFF takes that SPIFF back in the period of cancellation, within the plan's
``clawback_days``. And component filters on order types and segments match real data: the
first order of an account is ``new`` business, later ones ``existing``; a credit note has
the type of the order it gives back; a segment is the account's target segment."""

from __future__ import annotations

import pytest

from saleshelm.core.errors import ApplicationError
from saleshelm.crm.models import Order, OrderLine
from saleshelm.direction.models import AccountSegmentFit, Segment
from tests.crm.factories import AccountFactory
from tests.incentives.factories import (
    D,
    amounts,
    component,
    import_plan,
    lines_of,
    order,
    run,
    statement,
)

pytestmark = pytest.mark.django_db

SCANNER_PUSH = {
    "name": "Scanner push",
    "skus": ["XS-400"],
    "min_quantity": 10,
    "from": "2026-07-01",
    "to": "2026-09-30",
    "amount": "250",
    "frequency": "every_time",
}


def _scanners(owner, day, *, status_date=None, external_id=None, **extra):
    spec = {"amount": 1000, "sku": "XS-400", "quantity": 12, **extra}
    if status_date:
        spec.update(status="cancelled", status_date=status_date)
    return order(owner, day, spec, external_id=external_id)


def test_a_spiff_paid_in_july_is_clawed_back_in_august_when_the_line_is_cancelled(world):
    import_plan(world.org, [world.rep], spiffs=[SCANNER_PUSH], clawback_days=90)
    _scanners(world.rep, "2026-07-10", external_id="SO-1")
    run(world.org, "2026-07")
    july = statement(world.rep, "2026-07")
    assert amounts(july) == [("tier", D("40.00")), ("spiff", D("250.00"))]
    OrderLine.objects.filter(order__external_id="SO-1").update(
        status="cancelled", status_date="2026-08-05"
    )
    run(world.org, "2026-08")
    august = statement(world.rep, "2026-08")
    # the commission (4 % of 1,000) and the SPIFF come back; the line and its clawbacks net to 0
    assert amounts(august) == [("clawback", D("-40.00")), ("clawback", D("-250.00"))]
    assert august.total == D("-290.00")
    assert lines_of(august)[1] == ("clawback", "Scanner push", D("-12"), None, D("-250.00"))


def test_a_split_spiff_is_clawed_back_by_the_share_it_paid(world):
    import_plan(world.org, [world.rep, world.peer], spiffs=[SCANNER_PUSH], clawback_days=90)
    order(
        world.rep,
        "2026-07-10",
        {
            "amount": 1000,
            "sku": "XS-400",
            "quantity": 12,
            "splits": [(world.rep, "0.6"), (world.peer, "0.4")],
        },
        external_id="SO-2",
    )
    run(world.org, "2026-07")
    OrderLine.objects.filter(order__external_id="SO-2").update(
        status="cancelled", status_date="2026-08-20"
    )
    run(world.org, "2026-08")
    rep_spiff = [a for k, a in amounts(statement(world.rep, "2026-08")) if k == "clawback"]
    peer_spiff = [a for k, a in amounts(statement(world.peer, "2026-08")) if k == "clawback"]
    assert rep_spiff == [D("-24.00"), D("-150.00")]
    assert peer_spiff == [D("-16.00"), D("-100.00")]


def test_no_spiff_clawback_after_the_clawback_window(world):
    import_plan(world.org, [world.rep], spiffs=[SCANNER_PUSH], clawback_days=30)
    _scanners(world.rep, "2026-07-01", status_date="2026-08-31")  # 61 days later
    run(world.org, "2026-07")
    run(world.org, "2026-08")
    assert amounts(statement(world.rep, "2026-08")) == []


def test_a_quarter_plan_paid_monthly_claws_the_july_spiff_back_in_august(world):
    import_plan(world.org, [world.rep], spiffs=[SCANNER_PUSH], measure="quarter", pay="month")
    _scanners(world.rep, "2026-07-10", external_id="SO-3")
    run(world.org, "2026-07")
    OrderLine.objects.filter(order__external_id="SO-3").update(
        status="cancelled", status_date="2026-08-05"
    )
    run(world.org, "2026-08")
    august = amounts(statement(world.rep, "2026-08"))
    # the quarter to date no longer counts the line: the tier gives back what July paid
    assert ("tier", D("-40.00")) in august and ("clawback", D("-250.00")) in august
    assert sum(a for _k, a in august) == D("-290.00")


def test_once_per_period_claws_back_only_the_line_that_was_paid(world):
    once = {**SCANNER_PUSH, "frequency": "once_per_period"}
    import_plan(world.org, [world.rep], spiffs=[once], components=[])
    _scanners(world.rep, "2026-07-03", external_id="SO-PAID")
    _scanners(world.rep, "2026-07-04", external_id="SO-UNPAID")
    run(world.org, "2026-07")
    assert amounts(statement(world.rep, "2026-07")) == [("spiff", D("250.00"))]
    OrderLine.objects.filter(order__external_id="SO-UNPAID").update(
        status="cancelled", status_date="2026-08-02"
    )
    run(world.org, "2026-08")
    assert amounts(statement(world.rep, "2026-08")) == []
    OrderLine.objects.filter(order__external_id="SO-PAID").update(
        status="cancelled", status_date="2026-09-02"
    )
    run(world.org, "2026-09")
    assert amounts(statement(world.rep, "2026-09")) == [("clawback", D("-250.00"))]


# --- order types and segments ------------------------------------------------------------------


def _with_account(o: Order, account) -> Order:
    Order.objects.filter(pk=o.pk).update(account=account)
    return o


def _by_type_plan(world, **extra):
    return import_plan(
        world.org,
        [world.rep],
        components=[
            component(name="New business", filters={"order_types": ["new"]}, **extra,
                      tiers=[{"from": "0", "rate": "0.10"}]),
            component(name="Existing", filters={"order_types": ["existing"]},
                      tiers=[{"from": "0", "rate": "0.02"}]),
        ],
    )  # fmt: skip


def test_the_first_order_of_an_account_is_new_business_and_credit_notes_follow_it(world):
    _by_type_plan(world)
    lotus = AccountFactory(owner=world.rep)
    first = _with_account(order(world.rep, "2026-06-20", {"amount": 1000}), lotus)
    run(world.org, "2026-06")
    _with_account(order(world.rep, "2026-07-02", {"amount": 2000}), lotus)
    # a credit note in July for 200 of the June (new business) order
    note = _with_account(
        order(world.rep, "2026-07-15", {"amount": -200, "quantity": -1, "status": "returned"}),
        lotus,
    )
    OrderLine.objects.filter(order=note).update(returns_line=first.lines.get())
    _with_account(order(world.rep, "2026-07-20", {"amount": 500}), AccountFactory(owner=world.rep))
    order(world.rep, "2026-07-21", {"amount": 700})  # no account: neither type
    run(world.org, "2026-07")
    july = lines_of(statement(world.rep, "2026-07"))
    # new business: 500 (another account's first order) - 200 (credit note of a first order)
    assert ("tier", "New business", D("300.00"), D("0.10"), D("30.00")) in july
    # existing: the second order of Lotus
    assert ("tier", "Existing", D("2000.00"), D("0.02"), D("40.00")) in july


def test_a_segment_filter_counts_the_accounts_of_that_segment(world):
    smb = Segment.objects.create(organisation=world.org, name="SMB retail")
    import_plan(
        world.org,
        [world.rep],
        components=[component(name="SMB", filters={"segments": ["smb retail"]})],
    )
    fitting = AccountFactory(owner=world.rep)
    AccountSegmentFit.objects.create(
        organisation=world.org, account=fitting, segment=smb, grade="A"
    )
    _with_account(order(world.rep, "2026-07-02", {"amount": 1000}), fitting)
    _with_account(order(world.rep, "2026-07-03", {"amount": 5000}), AccountFactory(owner=world.rep))
    run(world.org, "2026-07")
    assert amounts(statement(world.rep, "2026-07")) == [("tier", D("40.00"))]


def test_filters_name_order_types_and_segments_that_exist(world):
    with pytest.raises(ApplicationError, match="not an order type"):
        import_plan(
            world.org, [world.rep], components=[component(filters={"order_types": ["renewal"]})]
        )
    with pytest.raises(ApplicationError, match="no target segment 'Enterprise'"):
        import_plan(
            world.org, [world.rep], components=[component(filters={"segments": ["Enterprise"]})]
        )
