"""API: check-ins (1:1s), their live agenda, action items and cadences."""

import datetime as dt
from typing import Any, Literal

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from saleshelm.api.pagination import LimitOffsetPagination
from saleshelm.api.schemas import ERRORS
from saleshelm.development import selectors, services
from saleshelm.development.api.common import MemberRef, member_or_none
from saleshelm.people.selectors import access_member

router = Router(tags=["check-ins"])


class ActionItemOut(Schema):
    id: int
    text: str
    owner: MemberRef
    due_date: dt.date | None
    status: str
    raised_in_id: int
    carried_to_id: int | None
    carry_count: int


class CheckInOut(Schema):
    id: int
    manager: MemberRef
    member: MemberRef
    scheduled_for: dt.date
    status: str
    notes: str
    completed_at: dt.datetime | None


class CheckInDetailOut(CheckInOut):
    action_items: list[ActionItemOut]
    carried_items: list[ActionItemOut]


class CheckInFilters(Schema):
    member_id: int | None = None
    status: Literal["planned", "done", "cancelled"] | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


class CheckInIn(Schema):
    member_id: int
    scheduled_for: dt.date
    manager_id: int | None = None


class CheckInPatch(Schema):
    notes: str | None = Field(None, max_length=10_000)
    scheduled_for: dt.date | None = None


class CompleteIn(Schema):
    notes: str | None = Field(None, max_length=10_000)


class ActionItemIn(Schema):
    text: str = Field(..., min_length=1, max_length=300)
    owner_id: int | None = None
    due_date: dt.date | None = None


class ActionItemPatch(Schema):
    status: Literal["open", "done", "dropped"]


class AgendaEntryOut(Schema):
    title: str
    detail: str
    url: str
    due: dt.date | None
    overdue: bool


class AgendaSectionOut(Schema):
    key: str
    title: str
    total: int
    entries: list[AgendaEntryOut]

    @staticmethod
    def resolve_title(section) -> str:
        return str(section.title)


class CadenceOut(Schema):
    id: int
    manager: MemberRef
    member: MemberRef
    every_days: int
    next_on: dt.date
    is_active: bool


class CadenceIn(Schema):
    member_id: int
    every_days: int = Field(14, ge=1, le=92)
    next_on: dt.date
    manager_id: int | None = None
    is_active: bool = True


def _detail(check_in) -> dict[str, Any]:
    raised, carried = selectors.action_items_of(check_in=check_in)
    return {
        "id": check_in.pk,
        "manager": check_in.manager,
        "member": check_in.member,
        "scheduled_for": check_in.scheduled_for,
        "status": check_in.status,
        "notes": check_in.notes,
        "completed_at": check_in.completed_at,
        "action_items": raised,
        "carried_items": carried,
    }


@router.get("/check-ins", response=list[CheckInOut])
@paginate(LimitOffsetPagination)
def list_check_ins(request, filters: Query[CheckInFilters]):
    return selectors.check_in_list(
        actor=request.auth,
        member_id=filters.member_id,
        status=filters.status,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )


@router.get("/check-ins/{id}", response={200: CheckInDetailOut, **ERRORS})
def get_check_in(request, id: int):
    return _detail(selectors.access_check_in(actor=request.auth, id=id))


@router.get("/check-ins/{id}/agenda", response={200: list[AgendaSectionOut], **ERRORS})
def check_in_agenda(request, id: int):
    """The agenda, built now from live data as the caller sees it."""
    actor = request.auth
    check_in = selectors.access_check_in(actor=actor, id=id)
    return selectors.check_in_agenda(actor=actor, check_in=check_in, today=timezone.localdate())


@router.post("/check-ins", response={201: CheckInDetailOut, **ERRORS})
def schedule_check_in(request, payload: CheckInIn):
    actor = request.auth
    check_in = services.check_in_schedule(
        actor=actor,
        member=access_member(actor=actor, id=payload.member_id),
        scheduled_for=payload.scheduled_for,
        manager=member_or_none(actor, payload.manager_id),
    )
    return Status(201, _detail(selectors.access_check_in(actor=actor, id=check_in.pk)))


@router.patch("/check-ins/{id}", response={200: CheckInDetailOut, **ERRORS})
def update_check_in(request, id: int, payload: CheckInPatch):
    actor = request.auth
    check_in = selectors.access_check_in(actor=actor, id=id)
    services.check_in_update(
        actor=actor, check_in=check_in, notes=payload.notes, scheduled_for=payload.scheduled_for
    )
    return _detail(selectors.access_check_in(actor=actor, id=id))


@router.post("/check-ins/{id}/complete", response={200: CheckInDetailOut, **ERRORS})
def complete_check_in(request, id: int, payload: CompleteIn):
    actor = request.auth
    check_in = selectors.access_check_in(actor=actor, id=id)
    services.check_in_complete(actor=actor, check_in=check_in, notes=payload.notes)
    return _detail(selectors.access_check_in(actor=actor, id=id))


@router.post("/check-ins/{id}/cancel", response={200: CheckInDetailOut, **ERRORS})
def cancel_check_in(request, id: int):
    actor = request.auth
    check_in = selectors.access_check_in(actor=actor, id=id)
    services.check_in_cancel(actor=actor, check_in=check_in)
    return _detail(selectors.access_check_in(actor=actor, id=id))


@router.post("/check-ins/{id}/action-items", response={201: ActionItemOut, **ERRORS})
def add_action_item(request, id: int, payload: ActionItemIn):
    actor = request.auth
    check_in = selectors.access_check_in(actor=actor, id=id)
    item = services.action_item_add(
        actor=actor,
        check_in=check_in,
        text=payload.text,
        owner=member_or_none(actor, payload.owner_id),
        due_date=payload.due_date,
    )
    return Status(201, selectors.access_action_item(actor=actor, id=item.pk))


@router.patch("/action-items/{id}", response={200: ActionItemOut, **ERRORS})
def update_action_item(request, id: int, payload: ActionItemPatch):
    actor = request.auth
    item = selectors.access_action_item(actor=actor, id=id)
    services.action_item_set_status(actor=actor, item=item, status=payload.status)
    return selectors.access_action_item(actor=actor, id=id)


@router.get("/check-in-cadences", response=list[CadenceOut])
@paginate(LimitOffsetPagination)
def list_cadences(request):
    return selectors.cadence_list(actor=request.auth)


@router.put("/check-in-cadences", response={200: CadenceOut, **ERRORS})
def set_cadence(request, payload: CadenceIn):
    """Set how often a manager meets a member (creates the next check-in if none is planned)."""
    actor = request.auth
    cadence = services.check_in_cadence_set(
        actor=actor,
        member=access_member(actor=actor, id=payload.member_id),
        every_days=payload.every_days,
        next_on=payload.next_on,
        manager=member_or_none(actor, payload.manager_id),
        is_active=payload.is_active,
    )
    return selectors.cadence_list(actor=actor).get(pk=cadence.pk)
