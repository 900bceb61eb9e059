"""Reads of assessment cycles and assessments, and the gap between the two views.

Who sees which ratings: the subject sees their own self-ratings always and the manager's
once the manager has submitted; a manager (or director, admin) sees the self-ratings once the
subject has submitted, and their own draft ratings always.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from saleshelm.core.errors import NotFound
from saleshelm.development.models import (
    Assessment,
    AssessmentCycle,
    AssessmentRating,
    AssessmentStatus,
)
from saleshelm.development.permissions import coaching_q, is_system, require_coaching_reader
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.models import Membership


def cycle_list(*, actor: Actor) -> QuerySet[AssessmentCycle]:
    require_coaching_reader(actor)
    visible = Assessment.objects.filter(organisation_id=actor.organisation_id).filter(
        coaching_q(actor, member="subject", lead="assessor")
    )
    return (
        AssessmentCycle.objects.filter(organisation_id=actor.organisation_id)
        .annotate(
            total=Count("assessments", filter=Q(assessments__in=visible), distinct=True),
            completed=Count(
                "assessments",
                filter=Q(assessments__in=visible, assessments__status=AssessmentStatus.COMPLETED),
                distinct=True,
            ),
        )
        .order_by("-opens_on", "-pk")
    )


def access_cycle(*, actor: Actor, id: int) -> AssessmentCycle:
    cycle = AssessmentCycle.objects.filter(organisation_id=actor.organisation_id, pk=id).first()
    if cycle is None:
        raise NotFound("Assessment cycle")
    require_coaching_reader(actor)
    return cycle_list(actor=actor).get(pk=id)


def assessment_qs(*, actor: Actor) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(organisation_id=actor.organisation_id)
        .filter(coaching_q(actor, member="subject", lead="assessor"))
        .select_related("cycle", "subject__user", "assessor__user", "subject__profile__team")
    )


def assessment_list(
    *,
    actor: Actor,
    subject_id: int | None = None,
    cycle_id: int | None = None,
    status: str | None = None,
) -> QuerySet[Assessment]:
    require_coaching_reader(actor)
    qs = assessment_qs(actor=actor)
    if subject_id is not None:
        qs = qs.filter(subject_id=subject_id)
    if cycle_id is not None:
        qs = qs.filter(cycle_id=cycle_id)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-cycle__opens_on", "subject__user__full_name", "pk")


def access_assessment(*, actor: Actor, id: int) -> Assessment:
    obj = assessment_qs(actor=actor).filter(pk=id).first()
    if obj is None:
        raise NotFound("Assessment")
    require_coaching_reader(actor)
    return obj


@dataclass
class RatingRow:
    rating: AssessmentRating
    competency_id: int
    name: str
    group: str
    kind: str
    expected: int | None
    self_level: int | None
    self_evidence: str
    manager_level: int | None
    manager_evidence: str
    shows_self: bool
    shows_manager: bool

    @property
    def gap(self) -> int | None:
        """Manager's view minus the self view: negative when the person rates themself higher."""
        if self.self_level is None or self.manager_level is None:
            return None
        return self.manager_level - self.self_level

    @property
    def to_expected(self) -> int | None:
        """How far the agreed level (manager's, else self) is from what the role expects."""
        level = self.manager_level if self.manager_level is not None else self.self_level
        if level is None or self.expected is None:
            return None
        return level - self.expected

    def descriptor(self, level: int | None) -> str:
        return self.rating.competency.descriptor(level)


def rating_rows(*, actor: Actor, assessment: Assessment) -> list[RatingRow]:
    is_subject = actor.pk == assessment.subject_id
    shows_self = is_subject or assessment.self_submitted or is_system(actor)
    shows_manager = (not is_subject) or assessment.status == AssessmentStatus.COMPLETED
    rows = []
    for r in assessment.ratings.select_related("competency__group").order_by(
        "competency__group__position", "competency__group_id", "competency__position", "pk"
    ):
        rows.append(
            RatingRow(
                rating=r,
                competency_id=r.competency_id,
                name=r.competency.name,
                group=r.competency.group.name,
                kind=r.competency.kind,
                expected=r.expected_level,
                self_level=r.self_level if shows_self else None,
                self_evidence=r.self_evidence if shows_self else "",
                manager_level=r.manager_level if shows_manager else None,
                manager_evidence=r.manager_evidence if shows_manager else "",
                shows_self=shows_self,
                shows_manager=shows_manager,
            )
        )
    return rows


def latest_assessment(*, actor: Actor, member: Membership) -> Assessment | None:
    """The member's most recent assessment the actor may see (completed first)."""
    qs = assessment_qs(actor=actor).filter(subject_id=member.pk)
    return (
        qs.filter(status=AssessmentStatus.COMPLETED).order_by("-manager_submitted_at").first()
        or qs.order_by("-cycle__opens_on", "-pk").first()
    )


def competency_scorecard(*, actor: Actor, member: Membership) -> list[RatingRow]:
    """The competency ratings for the performance scorecard: the latest completed assessment."""
    assessment = (
        assessment_qs(actor=actor)
        .filter(subject_id=member.pk, status=AssessmentStatus.COMPLETED)
        .order_by("-manager_submitted_at")
        .first()
    )
    if assessment is None:
        return []
    return rating_rows(actor=actor, assessment=assessment)


def prefetch_ratings() -> Prefetch:
    return Prefetch(
        "ratings", queryset=AssessmentRating.objects.select_related("competency__group")
    )
