"""Reads of feedback and feedback requests, scoped by ``permissions.feedback_q``.

Private feedback is visible to its author and subject only: every read here goes through the
same filter, so a manager, an admin or an export made for someone else never gets it.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from saleshelm.core.errors import ApplicationError, NotFound
from saleshelm.development.models import Feedback, FeedbackRequest, FeedbackRequestStatus
from saleshelm.development.permissions import feedback_q, feedback_request_q
from saleshelm.tenancy.actors import Actor

DIRECTIONS = ("received", "given", "about_team")


def feedback_qs(*, actor: Actor) -> QuerySet[Feedback]:
    return (
        Feedback.objects.filter(organisation_id=actor.organisation_id)
        .filter(feedback_q(actor))
        .select_related(
            "author__user", "subject__user", "competency", "opportunity", "activity", "request"
        )
    )


def feedback_list(
    *,
    actor: Actor,
    subject_id: int | None = None,
    author_id: int | None = None,
    kind: str | None = None,
    direction: str | None = None,
    since: dt.date | None = None,
) -> QuerySet[Feedback]:
    qs = feedback_qs(actor=actor)
    if direction:
        if direction not in DIRECTIONS:
            raise ApplicationError(
                f"direction must be one of {', '.join(DIRECTIONS)}", field="direction"
            )
        if direction == "received":
            qs = qs.filter(subject_id=actor.pk)
        elif direction == "given":
            qs = qs.filter(author_id=actor.pk)
        else:
            qs = qs.exclude(subject_id=actor.pk).exclude(author_id=actor.pk)
    if subject_id is not None:
        qs = qs.filter(subject_id=subject_id)
    if author_id is not None:
        qs = qs.filter(author_id=author_id)
    if kind:
        qs = qs.filter(kind=kind)
    if since is not None:
        qs = qs.filter(created_at__date__gte=since)
    return qs.order_by("-created_at", "-pk")


def access_feedback(*, actor: Actor, id: int) -> Feedback:
    obj = feedback_qs(actor=actor).filter(pk=id).first()
    if obj is None:
        raise NotFound("Feedback")
    return obj


def feedback_request_qs(*, actor: Actor) -> QuerySet[FeedbackRequest]:
    return (
        FeedbackRequest.objects.filter(organisation_id=actor.organisation_id)
        .filter(feedback_request_q(actor))
        .select_related("requester__user", "recipient__user", "subject__user", "competency")
    )


def feedback_request_list(
    *, actor: Actor, status: str | None = None, to_me: bool | None = None
) -> QuerySet[FeedbackRequest]:
    qs = feedback_request_qs(actor=actor)
    if status:
        if status not in FeedbackRequestStatus.values:
            raise ApplicationError("status must be open, answered or declined", field="status")
        qs = qs.filter(status=status)
    if to_me is True:
        qs = qs.filter(recipient_id=actor.pk)
    elif to_me is False:
        qs = qs.filter(requester_id=actor.pk)
    return qs.order_by("-created_at", "-pk")


def access_feedback_request(*, actor: Actor, id: int) -> FeedbackRequest:
    obj = feedback_request_qs(actor=actor).filter(pk=id).first()
    if obj is None:
        raise NotFound("Feedback request")
    return obj
