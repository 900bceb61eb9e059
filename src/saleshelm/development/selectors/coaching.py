"""Reads of coaching sessions and development plans (coaching records: see permissions)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from saleshelm.core.errors import NotFound
from saleshelm.development.models import (
    CoachingSession,
    DevelopmentGoal,
    DevelopmentPlan,
    GoalStatus,
    PlanStatus,
)
from saleshelm.development.permissions import coaching_q, require_coaching_reader
from saleshelm.tenancy.actors import Actor


def coaching_session_qs(*, actor: Actor) -> QuerySet[CoachingSession]:
    return (
        CoachingSession.objects.filter(organisation_id=actor.organisation_id)
        .filter(coaching_q(actor, lead="coach"))
        .select_related("coach__user", "member__user", "focus_competency", "opportunity")
    )


def coaching_session_list(
    *, actor: Actor, member_id: int | None = None, observation_type: str | None = None
) -> QuerySet[CoachingSession]:
    require_coaching_reader(actor)
    qs = coaching_session_qs(actor=actor)
    if member_id is not None:
        qs = qs.filter(member_id=member_id)
    if observation_type:
        qs = qs.filter(observation_type=observation_type)
    return qs.order_by("-held_on", "-pk")


def access_coaching_session(*, actor: Actor, id: int) -> CoachingSession:
    obj = coaching_session_qs(actor=actor).filter(pk=id).first()
    if obj is None:
        raise NotFound("Coaching session")
    require_coaching_reader(actor)
    return obj


def plan_qs(*, actor: Actor) -> QuerySet[DevelopmentPlan]:
    goals = DevelopmentGoal.objects.select_related("competency").order_by(
        "status", "due_date", "pk"
    )
    return (
        DevelopmentPlan.objects.filter(organisation_id=actor.organisation_id)
        .filter(coaching_q(actor, lead="created_by"))
        .select_related("member__user", "created_by__user")
        .prefetch_related(Prefetch("goals", queryset=goals))
        .annotate(
            goal_count=Count("goals", distinct=True),
            goals_done=Count("goals", filter=Q(goals__status=GoalStatus.DONE), distinct=True),
        )
    )


def plan_list(
    *, actor: Actor, member_id: int | None = None, status: str | None = None
) -> QuerySet[DevelopmentPlan]:
    require_coaching_reader(actor)
    qs = plan_qs(actor=actor)
    if member_id is not None:
        qs = qs.filter(member_id=member_id)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("status", "-created_at", "-pk")


def access_plan(*, actor: Actor, id: int) -> DevelopmentPlan:
    obj = plan_qs(actor=actor).filter(pk=id).first()
    if obj is None:
        raise NotFound("Development plan")
    require_coaching_reader(actor)
    return obj


def access_goal(*, actor: Actor, id: int) -> DevelopmentGoal:
    plans = DevelopmentPlan.objects.filter(organisation_id=actor.organisation_id).filter(
        coaching_q(actor, lead="created_by")
    )
    obj = (
        DevelopmentGoal.objects.filter(organisation_id=actor.organisation_id, pk=id)
        .filter(plan__in=plans.values("pk"))
        .select_related("plan__member", "competency")
        .first()
    )
    if obj is None:
        raise NotFound("Development goal")
    require_coaching_reader(actor)
    return obj


def active_plan(*, actor: Actor, member_id: int) -> DevelopmentPlan | None:
    return (
        plan_qs(actor=actor)
        .filter(member_id=member_id, status=PlanStatus.ACTIVE)
        .order_by("-created_at", "-pk")
        .first()
    )
