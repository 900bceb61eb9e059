"""API: feedback (praise or improvement, private or shared) and feedback requests."""

import datetime as dt
from typing import Literal

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from saleshelm.api.pagination import LimitOffsetPagination
from saleshelm.api.schemas import ERRORS
from saleshelm.development import selectors, services
from saleshelm.development.api.common import (
    CompetencyRef,
    DealRef,
    MemberRef,
    activity_or_none,
    competency_or_none,
    member_or_none,
    opportunity_or_none,
)
from saleshelm.people.selectors import access_member

router = Router(tags=["feedback"])


class FeedbackOut(Schema):
    id: int
    author: MemberRef
    subject: MemberRef
    kind: str
    visibility: str
    body: str
    opportunity: DealRef | None
    activity_id: int | None
    competency: CompetencyRef | None
    request_id: int | None
    created_at: dt.datetime


class FeedbackFilters(Schema):
    direction: Literal["received", "given", "about_team"] | None = None
    subject_id: int | None = None
    kind: Literal["praise", "improvement"] | None = None
    since: dt.date | None = None


class FeedbackIn(Schema):
    subject_id: int
    kind: Literal["praise", "improvement"]
    body: str = Field(..., min_length=1, max_length=4000)
    visibility: Literal["private", "shared"] = "shared"
    opportunity_id: int | None = None
    activity_id: int | None = None
    competency_id: int | None = None
    request_id: int | None = None


class FeedbackRequestOut(Schema):
    id: int
    requester: MemberRef
    recipient: MemberRef
    subject: MemberRef
    message: str
    competency: CompetencyRef | None
    due_date: dt.date | None
    status: str
    created_at: dt.datetime


class FeedbackRequestFilters(Schema):
    status: Literal["open", "answered", "declined"] | None = None
    to_me: bool | None = None


class FeedbackRequestIn(Schema):
    recipient_id: int
    subject_id: int | None = None
    message: str = Field("", max_length=1000)
    competency_id: int | None = None
    due_date: dt.date | None = None


@router.get("/feedback", response=list[FeedbackOut])
@paginate(LimitOffsetPagination)
def list_feedback(request, filters: Query[FeedbackFilters]):
    """Feedback you gave or received, and shared feedback about the people you manage.
    Private feedback is only ever returned to its author and its subject."""
    return selectors.feedback_list(
        actor=request.auth,
        direction=filters.direction,
        subject_id=filters.subject_id,
        kind=filters.kind,
        since=filters.since,
    )


@router.get("/feedback/{id}", response={200: FeedbackOut, **ERRORS})
def get_feedback(request, id: int):
    return selectors.access_feedback(actor=request.auth, id=id)


@router.post("/feedback", response={201: FeedbackOut, **ERRORS})
def give_feedback(request, payload: FeedbackIn):
    actor = request.auth
    feedback = services.feedback_give(
        actor=actor,
        subject=access_member(actor=actor, id=payload.subject_id),
        kind=payload.kind,
        body=payload.body,
        visibility=payload.visibility,
        opportunity=opportunity_or_none(actor, payload.opportunity_id),
        activity=activity_or_none(actor, payload.activity_id),
        competency=competency_or_none(actor, payload.competency_id),
        request=(
            None
            if payload.request_id is None
            else selectors.access_feedback_request(actor=actor, id=payload.request_id)
        ),
    )
    return Status(201, selectors.access_feedback(actor=actor, id=feedback.pk))


@router.get("/feedback-requests", response=list[FeedbackRequestOut])
@paginate(LimitOffsetPagination)
def list_feedback_requests(request, filters: Query[FeedbackRequestFilters]):
    return selectors.feedback_request_list(
        actor=request.auth, status=filters.status, to_me=filters.to_me
    )


@router.get("/feedback-requests/{id}", response={200: FeedbackRequestOut, **ERRORS})
def get_feedback_request(request, id: int):
    return selectors.access_feedback_request(actor=request.auth, id=id)


@router.post("/feedback-requests", response={201: FeedbackRequestOut, **ERRORS})
def create_feedback_request(request, payload: FeedbackRequestIn):
    actor = request.auth
    req = services.feedback_request_create(
        actor=actor,
        recipient=access_member(actor=actor, id=payload.recipient_id),
        subject=member_or_none(actor, payload.subject_id),
        message=payload.message,
        competency=competency_or_none(actor, payload.competency_id),
        due_date=payload.due_date,
    )
    return Status(201, selectors.access_feedback_request(actor=actor, id=req.pk))


@router.post("/feedback-requests/{id}/decline", response={200: FeedbackRequestOut, **ERRORS})
def decline_feedback_request(request, id: int):
    actor = request.auth
    req = selectors.access_feedback_request(actor=actor, id=id)
    services.feedback_request_decline(actor=actor, request=req)
    return selectors.access_feedback_request(actor=actor, id=id)
