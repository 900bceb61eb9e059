"""Writes of feedback and feedback requests.

The body of a feedback note is coaching text. It is validated by length only, so no error
message ever repeats it; audit rows record who, about whom, kind and visibility — never the
body; nothing here logs.
"""

from __future__ import annotations

import datetime as dt
from typing import cast

from django.db import transaction
from django.utils import timezone

from saleshelm.core.errors import ApplicationError, Conflict, PermissionDenied
from saleshelm.development.models import (
    Competency,
    Feedback,
    FeedbackKind,
    FeedbackRequest,
    FeedbackRequestStatus,
    Visibility,
)
from saleshelm.development.permissions import may_coach, require_feedback_writer
from saleshelm.development.services.common import active_member, clean_text, same_org
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.models import Membership
from saleshelm.tenancy.services import audit_record


@transaction.atomic
def feedback_give(
    *,
    actor: Actor,
    subject: Membership,
    kind: str,
    body: str,
    visibility: str = Visibility.SHARED,
    opportunity=None,
    activity=None,
    competency: Competency | None = None,
    request: FeedbackRequest | None = None,
) -> Feedback:
    """Give feedback. Linked deals and activities must be ones the caller can see (the
    views and API fetch them with the crm ``access_*`` selectors)."""
    require_feedback_writer(actor)
    subject = active_member(actor, subject, field="subject")
    if subject.pk == actor.pk:
        raise ApplicationError("feedback is for someone else", field="subject", code="self")
    if kind not in FeedbackKind.values:
        raise ApplicationError("kind must be praise or improvement", field="kind")
    if visibility not in Visibility.values:
        raise ApplicationError("visibility must be private or shared", field="visibility")
    body = clean_text(body, field="body", required=True, limit=4000)
    for obj, what in (
        (opportunity, "Opportunity"),
        (activity, "Activity"),
        (competency, "Competency"),
    ):
        same_org(actor, obj, what)
    if request is not None:
        same_org(actor, request, "Feedback request")
        request = FeedbackRequest.objects.select_for_update().get(pk=request.pk)
        if request.recipient_id != actor.pk:
            raise PermissionDenied("Only the person asked answers a feedback request.")
        if request.status != FeedbackRequestStatus.OPEN:
            raise Conflict("this feedback request is no longer open", code="closed")
        if request.subject_id != subject.pk:
            raise ApplicationError(
                "the answer must be about the person the request is about", field="subject"
            )
    feedback = Feedback.objects.create(
        organisation_id=actor.organisation_id,
        author=cast(Membership, actor),  # feedback writers are people
        subject=subject,
        kind=kind,
        visibility=visibility,
        body=body,
        opportunity=opportunity,
        activity=activity,
        competency=competency or (request.competency if request else None),
        request=request,
    )
    if request is not None:
        request.status = FeedbackRequestStatus.ANSWERED
        request.answered_at = timezone.now()
        request.save(update_fields=["status", "answered_at", "updated_at"])
    audit_record(
        actor=actor,
        action="feedback.give",
        obj=feedback,
        after={
            "subject": subject.pk,
            "kind": kind,
            "visibility": visibility,
            "request": request.pk if request else None,
        },
    )
    return feedback


@transaction.atomic
def feedback_request_create(
    *,
    actor: Actor,
    recipient: Membership,
    subject: Membership | None = None,
    message: str = "",
    competency: Competency | None = None,
    due_date: dt.date | None = None,
) -> FeedbackRequest:
    """Ask someone for feedback about yourself, or (as their coach) about a member."""
    require_feedback_writer(actor)
    recipient = active_member(actor, recipient, field="recipient")
    subject = active_member(actor, subject or cast(Membership, actor), field="subject")
    if subject.pk != actor.pk and not may_coach(actor=actor, member=subject):
        raise PermissionDenied("You ask for feedback about yourself or the people you coach.")
    if recipient.pk in {actor.pk, subject.pk}:
        raise ApplicationError(
            "ask someone other than yourself and the person the feedback is about",
            field="recipient",
        )
    same_org(actor, competency, "Competency")
    request = FeedbackRequest.objects.create(
        organisation_id=actor.organisation_id,
        requester=cast(Membership, actor),  # feedback writers are people
        recipient=recipient,
        subject=subject,
        message=clean_text(message, field="message", limit=1000),
        competency=competency,
        due_date=due_date,
    )
    audit_record(
        actor=actor,
        action="feedback_request.create",
        obj=request,
        after={"recipient": recipient.pk, "subject": subject.pk},
    )
    return request


@transaction.atomic
def feedback_request_decline(*, actor: Actor, request: FeedbackRequest) -> FeedbackRequest:
    request = FeedbackRequest.objects.select_for_update().get(pk=request.pk)
    if request.recipient_id != actor.pk:
        raise PermissionDenied("Only the person asked declines a feedback request.")
    if request.status != FeedbackRequestStatus.OPEN:
        raise Conflict("this feedback request is no longer open", code="closed")
    request.status = FeedbackRequestStatus.DECLINED
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "answered_at", "updated_at"])
    audit_record(actor=actor, action="feedback_request.decline", obj=request)
    return request
