"""The revenue rollup: crediting rules worked by hand, incremental refresh, rebuild."""

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from saleshelm.core.sql import from_units
from saleshelm.crm.models import OrderLineSplit
from saleshelm.performance.models import MemberMonthFact, RollupState
from saleshelm.performance.rollups import rollups_rebuild, rollups_refresh, rollups_stale
from tests.performance.factories import category, order_line
from tests.performance.reference import credited_by_member_month

JUL, AUG, SEP = dt.date(2026, 7, 1), dt.date(2026, 8, 1), dt.date(2026, 9, 1)


def facts(org) -> dict:
    """{(member, month): (revenue, margin, units, lines)} summed over categories, as Decimals."""
    out: dict = {}
    for f in MemberMonthFact.objects.filter(organisation=org):
        key = (f.member_id, f.month)
        r, g, u, n = out.get(key, (Decimal(0), Decimal(0), Decimal(0), 0))
        out[key] = (
            r + from_units(f.revenue),
            g + from_units(f.gross_margin),
            u + from_units(f.units),
            n + f.line_count,
        )
    return out


def revenue(org, member, month) -> Decimal:
    return facts(org).get((member.pk, month), (Decimal(0),))[0]


def assert_matches_raw(org):
    """The rollup holds exactly what the slow reference computes from the raw lines."""
    expected = {
        (m, month, cat): (c["revenue"], c["gross_margin"], c["units"], c["line_count"])
        for (m, month, cat), c in credited_by_member_month(org).items()
    }
    actual = {
        (f.member_id, f.month, f.product_category_id): (
            from_units(f.revenue),
            from_units(f.gross_margin),
            from_units(f.units),
            f.line_count,
        )
        for f in MemberMonthFact.objects.filter(organisation=org)
    }
    assert actual == expected


def test_split_60_40_credits_each_member_their_share(world):
    # Given a 1,000.00 line (cost 600.00, 10 units) split 60% rep / 40% peer in July.
    order_line(
        world.rep,
        dt.date(2026, 7, 3),
        "1000",
        cost="600",
        quantity="10",
        splits=[(world.rep, "0.6"), (world.peer, "0.4")],
    )
    # When the rollup is built.
    rollups_refresh(world.org.pk)
    # Then rep gets 600.00 revenue, 240.00 margin (0.6 x 400), 6 units; peer 400, 160, 4.
    f = facts(world.org)
    assert f[(world.rep.pk, JUL)] == (Decimal("600"), Decimal("240"), Decimal("6"), 1)
    assert f[(world.peer.pk, JUL)] == (Decimal("400"), Decimal("160"), Decimal("4"), 1)
    assert_matches_raw(world.org)


def test_split_shares_are_quantised_half_up_to_four_places(world):
    # 10.0005 x 0.5 = 5.00025, which rounds half-up to 5.0003 for each of the two members.
    order_line(
        world.rep, dt.date(2026, 7, 3), "10.0005", splits=[(world.rep, "0.5"), (world.peer, "0.5")]
    )
    rollups_refresh(world.org.pk)
    assert revenue(world.org, world.rep, JUL) == Decimal("5.0003")
    assert revenue(world.org, world.peer, JUL) == Decimal("5.0003")
    assert_matches_raw(world.org)


def test_cancellation_in_the_same_month_nets_to_zero(world):
    # A 500.00 line booked on 3 July and cancelled on 20 July: +500 and -500 in July.
    order_line(
        world.rep, dt.date(2026, 7, 3), "500", status="cancelled", status_date=dt.date(2026, 7, 20)
    )
    rollups_refresh(world.org.pk)
    assert facts(world.org)[(world.rep.pk, JUL)] == (Decimal(0), Decimal(0), Decimal(0), 0)


def test_cancellation_in_a_later_month_reduces_that_month_and_leaves_july_alone(world, no_overlap):
    # Given an 800.00 line booked in July, already in the rollup.
    line = order_line(world.rep, dt.date(2026, 7, 10), "800", cost="500")
    rollups_refresh(world.org.pk)
    july_row = MemberMonthFact.objects.get(member=world.rep, month=JUL)
    assert from_units(july_row.revenue) == Decimal("800")
    # When it is cancelled on 5 September.
    line.status, line.status_date = "cancelled", dt.date(2026, 9, 5)
    line.save()
    result = rollups_refresh(world.org.pk)
    # Then September is reduced by 800 (margin by 300); July keeps its 800.
    f = facts(world.org)
    assert f[(world.rep.pk, SEP)] == (Decimal("-800"), Decimal("-300"), Decimal("-1"), -1)
    assert f[(world.rep.pk, JUL)] == (Decimal("800"), Decimal("300"), Decimal("1"), 1)
    assert (world.rep.pk, AUG) not in f
    assert set(result.months) == {JUL, SEP}
    assert_matches_raw(world.org)


def test_a_return_counts_negative_in_its_own_month(world):
    # A 300.00 sale in July and its credit note (quantity -1, -300.00) dated 12 August.
    sold = order_line(world.rep, dt.date(2026, 7, 2), "300")
    credit = order_line(
        world.rep,
        dt.date(2026, 8, 12),
        "-300",
        quantity="-1",
        status="returned",
        status_date=dt.date(2026, 8, 12),
    )
    credit.returns_line = sold
    credit.save()
    rollups_refresh(world.org.pk)
    # July +300 (the sale stays confirmed), August -300 (the credit line, once).
    assert revenue(world.org, world.rep, JUL) == Decimal("300")
    assert revenue(world.org, world.rep, AUG) == Decimal("-300")
    assert_matches_raw(world.org)


def test_a_positive_line_marked_returned_is_taken_back_on_its_status_date(world):
    # An imported line of 250.00 in July, status returned on 3 August.
    order_line(
        world.rep, dt.date(2026, 7, 30), "250", status="returned", status_date=dt.date(2026, 8, 3)
    )
    rollups_refresh(world.org.pk)
    assert revenue(world.org, world.rep, JUL) == Decimal("250")
    assert revenue(world.org, world.rep, AUG) == Decimal("-250")


def test_categories_are_kept_apart(world):
    scanners = category(world.org, "Scanners")
    printers = category(world.org, "Printers")
    order_line(world.rep, dt.date(2026, 7, 1), "100", category=scanners)
    order_line(world.rep, dt.date(2026, 7, 2), "40", category=printers)
    order_line(world.rep, dt.date(2026, 7, 3), "7")  # no category
    rollups_refresh(world.org.pk)
    rows = dict(
        MemberMonthFact.objects.filter(member=world.rep).values_list(
            "product_category_id", "revenue"
        )
    )
    assert rows == {scanners.pk: 1_000_000, printers.pk: 400_000, None: 70_000}


def test_refresh_recomputes_only_the_touched_months(world, no_overlap):
    # Given lines in July and August, rolled up.
    order_line(world.rep, dt.date(2026, 7, 1), "100")
    order_line(world.rep, dt.date(2026, 8, 1), "200")
    rollups_refresh(world.org.pk)
    # And a July fact tampered with behind the rollup's back.
    MemberMonthFact.objects.filter(member=world.rep, month=JUL).update(revenue=123)
    # When a new August line arrives.
    order_line(world.rep, dt.date(2026, 8, 20), "50")
    result = rollups_refresh(world.org.pk)
    # Then August is recomputed (250) and July, untouched, keeps what it had.
    assert result.months == (AUG,)
    assert revenue(world.org, world.rep, AUG) == Decimal("250")
    assert MemberMonthFact.objects.get(member=world.rep, month=JUL).revenue == 123
    # And the nightly rebuild repairs July.
    rollups_rebuild(world.org.pk)
    assert revenue(world.org, world.rep, JUL) == Decimal("100")


def test_a_changed_split_is_picked_up(world, no_overlap):
    line = order_line(world.rep, dt.date(2026, 7, 1), "1000")
    rollups_refresh(world.org.pk)
    assert revenue(world.org, world.rep, JUL) == Decimal("1000")
    # When the line is split 70/30 after the fact (new split rows).
    OrderLineSplit.objects.create(organisation=world.org, line=line, member=world.rep, share="0.7")
    OrderLineSplit.objects.create(organisation=world.org, line=line, member=world.peer, share="0.3")
    rollups_refresh(world.org.pk)
    assert revenue(world.org, world.rep, JUL) == Decimal("700")
    assert revenue(world.org, world.peer, JUL) == Decimal("300")


def test_an_owner_change_moves_the_whole_month(world, no_overlap):
    line = order_line(world.rep, dt.date(2026, 7, 1), "100")
    rollups_refresh(world.org.pk)
    line.owner = world.peer
    line.save()
    rollups_refresh(world.org.pk)
    assert revenue(world.org, world.rep, JUL) == 0
    assert revenue(world.org, world.peer, JUL) == Decimal("100")


def test_refresh_is_one_query_when_nothing_changed_and_idempotent(world):
    order_line(world.rep, dt.date(2026, 7, 1), "100")
    first = rollups_refresh(world.org.pk)
    assert first.rebuilt
    before = list(MemberMonthFact.objects.values_list("member_id", "month", "revenue"))
    with CaptureQueriesContext(connection) as ctx:
        again = rollups_refresh(world.org.pk)
    assert len(ctx.captured_queries) == 1
    assert not again.changed
    assert rollups_stale(world.org.pk) is False
    assert list(MemberMonthFact.objects.values_list("member_id", "month", "revenue")) == before


def test_the_watermark_advances_to_the_newest_line(world):
    line = order_line(world.rep, dt.date(2026, 7, 1), "100")
    rollups_refresh(world.org.pk)
    line.refresh_from_db()
    state = RollupState.objects.get(organisation=world.org)
    assert state.lines_watermark == line.updated_at
    assert state.rebuilt_at is not None


def test_organisations_never_mix(world):
    order_line(world.rep, dt.date(2026, 7, 1), "100")
    order_line(world.other_org_rep, dt.date(2026, 7, 1), "999")
    rollups_refresh(world.org.pk)
    assert set(MemberMonthFact.objects.values_list("organisation_id", flat=True)) == {world.org.pk}
    rollups_refresh(world.other_org.pk)
    assert revenue(world.other_org, world.other_org_rep, JUL) == Decimal("999")
    assert revenue(world.org, world.rep, JUL) == Decimal("100")


def test_rebuild_command_rebuilds_from_the_raw_lines(world):
    order_line(world.rep, dt.date(2026, 7, 1), "100")
    MemberMonthFact.objects.create(
        organisation=world.org, member=world.peer, month=JUL, revenue=5, gross_margin=5
    )
    out = StringIO()
    call_command("rollups_rebuild", "--org", "acme", stdout=out)
    assert "Rebuilt the rollup of 1 organisation" in out.getvalue()
    assert_matches_raw(world.org)


def test_rebuild_command_refuses_an_unknown_organisation(world):
    with pytest.raises(SystemExit) as exit_:
        call_command("rollups_rebuild", "--org", "nope", stderr=StringIO())
    assert exit_.value.code == 1


def test_a_late_commit_is_folded_in_by_the_overlap(world):
    # Given a rolled-up line, and another whose timestamp is a minute older than the
    # watermark (its transaction began earlier and committed later).
    order_line(world.rep, dt.date(2026, 7, 1), "100")
    rollups_refresh(world.org.pk)
    late = order_line(world.peer, dt.date(2026, 8, 1), "40")
    state = RollupState.objects.get(organisation=world.org)
    type(late).objects.filter(pk=late.pk).update(
        updated_at=state.lines_watermark - dt.timedelta(minutes=1)
    )
    # When the scheduled sweep runs: it re-reads the overlap window.
    rollups_refresh(world.org.pk, sweep=True)
    # Then the late line is in.
    assert revenue(world.org, world.peer, AUG) == Decimal("40")
    assert timezone.now() > state.lines_watermark
