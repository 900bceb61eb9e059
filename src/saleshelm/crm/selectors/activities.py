"""Reads of activities, scoped by owner."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from saleshelm.core.errors import ApplicationError, NotFound
from saleshelm.crm.models import Activity, ActivityType
from saleshelm.crm.selectors import scope
from saleshelm.crm.selectors.common import apply_sort, search_q
from saleshelm.tenancy.actors import Actor

ACTIVITY_SORTS = {
    "occurred_at": ["occurred_at"],
    "type": ["type", "-occurred_at"],
    "owner": ["owner__user__full_name", "-occurred_at"],
}


def activity_qs(*, actor: Actor) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(organisation_id=actor.organisation_id)
        .filter(scope.activity_q(actor))
        .select_related("owner__user", "account", "contact", "opportunity")
    )


def activity_list(
    *,
    actor: Actor,
    search: str | None = None,
    type: str | None = None,
    owner_id: int | None = None,
    account_id: int | None = None,
    contact_id: int | None = None,
    opportunity_id: int | None = None,
    done: bool | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    sort: str | None = None,
) -> QuerySet[Activity]:
    qs = activity_qs(actor=actor).filter(search_q(search, ["subject", "outcome"]))
    if type:
        if type not in ActivityType.values:
            raise ApplicationError(
                f"type must be one of {', '.join(ActivityType.values)}",
                field="type",
                code="invalid_choice",
            )
        qs = qs.filter(type=type)
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    if account_id is not None:
        qs = qs.filter(account_id=account_id)
    if contact_id is not None:
        qs = qs.filter(contact_id=contact_id)
    if opportunity_id is not None:
        qs = qs.filter(opportunity_id=opportunity_id)
    if done is not None:
        qs = qs.filter(done=done)
    if date_from is not None:
        qs = qs.filter(occurred_at__date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(occurred_at__date__lte=date_to)
    return apply_sort(qs, sort, ACTIVITY_SORTS, "-occurred_at")


def access_activity(*, actor: Actor, id: int) -> Activity:
    obj = activity_qs(actor=actor).filter(pk=id).first()
    if obj is None:
        raise NotFound("Activity")
    return obj
