"""Activities: calls, meetings, emails, demos and tasks, linked to the records they serve."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from saleshelm.core.errors import ApplicationError
from saleshelm.crm.models import Account, Activity, ActivityType, Contact, Opportunity
from saleshelm.crm.services.common import (
    apply_changes,
    check_owner_change,
    clean_text,
    new_external_id,
    require_edit,
    require_text,
    require_writer,
    resolve_owner,
    same_org,
    save_validated,
)
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.models import Membership
from saleshelm.tenancy.services import audit_record

ACTIVITY_FIELDS = {
    "type",
    "occurred_at",
    "owner",
    "account",
    "contact",
    "opportunity",
    "subject",
    "outcome",
    "duration_minutes",
    "done",
    "external_id",
}


def _check(actor: Actor, data: dict) -> None:
    if "type" in data and data["type"] not in ActivityType.values:
        raise ApplicationError(
            f"type must be one of {', '.join(ActivityType.values)}",
            field="type",
            code="invalid_choice",
        )
    for name in ("account", "contact", "opportunity"):
        if name in data:
            same_org(actor, data[name], name)
    minutes = data.get("duration_minutes")
    if minutes is not None and not (0 <= minutes <= 24 * 60):
        raise ApplicationError(
            "duration_minutes is between 0 and 1440",
            field="duration_minutes",
            code="invalid_number",
        )
    if "occurred_at" in data:
        when = data["occurred_at"]
        if when is None:
            raise ApplicationError("occurred_at is required", field="occurred_at", code="required")
        if timezone.is_naive(when):
            data["occurred_at"] = timezone.make_aware(when)


def _fill_account(data: dict) -> None:
    """An activity on a contact or a deal also counts for its account."""
    if data.get("account") is None:
        for linked in (data.get("opportunity"), data.get("contact")):
            if linked is not None and linked.account_id is not None:
                data["account"] = linked.account
                return


@transaction.atomic
def activity_create(
    *,
    actor: Actor,
    type: str,
    occurred_at: dt.datetime | None = None,
    owner: Membership | None = None,
    account: Account | None = None,
    contact: Contact | None = None,
    opportunity: Opportunity | None = None,
    subject: str = "",
    outcome: str = "",
    duration_minutes: int | None = None,
    done: bool = True,
    external_id: str | None = None,
) -> Activity:
    require_writer(actor)
    owner = resolve_owner(actor, owner, required=True)
    data = {
        "type": type,
        "occurred_at": occurred_at or timezone.now(),
        "account": account,
        "contact": contact,
        "opportunity": opportunity,
        "duration_minutes": duration_minutes,
    }
    _check(actor, data)
    _fill_account(data)
    activity = Activity(
        organisation_id=actor.organisation_id,
        external_id=clean_text(external_id) or new_external_id("ACT"),
        owner=owner,
        subject=clean_text(subject),
        outcome=clean_text(outcome),
        done=done,
        **data,
    )
    save_validated(
        activity,
        exclude=["organisation", "owner", "account", "contact", "opportunity"],
        what="activity",
    )
    return activity


@transaction.atomic
def activity_update(*, actor: Actor, activity: Activity, **changes) -> Activity:
    unknown = set(changes) - ACTIVITY_FIELDS
    if unknown:
        raise ApplicationError(
            f"cannot change {', '.join(sorted(unknown))}",
            code="read_only",
            field=sorted(unknown)[0],
        )
    require_edit(actor, activity)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    require_edit(actor, activity)
    _check(actor, changes)
    if "owner" in changes:
        check_owner_change(actor, activity, changes["owner"], required=True)
    for text in ("subject", "outcome"):
        if text in changes:
            changes[text] = clean_text(changes[text])
    if "external_id" in changes:
        changes["external_id"] = require_text(changes["external_id"], "external_id")
    before_owner = activity.owner_id
    changed = apply_changes(activity, changes)
    if changed:
        save_validated(
            activity,
            exclude=["organisation", "owner", "account", "contact", "opportunity"],
            what="activity",
            update_fields=changed,
        )
        if activity.owner_id != before_owner:
            audit_record(
                actor=actor,
                action="activity.owner_change",
                obj=activity,
                before={"owner": before_owner},
                after={"owner": activity.owner_id},
            )
    return activity
