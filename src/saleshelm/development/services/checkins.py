"""Writes of check-ins (1:1s), their cadence and action items.

Carry-forward: an action item still open when its check-in is done moves into the pair's
next check-in (``carried_to``, ``carry_count``), again and again until it is done or dropped.
It happens when the next check-in is scheduled and when a check-in is completed while the
next one is already planned.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from saleshelm.core.errors import ApplicationError, Conflict, PermissionDenied
from saleshelm.development.models import (
    ActionItem,
    ActionItemStatus,
    CheckIn,
    CheckInCadence,
    CheckInStatus,
)
from saleshelm.development.permissions import is_system, may_coach, require_coach_of
from saleshelm.development.services.common import active_member, clean_text
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.models import Membership
from saleshelm.tenancy.services import audit_record

CADENCE_CHOICES = (7, 14, 21, 28)


def _is_participant(actor: Actor, check_in: CheckIn) -> bool:
    return actor.pk in (check_in.manager_id, check_in.member_id)


def may_edit_check_in(*, actor: Actor, check_in: CheckIn) -> bool:
    return _is_participant(actor, check_in) or may_coach(actor=actor, member=check_in.member)


def require_participant(actor: Actor, check_in: CheckIn) -> None:
    if not may_edit_check_in(actor=actor, check_in=check_in):
        raise PermissionDenied("Only the two people of this check-in and their managers edit it.")


def _manager_for(actor: Actor, manager: Membership | None) -> Membership:
    if manager is not None:
        return manager
    if is_system(actor) or not isinstance(actor, Membership):
        raise ApplicationError("say who leads the check-in", field="manager", code="required")
    return actor


def carry_open_items(*, into: CheckIn) -> int:
    """Move the pair's open action items from completed check-ins into ``into``."""
    return (
        ActionItem.objects.filter(
            organisation_id=into.organisation_id,
            status=ActionItemStatus.OPEN,
            raised_in__manager_id=into.manager_id,
            raised_in__member_id=into.member_id,
            raised_in__status=CheckInStatus.DONE,
        )
        .exclude(raised_in=into)
        .exclude(carried_to=into)
        .update(carried_to=into, carry_count=F("carry_count") + 1, updated_at=timezone.now())
    )


def _next_planned(check_in: CheckIn) -> CheckIn | None:
    return (
        CheckIn.objects.filter(
            organisation_id=check_in.organisation_id,
            manager_id=check_in.manager_id,
            member_id=check_in.member_id,
            status=CheckInStatus.PLANNED,
        )
        .exclude(pk=check_in.pk)
        .order_by("scheduled_for", "pk")
        .first()
    )


@transaction.atomic
def check_in_schedule(
    *,
    actor: Actor,
    member: Membership,
    scheduled_for: dt.date,
    manager: Membership | None = None,
) -> CheckIn:
    member = active_member(actor, member, field="member")
    manager = _manager_for(actor, manager)
    active_member(actor, manager, field="manager")
    require_coach_of(actor, member)
    if manager.pk != getattr(actor, "pk", None) and not may_coach(actor=manager, member=member):
        raise ApplicationError("the manager must be one of the member's managers", field="manager")
    if manager.pk == member.pk:
        raise ApplicationError("a check-in takes two people", field="member")
    check_in = CheckIn.objects.create(
        organisation_id=actor.organisation_id,
        manager=manager,
        member=member,
        scheduled_for=scheduled_for,
    )
    carried = carry_open_items(into=check_in)
    audit_record(
        actor=actor,
        action="check_in.schedule",
        obj=check_in,
        after={
            "member": member.pk,
            "manager": manager.pk,
            "date": scheduled_for.isoformat(),
            "carried": carried,
        },
    )
    return check_in


@transaction.atomic
def check_in_update(
    *,
    actor: Actor,
    check_in: CheckIn,
    notes: str | None = None,
    scheduled_for: dt.date | None = None,
) -> CheckIn:
    require_participant(actor, check_in)
    check_in = CheckIn.objects.select_for_update().get(pk=check_in.pk)
    if check_in.status == CheckInStatus.CANCELLED:
        raise Conflict("this check-in is cancelled", code="cancelled")
    fields = ["updated_at"]
    if notes is not None:
        check_in.notes = clean_text(notes, field="notes", limit=10_000)
        fields.append("notes")
    if scheduled_for is not None:
        if check_in.status != CheckInStatus.PLANNED:
            raise Conflict("only a planned check-in moves to another date", code="done")
        check_in.scheduled_for = scheduled_for
        fields.append("scheduled_for")
    check_in.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="check_in.update",
        obj=check_in,
        after={"notes_changed": notes is not None, "date": check_in.scheduled_for.isoformat()},
    )
    return check_in


@transaction.atomic
def check_in_complete(
    *, actor: Actor, check_in: CheckIn, notes: str | None = None
) -> tuple[CheckIn, CheckIn | None]:
    """Mark the check-in done; with an active cadence, plan the next one (carrying the
    open action items into it). Returns the check-in and the next one, if any."""
    require_coach_of(actor, check_in.member)
    check_in = CheckIn.objects.select_for_update().get(pk=check_in.pk)
    if check_in.status != CheckInStatus.PLANNED:
        raise Conflict("this check-in is not planned any more", code="done")
    if notes is not None:
        check_in.notes = clean_text(notes, field="notes", limit=10_000)
    check_in.status = CheckInStatus.DONE
    check_in.completed_at = timezone.now()
    check_in.save(update_fields=["notes", "status", "completed_at", "updated_at"])
    next_check_in = _next_planned(check_in)
    cadence = (
        CheckInCadence.objects.select_for_update()
        .filter(manager_id=check_in.manager_id, member_id=check_in.member_id, is_active=True)
        .first()
    )
    if cadence is not None:
        base = max(timezone.localdate(), check_in.scheduled_for)
        cadence.next_on = base + dt.timedelta(days=cadence.every_days)
        cadence.save(update_fields=["next_on", "updated_at"])
        if next_check_in is None:
            next_check_in = CheckIn.objects.create(
                organisation_id=check_in.organisation_id,
                manager_id=check_in.manager_id,
                member_id=check_in.member_id,
                scheduled_for=cadence.next_on,
            )
    if next_check_in is not None:
        carry_open_items(into=next_check_in)
    audit_record(
        actor=actor,
        action="check_in.complete",
        obj=check_in,
        after={"next": next_check_in.pk if next_check_in else None},
    )
    return check_in, next_check_in


@transaction.atomic
def check_in_cancel(*, actor: Actor, check_in: CheckIn) -> CheckIn:
    require_coach_of(actor, check_in.member)
    check_in = CheckIn.objects.select_for_update().get(pk=check_in.pk)
    if check_in.status != CheckInStatus.PLANNED:
        raise Conflict("only a planned check-in can be cancelled", code="done")
    check_in.status = CheckInStatus.CANCELLED
    check_in.save(update_fields=["status", "updated_at"])
    # Items carried into it go back to waiting for the next one.
    ActionItem.objects.filter(carried_to=check_in).update(carried_to=None)
    audit_record(actor=actor, action="check_in.cancel", obj=check_in)
    return check_in


@transaction.atomic
def check_in_cadence_set(
    *,
    actor: Actor,
    member: Membership,
    every_days: int,
    next_on: dt.date,
    manager: Membership | None = None,
    is_active: bool = True,
) -> CheckInCadence:
    member = active_member(actor, member, field="member")
    manager = _manager_for(actor, manager)
    require_coach_of(actor, member)
    if manager.pk == member.pk:
        raise ApplicationError("a check-in takes two people", field="member")
    if isinstance(every_days, bool) or not isinstance(every_days, int) or not 1 <= every_days <= 92:
        raise ApplicationError("every_days must be between 1 and 92", field="every_days")
    cadence, _created = CheckInCadence.objects.update_or_create(
        manager=manager,
        member=member,
        defaults={
            "organisation_id": actor.organisation_id,
            "every_days": every_days,
            "next_on": next_on,
            "is_active": is_active,
        },
    )
    scheduled = None
    if (
        is_active
        and not CheckIn.objects.filter(
            manager=manager, member=member, status=CheckInStatus.PLANNED
        ).exists()
    ):
        scheduled = CheckIn.objects.create(
            organisation_id=actor.organisation_id,
            manager=manager,
            member=member,
            scheduled_for=next_on,
        )
        carry_open_items(into=scheduled)
    audit_record(
        actor=actor,
        action="check_in_cadence.set",
        obj=cadence,
        after={
            "member": member.pk,
            "manager": manager.pk,
            "every_days": every_days,
            "next_on": next_on.isoformat(),
            "active": is_active,
            "scheduled": scheduled.pk if scheduled else None,
        },
    )
    return cadence


def check_ins_plan_due(*, organisation_id: int, today: dt.date, horizon_days: int = 7) -> int:
    """Plan the check-ins of every active cadence due within the horizon that has no planned
    check-in yet (daily job). A handful of queries whatever the number of cadences."""
    due = list(
        CheckInCadence.objects.filter(
            organisation_id=organisation_id,
            is_active=True,
            next_on__lte=today + dt.timedelta(days=horizon_days),
            member__is_active=True,
            manager__is_active=True,
        ).values_list("manager_id", "member_id", "next_on")
    )
    if not due:
        return 0
    planned = set(
        CheckIn.objects.filter(
            organisation_id=organisation_id, status=CheckInStatus.PLANNED
        ).values_list("manager_id", "member_id")
    )
    created = 0
    with transaction.atomic():
        for manager_id, member_id, next_on in due:
            if (manager_id, member_id) in planned:
                continue
            check_in = CheckIn.objects.create(
                organisation_id=organisation_id,
                manager_id=manager_id,
                member_id=member_id,
                scheduled_for=max(next_on, today),
            )
            carry_open_items(into=check_in)
            created += 1
    return created


@transaction.atomic
def action_item_add(
    *,
    actor: Actor,
    check_in: CheckIn,
    text: str,
    owner: Membership | None = None,
    due_date: dt.date | None = None,
) -> ActionItem:
    require_participant(actor, check_in)
    if check_in.status == CheckInStatus.CANCELLED:
        raise Conflict("this check-in is cancelled", code="cancelled")
    owner_id = owner.pk if owner is not None else check_in.member_id
    if owner_id not in (check_in.manager_id, check_in.member_id):
        raise ApplicationError("an action item belongs to one of the two people", field="owner")
    item = ActionItem.objects.create(
        organisation_id=actor.organisation_id,
        raised_in=check_in,
        owner_id=owner_id,
        text=clean_text(text, field="text", required=True, limit=300),
        due_date=due_date,
    )
    audit_record(actor=actor, action="action_item.add", obj=item, after={"check_in": check_in.pk})
    return item


@transaction.atomic
def action_item_set_status(*, actor: Actor, item: ActionItem, status: str) -> ActionItem:
    require_participant(actor, item.raised_in)
    if status not in ActionItemStatus.values:
        raise ApplicationError("status must be open, done or dropped", field="status")
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    before = item.status
    if before == status:
        return item
    item.status = status
    item.closed_at = None if status == ActionItemStatus.OPEN else timezone.now()
    item.save(update_fields=["status", "closed_at", "updated_at"])
    audit_record(
        actor=actor,
        action="action_item.status",
        obj=item,
        before={"status": before},
        after={"status": status},
    )
    return item
