"""Disputes: a rep questions one line of their own statement; finance settles it (SPEC §7).

Settling with an amount does not touch the disputed statement (it may be locked): the amount
becomes an ``adjustment`` line, referencing the disputed line, in the next open period of the
same plan that is calculated. Rejecting needs a reason. Everything is audited.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from saleshelm.core.errors import ApplicationError, Conflict, PermissionDenied
from saleshelm.core.money import parse_decimal, quantize_money
from saleshelm.incentives.models import Dispute, DisputeStatus, PayoutLine, RunStatus
from saleshelm.incentives.permissions import require_commission_writer
from saleshelm.tenancy.actors import Actor, SystemActor
from saleshelm.tenancy.services import audit_record

MAX_TEXT = 2000


def _text(value: str, field: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ApplicationError(f"{field} is required", code="required", field=field)
    if len(value) > MAX_TEXT:
        raise ApplicationError(
            f"{field}: at most {MAX_TEXT} characters", code="too_long", field=field
        )
    return value


def _snapshot(d: Dispute) -> dict:
    return {
        "status": d.status,
        "line": d.line_id,
        "kind": d.line_kind,
        "component": d.line_component,
        "amount": str(d.line_amount),
        "adjustment": None if d.adjustment_amount is None else str(d.adjustment_amount),
    }


@transaction.atomic
def dispute_create(*, actor: Actor, line: PayoutLine, comment: str) -> Dispute:
    """Only the statement's member disputes its lines."""
    statement = line.statement
    if isinstance(actor, SystemActor) or statement.member_id != actor.pk:
        raise PermissionDenied("Only the member paid by a statement can dispute its lines.")
    if statement.organisation_id != actor.organisation_id:
        raise PermissionDenied()
    comment = _text(comment, "comment")
    if statement.status == RunStatus.DRAFT:
        raise Conflict("This statement is not calculated yet.", code="invalid_status")
    if Dispute.objects.filter(line=line, status=DisputeStatus.OPEN).exists():
        raise Conflict("This line already has an open dispute.", code="dispute_open")
    dispute = Dispute.objects.create(
        organisation_id=actor.organisation_id,
        member_id=statement.member_id,
        plan_id=statement.plan_id,
        period=statement.period,
        period_start=statement.period_start,
        statement=statement,
        line=line,
        line_kind=line.kind,
        line_component=line.component,
        line_amount=line.amount,
        comment=comment,
    )
    audit_record(
        actor=actor,
        action="commission_dispute.create",
        obj=dispute,
        after={**_snapshot(dispute), "comment": comment},
    )
    return dispute


@transaction.atomic
def dispute_resolve(
    *,
    actor: Actor,
    dispute: Dispute,
    action: str,
    reason: str,
    amount: Decimal | str | None = None,
) -> Dispute:
    """``adjust`` with a (signed) amount paid in the next open period, or ``reject``."""
    require_commission_writer(actor)
    dispute = Dispute.objects.select_for_update().get(
        pk=dispute.pk, organisation_id=actor.organisation_id
    )
    if dispute.status != DisputeStatus.OPEN:
        raise Conflict(f"This dispute is already {dispute.status}.", code="invalid_status")
    reason = _text(reason, "reason")
    before = _snapshot(dispute)
    if action == "adjust":
        if amount is None or amount == "":
            raise ApplicationError("amount is required to adjust", code="required", field="amount")
        value = parse_decimal(amount, field="amount")
        if value.copy_abs() >= Decimal(10) ** 15:
            raise ApplicationError("amount is too large", code="too_large", field="amount")
        currency = dispute.statement.currency if dispute.statement is not None else "USD"
        value = quantize_money(value, currency)
        if not value:
            raise ApplicationError(
                "amount must not be zero (reject the dispute instead)",
                code="invalid_number",
                field="amount",
            )
        dispute.status = DisputeStatus.ADJUSTED
        dispute.adjustment_amount = value
    elif action == "reject":
        dispute.status = DisputeStatus.REJECTED
    else:
        raise ApplicationError(
            "action must be adjust or reject", code="invalid_choice", field="action"
        )
    dispute.resolution = reason
    dispute.resolved_by = None if isinstance(actor, SystemActor) else actor
    dispute.resolved_at = timezone.now()
    dispute.save()
    audit_record(
        actor=actor,
        action=f"commission_dispute.{'adjust' if action == 'adjust' else 'reject'}",
        obj=dispute,
        before=before,
        after=_snapshot(dispute),
        reason=reason,
    )
    return dispute
