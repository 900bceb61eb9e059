"""Disputes: the rep questions a line, finance settles it in the next open period (SPEC §7)."""

from __future__ import annotations

import pytest

from saleshelm.core.errors import ApplicationError, Conflict, PermissionDenied
from saleshelm.incentives.models import DisputeStatus, RunStatus
from saleshelm.incentives.services import dispute_create, dispute_resolve
from saleshelm.tenancy.models import AuditEntry
from tests.incentives.factories import D, close, import_plan, lines_of, order, run, statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def locked_july(world):
    # July: rep 1,000 x 4 % = 40.00, locked
    import_plan(world.org, [world.rep, world.peer])
    order(world.rep, "2026-07-05", {"amount": 1000})
    order(world.peer, "2026-07-05", {"amount": 500})
    close(world.org, run(world.org, "2026-07"))
    return statement(world.rep, "2026-07")


def test_the_rep_disputes_a_line_of_their_own_statement(world, locked_july):
    line = locked_july.lines.get()
    dispute = dispute_create(actor=world.rep, line=line, comment="The July 20 deal is missing")
    assert dispute.status == DisputeStatus.OPEN
    assert (dispute.line_kind, dispute.line_amount, dispute.period) == ("tier", D(40), "2026-07")
    entry = AuditEntry.objects.get(action="commission_dispute.create")
    assert entry.actor == world.rep and entry.after["comment"] == "The July 20 deal is missing"
    # one open dispute per line
    with pytest.raises(Conflict):
        dispute_create(actor=world.rep, line=line, comment="again")


def test_nobody_else_disputes_the_rep_line(world, locked_july):
    line = locked_july.lines.get()
    for member in (world.peer, world.manager, world.finance, world.admin):
        with pytest.raises(PermissionDenied):
            dispute_create(actor=member, line=line, comment="not mine")
    with pytest.raises(ApplicationError):
        dispute_create(actor=world.rep, line=line, comment="   ")


def test_an_adjusted_dispute_is_paid_in_the_next_open_period(world, locked_july):
    line = locked_july.lines.get()
    dispute = dispute_create(actor=world.rep, line=line, comment="Missing 500 of revenue")
    # finance settles it: 20.00 more
    dispute = dispute_resolve(
        actor=world.finance, dispute=dispute, action="adjust", amount="20", reason="Agreed"
    )
    assert dispute.status == DisputeStatus.ADJUSTED and dispute.adjustment_amount == D("20.00")
    # August: its own 80.00, and the adjustment referencing the disputed line
    order(world.rep, "2026-08-05", {"amount": 2000})
    aug_run = run(world.org, "2026-08")
    aug = statement(world.rep, "2026-08")
    assert lines_of(aug) == [
        ("tier", "Revenue", D(2000), D("0.04"), D("80.00")),
        ("adjustment", "Revenue", None, None, D("20.00")),
    ]
    adj = aug.lines.get(kind="adjustment")
    assert (adj.ref_line_id, adj.ref_statement_id, adj.dispute_id) == (
        line.pk,
        locked_july.pk,
        dispute.pk,
    )
    assert adj.source == "dispute"
    # the locked statement is untouched; recalculating August pays it once
    locked_july.refresh_from_db()
    assert locked_july.total == D("40.00") and locked_july.status == RunStatus.LOCKED
    run(world.org, "2026-08")
    assert statement(world.rep, "2026-08").total == D("100.00")
    dispute.refresh_from_db()
    assert dispute.placed_statement_id == aug.pk
    # September does not pay it again
    close(world.org, aug_run)
    order(world.rep, "2026-09-05", {"amount": 100})
    run(world.org, "2026-09")
    assert statement(world.rep, "2026-09").total == D("4.00")
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"commission_dispute.create", "commission_dispute.adjust"} <= actions


def test_a_rejected_dispute_needs_a_reason_and_pays_nothing(world, locked_july):
    dispute = dispute_create(actor=world.rep, line=locked_july.lines.get(), comment="Too low")
    with pytest.raises(ApplicationError) as exc:
        dispute_resolve(actor=world.finance, dispute=dispute, action="reject", reason="")
    assert exc.value.field == "reason"
    dispute = dispute_resolve(
        actor=world.admin, dispute=dispute, action="reject", reason="Rate is right"
    )
    assert dispute.status == DisputeStatus.REJECTED and dispute.resolution == "Rate is right"
    assert AuditEntry.objects.get(action="commission_dispute.reject").reason == "Rate is right"
    run(world.org, "2026-08")
    assert not statement(world.rep, "2026-08").lines.filter(kind="adjustment").exists()
    with pytest.raises(Conflict):
        dispute_resolve(actor=world.admin, dispute=dispute, action="reject", reason="again")


def test_only_finance_and_admins_resolve(world, locked_july):
    dispute = dispute_create(actor=world.rep, line=locked_july.lines.get(), comment="Too low")
    for member in (world.rep, world.manager, world.director, world.viewer):
        with pytest.raises(PermissionDenied):
            dispute_resolve(actor=member, dispute=dispute, action="reject", reason="no")
    with pytest.raises(ApplicationError) as exc:
        dispute_resolve(actor=world.finance, dispute=dispute, action="adjust", reason="x")
    assert exc.value.field == "amount"


def test_a_dispute_survives_the_recalculation_of_an_open_statement(world):
    import_plan(world.org, [world.rep])
    order(world.rep, "2026-07-05", {"amount": 1000})
    run(world.org, "2026-07")
    s = statement(world.rep, "2026-07")
    dispute = dispute_create(actor=world.rep, line=s.lines.get(), comment="Check")
    run(world.org, "2026-07")
    dispute.refresh_from_db()
    # same statement (kept by id), the line was rewritten; the copy still tells what it was
    assert dispute.statement_id == s.pk and dispute.line_id is None
    assert (dispute.line_kind, dispute.line_amount) == ("tier", D(40))
