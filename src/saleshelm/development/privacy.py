"""The development part of a person's data (SPEC §11.11).

Export: feedback given and received, signals, assessments, check-ins with their action
items, coaching sessions and development plans — read through the same scoped selectors as
the pages (``selectors.member_development_export``), so an admin's export of a rep has no
private feedback between the rep and a colleague, and the rep's own export has all of it.
Coaching sessions the member gave to others appear without their observations (those are
about the other person), and stories the member wrote by id and title.

Erasure rule — coaching text *about* the person goes; records of what others wrote stay:

- feedback whose subject is the person, private or shared, and feedback requests about
  them: deleted;
- their check-ins: notes blanked, the action items agreed in them deleted;
- their coaching sessions: observations and agreed actions blanked (the session, its date
  and type stay in the coach's record);
- their assessments: the manager's summary and every rating's evidence blanked (the levels
  stay: they are figures of past scorecards);
- their development plans: each goal's "how" blanked;
- feedback the person wrote about colleagues, and their stories, stay: they belong to the
  colleague's record and to the team's knowledge, and now read as written by the pseudonym.
Signals hold figures, not notes, and stay.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from saleshelm.development.models import (
    ActionItem,
    Assessment,
    AssessmentRating,
    CheckIn,
    CoachingSession,
    DevelopmentGoal,
    Feedback,
    FeedbackRequest,
    Story,
)
from saleshelm.development.permissions import can_read_coaching
from saleshelm.development.selectors.coaching import coaching_session_qs
from saleshelm.development.selectors.export import member_development_export
from saleshelm.development.selectors.feedback import feedback_request_qs
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.models import Membership


def export_member(*, actor: Actor, member: Membership) -> dict[str, Any]:
    data = member_development_export(actor=actor, member=member)
    data.pop("member", None)  # the document says whose it is once, at the top
    data["feedback_requests"] = list(
        feedback_request_qs(actor=actor)
        .filter(Q(requester=member) | Q(recipient=member) | Q(subject=member))
        .order_by("created_at", "pk")
        .values(
            "id", "requester_id", "recipient_id", "subject_id", "message", "status", "created_at"
        )
    )
    if can_read_coaching(actor=actor):
        data["coaching_given"] = list(
            coaching_session_qs(actor=actor)
            .filter(coach=member)
            .order_by("held_on", "pk")
            .values("id", "held_on", "member_id", "observation_type")
        )
    data["stories_written"] = list(
        Story.objects.filter(organisation_id=member.organisation_id, author=member)
        .order_by("created_at", "pk")
        .values("id", "kind", "title", "created_at")
    )
    return data


def _delete(qs) -> int:
    return qs.delete()[1].get(qs.model._meta.label, 0)


def erase_member(*, actor: Actor, member: Membership) -> dict[str, int]:
    org = {"organisation_id": member.organisation_id}
    now = timezone.now()
    feedback_deleted = _delete(Feedback.objects.filter(**org, subject=member))
    requests_deleted = _delete(FeedbackRequest.objects.filter(**org, subject=member))
    action_items_deleted = _delete(ActionItem.objects.filter(**org, raised_in__member=member))
    check_ins = CheckIn.objects.filter(**org, member=member).update(notes="", updated_at=now)
    coaching = CoachingSession.objects.filter(**org, member=member).update(
        observations="", agreed_actions=[], updated_at=now
    )
    assessments = Assessment.objects.filter(**org, subject=member).update(
        manager_summary="", updated_at=now
    )
    ratings = AssessmentRating.objects.filter(**org, assessment__subject=member).update(
        self_evidence="", manager_evidence="", updated_at=now
    )
    goals = DevelopmentGoal.objects.filter(**org, plan__member=member).update(
        actions="", updated_at=now
    )
    return {
        "feedback_deleted": feedback_deleted,
        "feedback_requests_deleted": requests_deleted,
        "action_items_deleted": action_items_deleted,
        "check_in_notes_blanked": check_ins,
        "coaching_observations_blanked": coaching,
        "assessment_summaries_blanked": assessments,
        "rating_evidence_blanked": ratings,
        "plan_goal_actions_blanked": goals,
    }


def register_privacy() -> None:
    from saleshelm.people.privacy import PrivacyProvider, register_privacy_provider

    register_privacy_provider(
        PrivacyProvider(key="development", export=export_member, erase=erase_member, order=60)
    )
