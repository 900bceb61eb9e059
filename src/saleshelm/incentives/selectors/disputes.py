"""Reads of disputes: the member's own, a manager's subtree, finance/admin/director all."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from saleshelm.core.errors import NotFound
from saleshelm.incentives.models import Dispute
from saleshelm.incentives.permissions import require_pay_viewer, sees_all_pay
from saleshelm.people.selectors import visible_members_q
from saleshelm.tenancy.actors import Actor


def _scoped(qs: QuerySet[Dispute, Any], actor: Actor) -> QuerySet[Dispute, Any]:
    if sees_all_pay(actor=actor):
        return qs
    return qs.filter(visible_members_q(actor=actor, prefix="member__"))


def dispute_list(*, actor: Actor, status: str | None = None) -> QuerySet[Dispute, Any]:
    require_pay_viewer(actor)
    qs = Dispute.objects.filter(organisation_id=actor.organisation_id).select_related(
        "member__user", "plan"
    )
    if status:
        qs = qs.filter(status=status)
    return _scoped(qs, actor).order_by("-created_at", "-pk")


def access_dispute(*, actor: Actor, id: int) -> Dispute:
    base = Dispute.objects.filter(organisation_id=actor.organisation_id, pk=id)
    if not base.exists():
        raise NotFound("Dispute")
    require_pay_viewer(actor)
    dispute = _scoped(base, actor).select_related("member__user", "plan", "statement").first()
    if dispute is None:
        raise NotFound("Dispute")
    return dispute


def statement_disputes(*, actor: Actor, statement_id: int) -> list[Dispute]:
    """The disputes raised on one statement (already accessed), oldest first, so the member
    reads each one's status and answer next to the line."""
    require_pay_viewer(actor)
    qs = Dispute.objects.filter(organisation_id=actor.organisation_id, statement_id=statement_id)
    return list(_scoped(qs, actor).select_related("resolved_by__user").order_by("created_at", "pk"))


def open_first(qs: QuerySet[Dispute, Any]) -> QuerySet[Dispute, Any]:
    """Open disputes first (oldest waiting longest on top), then the settled, newest first."""
    from django.db.models import Case, IntegerField, Value, When

    return qs.annotate(
        _settled=Case(
            When(status="open", then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    ).order_by("_settled", "-created_at", "-pk")
