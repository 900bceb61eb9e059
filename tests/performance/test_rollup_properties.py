"""Property: after any sequence of line changes, the incrementally refreshed rollup equals the
rollup computed from scratch by the slow reference (SPEC §10: identical answers)."""

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saleshelm.crm.models import OrderLine, OrderLineSplit
from saleshelm.performance.rollups import rollups_rebuild, rollups_refresh
from saleshelm.tenancy.roles import Role
from tests.performance.factories import category, order_line
from tests.performance.test_rollups import assert_matches_raw
from tests.tenancy.factories import MembershipFactory, OrganisationFactory

days = st.dates(min_value=dt.date(2026, 5, 1), max_value=dt.date(2026, 10, 31))
amounts = st.decimals(
    min_value=Decimal("-5000"), max_value=Decimal("50000"), places=4, allow_nan=False
).filter(lambda d: d != 0)
shares = st.sampled_from(
    [
        None,
        ("0.6", "0.4"),
        ("0.5", "0.5"),
        ("0.3333", "0.6667"),
        ("0.3333", "0.3333", "0.3334"),
    ]
)

add = st.tuples(
    st.just("add"),
    st.integers(0, 2),  # owner
    days,
    amounts,
    st.sampled_from(["confirmed", "cancelled", "returned"]),
    st.integers(0, 90),  # status after so many days
    st.integers(0, 2),  # category: none, scanners, printers
    shares,
)
cancel = st.tuples(st.just("cancel"), st.integers(0, 50), st.integers(0, 90))
reown = st.tuples(st.just("owner"), st.integers(0, 50), st.integers(0, 2))
resplit = st.tuples(st.just("split"), st.integers(0, 50), shares)
refresh = st.tuples(st.just("refresh"))
operations = st.lists(st.one_of(add, add, cancel, reown, resplit, refresh), min_size=1, max_size=14)


def _apply(org, members, cats, lines, op):
    kind = op[0]
    if kind == "refresh":
        rollups_refresh(org.pk)
        return
    if kind == "add":
        _, owner, day, net, status, after, cat, split = op
        quantity = "1" if net > 0 else "-1"
        line = order_line(
            members[owner],
            day,
            net,
            cost=(abs(net) / 3).quantize(Decimal("0.0001")) * (1 if net > 0 else -1),
            quantity=quantity,
            status=status,
            status_date=None if status == "confirmed" else day + dt.timedelta(days=after),
            category=cats[cat],
            splits=None if split is None else list(zip(members, split, strict=False)),
        )
        lines.append(line)
        return
    if not lines:
        return
    line = OrderLine.objects.get(pk=lines[op[1] % len(lines)].pk)
    if kind == "cancel":
        if line.status != "confirmed":
            return  # as crm's order_line_cancel: only a confirmed line is cancelled, once
        line.status = "cancelled"
        line.status_date = line.order_date + dt.timedelta(days=op[2])
        line.save()
    elif kind == "owner":
        line.owner = members[op[2]]
        line.save()
    elif kind == "split":
        # As crm's order_line_set_splits: replace the rows (an emptied split also touches
        # the line, so the change is visible to the watermark).
        OrderLineSplit.objects.filter(line=line).delete()
        for member, share in zip(members, op[2] or (), strict=False):
            OrderLineSplit.objects.create(organisation=org, line=line, member=member, share=share)
        line.save()


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations)
def test_incremental_rollup_equals_the_raw_lines(db, no_overlap, ops):
    org = OrganisationFactory()
    members = [MembershipFactory(organisation=org, role=Role.REP) for _ in range(3)]
    cats = [None, category(org, "Scanners"), category(org, "Printers")]
    rollups_refresh(org.pk)
    lines: list = []
    for op in ops:
        _apply(org, members, cats, lines, op)
    rollups_refresh(org.pk)
    assert_matches_raw(org)
    # And a full rebuild gives the same rows.
    rollups_rebuild(org.pk)
    assert_matches_raw(org)
